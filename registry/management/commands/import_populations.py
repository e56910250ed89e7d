"""import_populations FILE — resident population per street and year from CSV or XLSX, Chinese or English
headers (CONTRACTS.md: 街镇/street, 年份/year, 常住人口/population): the denominator of 投诉万人比. A row for an
existing (street, year) updates it. Exit 0 when every row imported, 1 when some were rejected (the good rows are
kept, each row all or nothing), 2 when the file itself cannot be read (nothing imported)."""
from registry.management.district_import import DistrictTableImportCommand


class Command(DistrictTableImportCommand):
    help = "Import resident populations per street and year from CSV/XLSX / 导入街镇常住人口"
    progress_label = "导入人口 importing"
    service = "import_populations"
