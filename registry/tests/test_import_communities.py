"""import_communities: 100 rows with 5 bad ones; good rows kept, bad rows reported by line, re-import idempotent."""
import csv

import pytest
from django.core.management import call_command
from openpyxl import Workbook

from registry.models import Community, CommunityAddress, ProjectManager, PropertyCompany
from tests.personas import valid_code

pytestmark = pytest.mark.django_db

HEADERS_ZH = ["名称", "别名", "地址", "街镇", "居委会", "户数", "人口", "物业企业", "统一社会信用代码", "项目经理",
              "纬度", "经度", "分级"]
HEADERS_EN = ["name", "aliases", "addresses", "street", "committee", "households", "population", "property_company",
              "credit_code", "project_manager", "lat", "lng", "grade"]
BAD = {  # data row index (0-based) → (column, bad value, words the reason must contain)
    7: ("街镇", "静安寺街道", "静安寺街道"),
    23: ("统一社会信用代码", "91310107MA1G00009X", "校验位"),
    41: ("户数", "八百", "户数"),
    66: ("地址", "兰溪路那边的小区", "无法解析"),
    88: ("纬度", "131.5", "纬度"),
}


def _rows():
    rows = []
    for i in range(100):
        street = "曹杨新村街道" if i % 2 else "长风新村"  # short form of 长风新村街道 is accepted too
        company = i % 4
        rows.append({
            "名称": f"测试小区{i:03d}",
            "别名": f"测试{i:03d}号小区；老测试{i:03d}" if i % 3 == 0 else "",
            "地址": f"兰溪路{100 + i}弄；枣阳路{500 + i}号" if i % 5 == 0 else f"铜川路{1000 + i}弄",
            "街镇": street,
            "居委会": f"测试{i % 7}居委会",
            "户数": str(200 + i),
            "人口": f"{(200 + i) * 2:,}",
            "物业企业": f"上海测试{company}物业有限公司",
            "统一社会信用代码": valid_code(f"91310107MA1T0000{company}"),
            "项目经理": f"经理{company}{i % 2}",
            "纬度": "31.25",
            "经度": "121.40",
            "分级": "ABC"[i % 3],
        })
    for index, (column, value, _) in BAD.items():
        rows[index][column] = value
    return rows


def write_csv(path, rows, headers=HEADERS_ZH):
    with open(path, "w", newline="", encoding="utf-8-sig") as handle:
        writer = csv.writer(handle)
        writer.writerow(headers)
        for row in rows:
            writer.writerow([row[h] for h in HEADERS_ZH])


def write_xlsx(path, rows, headers=HEADERS_EN):
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(headers)
    for row in rows:
        sheet.append([row[h] for h in HEADERS_ZH])
    workbook.save(path)


def _run(path, capsys):
    with pytest.raises(SystemExit) as exit_info:
        call_command("import_communities", str(path), verbosity=0)
    captured = capsys.readouterr()
    return exit_info.value.code, captured.out, captured.err


def _history_total():
    return sum(model.history.count() for model in (Community, CommunityAddress, PropertyCompany, ProjectManager))


def test_import_keeps_95_good_rows_and_reports_5_bad_ones_by_line(world, tmp_path, capsys):
    path = tmp_path / "communities.csv"
    write_csv(path, _rows())
    before = Community.objects.count()

    code, out, err = _run(path, capsys)

    assert code == 1
    assert Community.objects.count() - before == 95
    error_lines = [line for line in err.splitlines() if line.strip()]
    assert len(error_lines) == 5
    for (index, (_, _, words)), line in zip(sorted(BAD.items()), error_lines, strict=True):
        assert line.startswith(f"第{index + 2}行")  # header is line 1, data row 0 is line 2
        assert words in line
    assert "新增 created 95" in out
    for index in BAD:
        assert not Community.objects.filter(name=f"测试小区{index:03d}").exists()


def test_a_bad_row_leaves_nothing_half_stored(world, tmp_path, capsys):
    rows = _rows()[:1]
    rows[0]["统一社会信用代码"] = valid_code("91310107MA1NEW001")
    rows[0]["物业企业"] = "全新物业有限公司"
    rows[0]["地址"] = "无法解析的地址"
    path = tmp_path / "one.csv"
    write_csv(path, rows)
    code, _, _ = _run(path, capsys)
    assert code == 1
    assert not PropertyCompany.objects.filter(name="全新物业有限公司").exists()


def test_second_import_changes_nothing(world, tmp_path, capsys):
    path = tmp_path / "communities.csv"
    write_csv(path, _rows())
    _run(path, capsys)
    count, addresses, history = Community.objects.count(), CommunityAddress.objects.count(), _history_total()

    code, out, err = _run(path, capsys)

    assert code == 1 and len(err.strip().splitlines()) == 5
    assert "新增 created 0，更新 updated 0，未变 unchanged 95" in out
    assert (Community.objects.count(), CommunityAddress.objects.count(), _history_total()) == (count, addresses, history)


def test_reimport_updates_in_place_and_keeps_history(world, tmp_path, capsys):
    rows = [r for i, r in enumerate(_rows()) if i not in BAD]
    path = tmp_path / "good.csv"
    write_csv(path, rows)
    call_command("import_communities", str(path), verbosity=0)
    rows[0]["户数"] = "999"
    rows[0]["地址"] = "兰溪路100弄"
    write_csv(path, rows)

    call_command("import_communities", str(path), verbosity=0)

    community = Community.objects.get(name="测试小区000")
    assert community.households == 999
    assert [a.label for a in community.addresses.all()] == ["兰溪路100弄"]
    assert community.history.count() == 2
    assert Community.objects.filter(name="测试小区000").count() == 1


def test_xlsx_with_english_headers_imports_the_same(world, tmp_path, capsys):
    path = tmp_path / "communities.xlsx"
    write_xlsx(path, _rows())
    code, out, err = _run(path, capsys)
    assert code == 1
    assert len(err.strip().splitlines()) == 5
    community = Community.objects.get(name="测试小区000")
    assert sorted(a.label for a in community.addresses.all()) == ["兰溪路100弄", "枣阳路500号"]
    assert sorted(a.name for a in community.aliases.all()) == sorted(["老测试000", "测试000号小区"])
    assert community.property_company.credit_code == valid_code("91310107MA1T00000")
    assert community.street == world.changfeng


def test_clean_file_exits_zero(world, tmp_path):
    rows = [r for i, r in enumerate(_rows()) if i not in BAD][:10]
    path = tmp_path / "clean.csv"
    write_csv(path, rows)
    call_command("import_communities", str(path), verbosity=0)  # no SystemExit: exit status 0
    assert Community.objects.filter(name__startswith="测试小区").count() == 10


def test_unreadable_file_is_refused_whole(world, tmp_path):
    from django.core.management.base import CommandError

    path = tmp_path / "wrong.csv"
    path.write_text("foo,bar\n1,2\n", encoding="utf-8")
    with pytest.raises(CommandError) as info:
        call_command("import_communities", str(path), verbosity=0)
    assert "缺少必需的列" in str(info.value) and info.value.returncode == 2
    with pytest.raises(CommandError):
        call_command("import_communities", str(tmp_path / "missing.csv"), verbosity=0)


def test_repeated_community_in_file_is_reported(world, tmp_path, capsys):
    rows = [r for i, r in enumerate(_rows()) if i not in BAD][:3]
    rows.append(dict(rows[0]))
    path = tmp_path / "dup.csv"
    write_csv(path, rows)
    code, _, err = _run(path, capsys)
    assert code == 1 and "第5行" in err and "重复" in err


def test_export_reimports_unchanged(world, client, tmp_path, capsys):
    """The community export uses the import's headers, so it round-trips."""
    client.force_login(world.ada)
    data = b"".join(client.get("/registry/communities/?export=csv").streaming_content)
    path = tmp_path / "export.csv"
    path.write_bytes(data)
    call_command("import_communities", str(path), verbosity=0)
    out = capsys.readouterr().out
    assert "新增 created 0，更新 updated 0，未变 unchanged 3" in out
