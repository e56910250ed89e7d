"""Benchmark: each figure a page shows, through the platform's own code, against hand-written SQL for the same figure.

    .venv/bin/python bench/bench_hand_sql.py --db anju_scale [--repeat 9]

Issue 12 holds the ORM to at most 1.5 × the hand-written SQL. For every figure below, the platform's path (the
selector or metric a page calls, with the user's scope, evaluated to plain values) and one SQL statement written by
hand for the same answer run REPEAT times after a warm-up; the script checks that both give the same answer (or
says where they differ) and prints both medians and their ratio. The hand SQL knows what the ORM must discover:
the lead sees the whole district (no scope clause), which statuses are open, the resident channels. Reads only.
"""
import argparse
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def timed(fn, repeat):
    fn()  # warm-up
    runs = []
    for _ in range(repeat):
        started = time.perf_counter()
        answer = fn()
        runs.append((time.perf_counter() - started) * 1000)
    return answer, statistics.median(runs)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--db", default="anju_scale")
    parser.add_argument("--server", default=os.environ.get("ANJU_BENCH_PG", "postgres://postgres@127.0.0.1:5432"))
    parser.add_argument("--repeat", type=int, default=9)
    args = parser.parse_args()
    os.environ["DATABASE_URL"] = f"{args.server}/{args.db}"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "anju.settings")
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.db import connection
    from django.utils import timezone

    from accounts.models import User
    from analytics import metrics
    from analytics.aggregates import bounds
    from analytics.periods import Period
    from cases import selectors as case_selectors
    from cases.indicators import OPEN_STATES
    from intake import selectors as intake_selectors
    from intake.choices import OPEN_STATUSES, RESIDENT_CHANNELS

    lead, housing = User.objects.get(username="lead"), User.objects.get(username="housing")
    today = timezone.localdate()
    last_month_end = today.replace(day=1) - timezone.timedelta(days=1)
    month = Period.between(last_month_end.replace(day=1), last_month_end)
    year = Period.between(last_month_end.replace(month=1, day=1), last_month_end)
    open_statuses = list(str(s) for s in OPEN_STATUSES)
    open_states = list(str(s) for s in OPEN_STATES)
    resident = list(sorted(str(c) for c in RESIDENT_CHANNELS))

    def sql(statement, params=()):
        def run():
            with connection.cursor() as cursor:
                cursor.execute(statement, params)
                return cursor.fetchall()
        return run

    month_low, month_high = bounds(month.start, month.end)
    year_low, year_high = bounds(year.start, year.end)
    figures = [
        ("诉件受理: 超期 count (lead)",
         lambda: intake_selectors.complaint_list(user=lead).filter(intake_selectors.overdue_q()).count(),
         sql("select count(*) from intake_complaint c where c.status = any(%s) and c.due_date is not null "
             "and c.due_date < %s and not exists (select 1 from cases_hotlinereply r where r.complaint_id = c.id)",
             [open_statuses, today]),
         lambda rows: rows[0][0]),
        ("诉件受理: first page of the open queue (lead), ids",
         lambda: list(intake_selectors.complaint_list(user=lead).filter(status__in=OPEN_STATUSES)
                      .values_list("pk", flat=True)[:30]),
         sql("select id from intake_complaint where status = any(%s) "
             "order by confidence asc nulls first, received_at desc limit 30", [open_statuses]),
         lambda rows: [r[0] for r in rows]),
        ("案件办理: first page of open cases (lead), ids",
         lambda: list(case_selectors.case_list(user=lead).filter(state__in=OPEN_STATES)
                      .values_list("pk", flat=True)[:25]),
         sql("select id from cases_enforcementcase where state = any(%s) "
             "order by state_due asc nulls last, created_at desc limit 25", [open_states]),
         lambda rows: [r[0] for r in rows]),
        ("移交收件箱: pending referrals (housing), count",
         lambda: case_selectors.inbox(user=housing).filter(status__in=case_selectors.PENDING_REFERRAL).count(),
         sql("select count(*) from cases_referral where department_id = %s and status in ('SENT', 'SIGNED')",
             [housing.department_id]),
         lambda rows: rows[0][0]),
        ("投诉万人比: residents' complaints of last month by street (lead)",
         lambda: sorted((r.unit_id, r.complaints) for r in metrics.complaints_per_10k(lead, month, by="street")
                        if r.unit_id is not None and r.complaints),
         sql("select street_id, count(*) from intake_complaint where received_at >= %s and received_at < %s "
             "and channel = any(%s) and street_id is not null group by street_id order by street_id",
             [month_low, month_high, resident]),
         lambda rows: [tuple(r) for r in rows]),
        ("趋势: residents' complaints per month of the year (lead)",
         # months without a complaint are listed by the platform and absent from the SQL's groups
         lambda: [row["complaints"] for row in metrics.monthly_trend(lead, year.start, year.end) if row["complaints"]],
         sql("select date_trunc('month', received_at at time zone 'Asia/Shanghai') m, count(*) "
             "from intake_complaint where received_at >= %s and received_at < %s and channel = any(%s) "
             "group by m order by m", [year_low, year_high, resident]),
         lambda rows: [r[1] for r in rows]),
    ]
    with connection.cursor() as cursor:
        cursor.execute("select reltuples::bigint from pg_class where relname = 'intake_complaint'")
        size = cursor.fetchone()[0]
    print(f"≈{size:,} complaints; median of {args.repeat} after a warm-up\n")
    print("| figure | platform ms | hand SQL ms | ratio | same answer |\n| --- | ---: | ---: | ---: | --- |")
    for label, platform, hand, shape in figures:
        ours, ours_ms = timed(platform, args.repeat)
        theirs, theirs_ms = timed(hand, args.repeat)
        theirs = shape(theirs)
        same = "yes" if ours == theirs else f"no: {str(ours)[:60]} / {str(theirs)[:60]}"
        print(f"| {label} | {ours_ms:,.1f} | {theirs_ms:,.1f} | {ours_ms / theirs_ms:.2f} | {same} |", flush=True)


if __name__ == "__main__":
    main()
