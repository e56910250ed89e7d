"""Benchmark: every list page, dashboard, metric and API list at scale, as the lead, an officer and a street user.

    .venv/bin/python bench/bench_scale.py --db anju_scale [--repeat 9] [--only queue] [--json out.json]

The database is a seeded demo district grown by bench/scale_generate.py. Each request runs REPEAT times
through Django's test client in this process (no network, no static files), after one warm-up; the table
gives the median and p95 (nearest rank) in milliseconds and the number of SQL queries of one request.
Beside some figures, the same figure by hand-written SQL (the floor the ORM is held to: ≤ 1.5 ×).
Reads only.
"""
import argparse
import json
import math
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

# (label, url, personas): every page a user opens all day, with its default, a filter, a search and a sort
REQUESTS = [
    ("诉件受理 queue (open, default)", "/intake/", ("lead", "officer", "street")),
    ("queue, all statuses", "/intake/?status=", ("lead", "officer", "street")),
    ("queue, all statuses, page 50", "/intake/?status=&page=50", ("lead",)),
    ("queue, filtered by street", "/intake/?status=&street={street}", ("lead",)),
    ("queue, filtered by type", "/intake/?status=&violation_type=GROUP_RENTING", ("lead", "officer")),
    ("queue, searched 曹杨", "/intake/?status=&q=%E6%9B%B9%E6%9D%A8", ("lead", "officer", "street")),
    ("queue, searched 群租 open", "/intake/?q=%E7%BE%A4%E7%A7%9F", ("lead",)),
    ("queue, sorted by received", "/intake/?status=&sort=received", ("lead",)),
    ("queue, overdue", "/intake/?due=overdue", ("lead",)),
    ("案件办理 case list (default)", "/cases/", ("lead", "officer", "street")),
    ("case list, all states", "/cases/?state=", ("lead", "officer")),
    ("case list, searched", "/cases/?state=&q=%E6%90%AD%E5%BB%BA", ("lead",)),
    ("今日工作台 workbench", "/cases/today/", ("officer",)),
    ("督办看板 board", "/cases/board/", ("lead",)),
    ("移交收件箱 referrals", "/cases/inbox/", ("housing",)),
    ("数据分析 overview", "/analytics/", ("lead", "street")),
    ("指挥大屏 wall data", "/analytics/wall/data/", ("lead",)),
    ("住宅小区 communities", "/registry/communities/", ("lead", "street")),
    ("物业信用排名 ranking", "/credit/ranking/", ("lead",)),
    ("存量违建台账 inventory", "/programme/inventory/", ("lead",)),
    ("API complaints", "/api/v1/complaints/", ("lead", "officer", "street")),
    ("API complaints, searched", "/api/v1/complaints/?q=%E6%9B%B9%E6%9D%A8", ("lead",)),
    ("API complaints, street", "/api/v1/complaints/?street={street}", ("lead",)),
    ("API cases", "/api/v1/cases/", ("lead", "officer")),
    ("API 投诉万人比", "/api/v1/metrics/complaints-per-10k/?start={start}&end={end}&by=street", ("lead", "street")),
    ("API effectiveness", "/api/v1/metrics/effectiveness/?start={start}&end={end}", ("lead",)),
    ("API trend", "/api/v1/metrics/trend/?start={year_start}&end={end}", ("lead",)),
]

# (label, SQL): the hand-written floor for figures the pages show
HAND_SQL = [
    ("count of open complaints", "select count(*) from intake_complaint where status in "
                                 "('NEW','ROUTED','REFERRED','IN_CASE')"),
    ("first page of all complaints, newest first",
     "select * from intake_complaint order by received_at desc limit 30"),
    ("resident complaints of last month by community",
     "select community_id, count(*) from intake_complaint where received_at >= %(start)s and received_at < %(end)s"
     " and channel in ('HOTLINE','WORKSTATION','MEDIA','MANUAL') group by community_id"),
]


def percentile(runs, p):
    ordered = sorted(runs)
    return ordered[max(0, math.ceil(p / 100 * len(ordered)) - 1)]


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--db", default="anju_scale")
    parser.add_argument("--server", default=os.environ.get("ANJU_BENCH_PG", "postgres://postgres@127.0.0.1:5432"))
    parser.add_argument("--repeat", type=int, default=9)
    parser.add_argument("--only", default="", help="only requests whose label or url contains this")
    parser.add_argument("--json", default="")
    args = parser.parse_args()
    os.environ["DATABASE_URL"] = f"{args.server}/{args.db}"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "anju.settings")
    os.environ.setdefault("DEBUG", "1")  # the test client renders pages without collected static files
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.conf import settings
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext
    from django.utils import timezone

    from accounts.models import User
    from intake.models import Complaint
    from registry.models import Street

    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver"]
    # one connection kept for the whole run, as a server with CONN_MAX_AGE keeps it (and so the queries counted
    # are not cleared by a reconnection at every request)
    from django.core import signals
    from django.db import close_old_connections, reset_queries

    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    signals.request_started.disconnect(reset_queries)  # the request's own queries are counted, then emptied below
    today = timezone.localdate()
    last_month_end = today.replace(day=1) - timezone.timedelta(days=1)
    values = {"street": Street.objects.order_by("pk").values_list("pk", flat=True).first(),
              "start": last_month_end.replace(day=1).isoformat(), "end": last_month_end.isoformat(),
              "year_start": last_month_end.replace(day=1, month=1).isoformat()}
    with connection.cursor() as cursor:
        cursor.execute("select reltuples::bigint from pg_class where relname = 'intake_complaint'")
        size = cursor.fetchone()[0]
    print(f"≈{size:,} complaints (planner's estimate); {args.repeat} runs after a warm-up\n")
    print("| request | as | median ms | p95 ms | queries | status |\n| --- | --- | --- | --- | --- | --- |")
    results = []
    clients = {}
    for label, url, personas in REQUESTS:
        url = url.format(**values)
        if args.only and args.only not in label and args.only not in url:
            continue
        for persona in personas:
            if persona not in clients:
                clients[persona] = Client()
                clients[persona].force_login(User.objects.get(username=persona))
            client = clients[persona]
            response = client.get(url)  # warm-up
            reset_queries()  # the log keeps at most 9,000 queries: a full one would count nothing
            with CaptureQueriesContext(connection) as queries:
                response = client.get(url)
            runs = []
            for _ in range(args.repeat):
                started = time.perf_counter()
                client.get(url)
                runs.append((time.perf_counter() - started) * 1000)
            row = {"label": label, "url": url, "as": persona, "median": statistics.median(runs),
                   "p95": percentile(runs, 95), "queries": len(queries), "status": response.status_code}
            results.append(row)
            slow = " **over 300 ms**" if row["p95"] > 300 else ""
            print(f"| {label} | {persona} | {row['median']:,.0f} | {row['p95']:,.0f}{slow} | {row['queries']} "
                  f"| {row['status']} |", flush=True)
    if not args.only:
        print("\n| hand-written SQL | median ms |\n| --- | --- |")
        midnight = timezone.datetime.min.time()
        start = timezone.make_aware(timezone.datetime.combine(last_month_end.replace(day=1), midnight))
        end = timezone.make_aware(timezone.datetime.combine(today.replace(day=1), midnight))
        for label, sql in HAND_SQL:
            runs = []
            with connection.cursor() as cursor:
                for _ in range(args.repeat):
                    started = time.perf_counter()
                    cursor.execute(sql, {"start": start, "end": end})
                    cursor.fetchall()
                    runs.append((time.perf_counter() - started) * 1000)
            print(f"| {label} | {statistics.median(runs):,.1f} |")
            results.append({"label": label, "sql": sql, "median": statistics.median(runs)})
    if args.json:
        Path(args.json).write_text(json.dumps({"size": size, "results": results}, ensure_ascii=False, indent=1))
    del Complaint


if __name__ == "__main__":
    main()
