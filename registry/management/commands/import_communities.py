"""import_communities FILE — CSV or XLSX, Chinese or English headers (CONTRACTS.md).
Exit 0 when every row imported, 1 when some were rejected (the good rows are kept),
2 when the file itself cannot be read (nothing imported)."""
import sys

from django.core.management.base import BaseCommand, CommandError
from tqdm import tqdm

from core.errors import ApplicationError
from registry import services


class Command(BaseCommand):
    help = "Import residential communities from CSV/XLSX / 导入住宅小区"

    def add_arguments(self, parser):
        parser.add_argument("file")

    def handle(self, *args, file, verbosity=1, **options):
        def progress(rows):
            return tqdm(rows, desc="导入小区 importing", unit="行", disable=verbosity < 1, file=sys.stderr)

        try:
            report = services.import_communities(path=file, progress=progress)
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
