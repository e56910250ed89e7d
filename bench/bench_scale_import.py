"""Benchmark: the write side at scale — a 12345 import into a table that already holds millions of complaints,
and a case's move and (re)assignment.

    .venv/bin/python bench/bench_scale_import.py --db anju_scale [--rows 20000] [--moves 20]

Generates ROWS work orders of the last 7 days with demo.hotline (not timed), imports them with import_hotline
end to end (classify, match, route, dedup against the table's last 90 days, insert with history; timed), then
times MOVES case moves (线索登记 → 核查, each on a different open case of the officer's streets) and
reassignments through cases.services, each in its own transaction as a page would. Writes into the database:
use a bench database, never a real one. Target: ≥ 2,000 rows/s; moves and assignments < 100 ms.
"""
import argparse
import os
import statistics
import sys
import tempfile
import time
from datetime import timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--db", default="anju_scale")
    parser.add_argument("--server", default=os.environ.get("ANJU_BENCH_PG", "postgres://postgres@127.0.0.1:5432"))
    parser.add_argument("--rows", type=int, default=20_000)
    parser.add_argument("--moves", type=int, default=20)
    parser.add_argument("--seed", type=int, default=int(time.time()) % 100_000)
    args = parser.parse_args()
    os.environ["DATABASE_URL"] = f"{args.server}/{args.db}"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "anju.settings")
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.db import connection, transaction
    from django.utils import timezone

    from accounts.models import User
    from cases import services as case_services
    from cases.models import EnforcementCase
    from demo import hotline as demo_hotline
    from intake import services
    from intake.models import Complaint

    with connection.cursor() as cursor:
        cursor.execute("select reltuples::bigint from pg_class where relname = 'intake_complaint'")
        print(f"≈{cursor.fetchone()[0]:,} complaints before")
    end = timezone.localtime().replace(hour=0, minute=0, second=0, microsecond=0)
    rows = demo_hotline.generate(args.rows, start=end - timedelta(days=7), end=end, seed=args.seed)
    for row in rows:  # numbers of their own, apart from the demo's and its copies'
        row["工单编号"] = f"B{args.seed}-{row['工单编号']}"
    path = Path(tempfile.mkdtemp()) / "hotline.csv"
    demo_hotline.write_csv(path, rows)
    lead = User.objects.get(username="lead")
    started = time.perf_counter()
    report = services.import_hotline(path=path, actor=lead)
    took = time.perf_counter() - started
    print(f"import_hotline: {args.rows:,} rows in {took:.1f} s = {args.rows / took:,.0f} rows/s "
          f"(created {report.created:,}, skipped {report.skipped:,}, errors {len(report.errors)}, "
          f"duplicates {report.duplicates:,})")

    officer = User.objects.get(username="officer")
    moves, assignments = [], []
    candidates = (EnforcementCase.objects.filter(street__in=officer.streets.all(), state__in=["REGISTERED"])
                  .order_by("-pk")[: args.moves])
    for case in candidates:
        action = "start_verification"
        started = time.perf_counter()
        with transaction.atomic():
            case = case_services.case_transition(case=case, action=action, actor=lead, version=case.version)
        moves.append((time.perf_counter() - started) * 1000)
        other = case_services.assignable_officers(case).exclude(pk=case.officer_id).first()
        if other is None:
            continue
        started = time.perf_counter()
        with transaction.atomic():
            case_services.case_assign(case=case, officer=other, actor=lead, reason="bench", version=case.version)
        assignments.append((time.perf_counter() - started) * 1000)
    for label, runs in (("case move (开始核查)", moves), ("case assignment", assignments)):
        if runs:
            print(f"{label}: {len(runs)} runs, median {statistics.median(runs):.1f} ms, max {max(runs):.1f} ms")
        else:
            print(f"{label}: no open case to move")
    print(f"{Complaint.objects.filter(batch_id=report.batch_id).count():,} complaints in the batch")


if __name__ == "__main__":
    main()
