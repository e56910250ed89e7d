"""`bulletin --period P [--street NAME] [--district NAME] --out FILE.docx`: the bulletin (通报) of a month (YYYY-MM)
or a quarter (YYYY-Qn), district-wide or for one street, and the same tables as FILE.xlsx beside it (CONTRACTS.md).
`--district` (name or code) is needed when the installation holds several districts and no --street is given (and
for a street name two districts share). Exit 0 on success; a bad period, an unknown street or district, a missing
--district or an unwritable path print the reason (中文 / English) and exit 1."""
import time

from django.core.management.base import BaseCommand, CommandError

from bulletins import services
from core.errors import ApplicationError


class Command(BaseCommand):
    help = "Write the bulletin (通报) for a month or quarter as .docx, and its tables as .xlsx beside it."

    def add_arguments(self, parser):
        parser.add_argument("--period", required=True, help="YYYY-MM (month) or YYYY-Qn (quarter)")
        parser.add_argument("--street", default="", help="a street's name (default: the whole district)")
        parser.add_argument("--district", default="",
                            help="the district (name or code) of a district-wide bulletin, when several share the "
                                 "installation / 通报所属的区（名称或区划代码）")
        parser.add_argument("--out", required=True, help="FILE.docx; FILE.xlsx is written beside it")

    def handle(self, *args, period, street, out, district="", **options):
        started = time.monotonic()
        try:
            docx_path, xlsx_path = services.write_files(period=period, street_name=street, district_name=district,
                                                        out=out)
        except ApplicationError as exc:
            raise CommandError(str(exc)) from None
        except OSError as exc:
            raise CommandError(f"无法写入文件 / cannot write the file: {exc}") from None
        self.stdout.write(f"{docx_path}\n{xlsx_path}\n({time.monotonic() - started:.1f} s)")
