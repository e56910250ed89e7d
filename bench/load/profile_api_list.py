"""Where the complaint list API's time goes, in-process: CPU per request of `/api/v1/complaints/` (the lead's
first page, 50 rows) against the bare view (`/bench/bare/?n=50`), and a cProfile of the API's requests.

    DATABASE_URL=postgres://…/anju_load .venv/bin/python bench/load/profile_api_list.py [--repeat 40] [--old]
        [--profile 30]

--old: the list as it was before issue 12's change (DRF's ListModelMixin: ComplaintSerializer field by field over
model instances with select_related), for a before/after in the same conditions. CPU is time.process_time of this
process (the database's own work is not in it; the queries' time seen from Django is printed beside).
"""
import argparse
import cProfile
import os
import pstats
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
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeat", type=int, default=40)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--old", action="store_true")
    parser.add_argument("--profile", type=int, default=0)
    parser.add_argument("--user", default="lead")
    args = parser.parse_args()
    import django

    django.setup()
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext
    from rest_framework.mixins import ListModelMixin

    from accounts.models import User
    from intake.api import ComplaintViewSet

    if args.old:
        ComplaintViewSet.list = ListModelMixin.list
    client = Client(HTTP_HOST="127.0.0.1")
    client.force_login(User.objects.get(username=args.user))
    paths = {"api": "/api/v1/complaints/", "bare": "/bench/bare/?n=50"}
    for path in paths.values():
        response = client.get(path)
        assert response.status_code == 200, (path, response.status_code)
    results = {}
    for name, path in paths.items():
        best = None
        for _ in range(args.rounds):
            cpu, db = [], []
            for _ in range(args.repeat):
                with CaptureQueriesContext(connection) as seen:
                    began = time.process_time()
                    client.get(path)
                    cpu.append((time.process_time() - began) * 1000)
                db.append(sum(float(q["time"]) for q in seen.captured_queries) * 1000)
            round_ = (statistics.median(cpu), statistics.median(db), len(seen.captured_queries))
            best = round_ if best is None or round_[0] < best[0] else best
        results[name] = best
        print(f"{name:5} CPU {best[0]:.1f} ms a request (median of {args.repeat}, best of {args.rounds} rounds), "
              f"queries {best[2]}, their time {best[1]:.1f} ms")
    api, bare = results["api"], results["bare"]
    print(f"API ÷ bare CPU: {api[0] / bare[0]:.2f}× (CPU + queries: {(api[0] + api[1]) / (bare[0] + bare[1]):.2f}×)")
    if args.profile:
        profile = cProfile.Profile()
        profile.enable()
        for _ in range(args.profile):
            client.get(paths["api"])
        profile.disable()
        pstats.Stats(profile).sort_stats("cumulative").print_stats(35)


if __name__ == "__main__":
    main()
