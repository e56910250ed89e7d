"""Each complaint is classified, matched, routed and de-duplicated, and staff can correct every decision.
The keyword classifier stands in for the model so these tests are about the rules, not the model."""
from datetime import timedelta

import pytest
from django.utils import timezone

from intake import services
from intake.choices import Channel, ComplaintStatus, DecisionSource
from intake.corrections import training_rows
from intake.models import Complaint, Correction

pytestmark = pytest.mark.django_db

NOW = timezone.now().replace(microsecond=0)


def receive(content, address="", *, when=None, channel=Channel.MANUAL, **extra):
    return services.complaint_receive(data=services.ComplaintInput(
        channel=channel, content=content, address=address, received_at=when or NOW, **extra))


def test_enforcement_matter_goes_to_the_bureau_and_the_communitys_street(world, keyword_classifier):
    c = receive("楼道里飞线充电，很危险", "普陀区兰溪路88弄3号楼")
    assert c.community == world.caoyang_a and c.street == world.caoyang
    assert c.violation_type.code == "EBIKE_CHARGING" and c.department.code == "CHENGGUAN"
    assert c.status == ComplaintStatus.ROUTED
    assert c.classification_evidence["terms"] == ["充电"]
    assert c.match_evidence["method"] == "address" and c.match_evidence["door"] == "兰溪路88弄"


def test_non_enforcement_matter_is_referred_to_its_department(world, keyword_classifier):
    c = receive("物业费涨价不合理", "金沙江路1685弄")
    assert c.violation_type.code == "NON_ENFORCEMENT"
    assert c.department.code == "HOUSING" and c.status == ComplaintStatus.REFERRED


def test_low_confidence_or_no_place_waits_for_a_person(world, keyword_classifier):
    assert receive("不确定是不是群租", "兰溪路88弄").status == ComplaintStatus.NEW
    unplaced = receive("有人搭建阳光房", "火星路1号")
    assert unplaced.community is None and unplaced.status == ComplaintStatus.NEW
    assert "地址" in unplaced.routing_note


def test_community_named_only_in_the_text_is_found(world, keyword_classifier):
    c = receive("云岭花园里有人搭建违章建筑", "")
    assert c.community == world.changfeng_a and c.match_evidence["method"] == "name"


def test_same_matter_again_within_30_days_attaches_to_the_open_complaint(world, keyword_classifier):
    first = receive("3号楼楼道有人飞线充电", "兰溪路88弄3号楼", when=NOW - timedelta(days=5))
    again = receive("兰溪路88弄3号楼又有人在楼道飞线充电", "兰溪路88弄3号楼")
    assert again.duplicate_of == first and again.status == ComplaintStatus.DUPLICATE
    assert 0 < again.duplicate_score <= 1


def test_another_building_is_another_matter(world, keyword_classifier):
    receive("3号楼楼道有人飞线充电", "兰溪路88弄3号楼", when=NOW - timedelta(days=5))
    other = receive("12号楼楼道有人飞线充电", "兰溪路88弄12号楼")
    assert other.duplicate_of is None and other.status == ComplaintStatus.ROUTED


def test_after_30_days_it_is_a_new_matter_but_still_a_repeat(world, keyword_classifier):
    receive("楼道飞线充电", "兰溪路88弄", when=NOW - timedelta(days=60))
    receive("楼道飞线充电", "兰溪路88弄", when=NOW - timedelta(days=40))
    third = receive("楼道飞线充电", "兰溪路88弄")
    assert third.duplicate_of is None
    assert third.repeat_count == 3 and third.needs_consultation


def test_repeats_older_than_90_days_do_not_count(world, keyword_classifier):
    receive("楼道飞线充电", "兰溪路88弄", when=NOW - timedelta(days=120))
    c = receive("楼道飞线充电", "兰溪路88弄")
    assert c.repeat_count == 1 and not c.needs_consultation


def test_correcting_the_type_reroutes_and_feeds_training(world, keyword_classifier):
    c = receive("楼道里停电瓶车", "兰溪路88弄")
    assert c.violation_type.code == "EBIKE_PARKING"
    c = services.complaint_correct_type(complaint=c, type_code="NON_ENFORCEMENT", department_code="FIRE",
                                        actor=world.oscar, reason="消防设施问题")
    assert c.department.code == "FIRE" and c.status == ComplaintStatus.REFERRED
    assert c.type_source == DecisionSource.STAFF and c.predicted_type.code == "EBIKE_PARKING"
    assert Correction.objects.filter(complaint=c, field="TYPE", old_value="EBIKE_PARKING").exists()
    assert ("楼道里停电瓶车", "NON_ENFORCEMENT", "FIRE") in list(training_rows())


def test_an_illegal_correction_changes_nothing(world, keyword_classifier):
    from core.errors import ApplicationError

    c = receive("楼道里停电瓶车", "兰溪路88弄")
    with pytest.raises(ApplicationError):
        services.complaint_correct_type(complaint=c, type_code="NON_ENFORCEMENT", department_code="",
                                        actor=world.oscar)
    with pytest.raises(ApplicationError):
        services.complaint_correct_type(complaint=c, type_code="NO_SUCH_CODE", actor=world.oscar)
    c.refresh_from_db()
    assert c.violation_type.code == "EBIKE_PARKING" and not c.corrections.exists()


def test_correcting_the_community_moves_it_to_that_street(world, keyword_classifier):
    c = receive("有人搭建阳光房", "火星路1号")
    c = services.complaint_correct_community(complaint=c, community=world.changfeng_b, actor=world.alice)
    assert c.street == world.changfeng and c.status == ComplaintStatus.ROUTED
    assert c.community_source == DecisionSource.STAFF


def test_marking_and_unmarking_a_duplicate(world, keyword_classifier):
    a = receive("有人搭建阳光房", "兰溪路88弄")
    b = receive("群租，十几个人住", "兰溪路88弄")
    b = services.complaint_mark_duplicate(complaint=b, primary=a, actor=world.oscar)
    assert b.duplicate_of == a and b.status == ComplaintStatus.DUPLICATE
    b = services.complaint_unmark_duplicate(complaint=b, actor=world.oscar)
    assert b.duplicate_of is None and b.status == ComplaintStatus.ROUTED


def test_the_same_external_number_is_received_once(world, keyword_classifier):
    from core.errors import ApplicationError

    receive("楼道飞线充电", "兰溪路88弄", channel=Channel.HOTLINE, external_no="T-1")
    with pytest.raises(ApplicationError):
        receive("楼道飞线充电", "兰溪路88弄", channel=Channel.HOTLINE, external_no="T-1")
    assert Complaint.objects.filter(external_no="T-1").count() == 1


def test_every_change_is_in_the_history(world, keyword_classifier):
    c = receive("楼道里停电瓶车", "兰溪路88弄")
    services.complaint_confirm(complaint=c, actor=world.oscar)
    assert c.history.count() == 2
    assert c.history.first().history_change_reason == "确认"


def test_every_matching_outcome_is_explained_in_words(world, keyword_classifier):
    from intake.selectors import match_reasons

    assert match_reasons(receive("楼道飞线充电", "兰溪路88弄").match_evidence)[0].startswith("门牌匹配")
    assert "其他区" in match_reasons(receive("楼道飞线充电", "静安区常德路100弄").match_evidence)[0]
    assert match_reasons({}) == ["地址中未找到道路门牌或小区名"]


def test_a_confirmed_non_enforcement_matter_is_referred_once(world, keyword_classifier):
    from cases.models import Referral

    c = receive("物业费涨价不合理", "金沙江路1685弄")
    assert not Referral.objects.exists()  # nobody has looked yet
    services.complaint_confirm(complaint=c, actor=world.sam)
    services.complaint_confirm(complaint=c, actor=world.sam)
    referral = Referral.objects.get()
    assert referral.department.code == "HOUSING" and referral.complaint == c and referral.street == world.changfeng


def test_the_departments_answer_closes_a_referred_complaint_and_a_return_puts_it_back_in_the_queue(
        world, keyword_classifier):
    from cases import referrals
    from cases.models import Referral

    answered = receive("物业费涨价不合理", "金沙江路1685弄")
    returned = receive("小区物业费收得太高", "兰溪路88弄")
    for complaint in (answered, returned):
        services.complaint_confirm(complaint=complaint, actor=world.alice)
    first = Referral.objects.get(complaint=answered)
    referrals.referral_sign(referral=first, actor=world.hana)
    referrals.referral_answer(referral=first, actor=world.hana, answer="已约谈物业，按合同调整收费")
    answered.refresh_from_db()
    assert answered.status == ComplaintStatus.CLOSED and "已约谈物业" in answered.routing_note
    assert answered.history.first().history_change_reason == "主管部门已反馈，办结"

    back = Referral.objects.get(complaint=returned)
    referrals.referral_return(referral=back, actor=world.hana, reason="属业委会自治事项")
    returned.refresh_from_db()
    assert returned.status == ComplaintStatus.NEW and "属业委会自治事项" in returned.routing_note


def test_a_referred_complaint_closes_only_when_no_referral_of_it_is_pending(world, keyword_classifier):
    from cases import referrals
    from cases.models import Referral
    from registry.models import Department

    complaint = receive("物业费涨价不合理", "金沙江路1685弄")
    services.complaint_confirm(complaint=complaint, actor=world.alice)
    housing = Referral.objects.get(complaint=complaint)
    other = referrals.referral_send(department=Department.objects.get(code="JUSTICE"), matter="调解收费纠纷",
                                    actor=world.alice, complaint=complaint)
    referrals.referral_sign(referral=housing, actor=world.hana)
    referrals.referral_answer(referral=housing, actor=world.hana, answer="已答复诉求人")
    complaint.refresh_from_db()
    assert complaint.status == ComplaintStatus.REFERRED  # the justice bureau has not answered yet
    assert other.status == "SENT"


def test_a_noise_complaint_does_not_repeat_a_fee_complaint(world, keyword_classifier):
    receive("物业费涨价不合理", "兰溪路88弄", when=NOW - timedelta(days=3))
    receive("物业费太贵了", "兰溪路88弄", when=NOW - timedelta(days=2))
    noise = receive("楼上噪声扰民", "兰溪路88弄")
    assert noise.repeat_count == 1


def test_one_complaint_reads_only_its_own_slot_of_the_dedup_index(world, keyword_classifier):
    """A form's complaint reads the last 90 days of its own community and matter, not the district's: the other
    slots stay unread, and its own still finds the open complaint and counts the repeats."""
    first = receive("3号楼楼道有人飞线充电", "兰溪路88弄3号楼", when=NOW - timedelta(days=5))
    receive("物业费涨价不合理", "兰溪路88弄", when=NOW - timedelta(days=4))  # another matter, referred
    receive("有人搭建违章建筑", "云岭花园", when=NOW - timedelta(days=3))  # another community
    ctx = services.Context(since=NOW)
    assert ctx.dedup.lazy and not ctx.dedup.loaded
    again = services.complaint_receive(data=services.ComplaintInput(
        channel=Channel.MANUAL, content="兰溪路88弄3号楼又有人在楼道飞线充电", address="兰溪路88弄3号楼",
        received_at=NOW), ctx=ctx)
    assert again.duplicate_of == first and again.repeat_count == 2
    assert ctx.dedup.loaded == {(first.community_id, first.violation_type_id)}
