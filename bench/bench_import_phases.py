"""The 12345 import at scale, by phase: wall time, CPU of the importing process and of its helper, and the two
fixed costs that follow the density of the last 90 days rather than the file (the dedup index — since issue 12's
third pass read slot by slot, the reads timed together —, the analytics rebuild of the batch's days). Writes ROWS
orders of the last 7 days into the database: a bench database only. Runs on the code before that pass too.

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
    """fn, adding its wall and CPU time (of the whole process) and its calls to spent[name]."""
    def inner(*args, **kwargs):
        wall, cpu = time.perf_counter(), time.process_time()
        try:
            return fn(*args, **kwargs)
        finally:
            seconds, cpu_seconds, calls = spent.get(name, (0.0, 0.0, 0))
            spent[name] = (seconds + time.perf_counter() - wall, cpu_seconds + time.process_time() - cpu, calls + 1)
    return inner


def _backend_cpu() -> float | None:
    """CPU seconds of the PostgreSQL server process serving this connection (the same machine), or None."""
    from django.db import connection

    if connection.vendor != "postgresql":
        return None
    with connection.cursor() as cursor:
        cursor.execute("select pg_backend_pid()")
        (pid,) = cursor.fetchone()
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return None
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def main():
    import django

    django.setup()
    from django.utils import timezone

    from accounts.models import User
    from analytics import aggregates
    from demo import hotline as demo_hotline
    from intake import dedup, hotline_import, services

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
    if hasattr(dedup.DedupIndex, "_read"):  # since the index reads the slots the file touches, chunk by chunk
        dedup.DedupIndex._read = timed(spent, "dedup index: reading slots", dedup.DedupIndex._read)
    if hasattr(hotline_import.Writer, "quiet"):  # the import waiting for the writer before a read
        hotline_import.Writer.quiet = timed(spent, "waiting for the writer before a read", hotline_import.Writer.quiet)
    aggregates.rebuild_batch = timed(spent, "analytics rebuild_batch", aggregates.rebuild_batch)
    backend = _backend_cpu()
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    wall, cpu = time.perf_counter(), time.process_time()
    report = services.import_hotline(path=path, actor=User.objects.get(username="lead"))
    wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    backend = _backend_cpu() - backend if backend is not None else None
    helper = (after.ru_utime + after.ru_stime) - (before.ru_utime + before.ru_stime)
    print(f"{count:,} rows: {wall:.1f} s = {count / wall:,.0f} rows/s; CPU importing {cpu:.1f} s + helper "
          f"{helper:.1f} s = {count / (cpu + helper):,.0f} rows per CPU-s; created {report.created:,}, duplicates "
          f"{report.duplicates:,}; load {os.getloadavg()[0]:.1f}")
    if backend is not None:
        print(f"  the PostgreSQL server process of the import's connection: {backend:.1f} s CPU "
              f"({count / (cpu + helper + backend):,.0f} rows per CPU-s of all three)")
    for name, (seconds, cpu_seconds, calls) in spent.items():
        print(f"  {name}: {seconds:.2f} s wall, {cpu_seconds:.2f} s CPU ({calls} calls)")


if __name__ == "__main__":
    main()
