"""import_inventory FILE — the illegal-construction inventory from CSV or XLSX, Chinese or English headers
(README: 存量违建台账文件). Exit 0 when every row imported, 1 when some were rejected (the good rows are kept),
2 when the file itself cannot be read (nothing imported). Idempotent by ledger number, or by (community,
location, date found) for rows without one."""
from pathlib import Path

from django.core.management.base import CommandError

from core.management.table_import import TableImportCommand
from programme import imports


class Command(TableImportCommand):
    help = "Import the illegal-construction inventory from CSV/XLSX / 导入存量违建台账"
    progress_label = "导入违建台账 importing"

    def add_arguments(self, parser):
        super().add_arguments(parser)
        parser.add_argument("--user", default="",
                            help="import as this user (their scope and name in the history); default: the system")

    def run_import(self, *, path, progress, user="", **options):
        actor = None
        if user:
            from accounts.models import User

            actor = User.objects.filter(username=user, is_active=True).first()
            if actor is None:
                raise CommandError(f"用户不存在 / no such active user: {user}", returncode=2)
        return imports.import_inventory(path=path, actor=actor, file_name=Path(path).name, progress=progress)
