"""import_hotline on a realistic small file: bad rows reported by line and stored not at all, good rows classified,
matched, routed and de-duplicated, re-import idempotent, CSV/XLSX and header variants alike, raw rows kept.

The classifier is the real model (intake/ml); the texts written here are ones it is sure about. The 57 generated
rows come from demo.hotline for the three communities of tests.personas's world."""
import csv
from datetime import date

import pytest
from django.core.management import call_command
from django.utils import timezone

from demo import hotline as demo_hotline
from intake import services
from intake.choices import Channel, ComplaintStatus
from intake.models import Complaint, ImportBatch

pytestmark = pytest.mark.django_db

GOOD_GENERATED = 57
# Data rows (0-based) replaced by bad ones, and what the report must say about each.
NO_CONTENT, BAD_DATE, REPEATED = 9, 24, 41
FIRST_OF_REPEATED = 3
DOORS = {"兰溪路88弄": "兰溪一村", "金沙江路1685弄": "金沙雅苑", "云岭东路345号": "云岭花园"}


def _rows():
    """57 generated orders plus three bad ones, as the file's data rows (line = index + 2)."""
    rows = demo_hotline.generate(GOOD_GENERATED, start=date(2026, 1, 5), end=date(2026, 3, 31), seed=7,
                                 places=demo_hotline.load_places())
    rows[FIRST_OF_REPEATED]["备注"] = "一位市民当日两次来电"  # a column no export defines: kept in the raw row
    bad = [dict(rows[0]) for _ in range(3)]
    bad[0].update({"工单编号": "2026-0301-900001", "诉求内容": "  "})
    bad[1].update({"工单编号": "2026-0301-900002", "受理时间": "2026年3月1日下午"})
    bad[2].update({"工单编号": rows[FIRST_OF_REPEATED]["工单编号"], "诉求内容": "同一编号的另一张工单"})
    for index, row in sorted(zip((NO_CONTENT, BAD_DATE, REPEATED), bad, strict=True)):
        rows.insert(index, row)
    return rows


def _import(path, capsys):
    """(exit code, stdout, the row report): the command exits 1 through SystemExit, and returns for 0."""
    try:
        call_command("import_hotline", str(path), verbosity=1)
        code = 0
    except SystemExit as exc:
        code = exc.code
    captured = capsys.readouterr()
    # stderr also carries the progress bar: the row report is the lines that cite a line.
    errors = "\n".join(line for line in captured.err.splitlines() if line.startswith("第"))
    return code, captured.out, errors


def _snapshot():
    """What the import decided, by work-order number (comparable across imports)."""
    return {
        c.external_no: (c.violation_type.code if c.violation_type else None,
                        c.community.name if c.community else None, c.department_id, c.status,
                        c.duplicate_of.external_no if c.duplicate_of else None, c.repeat_count, c.content,
                        c.received_at, c.due_date)
        for c in Complaint.objects.select_related("violation_type", "community", "duplicate_of")
    }


def test_bad_rows_are_reported_by_line_and_stored_not_at_all(world, tmp_path, capsys):
    rows = _rows()
    path = demo_hotline.write_csv(tmp_path / "12345.csv", rows)
    code, out, err = _import(path, capsys)

    assert code == 1
    lines = err.strip().splitlines()
    assert len(lines) == 3
    assert lines[0].startswith(f"第{NO_CONTENT + 2}行") and "诉求内容为空" in lines[0]
    assert lines[1].startswith(f"第{BAD_DATE + 2}行") and "2026年3月1日下午" in lines[1] and "格式错误" in lines[1]
    repeated = rows[REPEATED]["工单编号"]
    assert lines[2].startswith(f"第{REPEATED + 2}行") and repeated in lines[2]
    assert f"首次出现于第{FIRST_OF_REPEATED + 2}行" in lines[2]
    assert f"新增 created {GOOD_GENERATED}" in out and "错误 rejected 3" in out

    # Nothing of a bad row: not the empty one, not the undated one, not the second text under a known number.
    assert Complaint.objects.count() == GOOD_GENERATED
    assert not Complaint.objects.filter(external_no__in=["2026-0301-900001", "2026-0301-900002"]).exists()
    assert not Complaint.objects.filter(content="同一编号的另一张工单").exists()
    assert Complaint.objects.get(external_no=repeated).content == rows[FIRST_OF_REPEATED]["诉求内容"]
    batch = ImportBatch.objects.get()
    assert (batch.rows, batch.created, batch.skipped, batch.rejected) == (GOOD_GENERATED + 3, GOOD_GENERATED, 0, 3)
    assert [e["line"] for e in batch.errors] == [NO_CONTENT + 2, BAD_DATE + 2, REPEATED + 2]

    # The good rows: every one classified with its evidence; the community of the door it names; the bureau
    # for enforcement matters; the row itself kept verbatim.
    good = {r["工单编号"]: r for i, r in enumerate(rows) if i not in (NO_CONTENT, BAD_DATE, REPEATED)}
    matched = 0
    for complaint in Complaint.objects.select_related("violation_type", "community", "department"):
        row = good[complaint.external_no]
        assert complaint.channel == Channel.HOTLINE and complaint.batch_id == batch.pk
        assert complaint.raw_row == {k: row.get(k, "") for k in rows[0] | rows[FIRST_OF_REPEATED]}
        assert complaint.content == row["诉求内容"] and complaint.address_text == row["诉求地址"]
        assert complaint.violation_type is not None and complaint.predicted_type == complaint.violation_type
        assert isinstance(complaint.classification_evidence["terms"], list)
        assert complaint.due_date == (date.fromisoformat(row["办理时限"]) if row["办理时限"] else None)
        for door, name in DOORS.items():
            if row["诉求地址"].removeprefix("上海市").removeprefix("普陀区").startswith(door):
                assert complaint.community.name == name, row["诉求地址"]
        matched += complaint.community is not None
        if complaint.status == ComplaintStatus.ROUTED:
            assert complaint.department.code == "CHENGGUAN" and complaint.violation_type.code != "NON_ENFORCEMENT"
        if complaint.status == ComplaintStatus.REFERRED:
            assert complaint.violation_type.code == "NON_ENFORCEMENT" and complaint.department.code != "CHENGGUAN"
    assert matched >= GOOD_GENERATED * 0.85
    assert sum(bool(c.classification_evidence["terms"]) for c in Complaint.objects.all()) >= GOOD_GENERATED * 0.9
    assert Complaint.objects.get(external_no=rows[FIRST_OF_REPEATED]["工单编号"]).raw_row["备注"] == "一位市民当日两次来电"


def test_second_import_creates_nothing_and_exit_code_follows_rejections(world, tmp_path, capsys):
    rows = _rows()
    path = demo_hotline.write_csv(tmp_path / "12345.csv", rows)
    assert _import(path, capsys)[0] == 1
    before = _snapshot()
    history = Complaint.history.count()

    code, out, err = _import(path, capsys)  # the same file again: the bad rows are still bad
    assert code == 1 and len(err.strip().splitlines()) == 3
    assert f"新增 created 0，已导入过 skipped {GOOD_GENERATED}" in out
    assert _snapshot() == before and Complaint.history.count() == history
    second = ImportBatch.objects.order_by("-pk").first()
    assert (second.created, second.skipped, second.rejected) == (0, GOOD_GENERATED, 3)

    good = [r for i, r in enumerate(rows) if i not in (NO_CONTENT, BAD_DATE, REPEATED)]
    clean = demo_hotline.write_csv(tmp_path / "clean.csv", good)
    code, out, err = _import(clean, capsys)  # nothing rejected: exit 0, although nothing is new
    assert code == 0 and err == "" and f"已导入过 skipped {GOOD_GENERATED}" in out
    assert _snapshot() == before


def test_xlsx_with_english_headers_gives_the_same(world, tmp_path, capsys):
    rows = _rows()
    _import(demo_hotline.write_csv(tmp_path / "12345.csv", rows), capsys)
    from_csv, csv_errors = _snapshot(), ImportBatch.objects.get().errors
    Complaint.objects.filter(duplicate_of__isnull=False).delete()
    Complaint.objects.all().delete()
    ImportBatch.objects.all().delete()

    code, out, err = _import(demo_hotline.write_xlsx(tmp_path / "12345.xlsx", rows, english=True), capsys)
    assert code == 1
    assert _snapshot() == from_csv
    assert ImportBatch.objects.get().errors == csv_errors
    complaint = Complaint.objects.get(external_no=rows[0]["工单编号"])
    assert set(complaint.raw_row) >= {"ticket_no", "received_at", "content", "工单来源", "工单类型", "主办单位"}


def test_12345_prefixed_headers_are_read_alike(world, tmp_path, capsys):
    path = tmp_path / "old-export.csv"
    with open(path, "w", newline="", encoding="utf-8-sig") as handle:
        writer = csv.writer(handle)
        writer.writerow(["12345工单编号", "12345受理时间", "工单来源", "12345诉求地址", "工单类型", "12345内容描述",
                         "主办单位"])
        writer.writerow(["2026-0302-000117", "2026-03-02 09:41", "12345热线电话", "普陀区云岭东路345号8号楼1102室",
                         "投诉举报类", "市民来电反映：小区内一套房子被隔成八个小间出租，住了十几个人，疑似群租，要求查处。",
                         "普陀区长风新村街道办事处"])
    code, out, _ = _import(path, capsys)
    assert code == 0 and "新增 created 1" in out
    c = Complaint.objects.get()
    assert (c.external_no, c.community, c.street) == ("2026-0302-000117", world.changfeng_a, world.changfeng)
    assert c.violation_type.code == "GROUP_RENTING" and c.department.code == "CHENGGUAN"
    assert c.status == ComplaintStatus.ROUTED and "群租" in c.classification_evidence["terms"]
    assert timezone.localtime(c.received_at).strftime("%Y-%m-%d %H:%M") == "2026-03-02 09:41"
    assert c.raw_row == {"12345工单编号": "2026-0302-000117", "12345受理时间": "2026-03-02 09:41",
                         "工单来源": "12345热线电话", "12345诉求地址": "普陀区云岭东路345号8号楼1102室",
                         "工单类型": "投诉举报类",
                         "12345内容描述": "市民来电反映：小区内一套房子被隔成八个小间出租，住了十几个人，疑似群租，要求查处。",
                         "主办单位": "普陀区长风新村街道办事处"}


# --- duplicates and repeats, through files ---------------------------------------------------------------

def _file(tmp_path, orders, name="orders.csv"):
    rows = [{"工单编号": no, "受理时间": at, "诉求地址": address, "诉求内容": text, "工单来源": "12345热线电话"}
            for no, at, address, text in orders]
    return demo_hotline.write_csv(tmp_path / name, rows)


CHARGING = "市民来电反映：{b}号楼楼道里有人私拉电线给电动车充电，很危险，要求处理。"
CHARGING_PLAIN = "市民来电反映：楼道里有人私拉电线给电动车充电，很危险，要求处理。"
CHARGING_AGAIN = "市民再次来电反映：{b}号楼楼道里有人私拉电线给电动车充电，至今未见处理，要求尽快解决。"


def test_the_same_matter_within_30_days_is_a_duplicate_of_the_first(world, tmp_path):
    report = services.import_hotline(path=_file(tmp_path, [
        ("2026-0302-000101", "2026-03-02 09:10:00", "兰溪路88弄3号楼", CHARGING.format(b=3)),
        ("2026-0311-000215", "2026-03-11 14:02:00", "普陀区兰溪路88弄3号楼", CHARGING_AGAIN.format(b=3)),
    ]))
    assert (report.created, report.duplicates) == (2, 1)
    first, second = Complaint.objects.order_by("received_at")
    assert first.violation_type.code == second.violation_type.code == "EBIKE_CHARGING"
    assert first.community == second.community == world.caoyang_a
    assert first.status == ComplaintStatus.ROUTED and first.duplicate_of is None
    assert second.duplicate_of == first and second.status == ComplaintStatus.DUPLICATE
    assert second.duplicate_score >= 0.55 and second.repeat_count == 2


def test_another_building_is_not_a_duplicate(world, tmp_path):
    services.import_hotline(path=_file(tmp_path, [
        ("2026-0302-000101", "2026-03-02 09:10:00", "兰溪路88弄3号楼", CHARGING.format(b=3)),
        ("2026-0304-000133", "2026-03-04 10:30:00", "兰溪路88弄12号楼", CHARGING.format(b=12)),
    ]))
    first, other = Complaint.objects.order_by("received_at")
    assert other.violation_type == first.violation_type and other.community == first.community
    assert other.duplicate_of is None and other.status == ComplaintStatus.ROUTED
    assert other.repeat_count == 2  # still a repeat about the community and type


def test_another_building_written_as_lane_number_is_not_a_duplicate(world, tmp_path):
    services.import_hotline(path=_file(tmp_path, [
        ("2026-0302-000101", "2026-03-02 09:10:00", "兰溪路88弄3号", CHARGING_PLAIN),
        ("2026-0304-000133", "2026-03-04 10:30:00", "兰溪路88弄12号", CHARGING_PLAIN),
    ]))
    assert Complaint.objects.order_by("received_at").last().duplicate_of is None


def test_four_orders_in_90_days_count_4_repeats_and_call_for_consultation(world, tmp_path):
    texts = ["市民来电反映：{r}室一套房子被隔成八个小间出租，住了十几个人，疑似群租，要求查处。",
             "来电人反映：{r}室群租，上下铺住了十多个人，进出人员复杂。",
             "市民反映：{r}室房东把两室一厅隔成六间分租，群租严重。",
             "网友留言：{r}室群租，卫生间都改成房间住人了，要求处理。"]
    days = ["2026-01-06 10:00:00", "2026-01-28 15:20:00", "2026-02-24 09:05:00", "2026-04-02 16:45:00"]
    rooms = ["201", "502", "302", "601"]
    services.import_hotline(path=_file(tmp_path, [
        (f"2026-00{i}-0001{i}", day, f"金沙江路1685弄{i + 5}号{room}室", text.format(r=room))
        for i, (day, room, text) in enumerate(zip(days, rooms, texts, strict=True))
    ]))
    complaints = list(Complaint.objects.order_by("received_at"))
    assert {c.violation_type.code for c in complaints} == {"GROUP_RENTING"}
    assert {c.community for c in complaints} == {world.changfeng_b}
    assert [c.repeat_count for c in complaints] == [1, 2, 3, 4]
    assert [c.needs_consultation for c in complaints] == [False, False, True, True]
    assert all(c.duplicate_of is None for c in complaints)  # four flats: repeats, not duplicates


def test_orders_arriving_in_two_files_are_compared_with_the_earlier_file(world, tmp_path):
    services.import_hotline(path=_file(tmp_path, [
        ("2026-0302-000101", "2026-03-02 09:10:00", "兰溪路88弄3号楼", CHARGING.format(b=3))], "monday.csv"))
    services.import_hotline(path=_file(tmp_path, [
        ("2026-0309-000188", "2026-03-09 11:00:00", "兰溪路88弄3号楼", CHARGING_AGAIN.format(b=3))], "next.csv"))
    first, second = Complaint.objects.order_by("received_at")
    assert second.duplicate_of == first and second.repeat_count == 2


def test_every_imported_row_gets_its_creation_in_the_history(world, tmp_path):
    """The import writes complaints and history rows itself (services._insert_rows): the history must be what
    django-simple-history would have written — one "+" row per complaint, by the importing user."""
    rows = demo_hotline.generate(20, start=date(2026, 2, 2), end=date(2026, 2, 28), seed=11,
                                 places=demo_hotline.load_places())
    report = services.import_hotline(path=demo_hotline.write_csv(tmp_path / "feb.csv", rows), actor=world.alice)
    assert report.created == 20 and Complaint.history.count() == 20
    for complaint in Complaint.objects.all():
        (entry,) = complaint.history.all()
        assert (entry.history_type, entry.history_user, entry.history_change_reason) == ("+", world.alice, None)
        assert entry.history_date == complaint.created_at == complaint.updated_at
        for name in ("external_no", "received_at", "due_date", "content", "status", "community_id", "street_id",
                     "violation_type_id", "department_id", "confidence", "repeat_count", "needs_consultation",
                     "duplicate_of_id", "batch_id"):
            assert getattr(entry, name) == getattr(complaint, name), name
    assert ImportBatch.objects.get().imported_by == world.alice
