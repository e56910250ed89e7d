"""The registry imports that take --district (import_streets, import_communities, import_populations): the same
option and the same call of their registry.services function with the district found by name or code."""
from core.management.table_import import TableImportCommand
from registry import services


class DistrictTableImportCommand(TableImportCommand):
    service = ""  # the name of the registry.services import function

    def add_arguments(self, parser):
        super().add_arguments(parser)
        parser.add_argument("--district", default="",
                            help="the district (name or code) the file belongs to, when several share the "
                                 "installation / 文件所属的区（名称或区划代码）")

    def run_import(self, *, path, progress, district="", **options):
        district = services.district_named(district) if district else None
        return getattr(services, self.service)(path=path, progress=progress, district=district)
