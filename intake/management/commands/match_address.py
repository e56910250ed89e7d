"""match_address — addresses on stdin, one JSON object per line on stdout (CONTRACTS.md)."""
import json
import sys

from django.core.management.base import BaseCommand

from intake.matching import CommunityIndex


class Command(BaseCommand):
    help = "Match free-text addresses to communities / 地址匹配小区"

    def add_arguments(self, parser):
        parser.add_argument("--evidence", action="store_true", help="include the matching evidence")

    def handle(self, *args, evidence=False, **options):
        index = CommunityIndex.build()
        out = sys.stdout
        for line in sys.stdin:
            result = index.match(line.rstrip("\n"))
            payload = result.as_contract()
            if evidence:
                payload["evidence"] = result.evidence
            out.write(json.dumps(payload, ensure_ascii=False) + "\n")
        out.flush()
