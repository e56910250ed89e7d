"""import_streets FILE — the district's streets and towns from CSV or XLSX, Chinese or English headers
(CONTRACTS.md: 街镇/name, 代码/code, 类型/kind, 简称/short_name). Idempotent by name. On an empty
installation the district itself is created, named by the ANJU_DISTRICT_NAME setting.
Exit 0 when every row imported, 1 when some were rejected (the good rows are kept),
2 when the file itself cannot be read (nothing imported)."""
from registry.management.district_import import DistrictTableImportCommand


class Command(DistrictTableImportCommand):
    help = "Import the district's streets and towns from CSV/XLSX / 导入街镇"
    progress_label = "导入街镇 importing"
    service = "import_streets"
