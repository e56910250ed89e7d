"""The 12345 import at scale, by phase: wall time, CPU of the importing process and of its helper, and the two
fixed costs that follow the density of the last 90 days rather than the file (the dedup index, the analytics
rebuild of the batch's days). Writes ROWS orders of the last 7 days into the database: a bench database only.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/anju_scale .venv/bin/python bench/bench_import_phases.py [ROWS]
"""
import os
import resource
import sys
import tempfile
import time
from datetime import timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "anju.settings")


def timed(spent, name, fn):
    def inner(*args, **kwargs):
        wall, cpu = time.perf_counter(), time.process_time()
        try:
            return fn(*args, **kwargs)
        finally:
            spent[name] = (time.perf_counter() - wall, time.process_time() - cpu)
    return inner


def main():
    import django

    django.setup()
    from django.utils import timezone

    from accounts.models import User
    from analytics import aggregates
    from demo import hotline as demo_hotline
    from intake import dedup, services

    count = int(sys.argv[1]) if len(sys.argv) > 1 else 20_000
    seed = int(time.time()) % 100_000
    end = timezone.localtime().replace(hour=0, minute=0, second=0, microsecond=0)
    rows = demo_hotline.generate(count, start=end - timedelta(days=7), end=end, seed=seed)
    for row in rows:  # numbers of their own
        row["工单编号"] = f"C{seed}-{row['工单编号']}"
    path = Path(tempfile.mkdtemp()) / "hotline.csv"
    demo_hotline.write_csv(path, rows)
    spent = {}
    dedup.DedupIndex.build = classmethod(timed(spent, "dedup index", dedup.DedupIndex.build.__func__))
    aggregates.rebuild_batch = timed(spent, "analytics rebuild_batch", aggregates.rebuild_batch)
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    wall, cpu = time.perf_counter(), time.process_time()
    report = services.import_hotline(path=path, actor=User.objects.get(username="lead"))
    wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    helper = (after.ru_utime + after.ru_stime) - (before.ru_utime + before.ru_stime)
    print(f"{count:,} rows: {wall:.1f} s = {count / wall:,.0f} rows/s; CPU importing {cpu:.1f} s + helper "
          f"{helper:.1f} s = {count / (cpu + helper):,.0f} rows per CPU-s; created {report.created:,}, duplicates "
          f"{report.duplicates:,}; load {os.getloadavg()[0]:.1f}")
    for name, (seconds, cpu_seconds) in spent.items():
        print(f"  {name}: {seconds:.2f} s wall, {cpu_seconds:.2f} s CPU")


if __name__ == "__main__":
    main()
