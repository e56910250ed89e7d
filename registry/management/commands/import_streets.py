"""import_streets FILE — the district's streets and towns from CSV or XLSX, Chinese or English headers
(CONTRACTS.md: 街镇/name, 代码/code, 类型/kind, 简称/short_name). Idempotent by name. On an empty
installation the district itself is created, named by the ANJU_DISTRICT_NAME setting.
Exit 0 when every row imported, 1 when some were rejected (the good rows are kept),
2 when the file itself cannot be read (nothing imported)."""
from core.management.table_import import TableImportCommand
from registry import services


class Command(TableImportCommand):
    help = "Import the district's streets and towns from CSV/XLSX / 导入街镇"
    progress_label = "导入街镇 importing"

    def add_arguments(self, parser):
        super().add_arguments(parser)
        parser.add_argument("--district", default="",
                            help="the district (name or code) the file belongs to, when several share the "
                                 "installation / 文件所属的区（名称或区划代码）")

    def run_import(self, *, path, progress, district="", **options):
        district = services.district_named(district) if district else None
        return services.import_streets(path=path, progress=progress, district=district)
