"""Several districts in one installation (issue 12 item 5): each district's users see their own district only —
lists, the API, details by id, exports, figures — the city bureau (市局) reads every district, changes none and
ranks them, and the numbers of each district's records stay apart.

The world's Putuo, and 静安区 beside it (tests.personas.build_second_district): jack is 静安's lead, hugo its
housing bureau, otto its officer; alice, hana and oscar are Putuo's; cyrus is the city bureau.
"""
import re
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts import scope
from accounts.choices import Role
from cases import documents
from cases import services as case_services
from cases.choices import DocumentKind
from intake.choices import Channel, ComplaintStatus
from intake.models import Complaint
from registry.models import Department, District, Street, ViolationType
from tests.personas import build_second_district, make_user

pytestmark = pytest.mark.django_db

PUTUO_TEXT = "普陀兰溪路楼道堆物待查"
JINGAN_TEXT = "静安武定路楼道堆物待查"
PUTUO_CASE = re.compile(r"(?<![A-Z]-)\bAJ\d{4}-\d{6}")
JINGAN_CASE = re.compile(r"JA-AJ\d{4}-\d{6}")


def _complaint(community, content, **extra):
    return Complaint.objects.create(
        channel=extra.pop("channel", Channel.PATROL), received_at=timezone.now() - timedelta(days=1),
        content=content, address_text=content[2:9], community=community, street=community.street,
        violation_type=ViolationType.objects.get(code="COMMON_AREA_OCCUPATION"),
        status=extra.pop("status", ComplaintStatus.ROUTED), **extra)


@pytest.fixture
def two(world):
    """Both districts, each with a complaint, a case and a complaint referred to the housing bureau."""
    second = build_second_district(world)
    housing = Department.objects.get(code="HOUSING")
    second.putuo_complaint = _complaint(world.caoyang_a, PUTUO_TEXT, external_no="PT0001")
    second.jingan_complaint = _complaint(second.jiangning_b, JINGAN_TEXT, external_no="JA0001")
    second.putuo_referred = _complaint(world.caoyang_a, "普陀物业费纠纷转房管", department=housing)
    second.jingan_referred = _complaint(second.jiangning_c, "静安物业费纠纷转房管", department=housing)
    second.putuo_case = case_services.case_open_from_complaint(
        complaint=_complaint(world.caoyang_a, "普陀立案用诉件"), actor=world.oscar)
    second.jingan_case = case_services.case_open_from_complaint(
        complaint=_complaint(second.jiangning_b, "静安立案用诉件"), actor=second.otto)
    return second


def _get(client, user, url, **params):
    client.force_login(user)
    return client.get(url, params)


def _body(response) -> str:
    if getattr(response, "streaming", False):
        return b"".join(response.streaming_content).decode("utf-8-sig")
    return response.content.decode("utf-8-sig")


# --- each district sees its own ----------------------------------------------------------------------------------

def test_the_complaint_list_page_shows_each_lead_their_own_district(client, world, two):
    putuo = _body(_get(client, world.alice, reverse("intake:queue"), status=""))
    jingan = _body(_get(client, two.jack, reverse("intake:queue"), status=""))
    assert PUTUO_TEXT in putuo and JINGAN_TEXT not in putuo
    assert JINGAN_TEXT in jingan and PUTUO_TEXT not in jingan


def test_the_case_list_page_shows_each_lead_their_own_district(client, world, two):
    putuo = _body(_get(client, world.alice, reverse("cases:list")))
    jingan = _body(_get(client, two.jack, reverse("cases:list")))
    assert two.putuo_case.number in putuo and not JINGAN_CASE.search(putuo)
    assert two.jingan_case.number in jingan and not PUTUO_CASE.search(jingan)


@pytest.mark.parametrize("route", ["complaint-list", "enforcementcase-list"])
def test_the_api_lists_each_lead_their_own_district(client, world, two, route):
    def ids(user):
        response = _get(client, user, reverse(route), page_size=100)
        assert response.status_code == 200
        data = response.json()
        return {row["id"] for row in (data["results"] if isinstance(data, dict) else data)}

    if route == "complaint-list":
        mine, theirs = {two.putuo_complaint.pk, two.putuo_referred.pk}, {two.jingan_complaint.pk, two.jingan_referred.pk}
    else:
        mine, theirs = {two.putuo_case.pk}, {two.jingan_case.pk}
    assert mine <= ids(world.alice) and not theirs & ids(world.alice)
    assert theirs <= ids(two.jack) and not mine & ids(two.jack)
    assert mine | theirs <= ids(world.cyrus)


def test_another_districts_records_by_id_are_404_for_a_lead(client, world, two):
    for name, obj in [("intake:detail", two.jingan_complaint), ("cases:detail", two.jingan_case),
                      ("complaint-detail", two.jingan_complaint), ("enforcementcase-detail", two.jingan_case),
                      ("registry:community-detail", two.jiangning_c), ("community-detail", two.jiangning_c),
                      ("street-detail", two.jiangning), ("analytics:street", two.jiangning),
                      ("registry:company-detail", two.company_c)]:
        assert _get(client, world.alice, reverse(name, args=[obj.pk])).status_code == 404, name
    for name, obj in [("intake:detail", two.putuo_complaint), ("cases:detail", two.putuo_case),
                      ("complaint-detail", two.putuo_complaint), ("enforcementcase-detail", two.putuo_case),
                      ("registry:community-detail", world.caoyang_a), ("street-detail", world.caoyang),
                      ("registry:company-detail", world.company_a)]:
        assert _get(client, two.jack, reverse(name, args=[obj.pk])).status_code == 404, name
    # and each opens its own
    assert _get(client, two.jack, reverse("cases:detail", args=[two.jingan_case.pk])).status_code == 200
    assert _get(client, world.alice, reverse("intake:detail", args=[two.putuo_complaint.pk])).status_code == 200


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_exports_hold_the_own_district_only(client, world, two, fmt):
    import io

    import openpyxl

    def text(response) -> str:
        assert response.status_code == 200
        if fmt == "csv":
            return _body(response)
        data = b"".join(response.streaming_content) if getattr(response, "streaming", False) else response.content
        sheet = openpyxl.load_workbook(io.BytesIO(data), read_only=True).active
        return "\n".join(" ".join(str(v) for v in row if v is not None) for row in sheet.iter_rows(values_only=True))

    complaints = text(_get(client, two.jack, reverse("intake:queue"), status="", export=fmt))
    cases = text(_get(client, world.alice, reverse("cases:list"), export=fmt))
    assert JINGAN_TEXT in complaints and PUTUO_TEXT not in complaints
    assert two.putuo_case.number in cases and not JINGAN_CASE.search(cases)


def test_a_department_sees_only_its_own_districts_referred_matters(client, world, two):
    putuo = _body(_get(client, world.hana, reverse("intake:queue"), status=""))
    jingan = _body(_get(client, two.hugo, reverse("intake:queue"), status=""))
    assert "普陀物业费纠纷转房管" in putuo and "静安物业费纠纷转房管" not in putuo
    assert "静安物业费纠纷转房管" in jingan and "普陀物业费纠纷转房管" not in jingan


def test_a_company_working_in_both_districts_is_seen_by_both_and_a_local_one_by_its_own(world, two):
    from registry.models import PropertyCompany

    def names(user):
        return set(PropertyCompany.objects.restrict(user, "view").values_list("pk", flat=True))

    assert {world.company_a.pk, world.company_b.pk} <= names(world.alice)
    assert two.company_c.pk not in names(world.alice)
    assert {world.company_b.pk, two.company_c.pk} <= names(two.jack)
    assert world.company_a.pk not in names(two.jack)
    assert {world.company_a.pk, world.company_b.pk, two.company_c.pk} <= names(world.cyrus)


def test_officers_stay_in_their_streets_across_districts(client, world, two):
    assert _get(client, two.otto, reverse("cases:detail", args=[two.putuo_case.pk])).status_code == 404
    assert _get(client, world.oscar, reverse("cases:detail", args=[two.jingan_case.pk])).status_code == 404
    assert _get(client, two.otto, reverse("cases:detail", args=[two.jingan_case.pk])).status_code == 200


def test_a_district_role_nobody_placed_sees_nothing_once_there_are_two_districts(world, two):
    stray = make_user("stray", Role.LEAD)
    assert stray.district_id is None
    assert scope.district_streets(stray) == []
    assert not Complaint.objects.restrict(stray, "view").exists()


def test_with_one_district_an_account_without_district_sees_it_whole(world):
    complaint = _complaint(world.caoyang_a, PUTUO_TEXT)
    assert world.alice.district_id is None
    assert scope.district_streets(world.alice) is None
    assert Complaint.objects.restrict(world.alice, "view").filter(pk=complaint.pk).exists()


def test_a_lead_cannot_reroute_a_complaint_to_another_districts_street(world, two):
    assert not Street.objects.filter(scope.reroute_street_q(world.alice)).filter(pk=two.jiangning.pk).exists()
    assert Street.objects.filter(scope.reroute_street_q(world.alice)).filter(pk=world.caoyang.pk).exists()


# --- figures -------------------------------------------------------------------------------------------------

def test_a_leads_figures_are_their_districts(world, two):
    from analytics import metrics
    from analytics.periods import Period

    today = timezone.localdate()
    period = Period.between(today - timedelta(days=30), today)
    district_line = metrics.complaints_per_10k(two.jack, period, "street")
    assert district_line[0].unit == "静安区" and district_line[0].population == 50_000
    assert {line.unit for line in district_line[1:]} == {"江宁路街道"}
    assert metrics.complaints_per_10k(world.alice, period)[0].unit == "普陀区"
    assert metrics.complaints_per_10k(world.cyrus, period)[0].unit == "全市"
    assert {r["street"] for r in metrics.streets_ranked(two.jack, period)} == {"江宁路街道"}


# --- the city bureau ---------------------------------------------------------------------------------------------

def test_the_city_sees_both_districts_lists(client, world, two):
    complaints = _body(_get(client, world.cyrus, reverse("intake:queue"), status=""))
    cases = _body(_get(client, world.cyrus, reverse("cases:list")))
    assert PUTUO_TEXT in complaints and JINGAN_TEXT in complaints
    assert two.putuo_case.number in cases and two.jingan_case.number in cases


def test_the_city_changes_nothing(client, world, two):
    client.force_login(world.cyrus)
    for name, args in [("intake:confirm", [two.jingan_complaint.pk]), ("cases:assign", [two.putuo_case.pk]),
                       ("cases:move", [two.jingan_case.pk, "start_verification"])]:
        assert client.post(reverse(name, args=args), {}).status_code in {403, 404}, name
    assert not Complaint.objects.restrict(world.cyrus, "change").exists()
    with pytest.raises(Exception, match="立案|role"):
        case_services.case_open_from_complaint(complaint=two.jingan_complaint, actor=world.cyrus)


def test_the_city_page_ranks_the_districts(client, world, two):
    from analytics import city
    from analytics.periods import Period

    response = _get(client, world.cyrus, reverse("analytics:city"))
    assert response.status_code == 200
    page = _body(response)
    assert "普陀区" in page and "静安区" in page
    today = timezone.localdate()
    rows = city.districts_ranked(world.cyrus, Period.between(today - timedelta(days=30), today))
    assert [r["rank"] for r in rows] == [1, 2]
    assert {r["district"] for r in rows} == {"普陀区", "静安区"}
    jingan = next(r for r in rows if r["district"] == "静安区")
    assert jingan["population"] == 50_000 and jingan["figures"]["filed"].value == 1


def test_the_city_page_refuses_district_roles(client, world, two):
    for user in (world.alice, two.jack, world.hana, world.oscar, world.sam, world.paul):
        assert _get(client, user, reverse("analytics:city")).status_code == 403, user.username
    assert _get(client, world.ada, reverse("analytics:city")).status_code == 200  # a superuser


def test_the_city_menu_row_shows_for_the_city_only(world, two):
    from accounts.navigation import menu_for

    assert "analytics:city" in {item["name"] for item in menu_for(world.cyrus)}
    assert "analytics:city" not in {item["name"] for item in menu_for(two.jack)}


def test_a_city_account_belongs_to_no_district(world):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError):
        make_user("city2", Role.CITY, district=world.district)


# --- numbers ------------------------------------------------------------------------------------------------

def test_case_numbers_carry_the_second_districts_prefix_and_count_from_one(world, two):
    year = timezone.localdate().year
    assert two.putuo_case.number == f"AJ{year}-000001"
    assert two.jingan_case.number == f"JA-AJ{year}-000001"
    assert case_services.next_case_number(year, street_id=two.jiangning.pk) == f"JA-AJ{year}-000002"
    assert case_services.next_case_number(year, street_id=world.caoyang.pk) == f"AJ{year}-000002"


def test_document_numbers_and_issuer_are_the_districts(world, two):
    pattern, issuer = documents.template_for(DocumentKind.ORDER_CORRECT, two.jingan_case)
    assert documents.format_number(pattern, 2026, 3) == "静城管责改字〔2026〕第3号"
    assert issuer == "上海市静安区城市管理行政执法局"
    pattern, issuer = documents.template_for(DocumentKind.ORDER_CORRECT, two.putuo_case)
    assert documents.format_number(pattern, 2026, 3).startswith("普城管责改字")


def test_ledger_numbers_carry_the_district_prefix(world, two):
    from programme import services as programme_services

    today = timezone.localdate()
    jingan = programme_services.structure_create(actor=two.otto, community=two.jiangning_b, location="屋顶",
                                                 found_on=today, area_m2="8")
    putuo = programme_services.structure_create(actor=world.oscar, community=world.caoyang_a, location="屋顶",
                                                found_on=today, area_m2="8")
    assert jingan.number == f"JA-WJ-013-{today.year}-0001"
    assert putuo.number.startswith("WJ-")
    assert programme_services.NUMBER_RE.match(jingan.number)["district"] == "JA"


def test_a_street_name_two_districts_share_needs_the_district(world, two, tmp_path):
    from registry import services as registry_services

    Street.objects.create(district=two.district, name="曹杨新村街道", short_name="")
    path = tmp_path / "communities.csv"
    path.write_text("名称,地址,街镇\n新建小区,兰溪路200弄,曹杨新村街道\n", encoding="utf-8")
    report = registry_services.import_communities(path=path)
    assert report.created == 0 and "--district" in str(report.errors[0])
    report = registry_services.import_communities(path=path, district=District.objects.get(name="普陀区"))
    assert report.created == 1


def test_a_leads_imported_files_are_their_districts(world, two):
    from intake.models import ImportBatch

    putuo = ImportBatch.objects.create(file_name="普陀12345.csv", imported_by=world.alice)
    jingan = ImportBatch.objects.create(file_name="静安12345.csv", imported_by=two.jack)
    assert set(ImportBatch.objects.restrict(world.alice, "view")) == {putuo}
    assert set(ImportBatch.objects.restrict(two.jack, "view")) == {jingan}


def test_an_unplaced_complaint_is_its_bringers_district_or_the_installations_own(world, two):
    def unplaced(content, **extra):
        return Complaint.objects.create(channel=Channel.HOTLINE, received_at=timezone.now(), content=content,
                                        address_text="地址不详", status=ComplaintStatus.NEW, **extra)

    nobodys = unplaced("无法匹配的12345工单")           # the import command: no reporter, no importer
    jingans = unplaced("静安人员登记的无地址线索", reporter=two.otto)
    alice, jack = Complaint.objects.restrict(world.alice, "view"), Complaint.objects.restrict(two.jack, "view")
    assert alice.filter(pk=nobodys.pk).exists() and not jack.filter(pk=nobodys.pk).exists()
    assert jack.filter(pk=jingans.pk).exists() and not alice.filter(pk=jingans.pk).exists()


def test_a_lead_makes_and_reads_bulletins_of_their_own_districts_streets_only(world, two):
    from bulletins import selectors as bulletin_selectors
    from bulletins import services as bulletin_services
    from bulletins.models import Bulletin
    from core.errors import ApplicationError

    assert two.jiangning not in set(bulletin_selectors.streets_to_make(world.alice))
    with pytest.raises(ApplicationError):
        bulletin_services.bulletin_request(actor=world.alice, period="2026-10", street=two.jiangning)
    jingan = Bulletin.objects.create(period="2026-10", kind="month", street=two.jiangning, title="江宁路通报")
    assert not Bulletin.objects.restrict(world.alice, "view").filter(pk=jingan.pk).exists()
    assert Bulletin.objects.restrict(two.jack, "view").filter(pk=jingan.pk).exists()


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_the_city_ranking_exports_as_shown(client, world, two, fmt):
    response = _get(client, world.cyrus, reverse("analytics:city"), export=fmt)
    assert response.status_code == 200
    if fmt == "csv":
        text = _body(response)
        assert len(text.strip().splitlines()) == 3 and "静安区" in text and "普陀区" in text
    assert _get(client, two.jack, reverse("analytics:city"), export=fmt).status_code == 403


def test_a_leads_dashboard_ranks_their_own_districts_streets(client, world, two):
    jingan = _body(_get(client, two.jack, reverse("analytics:overview")))
    putuo = _body(_get(client, world.alice, reverse("analytics:overview")))
    assert "江宁路街道" in jingan and "曹杨新村街道" not in jingan
    assert "曹杨新村街道" in putuo and "江宁路街道" not in putuo
