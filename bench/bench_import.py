"""Benchmark: 12345 import end to end (import_hotline) against a raw insert of the same rows.

    .venv/bin/python bench/bench_import.py [--rows 100000] [--backends sqlite,postgres] [--profile N]

Generates ROWS work orders with demo.hotline (one year, the demo district) into a CSV file (not timed),
then, for each database in a fresh process:
  1. a fresh database: SQLite file /tmp/anju_bench.sqlite3, or PostgreSQL database anju_bench on
     postgres@127.0.0.1:5432 (created and dropped here; --pg-name names another); migrate, then the registry
     part of seed_demo;
  2. end to end: import_hotline(path=…) on the file — read, classify, match, route, dedup, insert with history
     (timed; the classifier's own time is measured apart);
  3. raw: the same file read with the same reader, rows turned into Complaint objects without classifying,
     matching, dedup or history, inserted in batches of 1,000 (timed) by Complaint.objects.bulk_create, and
     again by the import's own writer (services._insert_rows), each time into emptied tables.
With --profile N, the first backend's import of the first N rows runs under cProfile (printed, top 25).
Target: ≥ 2,000 rows/s end to end.
"""
import argparse
import json
import os
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SQLITE_PATH = Path("/tmp/anju_bench.sqlite3")
PG_SERVER = "postgres://postgres@127.0.0.1:5432"
PG_NAME = os.environ.get("ANJU_BENCH_PG_NAME", "anju_bench")  # --pg-name sets it for the workers too


def _urls() -> dict:
    return {"sqlite": f"sqlite:///{SQLITE_PATH}", "postgres": f"{PG_SERVER}/{PG_NAME}"}
TARGET = 2_000


def _django():
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "anju.settings")
    import django

    django.setup()


def _fresh_database(backend: str):
    if backend == "sqlite":
        for suffix in ("", "-wal", "-shm", "-journal"):
            Path(f"{SQLITE_PATH}{suffix}").unlink(missing_ok=True)
        return
    import psycopg

    with psycopg.connect(f"{PG_SERVER}/postgres", autocommit=True) as conn:
        conn.execute(f"DROP DATABASE IF EXISTS {PG_NAME} WITH (FORCE)")
        conn.execute(f"CREATE DATABASE {PG_NAME}")


def _drop_database(backend: str):
    if backend == "postgres":
        import psycopg

        with psycopg.connect(f"{PG_SERVER}/postgres", autocommit=True) as conn:
            conn.execute(f"DROP DATABASE IF EXISTS {PG_NAME} WITH (FORCE)")


def _csv_path(rows: int, seed: int) -> Path:
    return Path(f"/tmp/anju_bench_{rows}_{seed}.csv")


def worker(backend: str, rows: int, seed: int, profile: int, no_helper: bool = False) -> dict:
    """Runs in a child process whose DATABASE_URL names the fresh database."""
    _django()
    from datetime import date, timedelta

    from django.core.management import call_command
    from django.db import connection, transaction
    from django.utils import timezone

    from core.tabular import read_table
    from demo import district as demo_data
    from demo import hotline as demo_hotline
    from intake import services
    from intake.choices import Channel, ComplaintStatus
    from intake.models import Complaint, ImportBatch

    result = {"backend": backend, "rows": rows, "vendor": connection.vendor}
    started = time.perf_counter()
    call_command("migrate", verbosity=0)
    demo_data.load_registry(tally=demo_data.Tally())
    result["setup_s"] = time.perf_counter() - started

    path = _csv_path(rows, seed)
    if not path.exists():
        started = time.perf_counter()
        end = date(2026, 1, 1)
        generated = demo_hotline.generate(rows, start=end - timedelta(days=365), end=end, seed=seed)
        demo_hotline.write_csv(path, generated)
        result["generate_s"] = time.perf_counter() - started
    result["file_mb"] = path.stat().st_size / 1e6

    # How the chunks were shared between the helper process and this one (behaviour unchanged).
    from intake import hotline_import

    shared = {"helped": 0, "stolen": 0}
    real_close = hotline_import.Ahead.close

    def counting_close(self):
        shared["helped"] += self.helped
        shared["stolen"] += self.stolen
        real_close(self)

    hotline_import.Ahead.close = counting_close
    if no_helper:
        services.HELPER_MIN_ROWS = 10 ** 12

    from intake import models as intake_models

    # the complaints' transition rows (intake.workflow), where the import writes them
    transitions = getattr(intake_models, "ComplaintTransition", None)

    def wipe():
        """Empty the complaint and history tables in SQL (a queryset delete would write a "-" history row each)."""
        with transaction.atomic(), connection.cursor() as cursor:
            for model in (transitions, Complaint.history.model, Complaint, ImportBatch):
                if model is None:
                    continue
                cursor.execute(f"DELETE FROM {connection.ops.quote_name(model._meta.db_table)}")

    if profile:
        import cProfile
        import pstats
        import tempfile

        with tempfile.TemporaryDirectory() as folder:
            part = Path(folder) / "part.csv"
            lines = path.read_text(encoding="utf-8-sig").splitlines(keepends=True)
            # The first N data rows (the generator writes no newline inside a cell).
            part.write_text("".join(lines[:profile + 1]), encoding="utf-8-sig")
            # One process, so that the profile holds all the work (cProfile does not follow the helper).
            helper_min, services.HELPER_MIN_ROWS = services.HELPER_MIN_ROWS, 10 ** 12
            profiler = cProfile.Profile()
            profiler.enable()
            services.import_hotline(path=part, actor=None)
            profiler.disable()
            services.HELPER_MIN_ROWS = helper_min
            stats = pstats.Stats(profiler, stream=sys.stderr)
            stats.sort_stats("cumulative").print_stats(45)
            stats.sort_stats("tottime").print_stats(30)
        wipe()

    import resource

    result["load_before"] = os.getloadavg()[0]
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    started, cpu = time.perf_counter(), time.process_time()
    report = services.import_hotline(path=path, actor=None)
    result["e2e_s"] = time.perf_counter() - started
    result["e2e_cpu_s"] = time.process_time() - cpu
    after = resource.getrusage(resource.RUSAGE_CHILDREN)  # the helper, once it has ended
    result["helper_cpu_s"] = (after.ru_utime + after.ru_stime) - (children.ru_utime + children.ru_stime)
    result["load_after"] = os.getloadavg()[0]
    result.update(shared)
    result.update(created=report.created, rejected=len(report.errors), duplicates=report.duplicates,
                  referred=report.referred, triage=report.triage)
    result["history_rows"] = Complaint.history.count()
    result["transition_rows"] = transitions.objects.count() if transitions is not None else 0
    result["matched"] = Complaint.objects.filter(community__isnull=False).count()
    result["consultation"] = Complaint.objects.filter(needs_consultation=True).count()

    def raw_complaints():
        """The same rows, read by the same reader, as unsaved complaints: no classifying, matching, dedup."""
        for _line, row, raw in read_table(path, services.HOTLINE_COLUMNS, services.HOTLINE_REQUIRED):
            yield Complaint(
                channel=Channel.HOTLINE, external_no=row["ticket_no"],
                received_at=services.parse_datetime(row["received_at"]), due_date=services.parse_date(
                    row.get("deadline")), caller_name=row.get("caller_name", ""),
                caller_phone=row.get("caller_phone", ""), address_text=row.get("address", "")[:300],
                content=row["content"], category_hint=row.get("category_hint", ""), status=ComplaintStatus.NEW,
                raw_row=raw)

    # Raw 1: Django's bulk_create, batches of 1,000, no history.
    wipe()
    started = time.perf_counter()
    batch, inserted = [], 0
    with transaction.atomic():
        for complaint in raw_complaints():
            batch.append(complaint)
            if len(batch) == 1000:
                Complaint.objects.bulk_create(batch)
                inserted, batch = inserted + len(batch), []
        Complaint.objects.bulk_create(batch)
        inserted += len(batch)
    result["raw_s"] = time.perf_counter() - started
    result["raw_rows"] = inserted

    # Raw 2: the import's own writer (services._insert_rows), same batches, no history.
    if not hasattr(services, "_insert_rows"):  # an older intake/services.py
        result["writer_s"], result["writer_rows"] = float("nan"), 0
        connection.close()
        return result
    wipe()
    started = time.perf_counter()
    batch, inserted = [], 0
    with transaction.atomic():
        for complaint in raw_complaints():
            complaint.created_at = complaint.updated_at = timezone.now()
            batch.append(complaint)
            if len(batch) == 1000:
                services._insert_rows(Complaint, batch, returning=True)
                inserted, batch = inserted + len(batch), []
        services._insert_rows(Complaint, batch, returning=True)
        inserted += len(batch)
    result["writer_s"] = time.perf_counter() - started
    result["writer_rows"] = inserted
    connection.close()
    return result


def main():
    global PG_NAME
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--seed", type=int, default=20260107)
    parser.add_argument("--backends", default="sqlite,postgres")
    parser.add_argument("--profile", type=int, default=0, help="profile the import of the first N rows first")
    parser.add_argument("--keep", action="store_true", help="keep the databases afterwards")
    parser.add_argument("--no-helper", action="store_true", help="import in one process (no helper process)")
    parser.add_argument("--pg-name", default=PG_NAME, help="PostgreSQL database to create and drop (anju_bench)")
    parser.add_argument("--worker", help=argparse.SUPPRESS)
    args = parser.parse_args()
    PG_NAME = os.environ["ANJU_BENCH_PG_NAME"] = args.pg_name

    if args.worker:
        print("RESULT " + json.dumps(worker(args.worker, args.rows, args.seed, args.profile,
                                                  args.no_helper)), flush=True)
        return

    results = []
    for index, backend in enumerate(args.backends.split(",")):
        _fresh_database(backend)
        env = dict(os.environ, DATABASE_URL=_urls()[backend])
        command = [sys.executable, __file__, "--worker", backend, "--rows", str(args.rows), "--seed", str(args.seed),
                   "--profile", str(args.profile if index == 0 else 0)] + (["--no-helper"] if args.no_helper else [])
        print(f"· {backend}: migrate, registry, import {args.rows:,} rows …", file=sys.stderr, flush=True)
        done = subprocess.run(command, env=env, cwd=ROOT, stdout=subprocess.PIPE, text=True)
        if not args.keep:
            _drop_database(backend)
        lines = [line for line in done.stdout.splitlines() if line.startswith("RESULT ")]
        if done.returncode or not lines:
            print(done.stdout, file=sys.stderr)
            sys.exit(f"{backend}: worker failed ({done.returncode})")
        results.append(json.loads(lines[-1][7:]))

    print()
    print(f"12345 import benchmark — {args.rows:,} work orders (demo.hotline, seed {args.seed}), "
          f"{os.cpu_count()} CPUs, target ≥ {TARGET:,} rows/s end to end")
    header = (f"{'database':<9} {'e2e s':>7} {'rows/s':>7} {'CPU s':>6} {'helper':>6} {'rows/CPU s':>10} "
              f"{'bulk_create s':>13} {'rows/s':>7} {'e2e/raw':>7} {'writer s':>8} {'rows/s':>7} "
              f"{'load':>9} {'target':>6}")
    print(header)
    print("-" * len(header))
    for r in results:
        rate, raw_rate = r["created"] / r["e2e_s"], r["raw_rows"] / r["raw_s"]
        cpu = r["e2e_cpu_s"] + r["helper_cpu_s"]
        print(f"{r['backend']:<9} {r['e2e_s']:>7.1f} {rate:>7,.0f} {r['e2e_cpu_s']:>6.1f} {r['helper_cpu_s']:>6.1f} "
              f"{r['created'] / cpu:>10,.0f} {r['raw_s']:>13.1f} "
              f"{raw_rate:>7,.0f} {r['e2e_s'] / r['raw_s']:>6.1f}× {r['writer_s']:>8.1f} "
              f"{r['writer_rows'] / r['writer_s']:>7,.0f} {r['load_before']:>4.1f}→{r['load_after']:<4.1f} "
              f"{'met' if rate >= TARGET else 'MISSED':>6}")
    print()
    print("e2e: import_hotline on the file (read, classify, match, route, dedup, insert with history); CPU s: the")
    print("importing process's CPU time, helper: the helper process's (PostgreSQL's own work is in neither);")
    print("rows/CPU s: rows per CPU-second of both; bulk_create: the same rows read by the same reader,")
    print("Complaint.objects.bulk_create in batches of 1,000, no classification/matching/dedup/history; writer: the")
    print("same through the import's own insert (services._insert_rows), no history; e2e/raw: e2e time ÷ bulk_create")
    print("time; load: 1-min load average before → after the import.")
    for r in results:
        print(f"{r['backend']}: created {r['created']:,}, rejected {r['rejected']}, duplicates {r['duplicates']:,}, "
              f"referred {r['referred']:,}, triage {r['triage']:,}, matched {r['matched']:,}, "
              f"consultation {r['consultation']:,}, history rows {r['history_rows']:,}, "
              f"transition rows {r.get('transition_rows', 0):,}; chunks decided by the "
              f"helper {r['helped']}, by the importing process {r['stolen']}; setup {r['setup_s']:.1f} s"
              + (f"; generated the file in {r['generate_s']:.1f} s" if "generate_s" in r else "")
              + f"; file {r['file_mb']:.1f} MB")


if __name__ == "__main__":
    main()
