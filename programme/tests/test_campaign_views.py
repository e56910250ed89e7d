"""The campaign pages: list, detail with its timeline and three tabs, the task's progress saved only after
confirmation, 我的任务, the .xlsx task list — and the refused side of each."""
import io

import pytest
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from programme.models import Problem, Task
from programme.tests.test_campaigns import campaign, tasks

pytestmark = pytest.mark.django_db


def test_the_campaign_page_shows_the_phases_and_the_three_lists_as_each_user_sees_them(client, world):
    action, street_task, housing_task, bureau_task = tasks(world)
    client.force_login(world.alice)
    page = client.get(action.get_absolute_url())
    body = page.content.decode()
    assert page.status_code == 200
    assert "调查排摸" in body and "执法整治" in body and "总结提升" in body
    assert 'data-overdue="1"' in body  # 曹杨排摸 is past its due date
    assert all(t in body for t in ("曹杨排摸", "物业督促", "建章立制")) and 'data-testid="compile"' in body
    assert "区房管局" in body  # a column of the responsibility matrix

    client.force_login(world.oscar)
    body = client.get(action.get_absolute_url()).content.decode()
    assert "曹杨排摸" in body and "物业督促" not in body and 'data-testid="compile"' not in body
    assert 'data-testid="my-campaign-tasks"' in body
    client.force_login(world.paul)
    assert client.get(action.get_absolute_url()).status_code == 403
    assert client.get(reverse("programme:campaign-list")).status_code == 403


def test_progress_is_saved_only_once_confirmed_and_only_by_its_owner(client, world):
    action, street_task, housing_task, bureau_task = tasks(world)
    url = reverse("programme:task-detail", args=[housing_task.pk])
    client.force_login(world.gina)  # another department: not hers
    assert client.get(url).status_code == 404
    client.force_login(world.cyrus)  # the city reads, changes nothing
    assert client.get(url).status_code == 200
    assert client.post(url, {"progress": 50}).status_code == 403
    client.force_login(world.hana)
    first = client.post(url, {"progress": 100, "note": "培训已完成"})
    assert first.status_code == 200 and 'data-testid="confirm"' in first.content.decode()
    assert Task.objects.get(pk=housing_task.pk).progress == 0  # not yet
    bad = client.post(url, {"progress": 50, "case_numbers": "AJ2099-999999", "confirmed": "True"})
    assert bad.status_code == 400 and "AJ2099-999999" in bad.content.decode()
    done = client.post(url, {"progress": 100, "note": "培训已完成", "confirmed": "True"})
    assert done.status_code == 302
    task = Task.objects.get(pk=housing_task.pk)
    assert (task.progress, task.status, task.done_on) == (100, "DONE", timezone.localdate())
    assert client.post(url, {"progress": 150, "confirmed": "True"}).status_code == 400


def test_my_tasks_and_the_xlsx_task_list(client, world):
    action, street_task, housing_task, bureau_task = tasks(world)
    client.force_login(world.oscar)
    body = client.get(reverse("programme:my-tasks")).content.decode()
    assert "曹杨排摸" in body and "建章立制" not in body
    response = client.get(reverse("programme:task-export", args=[action.pk]))
    sheet = load_workbook(io.BytesIO(b"".join(response.streaming_content) if response.streaming else
                                      response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][:3] == ("任务", "阶段", "责任部门或街镇") and [r[0] for r in rows[1:]] == ["曹杨排摸"]
    client.force_login(world.paul)
    assert client.get(reverse("programme:my-tasks")).status_code == 403
    assert client.get(reverse("programme:task-export", args=[action.pk])).status_code == 403


def test_the_bureau_compiles_sets_phases_and_gives_tasks_a_street_records_its_findings(client, world):
    action = campaign(world)
    client.force_login(world.oscar)
    assert client.post(reverse("programme:campaign-compile", args=[action.pk])).status_code == 403
    assert client.get(reverse("programme:task-create", args=[action.pk])).status_code == 403
    review = action.phases.get(order=3)
    assert client.post(reverse("programme:phase-status", args=[review.pk]), {"status": "DONE"}).status_code == 403
    sam_url = reverse("programme:problem-create", args=[action.pk])
    client.force_login(world.sam)
    assert client.post(sam_url, {"title": "楼道堆物", "street": world.changfeng.pk}).status_code == 302
    refused = client.post(sam_url, {"title": "越界", "street": world.caoyang.pk})
    assert refused.status_code == 400 and not Problem.objects.filter(title="越界").exists()

    client.force_login(world.alice)
    assert client.post(reverse("programme:campaign-compile", args=[action.pk])).status_code == 302
    client.post(reverse("programme:phase-status", args=[review.pk]), {"status": "DONE"})  # not begun: refused
    review.refresh_from_db()
    assert review.status == "PLANNED"
    created = client.post(reverse("programme:task-create", args=[action.pk]), {
        "title": "长风排摸", "owner_street": world.changfeng.pk, "starts_on": timezone.localdate().isoformat(),
        "working_days": 5})
    assert created.status_code == 302 and Task.objects.get(title="长风排摸").owner_street == world.changfeng
    both = client.post(reverse("programme:task-create", args=[action.pk]), {
        "title": "两个责任方", "owner_street": world.changfeng.pk, "owner_department": 1,
        "starts_on": timezone.localdate().isoformat(), "working_days": 5})
    assert both.status_code == 400 and not Task.objects.filter(title="两个责任方").exists()


def test_the_campaign_pages_in_english(client, world):
    from tests.test_i18n import chinese_interface, english

    action, street_task, housing_task, bureau_task = tasks(world)
    from programme import services

    services.problems_compile(campaign=action, actor=world.alice)
    services.problem_add(campaign=action, actor=world.alice, title="楼道堆物", street=world.caoyang,
                         community=world.caoyang_a)
    for url in (reverse("programme:campaign-list"), action.get_absolute_url(),
                reverse("programme:task-detail", args=[street_task.pk]), reverse("programme:my-tasks"),
                reverse("programme:task-create", args=[action.pk])):
        html = english(client, world.alice, url)
        assert chinese_interface(html) == [], url
    confirm = client.post(reverse("programme:task-detail", args=[street_task.pk]), {"progress": 30})
    assert "Please confirm the update" in confirm.content.decode()
    assert chinese_interface(confirm.content.decode()) == []


def test_the_administrator_sets_up_campaigns_in_the_admin(client, world):
    action = campaign(world)
    client.force_login(world.ada)
    assert client.get(reverse("admin:programme_campaign_changelist")).status_code == 200
    assert client.get(reverse("admin:programme_campaign_change", args=[action.pk])).status_code == 200
    assert client.get(reverse("admin:programme_task_changelist")).status_code == 200
    client.force_login(world.alice)
    assert client.get(reverse("admin:programme_campaign_changelist")).status_code == 302  # not staff: login
