"""Benchmark: the analytics figures, the dashboard pages and a bulletin on a seeded district.

    .venv/bin/python bench/bench_analytics.py [--database sqlite:////path/to/seeded.sqlite3] [--repeat 3]

The database must hold a seeded district (`make run` or `manage.py seed_demo`; var/anju.sqlite3 by default) and be
migrated. Reads only, except the aggregate rebuild (which writes the table it rebuilds to the same values).
Reports the median and best of REPEAT runs, wall clock, as the bureau's lead (the whole district) and as a
street user. The latest full month before today is the period; its baseline is the month before.
"""
import argparse
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def timed(label, fn, repeat):
    runs = []
    for _ in range(repeat):
        started = time.perf_counter()
        fn()
        runs.append(time.perf_counter() - started)
    print(f"| {label} | {statistics.median(runs) * 1000:,.0f} ms | {min(runs) * 1000:,.0f} ms |")


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--database", default=f"sqlite:///{ROOT / 'var' / 'anju.sqlite3'}")
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    os.environ["DATABASE_URL"] = args.database
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "anju.settings")
    os.environ.setdefault("DEBUG", "1")  # the test client renders pages without collected static files
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.core.cache import cache
    from django.test import Client
    from django.utils import timezone

    from accounts.models import User
    from analytics import aggregates, metrics
    from analytics.periods import Period
    from bulletins import services as bulletins
    from intake.models import Complaint

    today = timezone.localdate()
    first = today.replace(day=1)
    period = Period.parse(f"{(first - django.utils.timezone.timedelta(days=1)):%Y-%m}")
    baseline = period.previous()
    lead, street = User.objects.get(username="lead"), User.objects.get(username="street")
    print(f"{Complaint.objects.count():,} complaints; period {period.code}, baseline {baseline.code}\n")
    print("| what | median | best |\n| --- | --- | --- |")
    timed("rebuild the daily aggregate (whole table)", aggregates.rebuild, args.repeat)
    timed("投诉万人比 by community (lead)", lambda: metrics.complaints_per_10k(lead, period, "community"), args.repeat)
    timed("投诉万人比 by community (street user)", lambda: metrics.complaints_per_10k(street, period, "community"),
          args.repeat)
    timed("effectiveness, district (lead)", lambda: metrics.effectiveness(lead, period), args.repeat)
    timed("monthly trend, 12 months (lead)",
          lambda: metrics.monthly_trend(lead, period.start.replace(year=period.start.year - 1), period.end),
          args.repeat)
    timed("streets ranked (lead)", lambda: metrics.streets_ranked(lead, period, baseline), args.repeat)
    client = Client(HTTP_HOST="127.0.0.1")
    for user in (lead, street):
        client.force_login(user)

        def page(url=f"/analytics/?period={period.code}"):
            cache.clear()
            assert client.get(url).status_code == 200

        timed(f"dashboard overview page ({user.username}), cache cleared", page, args.repeat)
    timed("bulletin files, district, .docx + .xlsx (bulletins.services.build_files)",
          lambda: bulletins.build_files(period), 1)


if __name__ == "__main__":
    main()
