"""import_populations: resident population per street and year (投诉万人比's denominator), CSV or XLSX, Chinese or
English headers; bad rows reported bilingually by line, good rows kept, nothing half-written; an existing
(street, year) is updated; the same exit codes as the other imports; the admin page is the administrator's."""
import pytest

from registry.models import StreetPopulation
from registry.tests.test_import_streets import run, write_csv, write_xlsx

pytestmark = pytest.mark.django_db

ROWS = [
    ["曹杨新村街道", "2026", "101,500"],   # line 2: new year of a street
    ["长风", "2025", "111000"],           # line 3: short name; updates the world's 2025 row (110,000)
    ["徐家汇街道", "2026", "90000"],        # line 4: not a street of the district
    ["长风新村街道", "20x6", "1000"],       # line 5: bad year
    ["长风新村街道", "2026", "-5"],         # line 6: bad population
    ["曹杨新村街道", "2026", "102000"],     # line 7: repeated in the file
    ["长风新村街道", "2024", "0"],          # line 8: zero population
]


def test_csv_import_reports_bad_rows_and_keeps_good_ones(world, tmp_path, capsys):
    code, out, err = run("import_populations", write_csv(tmp_path / "pop.csv", ROWS, ["街镇", "年份", "常住人口"]),
                         capsys)
    assert code == 1
    lines = [line for line in err.splitlines() if line.strip()]
    assert len(lines) == 5
    for number, word, word_en in [(4, "不是本区的街镇", "not a street"), (5, "年份", "year"), (6, "常住人口", "population"),
                                  (7, "重复", "repeated"), (8, "常住人口", "population")]:
        line = next(text for text in lines if f"第{number}行" in text or f"{number}" in text.split()[0])
        assert word in line and word_en in line, line
    assert "新增 created 1" in out and "更新 updated 1" in out
    assert StreetPopulation.objects.get(street=world.caoyang, year=2026).population == 101_500
    assert StreetPopulation.objects.get(street=world.changfeng, year=2025).population == 111_000
    assert not StreetPopulation.objects.filter(street=world.changfeng, year=2026).exists()


def test_xlsx_with_english_headers_updates_and_a_second_run_changes_nothing(world, tmp_path, capsys):
    rows = [["曹杨新村街道", 2025, 99_000], ["长风新村街道", 2026, 112_000]]
    path = write_xlsx(tmp_path / "pop.xlsx", rows, ["street", "year", "population"])
    code, out, _err = run("import_populations", path, capsys)
    assert code == 0 and "新增 created 1" in out and "更新 updated 1" in out
    assert StreetPopulation.objects.get(street=world.caoyang, year=2025).population == 99_000
    history = StreetPopulation.history.count()
    code, out, _err = run("import_populations", path, capsys)
    assert code == 0 and "未变 unchanged 2" in out
    assert StreetPopulation.history.count() == history  # nothing saved again


def test_unreadable_file_is_exit_2_and_imports_nothing(world, tmp_path, capsys):
    before = StreetPopulation.objects.count()
    path = tmp_path / "pop.pdf"
    path.write_bytes(b"%PDF")
    code, _out, err = run("import_populations", path, capsys)
    assert code == 2 and "CSV" in err
    code, _out, err = run("import_populations", write_csv(tmp_path / "nohead.csv", [["曹杨新村街道", "2026"]],
                                                           ["街镇", "年份"]), capsys)
    assert code == 2
    assert StreetPopulation.objects.count() == before


def test_population_admin_is_the_administrators_only(world, client):
    client.force_login(world.ada)
    assert client.get("/admin/registry/streetpopulation/").status_code == 200
    record = StreetPopulation.objects.get(street=world.caoyang, year=2025)
    assert client.get(f"/admin/registry/streetpopulation/{record.pk}/change/").status_code == 200
    for persona in ("alice", "sam", "hana", "paul"):
        client.force_login(getattr(world, persona))
        assert client.get("/admin/registry/streetpopulation/").status_code in (302, 403), persona
