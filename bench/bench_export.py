"""Benchmark: a large complaint export (issue 12) — peak memory and time of the queue's export of every complaint.

    .venv/bin/python bench/bench_export.py --db anju_scale --user lead --fmt csv [--path job|old] [--query status=]
    .venv/bin/python bench/bench_export.py --db anju_scale --compare 20000

--path job (default): what `?export=` above the inline limit runs — an ExportJob, the Celery task inline (no broker),
`values()` rows through a server-side cursor, the file written to a temporary file and stored through Django's
storage (MEDIA_ROOT, a temporary folder here), progress written to the job's row every 5,000 rows.
--path old: the export as it was built before this change — model instances of the queue's queryset
(`select_related`, `iterator(chunk_size=1000)`) through the model-row columns, into a temporary file.
Prints rows, bytes, seconds and the process's peak RSS (resource.getrusage; run one export per process).

--compare N: for every demo login that may open the queue, the first N rows of its export of all statuses
through both paths; they must be the same bytes (masking included).
"""
import argparse
import io
import itertools
import os
import resource
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DEMO_LOGINS = ("lead", "admin", "officer", "officer2", "street", "street2", "housing", "greening", "property", "city")


def peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--db", default="anju_scale")
    parser.add_argument("--server", default=os.environ.get("ANJU_BENCH_PG", "postgres://postgres@127.0.0.1:5432"))
    parser.add_argument("--user", default="lead")
    parser.add_argument("--fmt", default="csv", choices=["csv", "xlsx"])
    parser.add_argument("--path", default="job", choices=["job", "old"])
    parser.add_argument("--query", default="status=")
    parser.add_argument("--compare", type=int, default=0)
    args = parser.parse_args()
    os.environ["DATABASE_URL"] = f"{args.server}/{args.db}"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "anju.settings")
    media = tempfile.mkdtemp(prefix="anju_export_bench.")
    os.environ["MEDIA_ROOT"] = media
    import atexit
    import shutil

    atexit.register(shutil.rmtree, media, True)  # the stored export (hundreds of MB at a million rows)
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.http import QueryDict

    from accounts.models import User
    from core import export_jobs, exports
    from intake import exports as intake_exports

    if args.compare:
        for username in DEMO_LOGINS:
            user = User.objects.filter(username=username).first()
            if user is None:
                continue
            try:
                export = intake_exports.complaint_export(user, QueryDict("status="))
            except exports.ApplicationError as exc:
                print(f"{username:10} refused: {exc}")
                continue
            new, old = io.BytesIO(), io.BytesIO()
            exports.write_csv(new, itertools.islice(export.objects(), args.compare), export.columns)
            queue = intake_exports.filtered_queue(user, QueryDict("status="))
            exports.write_csv(old, itertools.islice(queue.iterator(chunk_size=1000), args.compare),
                              intake_exports.complaint_columns(user))
            rows = new.getvalue().count(b"\n") - 1
            print(f"{username:10} {rows:>7} rows  {'same bytes' if new.getvalue() == old.getvalue() else 'DIFFER'}")
        return

    user = User.objects.get(username=args.user)
    query = QueryDict(args.query)
    started_rss = peak_mb()
    started = time.monotonic()
    if args.path == "job":
        job = export_jobs.job_request(user=user, kind="complaints", fmt=args.fmt, query=query)  # runs inline
        job.refresh_from_db()
        assert job.status == "DONE", (job.status, job.error)
        rows, size = job.rows_done, job.file.size
    else:
        with tempfile.TemporaryFile() as target:
            queue = intake_exports.filtered_queue(user, query)
            columns = intake_exports.complaint_columns(user)
            if args.fmt == "xlsx":
                exports.write_xlsx(target, queue.iterator(chunk_size=1000), columns, "诉件")
            else:
                exports.write_csv(target, queue.iterator(chunk_size=1000), columns)
            rows, size = None, target.tell()
    seconds = time.monotonic() - started
    print(f"path={args.path} fmt={args.fmt} user={args.user} rows={rows} bytes={size:,} seconds={seconds:.1f} "
          f"peak_rss_mb={peak_mb():.0f} (after django.setup: {started_rss:.0f})")


if __name__ == "__main__":
    main()
