"""Campaigns (专项行动) and their three lists: the problem list compiled from the data (re-runnable, each
problem pointing at its evidence), tasks due in working days, progress, the responsibility matrix, and who sees
and changes what — the refused side included."""
from datetime import date, timedelta

import pytest
from django.utils import timezone

from core.errors import ApplicationError
from core.models import Holiday
from programme import selectors, services
from programme.choices import StructureStatus as S
from programme.models import Problem, Task
from programme.tests.helpers import item
from registry.models import Department, ViolationType

pytestmark = pytest.mark.django_db


def campaign(world, **extra):
    today = timezone.localdate()
    values = {"name": "住宅小区环境专项执法行动", "starts_on": today - timedelta(days=30),
              "ends_on": today + timedelta(days=120), "phases": [
                  {"name": "调查排摸", "starts_on": today - timedelta(days=30), "ends_on": today - timedelta(days=20)},
                  {"name": "执法整治", "starts_on": today - timedelta(days=19), "ends_on": today + timedelta(days=90)},
                  {"name": "总结提升", "starts_on": today + timedelta(days=91), "ends_on": today + timedelta(days=120)},
              ], **extra}
    return services.campaign_create(actor=world.alice, **values)


def resident_complaints(community, code, n, **extra):
    """n 12345 complaints of the last n days (residents' channel: they count toward hotspots)."""
    from intake.models import Complaint

    return [Complaint.objects.create(channel="HOTLINE", received_at=timezone.now() - timedelta(days=i + 1),
                                     content=f"{code} 投诉", community=community, street=community.street,
                                     violation_type=ViolationType.objects.get(code=code), status="ROUTED", **extra)
            for i in range(n)]


def test_the_problem_list_is_compiled_from_the_data_each_problem_with_its_evidence(world):
    from credit.models import DutyCheck
    from credit.tests.helpers import check_of, filed_owner_case

    hot = resident_complaints(world.caoyang_a, "EBIKE_PARKING", 5)
    resident_complaints(world.changfeng_b, "EBIKE_PARKING", 4)  # below the hotspot line
    repeated = resident_complaints(world.changfeng_a, "GROUP_RENTING", 2, needs_consultation=True)
    standing = item(world, location="7号楼 屋顶", found_on=date(2024, 5, 1))
    item(world, location="8号楼 屋顶", found_on=date(2024, 5, 2), status=S.DEMOLISHED, cleared_on=date(2024, 6, 1))
    check = check_of(filed_owner_case(world))
    DutyCheck.objects.filter(pk=check.pk).update(outcome="FAILED", decided_at=timezone.now())
    action = campaign(world)

    counts = services.problems_compile(campaign=action, actor=world.alice)
    problems = {p.source: p for p in Problem.objects.filter(campaign=action)}
    assert counts == {"created": 4, "updated": 0, "stale": 0}
    assert set(problems) == {"HOTSPOT", "REPEATED", "INVENTORY", "DUTY_CHECK"}
    hotspot = problems["HOTSPOT"]
    assert (hotspot.community, hotspot.weight) == (world.caoyang_a, 5)  # the patrol's complaint is no resident's
    assert {c.pk for c in hot} <= {e.complaint_id for e in hotspot.evidence.filter(kind="COMPLAINT")}
    assert hotspot.evidence.filter(kind="COMMUNITY", community=world.caoyang_a).exists()
    assert {e.complaint_id for e in problems["REPEATED"].evidence.all()} == {c.pk for c in repeated}
    assert [e.structure_id for e in problems["INVENTORY"].evidence.all()] == [standing.pk]
    duty = problems["DUTY_CHECK"]
    assert [e.duty_check_id for e in duty.evidence.all()] == [check.pk] and duty.department.code == "HOUSING"

    # re-runnable: the same problems, updated, their status kept, their evidence not doubled
    Problem.objects.filter(pk=hotspot.pk).update(status="RESOLVED")
    again = services.problems_compile(campaign=action, actor=world.alice)
    assert again == {"created": 0, "updated": 4, "stale": 0}
    assert Problem.objects.filter(campaign=action).count() == 4
    hotspot.refresh_from_db()
    assert hotspot.status == "RESOLVED" and hotspot.evidence.filter(kind="COMMUNITY").count() == 1

    # the item cleared: its problem is no longer found, and is kept, marked stale
    services.structure_update(item=standing, actor=world.alice, status=S.DEMOLISHED,
                              cleared_on=timezone.localdate(), reason="已拆除")
    assert services.problems_compile(campaign=action, actor=world.alice)["stale"] == 1
    assert Problem.objects.get(campaign=action, source="INVENTORY").stale


def test_the_compile_keeps_to_the_campaigns_streets_and_types(world):
    resident_complaints(world.caoyang_a, "EBIKE_PARKING", 5)
    resident_complaints(world.changfeng_b, "GROUP_RENTING", 5)
    item(world, location="7号楼 屋顶", found_on=date(2024, 5, 1))
    action = campaign(world, streets=[world.changfeng], violation_types=[ViolationType.objects.get(code="GROUP_RENTING")])
    services.problems_compile(campaign=action, actor=world.alice)
    assert [(p.source, p.community) for p in Problem.objects.filter(campaign=action)] == [
        ("HOTSPOT", world.changfeng_b)]  # no 曹杨 complaint, no inventory (not an illegal-construction campaign)


def test_only_the_bureau_compiles_and_a_street_records_survey_findings_in_its_own_street(world):
    action = campaign(world)
    for user in (world.oscar, world.sam, world.hana, world.cyrus):
        with pytest.raises(ApplicationError):
            services.problems_compile(campaign=action, actor=user)
    finding = services.problem_add(campaign=action, actor=world.sam, title="12号楼楼道堆物", street=world.changfeng,
                                   community=world.changfeng_b)
    assert finding.source == "SURVEY" and finding.evidence.get().community == world.changfeng_b
    with pytest.raises(ApplicationError):
        services.problem_add(campaign=action, actor=world.sam, title="越界", street=world.caoyang)
    with pytest.raises(ApplicationError):
        services.problem_add(campaign=action, actor=world.paul, title="物业", street=world.caoyang)
    assert not Problem.objects.filter(title__in=["越界", "物业"]).exists()


def test_a_task_is_due_in_working_days_and_its_owner_leads_in_the_responsibility_list(world):
    action = campaign(world)
    housing, greening = Department.objects.get(code="HOUSING"), Department.objects.get(code="GREENING")
    monday = date(2026, 9, 28)  # 国庆: 1–7 October off
    for day in range(1, 8):
        Holiday.objects.update_or_create(date=date(2026, 10, day), defaults={"name": "国庆节", "is_workday": False})
    Holiday.objects.filter(date__range=(date(2026, 9, 28), date(2026, 10, 12)), is_workday=True).delete()
    from core import calendar

    calendar.invalidate()
    task = services.task_create(campaign=action, actor=world.alice, title="物业履职培训", owner_department=housing,
                                starts_on=monday, working_days=5, assisting=[greening, world.caoyang])
    assert task.due_on == date(2026, 10, 12)  # Tue 29, Wed 30, then Thu 8, Fri 9, Mon 12 after the holiday
    matrix = selectors.responsibility_matrix(user=world.alice, campaign=action)
    row = next(cells for label, t, cells in matrix.rows if t == task)
    roles = {str(c.department or c.street): c.role for c in row if c}
    assert roles == {str(housing): "LEAD", str(greening): "ASSIST", str(world.caoyang): "ASSIST"}
    standing = matrix.rows[0]
    assert standing[1] is None and any(c and c.department and c.department.code == "CHENGGUAN" and c.role == "LEAD"
                                       for c in standing[2])
    with pytest.raises(ApplicationError):
        services.task_create(campaign=action, actor=world.alice, title="两个责任方", owner_department=housing,
                             owner_street=world.caoyang, starts_on=monday, working_days=5)
    with pytest.raises(ApplicationError):
        services.task_create(campaign=action, actor=world.oscar, title="队员不能派任务", owner_street=world.caoyang,
                             starts_on=monday, working_days=5)


def tasks(world):
    action = campaign(world)
    start = timezone.localdate() - timedelta(days=40)
    street_task = services.task_create(campaign=action, actor=world.alice, title="曹杨排摸", owner_street=world.caoyang,
                                       starts_on=start, working_days=5)
    housing_task = services.task_create(campaign=action, actor=world.alice, title="物业督促",
                                        owner_department=Department.objects.get(code="HOUSING"),
                                        starts_on=timezone.localdate(), working_days=10)
    bureau_task = services.task_create(campaign=action, actor=world.alice, title="建章立制",
                                       owner_department=Department.objects.get(code="CHENGGUAN"),
                                       starts_on=timezone.localdate(), working_days=10)
    return action, street_task, housing_task, bureau_task


def test_each_sees_and_updates_only_its_own_tasks(world):
    action, street_task, housing_task, bureau_task = tasks(world)
    seen = {name: set(selectors.task_list(user=getattr(world, name), campaign=action).values_list("title", flat=True))
            for name in ("alice", "oscar", "owen", "sam", "hana", "gina", "paul", "cyrus", "lena")}
    assert seen["alice"] == seen["cyrus"] == {"曹杨排摸", "物业督促", "建章立制"}
    assert seen["oscar"] == {"曹杨排摸"} and seen["hana"] == {"物业督促"}
    assert seen["owen"] == seen["sam"] == seen["gina"] == seen["paul"] == seen["lena"] == set()
    assert [t.title for t in selectors.open_tasks_for(world.oscar)] == ["曹杨排摸"]
    assert [t.title for t in selectors.open_tasks_for(world.alice)] == ["建章立制"]
    assert list(selectors.open_tasks_for(world.cyrus)) == list(selectors.open_tasks_for(world.paul)) == []

    for user, task in ((world.owen, street_task), (world.gina, housing_task), (world.cyrus, street_task),
                       (world.hana, street_task), (world.paul, housing_task)):
        with pytest.raises(ApplicationError):
            services.task_progress(task=task, actor=user, progress=50)
    assert Task.objects.get(pk=street_task.pk).progress == 0

    done = services.task_progress(task=housing_task, actor=world.hana, progress=100, note="已完成培训")
    assert (done.status, done.done_on, done.progress_note) == ("DONE", timezone.localdate(), "已完成培训")
    assert list(selectors.open_tasks_for(world.hana)) == []
    back = services.task_progress(task=done, actor=world.alice, progress=60)
    assert (back.status, back.done_on) == ("ACTIVE", None)
    with pytest.raises(ApplicationError):
        services.task_progress(task=street_task, actor=world.oscar, progress=101)
    tally = selectors.task_tally(Task.objects.filter(campaign=action), timezone.localdate())
    assert (tally.total, tally.done, tally.overdue, tally.progress) == (3, 0, 1, 20.0)


def test_a_phase_is_marked_begun_only_once_it_has_begun(world):
    action = campaign(world)
    survey, enforcement, review = action.phases.order_by("order")
    services.phase_set_status(phase=survey, status="DONE", actor=world.alice)
    services.phase_set_status(phase=enforcement, status="ACTIVE", actor=world.alice)
    with pytest.raises(ApplicationError):
        services.phase_set_status(phase=review, status="ACTIVE", actor=world.alice)
    with pytest.raises(ApplicationError):
        services.phase_set_status(phase=enforcement, status="DONE", actor=world.oscar)
    assert [p.status for p in action.phases.order_by("order")] == ["DONE", "ACTIVE", "PLANNED"]
    assert selectors.campaign_phase_now(action, timezone.localdate()) == enforcement


def test_campaigns_are_read_by_the_district_not_by_companies(world):
    action = campaign(world)
    for name in ("alice", "oscar", "sam", "hana", "lena", "cyrus"):
        assert list(selectors.campaign_list(user=getattr(world, name))) == [action], name
    assert list(selectors.campaign_list(user=world.paul)) == []


def test_a_new_task_reaches_its_owners_inboxes_and_no_one_elses(world):
    from accounts.models import InboxItem

    action = campaign(world)
    today = timezone.localdate()
    street_task = services.task_create(campaign=action, actor=world.alice, title="长风排摸",
                                       owner_street=world.changfeng, starts_on=today, working_days=5)
    services.task_create(campaign=action, actor=world.alice, title="物业督促",
                         owner_department=Department.objects.get(code="HOUSING"), starts_on=today, working_days=10)
    services.task_create(campaign=action, actor=world.alice, title="建章立制",
                         owner_department=Department.objects.get(code="CHENGGUAN"), starts_on=today, working_days=10)
    got = {(item.user.username, item.url.rstrip("/").rsplit("/", 1)[-1]) for item in
           InboxItem.objects.filter(kind="CAMPAIGN_TASK").select_related("user")}
    assert {username for username, _ in got} == {"sam", "hana", "alice"}
    assert ("sam", str(street_task.pk)) in got
    sam_item = InboxItem.objects.get(user=world.sam, kind="CAMPAIGN_TASK")
    assert "长风排摸" in sam_item.title and str(street_task.due_on) in sam_item.title
