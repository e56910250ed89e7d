"""`bulletin --period P [--street NAME] --out FILE.docx`: the bulletin (通报) of a month (YYYY-MM) or a quarter
(YYYY-Qn), district-wide or for one street, and the same tables as FILE.xlsx beside it (CONTRACTS.md).
Exit 0 on success; a bad period, an unknown street or an unwritable path print the reason and exit 1."""
import time

from django.core.management.base import BaseCommand, CommandError

from bulletins import services
from core.errors import ApplicationError


class Command(BaseCommand):
    help = "Write the bulletin (通报) for a month or quarter as .docx, and its tables as .xlsx beside it."

    def add_arguments(self, parser):
        parser.add_argument("--period", required=True, help="YYYY-MM (month) or YYYY-Qn (quarter)")
        parser.add_argument("--street", default="", help="a street's name (default: the whole district)")
        parser.add_argument("--out", required=True, help="FILE.docx; FILE.xlsx is written beside it")

    def handle(self, *args, period, street, out, **options):
        started = time.monotonic()
        try:
            docx_path, xlsx_path = services.write_files(period=period, street_name=street, out=out)
        except ApplicationError as exc:
            raise CommandError(str(exc)) from None
        except OSError as exc:
            raise CommandError(f"无法写入文件 / cannot write the file: {exc}") from None
        self.stdout.write(f"{docx_path}\n{xlsx_path}\n({time.monotonic() - started:.1f} s)")
