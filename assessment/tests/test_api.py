"""/api/v1/assessment/…, the refused side first: 403 for officers, companies and visitors; another unit's
breakdown 404; a bad year a bilingual 400; then the figures as on the pages."""
import pytest
from django.core.cache import cache

from assessment.tests.test_assessment import YEAR, referrals, street_figures  # noqa: F401 (fixtures)
from registry.models import Department

pytestmark = pytest.mark.django_db
BASE = "/api/v1/assessment/"


@pytest.fixture(autouse=True)
def _no_cached_figures():
    cache.clear()
    yield
    cache.clear()


def _get(client, user, path, **query):
    client.logout()
    if user is not None:
        client.force_login(user)
    return client.get(BASE + path, query)


@pytest.mark.parametrize("persona", [None, "oscar", "paul"])
def test_visitors_officers_and_companies_are_refused(client, world, persona):
    user = getattr(world, persona) if persona else None
    for path in ("ranking/", f"streets/{world.caoyang.pk}/"):
        assert _get(client, user, path, year=YEAR).status_code == 403


def test_a_street_reads_the_ranking_and_only_its_own_breakdown(client, world, street_figures):  # noqa: F811
    ranking = _get(client, world.sam, "ranking/", year=YEAR)
    assert ranking.status_code == 200
    assert [(s["rank"], s["name"], s["total"]) for s in ranking.json()["streets"]] == [
        (1, "曹杨新村街道", 83.33), (2, "长风新村街道", 40.0)]
    assert _get(client, world.sam, f"streets/{world.caoyang.pk}/", year=YEAR).status_code == 404
    own = _get(client, world.sam, f"streets/{world.changfeng.pk}/", year=YEAR).json()
    assert own["total"] == 40.0 and own["rank"] == 2
    assert [line["points"] for line in own["lines"]] == [0.0, 10.0, 10.0, 0.0, 20.0]


def test_a_department_reads_its_own_breakdown_only(client, world, referrals):  # noqa: F811
    housing, greening = referrals["housing"], referrals["greening"]
    assert _get(client, world.hana, f"departments/{greening.pk}/", year=YEAR).status_code == 404
    body = _get(client, world.hana, f"departments/{housing.pk}/", year=YEAR).json()
    first = body["lines"][0]
    assert (first["numerator"], first["denominator"], first["value"], first["points"]) == (3, 4, 75.0, 30.0)
    assert body["total"] == 34.0
    assert _get(client, world.alice, f"departments/{Department.objects.get(code='PLANNING').pk}/",
                year=YEAR).json()["total"] is None


@pytest.mark.parametrize("year", ["2999", "x"])
def test_a_bad_year_is_a_bilingual_400(client, world, year):
    response = _get(client, world.alice, "ranking/", year=year)
    assert response.status_code == 400
    assert response.json()["detail"] and response.json()["detail_en"]
