"""The complaint classifier (R2.2, issue 3): the shipped model, the `classify` command (CONTRACTS.md), retraining.

No database: these tests carry no django_db mark, so any query would fail them."""
import csv
import io
import json
import sys
import time
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command

from intake import classifier as clf

CORPUS = Path(settings.BASE_DIR) / "data" / "intake" / "corpus.csv"
CONTRACT_KEYS = {"violation_type", "department", "confidence", "evidence", "needs_review"}

# Written for this test, not taken from the training corpus (checked below).
CLEAR_TEXTS = [
    ("五楼走廊里有人拉了根插线板给电瓶车充电，天天充到半夜", "EBIKE_CHARGING", "CHENGGUAN"),
    ("有人把电动自行车推进电梯里停着，别人都进不去", "EBIKE_PARKING", "CHENGGUAN"),
    ("对面那套房子被隔成了六间，住了十几个外地人，上下铺", "GROUP_RENTING", "CHENGGUAN"),
    ("楼上在砸承重墙，我家天花板都震裂了", "STRUCTURE_DAMAGE", "CHENGGUAN"),
    ("顶楼住户在屋顶平台上搭了一间阳光房", "ILLEGAL_CONSTRUCTION", "CHENGGUAN"),
    ("单元门口和楼梯上堆满了纸板箱和旧家具，消防通道也堵住了", "COMMON_AREA_OCCUPATION", "CHENGGUAN"),
    ("小区绿化带里被人种满了青菜，草皮都铲掉了", "GREEN_DAMAGE", "CHENGGUAN"),
    ("楼道墙上到处贴着办证和开锁的小广告", "SMALL_ADS", "CHENGGUAN"),
    ("装修垃圾一袋袋堆在小区门口，好几天没人清", "CONSTRUCTION_WASTE", "CHENGGUAN"),
    ("业主把一楼住房改成了棋牌室对外营业", "USE_CHANGE", "CHENGGUAN"),
    ("物业费又涨价了，业委会也不公开账目", "NON_ENFORCEMENT", "HOUSING"),
    ("楼顶养了很多鸽子，鸽粪掉得阳台上到处都是", "NON_ENFORCEMENT", "SPORTS"),
    ("想申请人民调解，楼上漏水把我家装修泡坏了不肯赔", "NON_ENFORCEMENT", "JUSTICE"),
    ("楼下的香樟树太高了挡住阳光，请绿化部门来修剪一下", "NON_ENFORCEMENT", "GREENING"),
]


@pytest.fixture(scope="module")
def model():
    clf.reset_cache()
    return clf.get_classifier()


def test_my_texts_are_not_in_the_corpus():
    with open(CORPUS, encoding="utf-8") as fh:
        corpus = {row["text"] for row in csv.DictReader(fh)}
    assert not [t for t, _, _ in CLEAR_TEXTS if t in corpus]


def test_shipped_model_loads_quickly_without_database():
    started = time.perf_counter()
    model = clf.ComplaintClassifier.load()
    elapsed = time.perf_counter() - started
    assert elapsed < 3.0  # about 0.15 s on the 2-core development machine; generous for a busy CI
    meta = json.loads((clf.ML_DIR / clf.META_FILE).read_text(encoding="utf-8"))
    assert meta["training_rows"] >= 3000
    assert set(model.types) == set(clf.TYPE_CODES)
    assert (clf.ML_DIR / clf.MODEL_FILE).stat().st_size < 20_000_000


@pytest.mark.parametrize("text,vtype,dept", CLEAR_TEXTS)
def test_clear_texts_get_their_type_department_and_evidence(model, text, vtype, dept):
    p = model.predict(text)
    assert (p.violation_type, p.department) == (vtype, dept)
    assert 0.0 <= p.confidence <= 1.0
    assert 0.0 <= p.department_confidence <= 1.0
    assert 1 <= len(p.evidence) <= 6
    shown = clf.display_text(text)
    assert all(term and term in shown for term in p.evidence), p.evidence
    assert p.alternatives[0][0] == vtype and len(p.alternatives) == 3


def test_evidence_names_the_deciding_words(model):
    p = model.predict("楼道里有人飞线充电")
    assert p.violation_type == "EBIKE_CHARGING"
    assert any("飞线充电" in term or "充电" in term for term in p.evidence)


def test_full_width_digits_and_case_do_not_change_the_result(model):
    a = model.predict("ＡＢ栋３０２室在楼道里给电瓶车充电")
    b = model.predict("ab栋302室在楼道里给电瓶车充电")
    c = model.predict("AB栋17室在楼道里给电瓶车充电")
    assert a.violation_type == b.violation_type == c.violation_type == "EBIKE_CHARGING"
    assert a.confidence == pytest.approx(b.confidence) == pytest.approx(c.confidence)


def test_predict_many_matches_predict_and_handles_empty_texts(model):
    texts = [t for t, _, _ in CLEAR_TEXTS] + ["", "   ", "？？？"]
    many = model.predict_many(texts)
    assert len(many) == len(texts)
    for text, p in zip(texts[:3], many[:3], strict=True):
        single = model.predict(text)
        assert (p.violation_type, p.evidence) == (single.violation_type, single.evidence)
        assert p.confidence == pytest.approx(single.confidence, abs=1e-5)
    for p in many[-3:]:
        assert p.as_contract() == {"violation_type": None, "department": None, "confidence": 0.0, "evidence": [],
                                   "needs_review": True}


def test_segmenter_cuts_like_jieba():
    model = clf.get_classifier()
    tok = clf._jieba_tokenizer()
    for text, _, _ in CLEAR_TEXTS:
        for seg in clf.segments(clf.feature_text(text)):
            words = model.segmenter.cut(seg)
            assert "".join(words) == seg
            # Where every dictionary word of the segment is in the shipped table, the cut is jieba's own.
            if all(w in model.segmenter.freq or len(w) == 1 for w in tok.lcut(seg, HMM=False)):
                assert words == tok.lcut(seg, HMM=False)


def _classify(monkeypatch, text, *args):
    monkeypatch.setattr(sys, "stdin", io.StringIO(text))
    out = io.StringIO()
    call_command("classify", *args, stdout=out)
    return out.getvalue().splitlines()


def test_classify_command_one_json_object_per_line_aligned(monkeypatch):
    lines = ["楼上在砸承重墙，我家天花板都震裂了", "", "物业费又涨价了，业委会也不公开账目", "   ",
             "有人把电动自行车推进电梯里停着"]
    out = _classify(monkeypatch, "\n".join(lines) + "\n")
    assert len(out) == len(lines)
    objs = [json.loads(line) for line in out]
    for obj in objs:
        assert set(obj) == CONTRACT_KEYS
        assert 0.0 <= obj["confidence"] <= 1.0
        assert isinstance(obj["evidence"], list) and all(isinstance(t, str) for t in obj["evidence"])
        assert obj["confidence"] == round(obj["confidence"], 4)
    assert (objs[0]["violation_type"], objs[0]["department"]) == ("STRUCTURE_DAMAGE", "CHENGGUAN")
    assert (objs[2]["violation_type"], objs[2]["department"]) == ("NON_ENFORCEMENT", "HOUSING")
    assert objs[4]["violation_type"] == "EBIKE_PARKING"
    for blank in (objs[1], objs[3]):
        assert blank == {"violation_type": None, "department": None, "confidence": 0.0, "evidence": [],
                         "needs_review": True}
    assert all(isinstance(obj["needs_review"], bool) for obj in objs)
    assert "承重墙" in "".join(objs[0]["evidence"])
    assert "\\u" not in out[0]  # Chinese printed as is (ensure_ascii=False)


def test_classify_command_small_batches_and_no_trailing_newline(monkeypatch):
    text = "\n".join(t for t, _, _ in CLEAR_TEXTS)  # last line without a newline
    out = _classify(monkeypatch, text, "--batch", "3")
    assert [json.loads(line)["violation_type"] for line in out] == [v for _, v, _ in CLEAR_TEXTS]


# -- retraining ---------------------------------------------------------------------------------------------------
PHRASES = {
    ("EBIKE_CHARGING", "CHENGGUAN"): ["飞线充电", "楼道里给电瓶车充电", "从窗口拉电线充电", "把电池拿回家充电",
                                      "插线板接到楼下充电", "半夜在走廊充电动车"],
    ("SMALL_ADS", "CHENGGUAN"): ["墙上贴小广告", "门上塞满传单", "电线杆上贴办证广告", "楼道里喷涂电话号码",
                                 "牛皮癣到处都是", "信箱里塞满广告"],
    ("NON_ENFORCEMENT", "HOUSING"): ["物业费太贵", "维修资金不公开", "业委会选举有问题", "电梯坏了没人修",
                                     "保安态度很差", "想换物业公司"],
}
PLACES = ["三号楼", "小区里", "我们那栋", "隔壁单元", "二楼", "七十弄"]


def _synthetic_rows():
    rows = []
    for (vtype, dept), phrases in PHRASES.items():
        for i, phrase in enumerate(phrases):
            for j, place in enumerate(PLACES[:4]):
                rows.append((f"{PLACES[(i + j) % len(PLACES)]}{phrase}，{place}的人都有意见", vtype, dept))
    return rows


def test_tiny_retrain_saves_and_loads(tmp_path):
    rows = _synthetic_rows()
    model = clf.ComplaintClassifier.train(rows, n_splits=3)
    assert 0 < model.temperature
    assert model.metadata["cross_validation"]["folds"] == 3
    path = model.save(tmp_path)
    assert path.exists() and (tmp_path / clf.META_FILE).exists()
    loaded = clf.ComplaintClassifier.load(tmp_path)
    p = loaded.predict("一楼有人飞线充电")
    assert (p.violation_type, p.department) == ("EBIKE_CHARGING", "CHENGGUAN")
    assert loaded.predict("物业费太贵了").department == "HOUSING"
    assert loaded.predict_many(["墙上贴小广告"])[0].violation_type == "SMALL_ADS"


def test_clean_rows_drops_bad_labels_and_fills_the_bureau():
    rows, problems = clf.clean_rows([
        ("a", "EBIKE_CHARGING", ""), ("b", "NOPE", "X"), ("", "SMALL_ADS", ""),
        ("c", "NON_ENFORCEMENT", "CHENGGUAN"), ("d", "non_enforcement", "police"),
    ])
    assert rows == [("a", "EBIKE_CHARGING", "CHENGGUAN"), ("d", "NON_ENFORCEMENT", "POLICE")]
    assert len(problems) == 3


def test_train_classifier_command_uses_corpus_and_corrections(tmp_path, monkeypatch):
    corpus = tmp_path / "corpus.csv"
    with open(corpus, "w", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow(["text", "violation_type", "department"])
        writer.writerows(_synthetic_rows())
    import intake.corrections

    corrections = [("楼下有人在走廊里充电瓶车", "EBIKE_CHARGING", "CHENGGUAN"),
                   ("物业服务太差了", "NON_ENFORCEMENT", "HOUSING")]
    monkeypatch.setattr(intake.corrections, "training_rows", lambda: iter(corrections))
    out = io.StringIO()
    call_command("train_classifier", "--corpus", str(corpus), "--output", str(tmp_path / "model"),
                 "--folds", "3", stdout=out, stderr=io.StringIO())
    text = out.getvalue()
    assert "staff corrections: 2 rows" in text
    assert "type accuracy" in text and "f1-score" in text
    meta = json.loads((tmp_path / "model" / clf.META_FILE).read_text(encoding="utf-8"))
    assert meta["training_rows"] == len(_synthetic_rows()) + 2
    assert meta["sources"]["staff corrections"] == 2
    assert "holdout" in meta and "cross_validation" in meta
    # Scoring an external file with the model just saved, saving nothing.
    out = io.StringIO()
    call_command("train_classifier", "--evaluate-only", "--heldout", str(corpus), "--output",
                 str(tmp_path / "model"), stdout=out)
    assert "external held-out set" in out.getvalue()
