"""import_inventory FILE — the illegal-construction inventory from CSV or XLSX, Chinese or English headers
(README: 存量违建台账文件). Exit 0 when every row imported, 1 when some were rejected (the good rows are kept),
2 when the file itself cannot be read (nothing imported). Idempotent by ledger number, or by (community,
location, date found) for rows without one."""
import sys
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from tqdm import tqdm

from core.errors import ApplicationError
from programme import imports


class Command(BaseCommand):
    help = "Import the illegal-construction inventory from CSV/XLSX / 导入存量违建台账"

    def add_arguments(self, parser):
        parser.add_argument("file")
        parser.add_argument("--user", default="",
                            help="import as this user (their scope and name in the history); default: the system")

    def handle(self, *args, file, user="", verbosity=1, **options):
        actor = None
        if user:
            from accounts.models import User

            actor = User.objects.filter(username=user, is_active=True).first()
            if actor is None:
                raise CommandError(f"用户不存在 / no such active user: {user}", returncode=2)

        def progress(rows):
            return tqdm(rows, desc="导入违建台账 importing", unit="行", disable=verbosity < 1, file=sys.stderr)

        try:
            report = imports.import_inventory(path=file, actor=actor, file_name=Path(file).name, progress=progress)
        except ApplicationError as exc:
            raise CommandError(str(exc), returncode=2) from exc
        for error in report.errors:
            self.stderr.write(str(error))
        self.stdout.write(
            f"新增 created {report.created}，更新 updated {report.updated}，未变 unchanged {report.unchanged}，"
            f"错误 rejected {len(report.errors)}"
        )
        if report.errors:
            sys.exit(1)
