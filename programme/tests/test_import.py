"""Import of the inventory file: bad rows reported with line and reason while good rows are kept, each row all
or nothing, idempotent, Chinese or English headers, CSV or XLSX; the export imports back unchanged; the command's
exit codes."""
import csv
import io
from datetime import timedelta

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import reverse
from django.utils import timezone
from openpyxl import Workbook, load_workbook

from programme import imports, services
from programme.choices import StructureStatus as S
from programme.models import IllegalStructure
from programme.tests.helpers import days_ago, item

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate()
HEADER = ["台账编号", "小区", "街镇", "具体位置", "类别", "发现日期", "面积（㎡）", "结构", "状态", "处置措施",
          "计划完成日期", "销项日期", "备注"]


def write_csv(path, rows, header=HEADER):
    with open(path, "w", encoding="utf-8-sig", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(header)
        writer.writerows(rows)
    return path


def write_xlsx(path, rows, header):
    book = Workbook()
    sheet = book.active
    sheet.append(header)
    for row in rows:
        sheet.append(row)
    book.save(path)
    return path


def good_rows():
    return [
        ["", "兰溪一村", "曹杨新村街道", "5号楼 屋顶平台", "存量违建", "2023-07-05", "35.5", "彩钢板", "在办", "责令改正",
         f"{TODAY.year}-12-31", "", "已送达告知书"],
        ["", "金沙雅苑", "长风新村街道", "12号楼602室 阳台外挑", "存量", "2022/8/1", "6㎡", "玻璃/阳光房", "已拆除", "拆除",
         "", (TODAY - timedelta(days=40)).isoformat(), ""],
        ["", "云岭花园", "", "3号楼底层 天井", "新增（在建）", (TODAY - timedelta(days=5)).isoformat(), "12", "钢结构",
         "存量", "", "", "", ""],
    ]


def bad_rows():
    future = (TODAY + timedelta(days=3)).isoformat()
    return [
        ["", "不存在小区", "曹杨新村街道", "1号楼 屋顶", "存量违建", "2023-01-01", "10", "砖混", "存量", "", "", "", ""],
        ["", "兰溪一村", "曹杨新村街道", "2号楼 屋顶", "存量违建", "2023-13-01", "10", "砖混", "存量", "", "", "", ""],
        ["", "兰溪一村", "曹杨新村街道", "3号楼 屋顶", "存量违建", "2023-01-01", "0", "砖混", "存量", "", "", "", ""],
        ["", "兰溪一村", "曹杨新村街道", "4号楼 屋顶", "存量违建", future, "10", "砖混", "存量", "", "", "", ""],
        ["", "兰溪一村", "曹杨新村街道", "5号楼 天井", "存量违建", "2023-01-01", "10", "砖混", "拆掉了", "", "", "", ""],
        ["", "兰溪一村", "曹杨新村街道", "6号楼 天井", "存量违建", "2023-01-01", "10", "砖混", "已拆除", "", "", "", ""],
        ["", "兰溪一村", "火星街道", "7号楼 天井", "存量违建", "2023-01-01", "10", "砖混", "存量", "", "", "", ""],
        ["", "兰溪一村", "曹杨新村街道", "5号楼 屋顶平台", "存量违建", "2023-07-05", "35.5", "彩钢板", "在办", "", "", "",
         ""],  # the first good row again
    ]


EXPECTED_ERRORS = {
    5: "小区“不存在小区”未登记",
    6: "发现日期“2023-13-01”不是有效日期",
    7: "面积须大于0",
    8: "发现日期不能晚于今天",
    9: "状态“拆掉了”无法识别",
    10: "已销项的条目须填写销项日期",
    11: "街镇“火星街道”不属于本区",
    12: "与第2行重复",
}


def test_bad_rows_are_reported_by_line_and_the_good_rows_are_kept(world, tmp_path):
    path = write_csv(tmp_path / "台账.csv", good_rows() + bad_rows())
    report = imports.import_inventory(path=path, actor=world.alice, file_name="台账.csv")
    assert (report.rows, report.created, report.updated, report.unchanged) == (11, 3, 0, 0)
    assert {e.line: e.reason for e in report.errors}.keys() == EXPECTED_ERRORS.keys()
    for error in report.errors:
        assert EXPECTED_ERRORS[error.line] in error.reason, (error.line, error.reason)
        assert " / " in error.reason  # the English half too
    rows = {s.location: s for s in IllegalStructure.objects.select_related("community")}
    assert set(rows) == {"5号楼 屋顶平台", "12号楼602室 阳台外挑", "3号楼底层 天井"}
    first = rows["5号楼 屋顶平台"]
    assert (first.status, first.measure, first.kind, str(first.area_m2), first.note) == (
        S.HANDLING, "ORDER_CORRECT", "EXISTING", "35.50", "已送达告知书")
    demolished = rows["12号楼602室 阳台外挑"]
    assert (demolished.status, demolished.cleared_on, demolished.measure) == (
        S.DEMOLISHED, TODAY - timedelta(days=40), "DEMOLISH")
    assert rows["3号楼底层 天井"].community == world.changfeng_a  # the only 云岭花园: no street needed
    assert first.history.get().history_change_reason == "导入 台账.csv"


def test_a_second_import_of_the_same_file_changes_nothing(world, tmp_path):
    path = write_csv(tmp_path / "a.csv", good_rows())
    imports.import_inventory(path=path, actor=world.alice)
    numbers = set(IllegalStructure.objects.values_list("number", flat=True))
    history = IllegalStructure.history.count()
    report = imports.import_inventory(path=path, actor=world.alice)
    assert (report.created, report.updated, report.unchanged, report.errors) == (0, 0, 3, [])
    assert set(IllegalStructure.objects.values_list("number", flat=True)) == numbers
    assert IllegalStructure.history.count() == history


def test_a_row_with_a_number_updates_that_item(world, tmp_path):
    a = item(world, location="9号楼 屋顶", found_on=days_ago(400))
    row = [a.number, "兰溪一村", "曹杨新村街道", "9号楼 屋顶平台（东）", "存量违建", a.found_on.isoformat(), "14", "砖混",
           "已注记", "", "", days_ago(1).isoformat(), "注记于不动产登记簿"]
    report = imports.import_inventory(path=write_csv(tmp_path / "u.csv", [row]), actor=world.oscar)
    assert (report.updated, report.errors) == (1, [])
    a.refresh_from_db()
    assert (a.location, str(a.area_m2), a.material, a.status, a.measure, a.cleared_on) == (
        "9号楼 屋顶平台（东）", "14.00", "BRICK", S.ANNOTATED, "ANNOTATE", days_ago(1))


def test_english_headers_in_xlsx_with_real_dates_and_numbers(world, tmp_path):
    header = ["number", "community", "street", "location", "kind", "found_on", "area_m2", "structure", "status",
              "measure", "target_date", "cleared_on", "note"]
    rows = [["", "兰溪一村", "曹杨", "8号楼 露台", "EXISTING", days_ago(300), 22.75, "GLASS", "RECTIFIED", "RESTORE",
             None, days_ago(10), None]]
    report = imports.import_inventory(path=write_xlsx(tmp_path / "en.xlsx", rows, header), actor=world.alice)
    assert (report.created, report.errors) == (1, [])
    a = IllegalStructure.objects.get()
    assert (a.found_on, str(a.area_m2), a.material, a.status, a.cleared_on) == (
        days_ago(300), "22.75", "GLASS", S.RECTIFIED, days_ago(10))


def test_a_missing_column_leaves_the_field_alone(world, tmp_path):
    a = item(world, note="保留的备注", target_date=TODAY + timedelta(days=20))
    header = ["台账编号", "小区", "具体位置", "发现日期", "面积"]
    path = write_csv(tmp_path / "few.csv", [[a.number, "兰溪一村", a.location, a.found_on.isoformat(), "13"]], header)
    report = imports.import_inventory(path=path, actor=world.alice)
    assert report.updated == 1
    a.refresh_from_db()
    assert (a.note, a.target_date, str(a.area_m2), a.material) == (
        "保留的备注", TODAY + timedelta(days=20), "13.00", "COLOUR_STEEL")


def test_a_missing_required_column_rejects_the_file(world, tmp_path):
    path = write_csv(tmp_path / "bad.csv", [["兰溪一村", "1号楼"]], ["小区", "具体位置"])
    with pytest.raises(imports.ApplicationError) as info:
        imports.import_inventory(path=path, actor=world.alice)
    assert "发现日期" in info.value.message and "面积" in info.value.message


def test_rows_outside_the_importers_streets_are_refused(world, tmp_path):
    theirs = item(world, community=world.changfeng_b, location="1号楼 屋顶")
    rows = [["", "金沙雅苑", "长风新村街道", "2号楼 屋顶", "存量违建", "2024-01-01", "9", "砖混", "存量", "", "", "", ""],
            [theirs.number, "金沙雅苑", "长风新村街道", "1号楼 屋顶", "存量违建", theirs.found_on.isoformat(), "99", "砖混",
             "存量", "", "", "", ""],
            ["", "兰溪一村", "曹杨新村街道", "2号楼 屋顶", "存量违建", "2024-01-01", "9", "砖混", "存量", "", "", "", ""]]
    report = imports.import_inventory(path=write_csv(tmp_path / "s.csv", rows), actor=world.oscar)
    assert report.created == 1
    assert [(e.line, "范围" in e.reason) for e in report.errors] == [(2, True), (3, True)]
    theirs.refresh_from_db()
    assert str(theirs.area_m2) == "12.50"


def test_an_import_neither_reopens_a_cleared_item_nor_moves_one_a_case_handles(world, tmp_path):
    cleared = item(world, location="1号楼 屋顶", status=S.DEMOLISHED, cleared_on=days_ago(3))
    handled = item(world, location="2号楼 屋顶")
    services.structure_open_case(item=handled, actor=world.oscar)
    rows = [[s.number, "兰溪一村", "曹杨新村街道", s.location, "存量违建", s.found_on.isoformat(), "12.5", "彩钢板", "存量",
             "", "", "", ""] for s in (cleared, handled)]
    report = imports.import_inventory(path=write_csv(tmp_path / "old.csv", rows), actor=world.oscar)
    assert [e.line for e in report.errors] == [2, 3]
    assert "不能重新打开" in report.errors[0].reason and "办理中" in report.errors[1].reason
    assert IllegalStructure.objects.get(pk=cleared.pk).status == S.DEMOLISHED
    assert IllegalStructure.objects.get(pk=handled.pk).status == S.HANDLING


# --- round trip ------------------------------------------------------------------------------------

@pytest.fixture
def ledger(world):
    """A varied small ledger, with texts a spreadsheet would take for formulas."""
    item(world, location="1号楼 屋顶", note="-已拆一半，余下待拆", owner_hint="1号楼601室业主", measure="FINE",
         target_date=TODAY + timedelta(days=30))
    item(world, community=world.changfeng_b, location="=2号楼 天井", kind="NEW", found_on=days_ago(2),
         status=S.DEMOLISHED, cleared_on=days_ago(1), area_m2="7.25", material="WOOD")
    item(world, community=world.changfeng_a, location="3号楼 阳台", status=S.ANNOTATED, cleared_on=days_ago(20),
         area_m2="100", material="GLASS", note="涉及\n两户")
    services.structure_open_case(item=item(world, location="4号楼 露台"), actor=world.alice)
    return list(IllegalStructure.objects.order_by("pk").values())


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_the_export_imports_back_unchanged(client, world, ledger, tmp_path, fmt, language):
    client.force_login(world.alice)
    client.cookies["django_language"] = language
    response = client.get(reverse("programme:inventory"), {"export": fmt})
    assert response.status_code == 200
    content = b"".join(response.streaming_content) if response.streaming else response.content
    path = tmp_path / f"export.{fmt}"
    path.write_bytes(content)
    if fmt == "xlsx":
        header = [c.value for c in next(load_workbook(path).active.iter_rows(max_row=1))]
    else:
        header = next(csv.reader(io.StringIO(content.decode("utf-8-sig"))))
    assert header[0] == ("number" if language == "en" else "台账编号")
    history = IllegalStructure.history.count()
    report = imports.import_inventory(path=path, actor=world.alice)
    assert (report.created, report.updated, report.unchanged, report.errors) == (0, 0, 4, [])
    assert list(IllegalStructure.objects.order_by("pk").values()) == ledger
    assert IllegalStructure.history.count() == history


def test_the_export_of_a_role_without_party_access_leaves_the_owner_out(client, world, ledger):
    client.force_login(world.sam)
    response = client.get(reverse("programme:inventory"), {"export": "csv"})
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    assert "当事人" not in text.splitlines()[0] and "1号楼601室业主" not in text
    assert "金沙雅苑" in text and "兰溪一村" not in text  # 长风's rows only


# --- the command ------------------------------------------------------------------------------------

def test_the_command_exits_0_1_or_2(world, tmp_path, capsys):
    good = write_csv(tmp_path / "good.csv", good_rows())
    call_command("import_inventory", str(good), verbosity=0)
    assert "新增 created 3" in capsys.readouterr().out

    mixed = write_csv(tmp_path / "mixed.csv", good_rows() + bad_rows()[:2])
    with pytest.raises(SystemExit) as exit_info:
        call_command("import_inventory", str(mixed), verbosity=0)
    assert exit_info.value.code == 1
    captured = capsys.readouterr()
    assert "第5行" in captured.err and "未变 unchanged 3" in captured.out

    with pytest.raises(CommandError) as error:
        call_command("import_inventory", str(tmp_path / "missing.xlsx"), verbosity=0)
    assert error.value.returncode == 2
    (tmp_path / "notes.docx").write_bytes(b"PK")
    with pytest.raises(CommandError) as error:
        call_command("import_inventory", str(tmp_path / "notes.docx"), verbosity=0)
    assert error.value.returncode == 2
    assert IllegalStructure.objects.count() == 3


def test_the_command_imports_as_a_user_with_their_scope(world, tmp_path):
    path = write_csv(tmp_path / "all.csv", good_rows())
    with pytest.raises(SystemExit):
        call_command("import_inventory", str(path), "--user", "oscar", verbosity=0)
    assert set(IllegalStructure.objects.values_list("street__name", flat=True)) == {"曹杨新村街道"}
    with pytest.raises(CommandError) as error:
        call_command("import_inventory", str(path), "--user", "nobody", verbosity=0)
    assert error.value.returncode == 2
