"""The hotspot rule (analytics.hotspots): a jump against a community's own history alerts, a steady series does
not, a quiet community does not alert on its first calls, and a street sees only its own communities."""
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from analytics import hotspots
from analytics.tests.helpers_dash import call, weekly_history

pytestmark = pytest.mark.django_db


def test_the_poisson_tail_is_right():
    assert hotspots.poisson_tail(0, 2.0) == 1.0
    assert hotspots.poisson_tail(1, 2.0) == pytest.approx(1 - 0.1353352832, abs=1e-9)
    assert hotspots.poisson_tail(6, 1.0) == pytest.approx(0.000594184817, rel=1e-6)


def test_a_jump_alerts_and_a_steady_series_does_not():
    assert hotspots.judge([2, 1, 3, 2, 2, 1, 2, 3, 2, 2, 1, 2], 12).alert
    assert not hotspots.judge([2, 1, 3, 2, 2, 1, 2, 3, 2, 2, 1, 2], 3).alert
    assert not hotspots.judge([5] * 12, 8).alert          # a busy community's ordinary week


def test_the_floor_keeps_quiet_communities_from_alerting_on_a_few_calls():
    assert not hotspots.judge([0] * 12, 2).alert          # 0 → 2: below MIN_COUNT
    assert not hotspots.judge([0] * 12, 4).alert          # λ floored at 1: P(X ≥ 4) ≈ 0.019
    assert hotspots.judge([0] * 12, 6).alert              # P(X ≥ 6 | 1) ≈ 0.0006 < 0.001


def test_too_short_a_history_is_not_judged():
    j = hotspots.judge([0, 0, 1], 9)
    assert not j.alert and j.p is None


def test_the_threshold_is_the_smallest_count_that_alerts():
    for mean in (0, 0.5, 1, 2.5, 6):
        x = hotspots.threshold(mean)
        assert hotspots.judge([mean] * 12, x).alert
        assert not hotspots.judge([mean] * 12, x - 1).alert


@pytest.fixture
def yesterday():
    return timezone.localdate() - timedelta(days=1)


def test_an_injected_jump_is_found_and_a_steady_community_is_not(world, yesterday):
    weekly_history(world.changfeng_b, yesterday, [1, 2, 1, 1, 2, 1, 1, 2, 1, 1, 2, 1, 8])   # the last week jumps
    weekly_history(world.caoyang_a, yesterday, [1, 2, 1, 1, 2, 1, 1, 2, 1, 1, 2, 1, 2])     # steady
    alerts = hotspots.current_alerts(world.alice)
    assert [a.community_id for a in alerts] == [world.changfeng_b.pk]
    alert = alerts[0]
    assert alert.count == 8 and alert.mean == pytest.approx(16 / 12, abs=0.01) and alert.p < hotspots.ALPHA
    assert alert.end == yesterday and alert.start == yesterday - timedelta(days=6)


def test_the_bureaus_own_findings_do_not_count(world, yesterday):
    from intake.choices import Channel
    weekly_history(world.changfeng_b, yesterday, [1] * 12 + [0])
    call(world.changfeng_b, yesterday, 9, channel=Channel.PATROL)
    assert hotspots.current_alerts(world.alice) == []


def test_a_street_sees_only_its_own_communities_alerts(world, yesterday):
    weekly_history(world.changfeng_b, yesterday, [1] * 12 + [9])
    weekly_history(world.caoyang_a, yesterday, [1] * 12 + [9])
    assert {a.community_id for a in hotspots.current_alerts(world.alice)} == {world.changfeng_b.pk, world.caoyang_a.pk}
    assert {a.community_id for a in hotspots.current_alerts(world.sam)} == {world.changfeng_b.pk}
    assert {a.community_id for a in hotspots.current_alerts(world.oscar)} == {world.caoyang_a.pk}


def test_measure_counts_every_community_week(world, yesterday):
    weekly_history(world.changfeng_b, yesterday, [1] * 12 + [9])
    weekly_history(world.caoyang_a, yesterday, [1] * 13)
    result = hotspots.measure(world.alice, yesterday - timedelta(days=7 * 13 - 1), yesterday)
    # 13 blocks of data; judged from the 5th on (4 blocks of history): 9 blocks × 3 communities
    assert result["tested"] == 9 * 3
    assert result["alerts"] == 1


def test_the_home_page_shows_the_alerts_to_the_lead_and_the_street(client, world, yesterday):
    weekly_history(world.changfeng_b, yesterday, [1] * 12 + [9])
    weekly_history(world.caoyang_a, yesterday, [1] * 12 + [9])
    community_url = reverse("analytics:community", args=[world.changfeng_b.pk])
    client.force_login(world.alice)
    page = client.get(reverse("home")).content.decode()
    assert 'data-testid="home-hotspots"' in page
    assert page.count('data-testid="home-hotspot"') == 2 and community_url in page
    client.force_login(world.sam)
    page = client.get(reverse("home")).content.decode()
    assert page.count('data-testid="home-hotspot"') == 1 and community_url in page
    assert world.caoyang_a.name not in page.split('data-testid="home-hotspots"')[1].split("</div></div>")[0]
    for persona in (world.oscar, world.paul, world.hana):   # officers, companies, departments: no panel
        client.force_login(persona)
        assert 'data-testid="home-hotspots"' not in client.get(reverse("home")).content.decode()


def test_the_home_panel_says_so_when_nothing_jumped(client, world):
    client.force_login(world.alice)
    page = client.get(reverse("home")).content.decode()
    assert 'data-testid="home-hotspots"' in page and "近7天没有小区投诉异常上升" in page
