"""import_hotline FILE [--district NAME] — 12345 work orders (CONTRACTS.md): each row classified, matched, routed
and de-duplicated; idempotent by work-order number. `--district` (name or code): the district the file belongs to,
whose streets, communities and addresses alone its orders are matched to; required while the installation holds
several districts (without it nothing is imported, exit 2), not needed with one.
Exit 0 when every row imported (or was imported before), 1 when some rows were rejected (the good rows are kept),
2 when the file cannot be read, the district is missing or unknown, or the import could not finish (e.g. its
helper process failed: the chunks written before stay, and running the command again on the same file imports the
rest)."""
import sys
import time

from django.core.management.base import BaseCommand, CommandError
from django.utils import translation
from tqdm import tqdm

from core.errors import ApplicationError
from intake import services
from intake.selectors import type_labels
from registry.services import district_named


class Command(BaseCommand):
    help = "Import 12345 hotline work orders from CSV/XLSX / 导入12345工单"

    def add_arguments(self, parser):
        parser.add_argument("file")
        parser.add_argument("--district", default="",
                            help="the district (name or code) the file belongs to, required when several share the "
                                 "installation / 工单所属的区（名称或区划代码），有多个区时必填")

    def handle(self, *args, file, verbosity=1, district="", **options):
        started = time.perf_counter()

        def progress(chunks):
            return tqdm(chunks, desc="导入工单 importing", unit="千行", disable=verbosity < 1, file=sys.stderr)

        try:
            report = services.import_hotline(path=file, progress=progress,
                                             district=district_named(district) if district else None)
        except ApplicationError as exc:
            raise CommandError(str(exc), returncode=2) from exc
        elapsed = time.perf_counter() - started
        for error in report.errors:
            self.stderr.write(str(error))
        self.stdout.write(
            f"共 {report.rows} 行 rows：新增 created {report.created}，已导入过 skipped {report.skipped}，"
            f"错误 rejected {len(report.errors)}；重复件 duplicates {report.duplicates}，"
            f"移交 referred {report.referred}，待人工分拣 triage {report.triage}（{elapsed:.1f} s）"
        )
        if verbosity >= 1 and report.created:
            self.stdout.write("按类型 by type：")
            with translation.override("zh-hans"):
                chinese = dict(zip(report.by_type, (label for label, _ in type_labels(report.by_type.items())),
                                   strict=True))
            with translation.override("en"):
                english = dict(zip(report.by_type, (label for label, _ in type_labels(report.by_type.items())),
                                   strict=True))
            for code, count in report.by_type.most_common():
                self.stdout.write(f"  {chinese[code]} {english[code]}：{count}")
            self.stdout.write("按街镇 by street：")
            for street, count in report.by_street.most_common():
                self.stdout.write(f"  {street}：{count}")
        if report.errors:
            sys.exit(1)
