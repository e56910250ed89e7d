"""Times: a Shanghai wall-clock time goes in and comes out the same on the page, the API and the exports, for every
form and import that takes one; dates outside the plausible range (core.dates) are refused with a bilingual reason
and crash nothing (year 0001 once overflowed de-duplication); a busy database is retried, and a submit that still
fails answers 503 with everything typed and the photos kept, nothing half-written.

The test client posts what a browser on any time zone posts for <input type="datetime-local">: the wall-clock
value without an offset, read as Asia/Shanghai."""
import csv
import io
import re
from datetime import datetime, timedelta
from unittest import mock
from zoneinfo import ZoneInfo

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import OperationalError, connection, transaction
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from core import busy, dates, drafts
from core.errors import ApplicationError
from intake import services
from intake.choices import Channel
from intake.dedup import DedupIndex
from intake.models import Complaint, ComplaintPhoto
from intake.tests.fakes import keyword_classifier  # noqa: F401
from programme import imports as inventory_imports
from programme.models import IllegalStructure

SHANGHAI = ZoneInfo("Asia/Shanghai")
JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + b"\x00" * 64
pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    busy.PAUSE = 0  # no waiting between the attempts of a retried write
    yield settings.MEDIA_ROOT
    busy.PAUSE = 0.2


def day():
    """A day two days back in Shanghai: 22:05 that evening is in the past wherever the test runs."""
    return timezone.localdate() - timedelta(days=2)


def wall(hh_mm="22:05"):
    return f"{day().isoformat()}T{hh_mm}"


def iso(hh_mm="22:05"):
    return f"{day().isoformat()}T{hh_mm}:00+08:00"


def export_rows(client, url, fmt, params=None):
    response = client.get(url, {**(params or {}), "export": fmt})
    assert response.status_code == 200
    content = b"".join(response.streaming_content) if response.streaming else response.content
    if fmt == "csv":
        return list(csv.reader(io.StringIO(content.decode("utf-8-sig"))))
    book = load_workbook(io.BytesIO(content))
    return [[cell for cell in row] for row in book.active.iter_rows(values_only=True)]


def cells(rows) -> str:
    return " | ".join(str(c) for row in rows for c in row if c is not None)


def assert_everywhere(client, complaint, hh_mm="22:05"):
    """The page, the API detail and both exports of the queue show the Shanghai wall-clock time."""
    page = client.get(reverse("intake:detail", args=[complaint.pk])).content.decode()
    assert f"{day().isoformat()} {hh_mm}" in page
    api = client.get(f"/api/v1/complaints/{complaint.pk}/").json()
    assert api["received_at"] == iso(hh_mm)
    for fmt in ("csv", "xlsx"):
        rows = export_rows(client, reverse("intake:queue"), fmt, {"status": ""})
        assert f"{day().isoformat()} {hh_mm}" in cells(rows), fmt


# --- forms: what is typed is Shanghai time, and the form opens with a value the browser shows -------------------

def test_the_manual_form_opens_with_now_in_the_datetime_local_format(client, world):
    client.force_login(world.alice)
    page = client.get(reverse("intake:new")).content.decode()
    value = re.search(r'name="received_at"[^>]*value="([^"]*)"', page) or re.search(
        r'value="([^"]*)"[^>]*name="received_at"', page)
    assert value, "the 受理时间 field opens blank"
    shown = datetime.strptime(value[1], "%Y-%m-%dT%H:%M").replace(tzinfo=SHANGHAI)
    assert abs(shown - timezone.now()) < timedelta(minutes=2)
    assert 'type="datetime-local"' in page and 'min="2000-01-01T00:00"' in page


def test_a_manual_entry_keeps_its_shanghai_time(client, world, keyword_classifier):
    client.force_login(world.alice)
    response = client.post(reverse("intake:new"), {
        "channel": Channel.MANUAL, "received_at": wall(), "content": "楼道飞线充电", "address": "兰溪路88弄5号"})
    assert response.status_code == 302, response.content.decode()[:2000]
    complaint = Complaint.objects.get()
    assert complaint.received_at == datetime.fromisoformat(iso())
    assert timezone.localtime(complaint.received_at).strftime("%H:%M") == "22:05"
    assert_everywhere(client, complaint)


def test_a_manual_entry_with_an_offset_is_converted_to_shanghai(client, world, keyword_classifier):
    client.force_login(world.alice)
    response = client.post(reverse("intake:new"), {
        "channel": Channel.MANUAL, "received_at": f"{day().isoformat()}T14:05:00+00:00", "content": "楼道飞线充电",
        "address": "兰溪路88弄5号"})
    assert response.status_code == 302
    assert_everywhere(client, Complaint.objects.get())


def test_the_patrol_receipt_is_stamped_by_the_server_not_the_phones_clock(client, world, keyword_classifier):
    """A phone set to UTC once sent 14:05 for a finding made at 22:05 Shanghai time: the page sends no time now,
    and one sent anyway is ignored."""
    client.force_login(world.oscar)
    page = client.get(reverse("intake:patrol")).content.decode()
    assert 'name="received_at"' not in page
    before = timezone.now()
    response = client.post(reverse("intake:patrol"), {
        "channel": Channel.PATROL, "content": "楼道飞线充电", "address": "兰溪路88弄5号",
        "received_at": f"{day().isoformat()} 14:05"})
    assert response.status_code == 302
    complaint = Complaint.objects.get()
    assert before <= complaint.received_at <= timezone.now()
    shown = timezone.localtime(complaint.received_at).strftime("%Y-%m-%d %H:%M")
    assert shown in client.get(reverse("intake:detail", args=[complaint.pk])).content.decode()
    assert client.get(f"/api/v1/complaints/{complaint.pk}/").json()["received_at"].endswith("+08:00")


def test_a_property_report_keeps_its_shanghai_discovery_time(client, world, keyword_classifier):
    client.force_login(world.paul)
    response = client.post(reverse("intake:property-report"), {
        "community": world.caoyang_a.pk, "discovered_at": wall(), "content": "5号楼楼道飞线充电",
        "address": "5号楼"})
    assert response.status_code == 302, response.content.decode()[:2000]
    complaint = Complaint.objects.get()
    assert complaint.received_at == datetime.fromisoformat(iso())
    assert day().isoformat() in client.get(reverse("intake:property-report")).content.decode()
    client.force_login(world.alice)
    assert_everywhere(client, complaint)


def test_the_api_reads_a_time_with_or_without_offset_as_the_same_shanghai_time(client, world, keyword_classifier):
    client.force_login(world.alice)
    for number, sent in (("T1", f"{day().isoformat()}T22:05:00"), ("T2", f"{day().isoformat()}T14:05:00Z"),
                         ("T3", iso())):
        response = client.post("/api/v1/intake/manual/", {
            "external_no": number, "received_at": sent, "content": "楼道飞线充电",
            "address": "兰溪路88弄5号"}, content_type="application/json")
        assert response.status_code == 201, response.content
        assert response.json()["received_at"] == iso(), sent


# --- the 12345 import --------------------------------------------------------------------------------------------

def write_hotline(path, rows):
    with open(path, "w", encoding="utf-8-sig", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["工单编号", "受理时间", "诉求地址", "诉求内容", "办理时限"])
        writer.writerows(rows)
    return path


def test_an_imported_12345_order_keeps_its_shanghai_time(client, world, keyword_classifier, tmp_path):
    due = (day() + timedelta(days=5)).isoformat()
    path = write_hotline(tmp_path / "orders.csv", [["H1", f"{day().isoformat()} 22:05:00", "兰溪路88弄5号",
                                                     "楼道飞线充电", due]])
    report = services.import_hotline(path=path, actor=world.alice)
    assert (report.created, report.errors) == (1, [])
    complaint = Complaint.objects.get()
    client.force_login(world.alice)
    assert_everywhere(client, complaint)
    assert client.get(f"/api/v1/complaints/{complaint.pk}/").json()["due_date"] == due


@pytest.mark.parametrize("when, deadline", [
    ("0001-01-01 00:00:00", ""), ("9999-12-31 23:59:00", ""), ("1999-12-31 23:59:00", ""),
    ("{today} 10:00:00", "9999-12-31"),
])
def test_an_import_row_out_of_range_is_reported_and_crashes_nothing(world, keyword_classifier, tmp_path, when,
                                                                    deadline):
    """Year 0001 once raised OverflowError in intake/dedup.py and stopped the whole import."""
    when = when.format(today=day().isoformat())
    path = write_hotline(tmp_path / "orders.csv", [
        ["H1", f"{day().isoformat()} 09:00:00", "兰溪路88弄5号", "楼道飞线充电", ""],
        ["H2", when, "兰溪路88弄5号", "楼道飞线充电 5号楼", deadline]])
    report = services.import_hotline(path=path, actor=world.alice)
    assert report.created == 1 and len(report.errors) == 1
    reason = report.errors[0].reason
    assert report.errors[0].line == 3 and "超出合理范围" in reason and "out of range" in reason
    assert list(Complaint.objects.values_list("external_no", flat=True)) == ["H1"]


# --- the plausible range: one rule, bilingual, in forms, services and imports ------------------------------------

@pytest.mark.parametrize("value", ["0001-01-01T00:00", "9999-12-31T23:59", "1999-12-31T23:59"])
def test_the_manual_form_refuses_an_implausible_time(client, world, keyword_classifier, value):
    client.force_login(world.alice)
    response = client.post(reverse("intake:new"), {
        "channel": Channel.MANUAL, "received_at": value, "content": "楼道飞线充电", "address": "兰溪路88弄5号"})
    page = response.content.decode()
    assert response.status_code == 200 and "超出合理范围" in page
    assert "楼道飞线充电" in page  # what was typed is kept
    assert not Complaint.objects.exists()


def test_a_receipt_a_little_ahead_of_the_servers_clock_is_accepted_but_not_tomorrow(world, keyword_classifier):
    soon, tomorrow = timezone.now() + timedelta(minutes=3), timezone.now() + timedelta(days=1)
    assert dates.datetime_check(soon) == soon
    with pytest.raises(ApplicationError) as refused:
        services.complaint_receive(data=services.ComplaintInput(
            channel=Channel.MANUAL, content="楼道飞线充电", received_at=tomorrow, reporter=world.alice))
    assert "超出合理范围" in refused.value.message and "out of range" in refused.value.message_en
    assert not Complaint.objects.exists()


def test_the_service_refuses_year_1_and_a_deadline_in_year_9999(world, keyword_classifier):
    year_one = datetime(1, 1, 1, tzinfo=SHANGHAI)
    with pytest.raises(ApplicationError):
        services.complaint_receive(data=services.ComplaintInput(
            channel=Channel.MANUAL, content="楼道飞线充电", received_at=year_one, reporter=world.alice))
    with pytest.raises(ApplicationError):
        services.complaint_receive(data=services.ComplaintInput(
            channel=Channel.MANUAL, content="楼道飞线充电", received_at=timezone.now(),
            due_date=datetime(9999, 12, 31).date(), reporter=world.alice))
    assert not Complaint.objects.exists()


def test_dedup_never_overflows_at_the_ends_of_the_calendar():
    index = DedupIndex()
    earliest = datetime.min.replace(tzinfo=timezone.get_current_timezone())
    kwargs = {"community_id": 1, "type_id": 1, "content": "楼道飞线充电", "address": ""}
    index.add(received_at=earliest, primary=True, **kwargs)
    assert index.repeat_count(community_id=1, type_id=1, received_at=earliest) == 2
    assert index.find_duplicate(received_at=earliest, **kwargs) is not None
    assert dates.minus(earliest, timedelta(days=90)) == earliest


def test_the_bounds_per_kind():
    today = timezone.localdate()
    assert dates.date_bounds(dates.PAST) == (datetime(2000, 1, 1).date(), today)
    low, high = dates.date_bounds(dates.DUE)
    assert high.year == today.year + dates.DUE_YEARS
    for kind, bad in ((dates.PAST, today + timedelta(days=1)), (dates.DUE, high + timedelta(days=1)),
                      (dates.DUE, low - timedelta(days=1))):
        with pytest.raises(ApplicationError) as refused:
            dates.date_check(bad, kind=kind, label="办理时限", label_en="due_date")
        assert refused.value.extra["code"] == "out_of_range"
        assert str(refused.value).startswith("办理时限") and "due_date" in str(refused.value)


# --- the inventory: dates on the page, the API, the exports and the import ---------------------------------------

INVENTORY_HEADER = ["小区", "街镇", "具体位置", "类别", "发现日期", "面积（㎡）", "结构", "计划完成日期"]


def test_an_inventory_item_keeps_its_dates_everywhere(client, world):
    found, target = day().isoformat(), (day() + timedelta(days=200)).isoformat()
    client.force_login(world.alice)
    response = client.post(reverse("programme:structure-create"), {
        "community": world.caoyang_a.pk, "location": "5号楼 屋顶", "kind": "EXISTING", "found_on": found,
        "area_m2": "12", "material": "STEEL", "target_date": target})
    assert response.status_code == 302, response.content.decode()[:3000]
    item = IllegalStructure.objects.get()
    assert (item.found_on.isoformat(), item.target_date.isoformat()) == (found, target)
    page = client.get(reverse("programme:structure-detail", args=[item.pk])).content.decode()
    assert found in page and target in page
    api = client.get(f"/api/v1/inventory/{item.pk}/").json()
    assert (api["found_on"], api["target_date"]) == (found, target)
    for fmt in ("csv", "xlsx"):
        text = cells(export_rows(client, reverse("programme:inventory"), fmt))
        assert found in text and target in text, fmt


@pytest.mark.parametrize("field, value", [("found_on", "0001-01-01"), ("found_on", "1999-12-31"),
                                          ("target_date", "9999-12-31")])
def test_the_inventory_form_refuses_an_implausible_date(client, world, field, value):
    client.force_login(world.alice)
    data = {"community": world.caoyang_a.pk, "location": "5号楼 屋顶", "kind": "EXISTING",
            "found_on": day().isoformat(), "area_m2": "12", "material": "STEEL", field: value}
    response = client.post(reverse("programme:structure-create"), data)
    assert response.status_code in (200, 400) and "超出合理范围" in response.content.decode()
    assert not IllegalStructure.objects.exists()


def test_the_inventory_import_reports_implausible_dates_and_keeps_good_rows(world, tmp_path):
    rows = [["兰溪一村", "曹杨新村街道", "1号楼 屋顶", "存量", day().isoformat(), "10", "砖混",
             (day() + timedelta(days=30)).isoformat()],
            ["兰溪一村", "曹杨新村街道", "2号楼 屋顶", "存量", "0001-01-01", "10", "砖混", ""],
            ["兰溪一村", "曹杨新村街道", "3号楼 屋顶", "存量", day().isoformat(), "10", "砖混", "9999-12-31"]]
    path = tmp_path / "inventory.csv"
    with open(path, "w", encoding="utf-8-sig", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(INVENTORY_HEADER)
        writer.writerows(rows)
    report = inventory_imports.import_inventory(path=path, actor=world.alice)
    assert report.created == 1 and [e.line for e in report.errors] == [3, 4]
    assert all("超出合理范围" in e.reason and "out of range" in e.reason for e in report.errors)
    assert IllegalStructure.objects.get().found_on == day()


# --- case forms with dates ---------------------------------------------------------------------------------------

def test_case_date_fields_are_bounded_date_pickers():
    from cases.forms import PaymentForm

    fine = mock.Mock(pk=1, status="UNPAID", paid_at=day())
    form = PaymentForm(fine=fine)
    html = str(form["paid_at"])
    assert 'type="date"' in html and f'value="{day().isoformat()}"' in html and 'min="2000-01-01"' in html
    assert not PaymentForm({"status": "PAID", "paid_at": "0001-01-01"}, fine=fine).is_valid()
    assert not PaymentForm({"status": "PAID", "paid_at": "9999-12-31"}, fine=fine).is_valid()
    assert PaymentForm({"status": "PAID", "paid_at": day().isoformat()}, fine=fine).is_valid()


def test_a_rectification_deadline_in_year_9999_is_refused_by_the_rule():
    from cases.rules import check_rectify_due

    assert check_rectify_due(None, {"rectify_due": timezone.localdate() + timedelta(days=30)}) is None
    problem = check_rectify_due(None, {"rectify_due": datetime(9999, 12, 31).date()})
    assert problem and "超出合理范围" in problem[0] and "out of range" in problem[1]


# --- a busy database: retried, then 503 with the input and photos kept, nothing half-written ---------------------

def locked(times: int | None):
    """A side effect for services.complaint_transition: the complaint written, then "database is locked", the first
    `times` calls (always when None); the real move afterwards."""
    real = services.complaint_transition
    calls = {"n": 0}

    def effect(*args, **kwargs):
        calls["n"] += 1
        if times is None or calls["n"] <= times:
            kwargs["complaint"].save()  # half-written, to be rolled back
            raise OperationalError("database is locked")
        return real(*args, **kwargs)

    return effect, calls


def patrol(client, **extra):
    return client.post(reverse("intake:patrol"), {
        "channel": Channel.PATROL, "content": "楼道飞线充电 5号楼", "address": "兰溪路88弄5号", **extra})


def test_a_transient_lock_is_retried_and_the_report_saved_once(client, world, keyword_classifier):
    client.force_login(world.oscar)
    effect, calls = locked(1)
    with mock.patch.object(services, "complaint_transition", side_effect=effect):
        response = patrol(client, photos=SimpleUploadedFile("site.jpg", JPEG, content_type="image/jpeg"))
    assert response.status_code == 302 and calls["n"] == 2
    assert Complaint.objects.count() == 1 and ComplaintPhoto.objects.count() == 1


def test_a_persistent_lock_answers_503_keeps_the_input_and_the_photo_and_writes_nothing(client, world, media,
                                                                                      keyword_classifier, settings):
    settings.DEBUG = True  # the demo runs with DEBUG: still no debug page
    client.force_login(world.oscar)
    effect, calls = locked(None)
    with mock.patch.object(services, "complaint_transition", side_effect=effect):
        response = patrol(client, photos=SimpleUploadedFile("site.jpg", JPEG, content_type="image/jpeg"))
    page = response.content.decode()
    assert response.status_code == 503 and calls["n"] == busy.ATTEMPTS
    assert "系统繁忙，您填写的内容已保留，请稍后再次提交" in page
    assert "The system is busy" not in page  # one language per page (the reader's)
    assert "Traceback" not in page and "OperationalError" not in page
    assert "楼道飞线充电 5号楼" in page and "兰溪路88弄5号" in page and "site.jpg" in page
    assert not Complaint.objects.exists() and not ComplaintPhoto.objects.exists()
    assert not [p for p in media.rglob("*") if p.is_file() and "drafts" not in p.parts]
    token = re.search(r'name="kept_photos" value="([^"]+)"', page)[1]

    # submitted again once the database is free: the kept photo goes with it, and the draft is gone
    response = patrol(client, kept_photos=token)
    assert response.status_code == 302
    complaint = Complaint.objects.get()
    assert complaint.photos.count() == 1 and complaint.photos.get().file.read() == JPEG
    assert drafts.names(world.oscar, token) == []


def test_a_kept_photo_belongs_to_its_user_only(client, world):
    token = drafts.keep(world.oscar, [SimpleUploadedFile("site.jpg", JPEG)])
    assert drafts.names(world.oscar, token) == ["site.jpg"]
    assert drafts.take(world.owen, token) == [] and drafts.names(world.oscar, "../../etc") == []


def test_the_manual_form_keeps_its_input_when_the_database_stays_busy(client, world, keyword_classifier):
    client.force_login(world.alice)
    effect, _calls = locked(None)
    with mock.patch.object(services, "complaint_transition", side_effect=effect):
        response = client.post(reverse("intake:new"), {
            "channel": Channel.MANUAL, "received_at": wall(), "content": "楼道飞线充电", "address": "兰溪路88弄5号",
            "caller_name": "李女士"})
    page = response.content.decode()
    assert response.status_code == 503 and "系统繁忙" in page
    assert f'value="{wall()}"' in page and "李女士" in page and "楼道飞线充电" in page
    assert not Complaint.objects.exists()


def test_a_lock_no_view_handles_is_a_503_page_not_a_debug_page(client, world, settings):
    settings.DEBUG = True
    client.force_login(world.alice)
    with mock.patch("intake.views.selectors.complaint_list", side_effect=OperationalError("database is locked")):
        response = client.get(reverse("intake:queue"))
    assert response.status_code == 503 and response["Retry-After"]
    assert "系统繁忙" in response.content.decode() and "Traceback" not in response.content.decode()
    with mock.patch("intake.api.ComplaintViewSet.get_queryset", side_effect=OperationalError("database is locked")):
        response = client.get("/api/v1/complaints/")
    assert response.status_code == 503 and response.json()["code"] == "busy"


def test_another_operational_error_is_not_taken_for_a_busy_database():
    assert busy.is_busy(OperationalError("database is locked"))
    assert busy.is_busy(OperationalError("deadlock detected"))
    assert not busy.is_busy(OperationalError("no such table: intake_complaint"))
    assert not busy.is_busy(ValueError("database is locked"))


@pytest.mark.django_db(transaction=True)
def test_sqlite_transactions_take_the_write_lock_when_they_begin():
    """A deferred transaction that upgrades to a write gets SQLITE_BUSY at once, whatever the busy timeout:
    transaction_mode IMMEDIATE makes it wait for the lock at BEGIN instead."""
    if connection.vendor != "sqlite":
        pytest.skip("SQLite only")
    with CaptureQueriesContext(connection) as queries:
        with transaction.atomic():
            Complaint.objects.exists()
    assert queries.captured_queries[0]["sql"] == "BEGIN IMMEDIATE"


def test_the_api_refuses_an_implausible_time_and_answers_503_when_busy(client, world, keyword_classifier):
    client.force_login(world.alice)
    # (year 0001 itself overflows in DRF's DateTimeField before any rule is asked: the api helper's part)
    body = {"received_at": "1999-12-31T23:59:00", "content": "楼道飞线充电", "address": "兰溪路88弄5号"}
    response = client.post("/api/v1/intake/manual/", body, content_type="application/json")
    assert response.status_code == 400 and "out of range" in response.content.decode()
    effect, _calls = locked(None)
    with mock.patch.object(services, "complaint_transition", side_effect=effect):
        response = client.post("/api/v1/intake/manual/", {**body, "received_at": iso()},
                               content_type="application/json")
    assert response.status_code == 503 and response.json()["code"] == "busy"
    assert not Complaint.objects.exists()


def test_the_refusal_names_the_value_and_the_range_in_full():
    with pytest.raises(ApplicationError) as refused:
        dates.datetime_check(datetime(1, 1, 1, tzinfo=SHANGHAI), label="受理时间", label_en="received_at")
    assert refused.value.message.startswith("受理时间“0001-01-01 00:00”超出合理范围（应在 2000-01-01 至 ")
    assert refused.value.message_en.startswith("received_at 0001-01-01 00:00 is out of range (2000-01-01 to ")


# --- a case's rectification deadline: typed on the case page, shown on the page, the API and the export ----------

def decided_case(world):
    from cases.choices import PartyRole
    from cases.tests.test_paths import add_party, decide, open_case, to_investigating

    case = to_investigating(open_case(world, "STRUCTURE_DAMAGE"), world.alice)
    add_party(case, world.alice, PartyRole.OWNER)
    return decide(case, world.alice, ["ORDER_CORRECT", "RESTORE"])


def ordered(client, world):
    """A decided case given its rectification deadline on the case page (9999-12-31 refused first); the due date."""
    case = decided_case(world)
    due = (timezone.localdate() + timedelta(days=30)).isoformat()
    client.force_login(world.alice)
    url = reverse("cases:move", args=[case.pk, "order_rectification"])
    refused = client.post(url, {"version": case.version, "rectify_due": "9999-12-31"})
    assert refused.status_code == 400 and "超出合理范围" in refused.content.decode()
    case.refresh_from_db()
    assert case.rectify_due is None and case.state == "DECIDED"
    assert client.post(url, {"version": case.version, "rectify_due": due}).status_code == 302
    case.refresh_from_db()
    assert case.rectify_due.isoformat() == due
    return case, due


def test_a_rectification_deadline_typed_on_the_case_page_is_the_same_on_the_page_and_the_api(client, world):
    case, due = ordered(client, world)
    assert due in client.get(reverse("cases:detail", args=[case.pk])).content.decode()
    assert client.get(f"/api/v1/cases/{case.pk}/").json()["rectify_due"] == due


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_a_rectification_deadline_is_the_same_in_the_case_export(client, world, fmt):
    case, due = ordered(client, world)
    assert due in cells(export_rows(client, reverse("cases:list"), fmt))
