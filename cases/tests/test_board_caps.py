"""督办看板 and 今日工作台 list the most urgent cases and count them all: the page costs the same whatever the
backlog, and the rest is one click away on the case list. Refusals are test_views.py's (other roles: 403 / 302)."""
import pytest
from django.urls import reverse

from cases import selectors, services
from cases.tests.test_views import overdue
from registry.models import ViolationType

pytestmark = pytest.mark.django_db


def _overdue_cases(world, n, community=None, officer=None):
    kind = ViolationType.objects.get(code="GROUP_RENTING")
    community = community or world.caoyang_a
    return [overdue(services.case_open(violation_type=kind, community=community, street=community.street,
                                       summary=f"群租 第{i}件", actor=world.alice, officer=officer)) for i in range(n)]


def test_the_board_lists_the_most_overdue_of_each_street_and_counts_them_all(client, world, keyword_classifier,
                                                                              monkeypatch):
    monkeypatch.setattr(selectors, "BOARD_SHOWN_PER_STREET", 2)
    caoyang = _overdue_cases(world, 3)
    changfeng = _overdue_cases(world, 1, community=world.changfeng_b)
    client.force_login(world.alice)
    html = client.get(reverse("cases:board")).content.decode()
    assert html.count('data-testid="board-case"') == 3                # 2 of 曹杨's 3, 长风's only one
    assert 'data-testid="stat-overdue">4<' in html
    assert html.count('data-testid="board-street-more"') == 1
    assert f"street={world.caoyang.pk}" in html and "查看全部 3 件" in html
    assert changfeng[0].number in html and sum(c.number in html for c in caoyang) == 2


def test_the_workbench_panels_show_the_first_cases_and_count_them_all(client, world, keyword_classifier,
                                                                      monkeypatch):
    monkeypatch.setattr(selectors, "WORKBENCH_SHOWN", 2)
    mine = _overdue_cases(world, 3, officer=world.oscar)
    assert all(c.officer_id == world.oscar.pk for c in mine)
    bench = selectors.workbench(user=world.oscar)
    assert len(bench["overdue"]) == 2 and bench["overdue_total"] == 3
    client.force_login(world.oscar)
    html = client.get(reverse("cases:workbench")).content.decode()
    panel = html[html.index('data-testid="panel-overdue"'):html.index('data-testid="panel-soon"')]
    assert panel.count('data-testid="workbench-case"') == 2 and 'data-testid="panel-more"' in panel
    assert "due=overdue" in panel and "查看全部 3 件" in panel
    client.force_login(world.owen)   # another street's officer: none of them
    assert selectors.workbench(user=world.owen)["overdue_total"] == 0
