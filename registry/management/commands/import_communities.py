"""import_communities FILE — CSV or XLSX, Chinese or English headers (CONTRACTS.md).
Exit 0 when every row imported, 1 when some were rejected (the good rows are kept),
2 when the file itself cannot be read, or no streets are registered yet (nothing imported)."""
from core.management.table_import import TableImportCommand
from registry import services


class Command(TableImportCommand):
    help = "Import residential communities from CSV/XLSX / 导入住宅小区"
    progress_label = "导入小区 importing"

    def add_arguments(self, parser):
        super().add_arguments(parser)
        parser.add_argument("--district", default="",
                            help="the district (name or code) the file belongs to, when several share the "
                                 "installation / 文件所属的区（名称或区划代码）")

    def run_import(self, *, path, progress, district="", **options):
        district = services.district_named(district) if district else None
        return services.import_communities(path=path, progress=progress, district=district)
