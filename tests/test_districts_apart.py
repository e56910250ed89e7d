"""Several districts, each its own (issue 12, the last three things): document numbers per district, district-wide
bulletins per district, and the 12345 import into one named district.

The world's Putuo and 静安区 beside it (tests.personas.build_second_district, the `two` fixture of
tests/test_districts.py): alice, oscar, otis and sam are Putuo's; jack (lead), otto (officer) and stan (street
staff) 静安's; cyrus the city bureau; ada the installation's administrator (a superuser).
"""
import csv
import io
from datetime import timedelta

import pytest
from django.apps import apps as django_apps
from django.core.management import CommandError, call_command
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from docx import Document as DocxDocument

from bulletins import services as bulletin_services
from bulletins.choices import Status
from bulletins.models import Bulletin
from cases import documents
from cases import services as case_services
from cases.choices import CaseState, DocumentKind
from cases.models import Document, DocumentSequence, EnforcementCase
from core.errors import ApplicationError
from intake.models import Complaint, ImportBatch
from registry.models import Community, CommunityAddress, District
from tests.test_districts import _body, _complaint, _get, two  # noqa: F401 (the fixture)

pytestmark = pytest.mark.django_db
INSPECTION = DocumentKind.INSPECTION_RECORD


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def _year():
    return timezone.localdate().year


# --- 1. document numbers per district ------------------------------------------------------------------------------

def _investigating(*cases):
    EnforcementCase.objects.filter(pk__in=[c.pk for c in cases]).update(state=CaseState.INVESTIGATING)
    for case in cases:
        case.refresh_from_db()


def test_each_districts_document_numbers_start_at_one_and_run_on(world, two):
    _investigating(two.putuo_case, two.jingan_case)
    order = [(two.putuo_case, world.oscar), (two.jingan_case, two.otto), (two.jingan_case, two.otto),
             (two.putuo_case, world.oscar), (two.jingan_case, two.otto)]
    issued = [documents.document_issue(case=case, kind=INSPECTION, actor=actor) for case, actor in order]
    y = _year()
    assert [d.number for d in issued] == [
        f"普城管勘字〔{y}〕第1号", f"静城管勘字〔{y}〕第1号", f"静城管勘字〔{y}〕第2号",
        f"普城管勘字〔{y}〕第2号", f"静城管勘字〔{y}〕第3号"]
    assert [d.district_id for d in issued] == [None, two.district.pk, two.district.pk, None, two.district.pk]
    assert DocumentSequence.objects.get(kind=INSPECTION, year=y, district=None).last == 2
    assert DocumentSequence.objects.get(kind=INSPECTION, year=y, district=two.district).last == 3


def test_one_sequence_row_per_kind_year_and_district_the_first_districts_included(world, two):
    y = _year()
    DocumentSequence.objects.create(kind=INSPECTION, year=y, district=None)
    DocumentSequence.objects.create(kind=INSPECTION, year=y, district=two.district)  # beside it: fine
    for district in (None, two.district):
        with pytest.raises(IntegrityError), transaction.atomic():
            DocumentSequence.objects.create(kind=INSPECTION, year=y, district=district)


def test_the_migration_moves_shared_numbers_to_their_districts(world, two):
    """Before: one shared (kind, year) sequence; 普陀 took 1, 2 and 4, 静安 3 and 5. After: 静安's documents are its
    sequence's, which goes on after 5; 普陀's goes on after its own 4 — neither gives a number twice."""
    from importlib import import_module

    migration = import_module("cases.migrations.0012_document_sequences_moved")
    y = _year()
    words = {None: "普城管勘字", two.district.pk: "静城管勘字"}
    for seq, case in [(1, two.putuo_case), (2, two.putuo_case), (3, two.jingan_case), (4, two.putuo_case),
                      (5, two.jingan_case)]:
        prefix = words[case.street.district_id if case == two.jingan_case else None]
        Document.objects.create(case=case, kind=INSPECTION, number=f"{prefix}〔{y}〕第{seq}号", year=y, seq=seq,
                                file="x.docx", sha256="0" * 64, issued_by=world.oscar)
    DocumentSequence.objects.create(kind=INSPECTION, year=y, district=None, last=5)

    migration.forwards(django_apps, None)

    assert set(Document.objects.filter(district=two.district).values_list("seq", flat=True)) == {3, 5}
    assert set(Document.objects.filter(district=None).values_list("seq", flat=True)) == {1, 2, 4}
    assert DocumentSequence.objects.get(kind=INSPECTION, year=y, district=two.district).last == 5
    assert DocumentSequence.objects.get(kind=INSPECTION, year=y, district=None).last == 4
    _investigating(two.putuo_case, two.jingan_case)
    assert documents.document_issue(case=two.jingan_case, kind=INSPECTION, actor=two.otto).seq == 6
    assert documents.document_issue(case=two.putuo_case, kind=INSPECTION, actor=world.oscar).number == \
        f"普城管勘字〔{y}〕第5号"


def test_two_districts_each_number_their_cases_consecutively(world, two):
    y = _year()
    opened = []
    for n, (community, officer) in enumerate([(world.caoyang_a, world.oscar), (two.jiangning_b, two.otto),
                                              (two.jiangning_b, two.otto), (world.caoyang_a, world.oscar)]):
        complaint = _complaint(community, f"第{n}件立案用诉件")
        opened.append(case_services.case_open_from_complaint(complaint=complaint, actor=officer).number)
    # the fixture opened AJ…1 and JA-AJ…1
    assert opened == [f"AJ{y}-000002", f"JA-AJ{y}-000002", f"JA-AJ{y}-000003", f"AJ{y}-000003"]


def test_two_districts_each_number_their_ledger_consecutively(world, two):
    from programme import services as programme_services

    today = timezone.localdate()
    numbers = [programme_services.structure_create(actor=actor, community=community, location=location,
                                                   found_on=today, area_m2="8").number
               for actor, community, location in [(two.otto, two.jiangning_b, "屋顶"), (world.oscar, world.caoyang_a, "屋顶"),
                                                  (two.otto, two.jiangning_c, "天井"), (world.oscar, world.caoyang_a, "天井")]]
    assert numbers[0] == f"JA-WJ-013-{today.year}-0001" and numbers[2] == f"JA-WJ-013-{today.year}-0002"
    assert numbers[1].endswith(f"-{today.year}-0001") and numbers[3].endswith(f"-{today.year}-0002")
    assert not numbers[1].startswith("JA-")


# --- 2. district-wide bulletins per district -------------------------------------------------------------------------

def _month():
    from analytics.periods import Period

    today = timezone.localdate()
    return Period.month(today.year, today.month)


def _docx_text(data: bytes) -> str:
    doc = DocxDocument(io.BytesIO(data))
    parts = [p.text for p in doc.paragraphs]
    for table in doc.tables:
        parts.extend(" ".join(c.text for c in row.cells) for row in table.rows)
    return "\n".join(parts)


def _made(district, street=None, title="通报") -> Bulletin:
    """A finished bulletin with its two files stored."""
    from django.core.files.base import ContentFile

    bulletin = Bulletin(period="2026-10", kind="month", district=district, street=street, title=title,
                        status=Status.DONE, progress=100)
    bulletin.docx.save("b.docx", ContentFile(b"PK docx"), save=False)
    bulletin.xlsx.save("b.xlsx", ContentFile(b"PK xlsx"), save=False)
    bulletin.save()
    return bulletin


def test_a_leads_district_wide_bulletin_is_their_districts_and_counts_it_alone(world, two,
                                                                              django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        bulletin = bulletin_services.bulletin_request(actor=two.jack, period=_month().code)
    bulletin.refresh_from_db()
    assert bulletin.district == two.district and bulletin.street is None and bulletin.status == Status.DONE
    assert bulletin.title.startswith("静安区住宅小区违法违规行为治理工作通报")
    with bulletin.docx.open("rb") as handle:
        text = _docx_text(handle.read())
    assert "上海市静安区城市管理行政执法局" in text and "静安区住宅小区违法违规行为治理工作通报" in text
    assert "江宁路街道" in text
    for putuo in ("曹杨新村街道", "长风新村街道", "普陀区", two.putuo_case.number):
        assert putuo not in text


def test_the_districts_figures_count_its_own_complaints(world, two):
    from bulletins import content

    jingan = content.gather(_month(), district=two.district)
    putuo = content.gather(_month(), district=world.district)
    streets = {t.key: t for t in jingan.tables}["各街镇"].rows
    assert [r[0] for r in streets] == ["江宁路街道", "全区合计"]
    assert jingan.issuer == "上海市静安区城市管理行政执法局" and putuo.issuer == "普陀区城市管理行政执法局"
    assert {r[0] for r in {t.key: t for t in putuo.tables}["各街镇"].rows} == {"曹杨新村街道", "长风新村街道", "全区合计"}
    received = {row[0]: row[1] for row in jingan.headline.rows}["受理数"]
    assert received == (Complaint.objects.filter(street__district=two.district).count(), "int")


def test_a_lead_cannot_make_another_districts_bulletin(world, two, client):
    with pytest.raises(ApplicationError, match="本区"):
        bulletin_services.bulletin_request(actor=world.alice, period=_month().code, district=two.district)
    client.force_login(two.jack)
    response = client.post(reverse("bulletins:make"), {"period": _month().code, "district": world.district.pk})
    assert response.status_code == 400 and not Bulletin.objects.exists()


def test_the_city_chooses_the_district_and_only_it_sees_the_field(world, two, client):
    for user in (world.alice, two.jack, world.oscar):
        assert 'data-testid="district-field"' not in _body(_get(client, user, reverse("bulletins:list")))
    page = _body(_get(client, world.cyrus, reverse("bulletins:list")))
    assert 'data-testid="district-field"' in page and "静安区" in page

    response = client.post(reverse("bulletins:make"), {"period": _month().code, "street": ""})
    assert response.status_code == 400 and "请选择" in _body(response) and not Bulletin.objects.exists()
    response = client.post(reverse("bulletins:make"), {"period": _month().code, "district": "999999"})
    assert response.status_code == 400 and not Bulletin.objects.exists()
    response = client.post(reverse("bulletins:make"), {"period": _month().code, "district": two.district.pk})
    assert response.status_code == 302
    bulletin = Bulletin.objects.get()
    assert bulletin.district == two.district and bulletin.title.startswith("静安区")


def test_each_districts_users_are_refused_the_others_bulletins(world, two, client):
    putuo_wide, jingan_wide = _made(world.district, title="普陀全区通报"), _made(two.district, title="静安全区通报")
    putuo_street, jingan_street = (_made(world.district, world.caoyang, "曹杨通报"),
                                   _made(two.district, two.jiangning, "江宁通报"))
    cases = [((world.alice, world.oscar, world.sam), {jingan_wide, jingan_street}, {putuo_wide}),
             ((two.jack, two.otto, two.stan), {putuo_wide, putuo_street}, {jingan_wide, jingan_street})]
    for users, theirs, mine in cases:
        for user in users:
            listed = _body(_get(client, user, reverse("bulletins:list")))
            for bulletin in theirs:
                assert bulletin.title not in listed, (user.username, bulletin.title)
                for name in ("bulletins:docx", "bulletins:xlsx", "bulletins:row"):  # guessing ids
                    assert _get(client, user, reverse(name, args=[bulletin.pk])).status_code == 404
            for bulletin in mine:
                assert bulletin.title in listed, (user.username, bulletin.title)
                assert _get(client, user, reverse("bulletins:docx", args=[bulletin.pk])).status_code == 200
    city = _body(_get(client, world.cyrus, reverse("bulletins:list")))
    assert all(b.title in city for b in (putuo_wide, jingan_wide, putuo_street, jingan_street))
    assert _get(client, world.cyrus, reverse("bulletins:docx", args=[jingan_wide.pk])).status_code == 200
    only_jingan = _body(_get(client, world.cyrus, reverse("bulletins:list"), in_district=two.district.pk))
    assert "静安全区通报" in only_jingan and "普陀全区通报" not in only_jingan


def test_the_command_needs_the_district_when_there_are_several(world, two, tmp_path):
    out = tmp_path / "通报.docx"
    with pytest.raises(CommandError) as refused:
        call_command("bulletin", period=_month().code, out=str(out))
    assert "--district" in str(refused.value) and "有多个区" in str(refused.value) and "several" in str(refused.value)
    assert not out.exists()
    with pytest.raises(CommandError, match="没有名为.*no district named"):
        call_command("bulletin", period=_month().code, district="黄浦区", out=str(out))

    call_command("bulletin", period=_month().code, district="静安区", out=str(out))
    text = _docx_text(out.read_bytes())
    assert "上海市静安区城市管理行政执法局" in text and f"静安区住宅小区违法违规行为治理工作通报\n（{_month().label}）" in text
    assert "曹杨新村街道" not in text

    call_command("bulletin", period=_month().code, street="江宁路街道", out=str(out))  # a street names its district
    text = _docx_text(out.read_bytes())
    assert "上海市静安区城市管理行政执法局" in text and "江宁路街道住宅小区违法违规行为治理工作通报" in text

    call_command("bulletin", period=_month().code, district="310107", out=str(out))  # by code
    text = _docx_text(out.read_bytes())
    assert "普陀区城市管理行政执法局" in text and "普陀区住宅小区违法违规行为治理工作通报" in text
    assert "江宁路街道" not in text


def test_the_migration_gives_old_bulletins_their_district(world, two):
    from importlib import import_module

    migration = import_module("bulletins.migrations.0003_bulletin_district_filled")
    wide = Bulletin.objects.create(period="2026-10", kind="month", title="旧全区通报")
    street = Bulletin.objects.create(period="2026-10", kind="month", street=two.jiangning, title="旧江宁通报")
    migration.forwards(django_apps, None)
    wide.refresh_from_db(), street.refresh_from_db()
    assert wide.district == world.district and street.district == two.district


# --- 3. the 12345 import into one district ---------------------------------------------------------------------------

@pytest.fixture
def shared_road(two):
    """兰溪路88弄 in both districts: 普陀's 兰溪一村 and a 静安 community at the same door."""
    community = Community.objects.create(name="静兰公寓", street=two.jiangning, households=300, population=700)
    CommunityAddress.objects.create(community=community, road="兰溪路", unit="LANE", number_from=88, raw="兰溪路88弄")
    return community


def _orders(path, *tickets, address="兰溪路88弄"):
    with open(path, "w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["工单编号", "受理时间", "诉求人", "联系电话", "诉求地址", "诉求内容"])
        received = (timezone.localtime() - timedelta(days=1)).strftime("%Y-%m-%d %H:%M")
        for ticket in tickets:
            writer.writerow([ticket, received, "张先生", "13800001111", address, "楼道里有人给电动自行车飞线充电，很危险"])
    return path


def test_a_road_of_both_districts_lands_in_the_named_districts_community(world, two, shared_road, tmp_path):
    call_command("import_hotline", str(_orders(tmp_path / "静安.csv", "JA-T-1")), district="静安区", verbosity=0)
    call_command("import_hotline", str(_orders(tmp_path / "普陀.csv", "PT-T-1")), district="普陀区", verbosity=0)
    assert Complaint.objects.get(external_no="JA-T-1").community == shared_road
    assert Complaint.objects.get(external_no="PT-T-1").community == world.caoyang_a
    assert ImportBatch.objects.get(file_name__endswith="静安.csv").district == two.district


def test_without_the_district_nothing_is_imported_and_the_command_fails(world, two, shared_road, tmp_path):
    path = _orders(tmp_path / "orders.csv", "X-1", "X-2")
    with pytest.raises(CommandError) as refused:
        call_command("import_hotline", str(path), verbosity=0)
    assert refused.value.returncode == 2
    assert "有多个区" in str(refused.value) and "--district" in str(refused.value) and "several" in str(refused.value)
    with pytest.raises(CommandError, match="没有名为.*no district named") as unknown:
        call_command("import_hotline", str(path), district="火星区", verbosity=0)
    assert unknown.value.returncode == 2
    assert not Complaint.objects.filter(external_no__startswith="X-").exists() and not ImportBatch.objects.exists()


def test_with_one_district_the_import_asks_nothing(world, tmp_path):
    call_command("import_hotline", str(_orders(tmp_path / "orders.csv", "ONE-1")), verbosity=0)
    assert Complaint.objects.get(external_no="ONE-1").community == world.caoyang_a
    assert ImportBatch.objects.get().district is None


def test_an_order_matched_nowhere_is_the_named_districts(world, two, tmp_path):
    call_command("import_hotline", str(_orders(tmp_path / "静安.csv", "JA-NOWHERE", address="不知道哪里")),
                 district="静安区", verbosity=0)
    order = Complaint.objects.get(external_no="JA-NOWHERE")
    assert order.community is None and order.street is None
    assert Complaint.objects.restrict(two.jack, "view").filter(pk=order.pk).exists()
    assert not Complaint.objects.restrict(world.alice, "view").filter(pk=order.pk).exists()
    assert ImportBatch.objects.restrict(two.jack, "view").filter(district=two.district).exists()
    assert not ImportBatch.objects.restrict(world.alice, "view").exists()


def test_the_page_imports_into_the_users_own_district(world, two, shared_road, tmp_path, client):
    from django.core.files.uploadedfile import SimpleUploadedFile

    def upload(user, name, ticket, **extra):
        data = _orders(tmp_path / name, ticket).read_bytes()
        client.force_login(user)
        return client.post(reverse("intake:import"), {"file": SimpleUploadedFile(name, data, "text/csv"), **extra})

    assert upload(two.jack, "a.csv", "PAGE-JA").status_code == 200
    assert Complaint.objects.get(external_no="PAGE-JA").community == shared_road
    # a district user has no district field: what they post goes to their own district; the service refuses another
    upload(world.alice, "b.csv", "PAGE-X", district=two.district.pk)
    assert Complaint.objects.get(external_no="PAGE-X").community == world.caoyang_a  # the field is not theirs
    assert 'data-testid="import-district"' not in _body(_get(client, world.alice, reverse("intake:import")))
    with pytest.raises(ApplicationError, match="本区"):
        from intake import services

        services.import_hotline(path=_orders(tmp_path / "c.csv", "SVC-X"), actor=world.alice, district=two.district)
    # the installation's administrator spans both districts: must choose
    assert 'data-testid="import-district"' in _body(_get(client, world.ada, reverse("intake:import")))
    response = upload(world.ada, "d.csv", "PAGE-ADA")
    assert response.status_code == 200 and not Complaint.objects.filter(external_no="PAGE-ADA").exists()
    upload(world.ada, "e.csv", "PAGE-ADA", district=two.district.pk)
    assert Complaint.objects.get(external_no="PAGE-ADA").community == shared_road


def test_an_unknown_district_is_refused_cleanly(world, two):
    assert District.objects.count() == 2
    with pytest.raises(ApplicationError, match="no district named"):
        bulletin_services.write_files(period=_month().code, district_name="不存在区", out="/tmp/x.docx")
