"""What one request of each page costs, in CPU, for sizing (docs/scaling.md): the web process's CPU time
(time.process_time, so other jobs on a shared machine inflate it little) and the database's time (the sum of the
queries' durations seen from Django: an upper bound of the server's CPU, since it includes the round trips).

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/anju_load .venv/bin/python bench/load/cost_per_page.py [--repeat 10]

In-process (Django's test client, DEBUG off, the load settings), signed in as each demo persona; the pages and
personas are bench/load/browse.py's, a page a persona may not open is left out. Prints per page the median over
REPEAT requests, and the mean over the browse mix (each persona's pages equally often, personas as browse.py
deals them out to 20 users).
"""
import argparse
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent.parent
sys.path.insert(0, str(ROOT))
os.environ["DJANGO_SETTINGS_MODULE"] = "bench.load.settings"
os.environ.setdefault("DEBUG", "0")
os.environ.setdefault("BENCH_STATIC_ROOT", "/tmp/anju_load_static")


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--repeat", type=int, default=10)
    args = parser.parse_args()
    import django

    django.setup()
    import logging

    logging.disable(logging.WARNING)  # the probes' refusals (403) log a traceback each
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from accounts.models import User
    from bench.load.browse import PAGES, PERSONAS

    mix = []
    print(f"{'persona':<9} {'page':<15} {'web CPU ms':>10} {'DB ms':>7} {'queries':>7}")
    for persona in dict.fromkeys(PERSONAS):
        client = Client(HTTP_HOST="127.0.0.1")
        client.force_login(User.objects.get(username=persona))
        for name, path in PAGES.items():
            if client.get(path).status_code != 200:
                continue
            cpu, db, queries = [], [], 0
            for _ in range(args.repeat):
                with CaptureQueriesContext(connection) as seen:
                    began = time.process_time()
                    client.get(path)
                    cpu.append((time.process_time() - began) * 1000)
                db.append(sum(float(q["time"]) for q in seen.captured_queries) * 1000)
                queries = len(seen.captured_queries)
            row = (persona, name, statistics.median(cpu), statistics.median(db), queries)
            mix += [row] * PERSONAS.count(persona)
            print(f"{persona:<9} {name:<15} {row[2]:>10.1f} {row[3]:>7.1f} {queries:>7}")
    by_persona = {}
    for row in mix:
        by_persona.setdefault(row[0], []).append(row)
    # browse.py: each user picks its persona's pages uniformly; 20 users deal PERSONAS out round robin
    users = [PERSONAS[i % len(PERSONAS)] for i in range(20)]
    web = statistics.mean(statistics.mean(r[2] for r in by_persona[p]) for p in users)
    dbm = statistics.mean(statistics.mean(r[3] for r in by_persona[p]) for p in users)
    print(f"\nbrowse mix (20 users as browse.py deals them): web CPU {web:.1f} ms, DB {dbm:.1f} ms a request; "
          f"{os.cpu_count()} CPUs, load average {open('/proc/loadavg').read().split()[0]}")


if __name__ == "__main__":
    main()
