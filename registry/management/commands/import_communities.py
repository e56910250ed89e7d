"""import_communities FILE — CSV or XLSX, Chinese or English headers (CONTRACTS.md).
Exit 0 when every row imported, 1 when some were rejected (the good rows are kept),
2 when the file itself cannot be read, or no streets are registered yet (nothing imported)."""
from registry.management.district_import import DistrictTableImportCommand


class Command(DistrictTableImportCommand):
    help = "Import residential communities from CSV/XLSX / 导入住宅小区"
    progress_label = "导入小区 importing"
    service = "import_communities"
