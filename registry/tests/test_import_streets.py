"""import_streets: a new installation sets up its district's streets without the demo, then imports its
communities; bad rows reported by line, good rows kept, a re-import creates nothing and writes no history."""
import csv

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from openpyxl import Workbook

from registry.models import Community, District, Street
from tests.personas import make_user

pytestmark = pytest.mark.django_db

HEADERS_ZH = ["街镇", "代码", "类型", "简称"]
HEADERS_EN = ["name", "code", "kind", "short_name"]
# Putuo's streets and towns with their statistical codes, and three bad rows (lines 5, 8 and 10).
ROWS = [
    ["长寿路街道", "310107015", "街道", "长寿"],
    ["曹杨新村街道", "310107005", "街道", "曹杨"],
    ["长风新村街道", "310107014", "街道", "长风"],
    ["", "310107016", "街道", "宜川"],  # line 5: no name
    ["宜川路街道", "310107016", "街道", "宜川"],
    ["甘泉路街道", "310107017", "街道", "甘泉"],
    ["曹杨新村街道", "310107005", "街道", "曹杨"],  # line 8: repeated in the file
    ["石泉路街道", "310107018", "街道", "石泉"],
    ["万里街道", "3101070x9", "街道", "万里"],  # line 10: bad code
    ["真如镇街道", "310107021", "街道", "真如"],
    ["长征镇", "310107102", "镇", "长征"],
    ["桃浦镇", "310107103", "镇", "桃浦"],
]
BAD_LINES = {5: "缺少街镇名称", 8: "重复", 10: "9位"}
GOOD = 9


def write_csv(path, rows, headers=HEADERS_ZH, encoding="utf-8-sig"):
    with open(path, "w", newline="", encoding=encoding) as handle:
        writer = csv.writer(handle)
        writer.writerow(headers)
        writer.writerows(rows)
    return path


def write_xlsx(path, rows, headers=HEADERS_EN):
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(headers)
    for row in rows:
        sheet.append(row)
    workbook.save(path)
    return path


def run(command, path, capsys):
    """(exit status, stdout, stderr) of a command as the shell would see them."""
    try:
        call_command(command, str(path), verbosity=0)
        code = 0
    except SystemExit as exc:
        code = exc.code
    except CommandError as exc:
        captured = capsys.readouterr()
        return exc.returncode, captured.out, str(exc)
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def history_total():
    return District.history.count() + Street.history.count()


def test_empty_installation_gets_its_district_and_streets(tmp_path, capsys, settings):
    settings.ANJU_DISTRICT_NAME = "普陀区"
    assert not District.objects.exists()

    code, out, err = run("import_streets", write_csv(tmp_path / "streets.csv", ROWS), capsys)

    assert code == 1
    error_lines = [line for line in err.splitlines() if line.strip()]
    assert len(error_lines) == len(BAD_LINES)
    for (line, words), message in zip(sorted(BAD_LINES.items()), error_lines, strict=True):
        assert message.startswith(f"第{line}行 / line {line}:") and words in message
    assert "首次出现于第3行" in error_lines[1]  # the repeat names where the street first appeared
    assert f"新增 created {GOOD}" in out
    district = District.objects.get()
    assert district.name == "普陀区" and district.code == ""
    assert Street.objects.filter(district=district).count() == GOOD
    changzheng = Street.objects.get(name="长征镇")
    assert (changzheng.code, changzheng.kind, changzheng.short_name) == ("310107102", "TOWN", "长征")
    assert not Street.objects.filter(name="万里街道").exists()


def test_district_is_named_by_the_setting(tmp_path, capsys, settings):
    settings.ANJU_DISTRICT_NAME = "静安区"
    code, _, _ = run("import_streets", write_csv(tmp_path / "s.csv", [["江宁路街道", "310106006", "街道", "江宁"]]),
                     capsys)
    assert code == 0
    assert Street.objects.get().district.name == "静安区"


def test_a_file_of_bad_rows_creates_no_district(tmp_path, capsys):
    code, _, err = run("import_streets", write_csv(tmp_path / "s.csv", [["", "310107015", "街道", ""],
                                                                       ["长寿路街道", "123", "街道", ""]]), capsys)
    assert code == 1 and err.count("行") == 2
    assert not District.objects.exists() and not Street.objects.exists()


def test_reimport_creates_nothing_and_writes_no_history(tmp_path, capsys):
    path = write_csv(tmp_path / "streets.csv", ROWS)
    run("import_streets", path, capsys)
    before = (District.objects.count(), Street.objects.count(), history_total())

    code, out, err = run("import_streets", path, capsys)

    assert code == 1 and len(err.strip().splitlines()) == len(BAD_LINES)
    assert f"新增 created 0，更新 updated 0，未变 unchanged {GOOD}" in out
    assert (District.objects.count(), Street.objects.count(), history_total()) == before


def test_reimport_updates_a_changed_street_in_place(tmp_path, capsys):
    run("import_streets", write_csv(tmp_path / "a.csv", ROWS[:3]), capsys)
    changed = [["长寿路街道", "310107015", "街道", "长寿路"]]
    code, out, _ = run("import_streets", write_csv(tmp_path / "b.csv", changed), capsys)
    assert code == 0 and "更新 updated 1" in out
    street = Street.objects.get(name="长寿路街道")
    assert street.short_name == "长寿路" and street.history.count() == 2
    # a file without the optional columns keeps what they held
    code, out, _ = run("import_streets", write_csv(tmp_path / "c.csv", [["长寿路街道"]], headers=["街镇"]), capsys)
    assert code == 0 and "未变 unchanged 1" in out
    street.refresh_from_db()
    assert (street.code, street.short_name) == ("310107015", "长寿路")


def test_xlsx_with_english_headers_and_english_kinds(tmp_path, capsys):
    rows = [["长寿路街道", "310107015", "Street", "长寿"], ["长征镇", 310107102, "town", "长征"],
            ["桃浦镇", None, None, None], ["万里街道", "310107019", "县", "万里"]]

    code, out, err = run("import_streets", write_xlsx(tmp_path / "streets.xlsx", rows), capsys)

    assert code == 1 and err.startswith("第5行") and "县" in err
    assert {s.name: (s.code, s.kind) for s in Street.objects.all()} == {
        "长寿路街道": ("310107015", "SUBDISTRICT"),
        "长征镇": ("310107102", "TOWN"),  # a number cell is read as the code
        "桃浦镇": ("", "TOWN"),  # no kind given: …镇 is a town
    }


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig"])
def test_utf8_with_or_without_bom(tmp_path, capsys, encoding):
    path = write_csv(tmp_path / "s.csv", [r for r in ROWS if r[0]][:3], encoding=encoding)
    code, out, _ = run("import_streets", path, capsys)
    assert code == 0 and "新增 created 3" in out
    assert Street.objects.filter(name="曹杨新村街道", short_name="曹杨").exists()


def test_unreadable_file_exits_2_and_imports_nothing(tmp_path, capsys):
    wrong = tmp_path / "wrong.csv"
    wrong.write_text("foo,bar\n长寿路街道,1\n", encoding="utf-8")
    code, _, message = run("import_streets", wrong, capsys)
    assert code == 2 and "缺少必需的列" in message and "街镇/name" in message
    code, _, message = run("import_streets", tmp_path / "missing.csv", capsys)
    assert code == 2 and "文件不存在" in message
    text = tmp_path / "streets.pdf"
    text.write_bytes(b"%PDF-1.4")
    assert run("import_streets", text, capsys)[0] == 2
    assert not District.objects.exists() and not Street.objects.exists()


def test_codes_and_short_names_stay_unique_and_inside_the_district(world, tmp_path, capsys):
    world.district.code = "310107"
    world.district.save()
    rows = [["宜川路街道", "310106016", "街道", "宜川"],  # line 2: another district's code
            ["甘泉路街道", "310107017", "街道", "曹杨"],  # line 3: 曹杨 is 曹杨新村街道's
            ["石泉路街道", "310107017", "街道", "石泉"]]  # line 4: the code line 3 would have had is free
    code, out, err = run("import_streets", write_csv(tmp_path / "s.csv", rows), capsys)
    assert code == 1
    lines = err.strip().splitlines()
    assert lines[0].startswith("第2行") and "310107" in lines[0]
    assert lines[1].startswith("第3行") and "曹杨新村街道" in lines[1]
    assert "新增 created 1" in out
    assert District.objects.count() == 1  # the world's district, whatever the setting says
    assert Street.objects.get(name="石泉路街道").district == world.district


def test_empty_installation_streets_then_communities(tmp_path, capsys):
    code, _, _ = run("import_streets", write_csv(tmp_path / "streets.csv", ROWS), capsys)
    assert code == 1  # the three bad rows of ROWS
    communities = tmp_path / "communities.csv"
    with open(communities, "w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(["名称", "地址", "街镇", "居委会", "户数"])
        writer.writerow(["兰溪新苑", "兰溪路100弄", "曹杨新村街道", "兰溪居委会", "600"])
        writer.writerow(["长征花园", "真北路1000弄", "长征", "", "800"])  # the short name is enough

    code, out, err = run("import_communities", communities, capsys)

    assert (code, err) == (0, "")
    assert "新增 created 2" in out
    assert Community.objects.get(name="长征花园").street.name == "长征镇"
    assert Community.objects.get(name="兰溪新苑").committee.street.name == "曹杨新村街道"


def test_import_communities_on_an_empty_district_names_import_streets(tmp_path, capsys):
    path = tmp_path / "communities.csv"
    path.write_text("名称,地址,街镇\n兰溪新苑,兰溪路100弄,曹杨新村街道\n", encoding="utf-8")
    District.objects.create(name="普陀区")  # a district entered in the admin, no streets yet
    for _ in range(2):
        code, _, message = run("import_communities", path, capsys)
        assert code == 2
        assert "import_streets" in message
        assert "请先" in message and "街镇" in message  # Chinese
        assert "No streets/towns are registered yet" in message  # and English
        District.objects.all().delete()
    assert not Community.objects.exists()


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_street_export_imports_back_unchanged(client, tmp_path, capsys, fmt):
    run("import_streets", write_csv(tmp_path / "streets.csv", ROWS), capsys)
    before = history_total()
    admin = make_user("ada", "ADMIN", is_staff=True, is_superuser=True)
    client.force_login(admin)
    response = client.get("/registry/streets/", {"export": fmt})
    exported = tmp_path / f"export.{fmt}"
    exported.write_bytes(b"".join(response.streaming_content) if fmt == "csv" else b"".join(response))

    code, out, err = run("import_streets", exported, capsys)

    assert (code, err) == (0, "")
    assert f"新增 created 0，更新 updated 0，未变 unchanged {GOOD}" in out
    assert history_total() == before


def test_street_export_in_english_imports_back_unchanged(client, tmp_path, capsys):
    """An English reader's export says Street / Town for the kind; the import reads those too."""
    run("import_streets", write_csv(tmp_path / "streets.csv", ROWS), capsys)
    client.force_login(make_user("ada", "ADMIN", is_staff=True, is_superuser=True))
    response = client.get("/registry/streets/", {"export": "csv"}, HTTP_ACCEPT_LANGUAGE="en")
    body = b"".join(response.streaming_content)
    assert ",Street," in body.decode("utf-8-sig") and ",Town," in body.decode("utf-8-sig")
    exported = tmp_path / "export.csv"
    exported.write_bytes(body)
    code, out, _ = run("import_streets", exported, capsys)
    assert code == 0 and f"未变 unchanged {GOOD}" in out
