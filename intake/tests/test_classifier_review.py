"""Issue 14: when a person must look (one decision for classify, the import, a form and re-routing), why, the
post's structure (title, request sentence, context terms), and staff corrections that weigh."""
import io
import json
import sys

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from intake import classifier as clf
from intake import routing, services
from intake.choices import Channel, ComplaintStatus
from intake.management.commands.train_classifier import correction_weight

MULTI = ("楼上装修很吵\n楼上装修天天敲墙，楼道里又堆满了装修垃圾，物业也不管，晚上还有人在楼下打麻将吵闹。"
         "希望有关部门管一管。")


@pytest.fixture(scope="module")
def model():
    return clf.get_classifier()


def test_review_decision_names_its_reason():
    t = {"confidence": 0.9, "margin": 0.2, "oov": 0.6, "secondary": 0.5, "secondary_conf": 0.0}
    assert clf.review_decision(0.95, 0.9, 0.1, 0.0, t) is None
    assert clf.review_decision(0.95, 0.9, 0.7, 0.0, t) == clf.REVIEW_OUT_OF_VOCABULARY
    assert clf.review_decision(0.5, 0.1, 0.1, 0.0, t) == clf.REVIEW_LOW_MARGIN
    assert clf.review_decision(0.7, 0.5, 0.1, 0.8, t) == clf.REVIEW_SEVERAL_MATTERS
    assert clf.review_decision(0.7, 0.5, 0.1, 0.0, t) == clf.REVIEW_LOW_CONFIDENCE


def test_the_shipped_model_chose_its_threshold_on_out_of_style_text(model):
    review = model.metadata["review"]
    assert review["chosen_on"]["rows"] == "out-of-style"
    assert review["chosen_on"]["precision"] >= clf.REVIEW_TARGET
    p = model.predict("楼道里飞线充电")
    assert p.confidence >= review["confidence"] and not p.needs_review


def test_title_and_request_sentence_weigh_more():
    assert clf.split_title("楼道堆物\n楼道里堆满了东西。") == ("楼道堆物", "楼道里堆满了东西。")
    assert clf.split_title("标题：消防门被锁 内容：楼梯间的门锁了")[0] == "消防门被锁"
    assert clf.split_title("【12345热线】来电反映楼道堆物")[0] == ""
    assert clf.request_sentence("楼下在装修。晚上还很吵。希望派出所处理噪音") == "希望派出所处理噪音"
    text = clf.model_text("邻居噪音扰民\n楼上装修。晚上唱歌很吵。希望派出所处理噪音。")
    assert text.count("邻居噪音扰民") == 1 + clf.DEFAULT_PARAMS["title_repeat"]
    assert text.count("希望派出所处理噪音") == 1 + clf.DEFAULT_PARAMS["request_repeat"]


def test_posts_and_short_texts_are_judged_apart():
    t = {"confidence": 0.97, "confidence_short": 0.6}
    assert clf.is_post("物业费上涨\n物业费一下涨了三成。") and not clf.is_post("楼道里飞线充电，要求处理。")
    assert clf.review_decision(0.8, 0.6, 0.1, 0.0, t, post=True) == clf.REVIEW_LOW_CONFIDENCE
    assert clf.review_decision(0.8, 0.6, 0.1, 0.0, t, post=False) is None


def test_context_terms_weigh_less(model):
    j = model.word_vocab["物业"]
    k = model.word_vocab["装修"]
    ratio = model.idf[j] / model.word_idf[j]
    assert ratio == pytest.approx(clf.DEFAULT_PARAMS["context_weight"], rel=1e-5)
    assert model.idf[k] == pytest.approx(model.word_idf[k])


def test_several_matters_are_kept_and_need_a_person(model, monkeypatch):
    p = model.predict(MULTI)
    assert p.needs_review and p.review_reason == clf.REVIEW_SEVERAL_MATTERS
    assert p.secondary and p.violation_type not in p.secondary
    monkeypatch.setattr(sys, "stdin", io.StringIO(MULTI.replace("\n", "\t") + "\n楼道里飞线充电\n"))
    out = io.StringIO()
    call_command("classify", stdout=out)
    first, second = (json.loads(line) for line in out.getvalue().splitlines())
    assert first["needs_review"] is True and second["needs_review"] is False


def test_unknown_wording_needs_a_person(model):
    p = model.predict("asdf qwer zxcv")
    assert p.needs_review and p.review_reason == clf.REVIEW_OUT_OF_VOCABULARY


@pytest.mark.django_db
def test_receive_routes_by_the_same_decision_and_the_queue_says_why(world, client, model, django_user_model):
    c = services.complaint_receive(data=services.ComplaintInput(
        channel=Channel.MANUAL, content=MULTI, address="普陀区兰溪路88弄3号楼", received_at=timezone.now()))
    assert c.status == ComplaintStatus.NEW
    assert c.routing_note == routing.REVIEW_NOTES["several_matters"]
    review = c.classification_evidence["review"]
    assert review["needs"] is True and review["reason"] == "several_matters" and review["secondary"]
    assert c.review_reason == "一诉多事" and c.secondary_matters == review["secondary"]
    clear = services.complaint_receive(data=services.ComplaintInput(
        channel=Channel.MANUAL, content="楼道里有人飞线充电", address="普陀区兰溪路88弄3号楼",
        received_at=timezone.now()))
    assert clear.status == ComplaintStatus.ROUTED and clear.review_reason == ""
    client.force_login(world.alice)
    page = client.get(reverse("intake:queue")).content.decode()
    assert 'data-testid="review-reason"' in page and "一诉多事" in page
    detail = client.get(reverse("intake:detail", args=[c.pk])).content.decode()
    assert 'data-testid="secondary-matters"' in detail and "一诉多事" in detail
    assert 'data-testid="review-reason"' not in client.get(reverse("intake:detail", args=[clear.pk])).content.decode()


def test_routing_without_a_stored_decision_keeps_the_old_rule():
    low = routing.route(type_code="GROUP_RENTING", department_code="CHENGGUAN", confidence=0.3, has_place=True)
    assert low.status == ComplaintStatus.NEW and low.note == routing.REVIEW_NOTES["low_confidence"]
    sure = routing.route(type_code="GROUP_RENTING", department_code="CHENGGUAN", confidence=0.3, has_place=True,
                         review_reason=None)
    assert sure.status == ComplaintStatus.ROUTED
    margin = routing.route(type_code="GROUP_RENTING", department_code="CHENGGUAN", confidence=0.99,
                           has_place=True, review_reason="low_margin")
    assert margin.status == ComplaintStatus.NEW and "两类难分" in margin.note


def _type_probability(model, text, code):
    scores, _ = model.decision_function([clf.model_text(text, model.params)])
    probs = model._type_probabilities(clf._softmax(scores / model.temperature))[0]
    return float(probs[model.types.index(code)])


def test_a_few_corrections_move_the_model():
    assert correction_weight(4000, 300) == pytest.approx(4000 * 0.5 / 300)
    assert correction_weight(100, 1000) == 1.0 and correction_weight(100_000, 1) == 25.0
    corpus = [(f"{p}小区里有人打麻将，很吵{i}", "USE_CHANGE", "CHENGGUAN")
              for i in range(8) for p in ("三号楼", "五号楼", "我们楼")]
    corpus += [(f"{p}楼道里飞线充电{i}", "EBIKE_CHARGING", "CHENGGUAN")
               for i in range(8) for p in ("三号楼", "五号楼", "我们楼")]
    fixes = [(f"{p}小区里有人打麻将，很吵", "NON_ENFORCEMENT", "POLICE") for p in ("七号楼", "九号楼", "隔壁楼")]
    plain = clf.fit(corpus + fixes)
    weighted = clf.fit(corpus + fixes, weights=[1.0] * len(corpus) + [correction_weight(len(corpus), 3)] * 3)
    for model in (plain, weighted):
        model.temperature = 1.0
    test = "二号楼小区里有人打麻将，很吵"
    assert _type_probability(weighted, test, "NON_ENFORCEMENT") > _type_probability(plain, test, "NON_ENFORCEMENT")
    assert _type_probability(weighted, test, "USE_CHANGE") < _type_probability(plain, test, "USE_CHANGE")
