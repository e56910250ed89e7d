"""The shape the table-import commands share (import_communities, import_streets, import_inventory): FILE in,
a per-row error report on stderr, a summary on stdout; exit 0 when every row imported, 1 when some were
rejected (the good rows are kept), 2 when the file itself cannot be read (nothing imported)."""
import sys

from django.core.management.base import BaseCommand, CommandError
from tqdm import tqdm

from core.errors import ApplicationError


class TableImportCommand(BaseCommand):
    progress_label = "导入 importing"

    def run_import(self, *, path, progress, **options):
        """The service call; returns a report with created, updated, unchanged and errors. A CommandError
        raised here (e.g. an unknown --user) ends the command with its own exit code."""
        raise NotImplementedError

    def add_arguments(self, parser):
        parser.add_argument("file")

    def handle(self, *args, file, verbosity=1, **options):
        def progress(rows):
            return tqdm(rows, desc=self.progress_label, unit="行", disable=verbosity < 1, file=sys.stderr)

        try:
            report = self.run_import(path=file, progress=progress, **options)
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
