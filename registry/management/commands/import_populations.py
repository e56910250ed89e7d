"""import_populations FILE — resident population per street and year from CSV or XLSX, Chinese or English
headers (CONTRACTS.md: 街镇/street, 年份/year, 常住人口/population): the denominator of 投诉万人比. A row for an
existing (street, year) updates it. Exit 0 when every row imported, 1 when some were rejected (the good rows are
kept, each row all or nothing), 2 when the file itself cannot be read (nothing imported)."""
from core.management.table_import import TableImportCommand
from registry import services


class Command(TableImportCommand):
    help = "Import resident populations per street and year from CSV/XLSX / 导入街镇常住人口"
    progress_label = "导入人口 importing"

    def add_arguments(self, parser):
        super().add_arguments(parser)
        parser.add_argument("--district", default="",
                            help="the district (name or code) the file belongs to, when several share the "
                                 "installation / 文件所属的区（名称或区划代码）")

    def run_import(self, *, path, progress, district="", **options):
        district = services.district_named(district) if district else None
        return services.import_populations(path=path, progress=progress, district=district)
