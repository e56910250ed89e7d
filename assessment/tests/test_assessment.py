"""年度考核, from the refused side first (officers and companies 403; another unit's breakdown 404), then the
arithmetic on a hand-made fixture whose scores are worked out below by hand, the configuration (weights that
do not add up to 100 refused, nothing saved) and the export."""
from datetime import date, datetime, time
from decimal import Decimal
from io import BytesIO

import pytest
from django.core.cache import cache
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from assessment import figures, rules, selectors, services
from assessment.catalogue import DEFAULTS
from assessment.choices import Subject
from assessment.models import Indicator, Scheme
from cases.models import Referral
from core.errors import ApplicationError
from intake.choices import ReferralStatus
from registry.models import Department

pytestmark = pytest.mark.django_db
YEAR = 2025  # a past year: its period is the whole year


@pytest.fixture(autouse=True)
def _no_cached_figures():
    cache.clear()  # figures.street_figures keeps its figures for a while
    yield
    cache.clear()


# --- the arithmetic, with no database -----------------------------------------------------------------

def test_points_are_linear_between_floor_and_target_and_held_there():
    assert rules.indicator_points(75, weight=80, floor=60, target=100) == Decimal("30.00")
    assert rules.indicator_points(100, weight=80, floor=60, target=100) == Decimal("80.00")
    assert rules.indicator_points(120, weight=80, floor=60, target=100) == Decimal("80.00")
    assert rules.indicator_points(50, weight=80, floor=60, target=100) == Decimal("0.00")
    # lower is better: the floor above the target
    assert rules.indicator_points(25, weight=20, floor=30, target=5) == Decimal("4.00")
    assert rules.indicator_points(-10, weight=30, floor=10, target=-10) == Decimal("30.00")
    assert rules.indicator_points(None, weight=30, floor=10, target=-10) is None


def test_the_total_leaves_out_indicators_without_data_and_scales_to_100():
    assert rules.total_score([(Decimal("30"), 30), (Decimal("5"), 10), (None, 10), (Decimal("30"), 30),
                              (Decimal("10"), 20)]) == Decimal("83.33")   # 75 ÷ 90 × 100
    assert rules.total_score([(None, 50), (None, 50)]) is None


def test_equal_totals_share_a_rank_and_no_total_no_rank():
    assert rules.ranks([Decimal("90"), None, Decimal("95"), Decimal("90"), Decimal("10")]) == [2, None, 1, 2, 4]


# --- the default scheme ---------------------------------------------------------------------------------

def test_a_year_without_a_scheme_gets_the_defaults_each_side_100():
    scheme = services.default_scheme(YEAR)
    assert scheme.year == YEAR and scheme.indicators.count() == len(DEFAULTS)
    rows = [dict(applies_to=i.applies_to, weight=i.weight) for i in scheme.indicators.all()]
    assert services.weight_sums(rows) == {Subject.STREET: 100, Subject.DEPARTMENT: 100}
    assert services.default_scheme(YEAR).pk == scheme.pk  # made once


def test_a_later_year_copies_the_latest_earlier_scheme(world):
    scheme = services.default_scheme(YEAR)
    Indicator.objects.filter(scheme=scheme, metric="on_time_rate").update(floor=Decimal("70"))
    later = services.default_scheme(YEAR + 1)
    assert later.indicators.get(metric="on_time_rate").floor == Decimal("70")


# --- a hand-made district -------------------------------------------------------------------------------

def _at(day: date, hour=10):
    return timezone.make_aware(datetime.combine(day, time(hour)))


def _referral(department, *, due, status, answered=None, sent=None):
    r = Referral.objects.create(department=department, matter="物业管理事项", due=due, status=status,
                                answered_at=_at(answered) if answered else None)
    Referral.objects.filter(pk=r.pk).update(created_at=_at(sent or due))
    return r


@pytest.fixture
def referrals(world):
    """住房（HOUSING）: 4 due in 2025 — two answered on time, one returned on time, one answered late; one of the
    four returned → on time 3/4 = 75 % → 80 × (75 − 60) ÷ (100 − 60) = 30.00; returned 1/4 = 25 % →
    20 × (25 − 30) ÷ (5 − 30) = 4.00; total 34.00.
    绿化（GREENING）: 2 due, both on time, none returned → 80 + 20 = 100.00. A withdrawn one is not counted.
    规划（PLANNING）: nothing → no total, no rank. A referral due in 2024 counts for neither year's 2025."""
    housing, greening = Department.objects.get(code="HOUSING"), Department.objects.get(code="GREENING")
    A, R = ReferralStatus.ANSWERED, ReferralStatus.RETURNED
    _referral(housing, due=date(2025, 3, 10), status=A, answered=date(2025, 3, 9))
    _referral(housing, due=date(2025, 6, 10), status=A, answered=date(2025, 6, 10))   # that day counts
    _referral(housing, due=date(2025, 7, 10), status=R, answered=date(2025, 7, 8))
    _referral(housing, due=date(2025, 9, 10), status=A, answered=date(2025, 9, 12))   # late
    _referral(housing, due=date(2024, 12, 10), status=A, answered=date(2024, 12, 9))  # another year
    _referral(greening, due=date(2025, 4, 1), status=A, answered=date(2025, 3, 30))
    _referral(greening, due=date(2025, 5, 1), status=A, answered=date(2025, 4, 30))
    _referral(greening, due=date(2025, 5, 2), status=ReferralStatus.WITHDRAWN)
    return {"housing": housing, "greening": greening}


# streets: figures as analytics.metrics would give them (its own tests check those), the scoring by hand:
# 曹杨 on time 95 → 30; rework 5 → 10 × (5 − 10) ÷ (0 − 10) = 5; recurrence no data; per 10k −10 % → 30;
#      supervision 80 → 20 × (80 − 60) ÷ 40 = 10: 75 points of the 90 with data → 83.33
# 长风 on time 60 → 0; rework 0 → 10; recurrence 10 (target 20) → 10; per 10k +10 % → 0; supervision 100 → 20:
#      40.00
STREET_FIGURES = {
    "曹杨新村街道": {"on_time_rate": (95, 19, 20), "rework_rate": (5, 1, 20), "recurrence_rate": (None, 0, 0),
                     "per_10k_change": (-10, 90, 100), "supervision_answered_rate": (80, 4, 5)},
    "长风新村街道": {"on_time_rate": (60, 6, 10), "rework_rate": (0, 0, 10), "recurrence_rate": (10, 1, 10),
                     "per_10k_change": (10, 110, 100), "supervision_answered_rate": (100, 2, 2)},
}


@pytest.fixture
def street_figures(monkeypatch):
    def fake(period, street, codes):
        return {code: figures.Shown(v, n, d, f"/cases/?street={street.pk}")
                for code, (v, n, d) in STREET_FIGURES[street.name].items() if code in codes}
    monkeypatch.setattr(figures, "street_figures", fake)


def _scores(subject):
    scheme = services.default_scheme(YEAR)
    return {s.name: s for s in selectors.scores(scheme, selectors.period_of(YEAR), subject)}


def test_departments_are_scored_from_their_referrals_as_worked_out_by_hand(referrals):
    scores = _scores(Subject.DEPARTMENT)
    housing, greening = scores[referrals["housing"].label], scores[referrals["greening"].label]
    on_time, returned = housing.lines
    assert (on_time.figure.numerator, on_time.figure.denominator, on_time.value) == (3, 4, 75.0)
    assert (returned.figure.numerator, returned.figure.denominator, returned.value) == (1, 4, 25.0)
    assert (on_time.points, returned.points, housing.total) == (Decimal("30.00"), Decimal("4.00"), Decimal("34.00"))
    assert "80 × (75 − 60) ÷ (100 − 60) = 30" in on_time.why
    assert (greening.total, greening.rank, housing.rank) == (Decimal("100.00"), 1, 2)
    planning = scores[Department.objects.get(code="PLANNING").label]
    assert planning.total is None and planning.rank is None
    assert "CHENGGUAN" not in {d.code for d in selectors.departments()}


def test_streets_are_scored_and_ranked_as_worked_out_by_hand(world, street_figures):
    scores = _scores(Subject.STREET)
    caoyang, changfeng = scores["曹杨新村街道"], scores["长风新村街道"]
    assert [str(line.points) for line in caoyang.lines] == ["30.00", "5.00", "None", "30.00", "10.00"]
    assert (caoyang.total, caoyang.weight_counted, caoyang.rank) == (Decimal("83.33"), 90, 1)
    assert (changfeng.total, changfeng.rank) == (Decimal("40.00"), 2)


def test_streets_without_any_data_have_no_score_and_nothing_breaks(world):
    """The real analytics.metrics on the small world (no cases in 2025): no totals, no ranks, no error."""
    scores = _scores(Subject.STREET)
    assert {s.total for s in scores.values()} == {None}


def test_a_baseline_before_the_first_complaint_is_no_baseline(world):
    """The platform's records start today: last year's same period cannot be compared with, said so."""
    from cases.tests.test_paths import complaint_for

    complaint_for("EBIKE_PARKING", world.caoyang_a)
    today = timezone.localdate()
    shown = figures.street_figures(selectors.period_of(today.year), world.caoyang, ["per_10k_change"])
    change = shown["per_10k_change"]
    assert change.value is None and "没有可比的基数" in change.note


# --- pages: the refused side first --------------------------------------------------------------------

def _get(client, user, name, *args, **query):
    client.force_login(user)
    return client.get(reverse(name, args=args), query)


@pytest.mark.parametrize("persona", ["oscar", "owen", "paul", "carl"])
def test_officers_and_companies_are_refused_every_page(client, world, persona):
    user = getattr(world, persona)
    for name, args in (("assessment:overview", ()), ("assessment:street", (world.caoyang.pk,)),
                       ("assessment:department", (Department.objects.get(code="HOUSING").pk,)),
                       ("assessment:configure", ())):
        assert _get(client, user, name, *args).status_code == 403, name


def test_a_street_sees_the_ranking_and_only_its_own_breakdown(client, world, street_figures):
    response = _get(client, world.sam, "assessment:overview", year=YEAR)
    assert response.status_code == 200
    html = response.content.decode()
    assert "曹杨新村街道" in html and "83.33" in html  # the whole ranking
    assert reverse("assessment:street", args=[world.changfeng.pk]) in html
    assert reverse("assessment:street", args=[world.caoyang.pk]) not in html  # no link to another's
    assert _get(client, world.sam, "assessment:street", world.caoyang.pk, year=YEAR).status_code == 404
    own = _get(client, world.sam, "assessment:street", world.changfeng.pk, year=YEAR)
    assert own.status_code == 200 and "40.00" in own.content.decode()
    assert _get(client, world.sam, "assessment:configure").status_code == 403


def test_a_department_opens_its_own_breakdown_only(client, world, referrals):
    housing, greening = referrals["housing"], referrals["greening"]
    ranking = _get(client, world.hana, "assessment:overview", year=YEAR).content.decode()  # its own tab first
    assert reverse("assessment:department", args=[housing.pk]) in ranking
    assert reverse("assessment:department", args=[greening.pk]) not in ranking
    assert f"共 {len(selectors.departments())} 个" in ranking
    assert _get(client, world.hana, "assessment:department", greening.pk, year=YEAR).status_code == 404
    assert _get(client, world.hana, "assessment:street", world.caoyang.pk, year=YEAR).status_code == 404
    own = _get(client, world.hana, "assessment:department", housing.pk, year=YEAR)
    html = own.content.decode()
    assert own.status_code == 200 and "34.00" in html and "第 2 名" in html
    assert f'href="{reverse("cases:inbox")}?show=all" data-testid="list-link"' in html  # its own referrals


def test_the_bureau_sees_every_breakdown_with_the_list_behind_the_numerator(client, world, street_figures):
    response = _get(client, world.alice, "assessment:street", world.caoyang.pk, year=YEAR)
    html = response.content.decode()
    assert response.status_code == 200 and "83.33" in html
    assert f'href="/cases/?street={world.caoyang.pk}"' in html
    assert "95 − 60" not in html and "达到满分值" in html  # 95 reaches the target: full marks, said so


@pytest.mark.parametrize("year", ["2999", "abc", "1999"])
def test_a_bad_year_is_a_clear_400_not_a_500(client, world, year):
    response = _get(client, world.alice, "assessment:overview", year=year)
    assert response.status_code == 400 and 'data-testid="error"' in response.content.decode()


def test_the_ranking_exports_to_xlsx(client, world, referrals):
    response = _get(client, world.alice, "assessment:overview", year=YEAR, subject="DEPARTMENT", export="xlsx")
    assert response.status_code == 200
    sheet = load_workbook(BytesIO(b"".join(response.streaming_content))).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][:3] == ("名次", "单位", "总分")
    assert rows[1][:3] == (1, referrals["greening"].name, 100)
    assert rows[2][:3] == (2, referrals["housing"].name, 34)
    assert rows[2][3:7] == (75, 3, 4, 30)
    csv_rows = _get(client, world.alice, "assessment:overview", year=YEAR, subject="DEPARTMENT", export="csv")
    text = b"".join(csv_rows.streaming_content).decode("utf-8-sig").splitlines()
    assert len(text) == 1 + len(selectors.departments()) and text[1].startswith("1,")


# --- configuration --------------------------------------------------------------------------------------

def _post_data(rows, *, confirm=False, name="方案"):
    data = {"name": name, "note": "", "year": str(YEAR), "ind-TOTAL_FORMS": str(len(rows)),
            "ind-INITIAL_FORMS": "0", "ind-MIN_NUM_FORMS": "0", "ind-MAX_NUM_FORMS": "1000"}
    for i, row in enumerate(rows):
        for key, value in row.items():
            data[f"ind-{i}-{key}"] = str(value)
    if confirm:
        data["confirm"] = "1"
    return data


def _rows(scheme):
    return [dict(metric=i.metric, applies_to=i.applies_to, direction=i.direction, weight=i.weight,
                 floor=i.floor, target=i.target) for i in scheme.indicators.all()]


def _configure(client, user, data):
    client.force_login(user)
    return client.post(reverse("assessment:configure") + f"?year={YEAR}", data)


def test_only_the_administrator_configures(client, world):
    scheme = services.default_scheme(YEAR)
    assert _configure(client, world.alice, _post_data(_rows(scheme), confirm=True)).status_code == 403
    with pytest.raises(ApplicationError):
        services.scheme_configure(scheme=scheme, indicators=_rows(scheme), actor=world.alice)


def test_weights_not_adding_up_to_100_are_refused_in_both_languages_and_nothing_is_saved(client, world):
    scheme = services.default_scheme(YEAR)
    before = _rows(scheme)
    rows = [dict(r) for r in before]
    rows[0]["weight"] = 20  # streets: 90
    response = _configure(client, world.ada, _post_data(rows, confirm=True))
    assert response.status_code == 400
    assert "街镇指标权重合计为 90 分，应为 100 分" in response.content.decode()
    assert _rows(scheme) == before
    with pytest.raises(ApplicationError) as refused:
        services.scheme_configure(scheme=scheme, indicators=rows, actor=world.ada)
    assert refused.value.message_en == "the streets' weights add up to 90, not 100"
    assert _rows(scheme) == before


def test_a_bad_row_is_refused_whole(world):
    scheme = services.default_scheme(YEAR)
    before = _rows(scheme)
    rows = [dict(r) for r in before]
    rows[0]["target"], rows[0]["floor"] = Decimal("50"), Decimal("60")  # higher is better, target below floor
    with pytest.raises(ApplicationError) as refused:
        services.scheme_configure(scheme=scheme, indicators=rows, actor=world.ada)
    assert str(refused.value) == ("第 1 项指标（按期结案率）：越高越好的指标，满分值应高于零分值 / indicator 1 "
                                  "(On-time closing rate): For a higher-is-better indicator the target must be above "
                                  "the floor")
    rows = [dict(r) for r in before]
    rows[-1]["metric"] = "closing_rate"  # a street figure for the departments
    with pytest.raises(ApplicationError) as refused:
        services.scheme_configure(scheme=scheme, indicators=rows, actor=world.ada)
    assert refused.value.message_en.endswith("This indicator does not apply to the chosen units")
    assert _rows(scheme) == before


def test_changes_are_shown_for_confirmation_then_saved(client, world):
    scheme = services.default_scheme(YEAR)
    rows = [dict(r) for r in _rows(scheme)]
    rows[0]["weight"], rows[1]["weight"] = 20, 20   # on time 20, rework 20: still 100
    preview = _configure(client, world.ada, _post_data(rows, name="新方案"))
    assert preview.status_code == 200 and 'data-testid="confirm-panel"' in preview.content.decode()
    assert Scheme.objects.get(pk=scheme.pk).indicators.get(metric="on_time_rate").weight == 30  # not yet
    done = _configure(client, world.ada, _post_data(rows, confirm=True, name="新方案"))
    assert done.status_code == 302
    scheme.refresh_from_db()
    assert scheme.name == "新方案" and scheme.updated_by == world.ada
    assert scheme.indicators.get(metric="on_time_rate").weight == 20


def test_the_configuration_page_opens_with_the_years_indicators(client, world):
    response = _get(client, world.ada, "assessment:configure", year=YEAR)
    assert response.status_code == 200
    assert response.content.decode().count('data-testid="indicator-row"') == len(DEFAULTS) + 1
