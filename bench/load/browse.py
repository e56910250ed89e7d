"""20 simulated users browsing the list pages and dashboards while a 12345 import runs, on loopback.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/anju_load .venv/bin/python bench/load/browse.py \
        [--users 20] [--rows 20000] [--duration 60] [--think 0.5,1.5] [--workers 4] [--port 8602] [--no-import]

Starts gunicorn (bench/load/settings.py, DEBUG off, WhiteNoise) on 127.0.0.1, then USERS threads, each a
requests session signed in as one of the demo personas (lead, officers, street staff, departments, a property
company: round robin) through the login form. Each walks its persona's pages (intake queue and its second page
and a search, case list, workbench, board, inbox, dashboards, bulletins, credit, the API lists) in a random order,
waiting THINK seconds (uniform) between requests. A page a persona may not open (a 403 in the probe before the
run) is left out of its walk; during the run every answer other than 200 is an error.

After a few seconds of browsing, `manage.py import_hotline FILE` runs beside it (FILE: ROWS work orders of the
last 60 days in the CONTRACTS.md format, generated with demo/hotline.py before the clock starts). Browsing goes
on for DURATION seconds, and at least until the import has finished. Prints requests, errors, p50/p95/p99 before,
during and after the import, per page, and the import's rows/s; --no-import measures browsing alone, --users 0
the import alone. The import adds its rows to the database: run it on a load database, not on one you keep.
"""
import argparse
import os
import random
import re
import statistics
import subprocess
import sys
import threading
import time
from collections import defaultdict
from datetime import date, timedelta
from pathlib import Path

import requests

ROOT = Path(__file__).resolve().parent.parent.parent
PASSWORD = "Anju@Demo2026"
PERSONAS = ["lead", "officer", "street", "housing", "officer2", "street2", "greening", "property", "lead", "officer"]
PAGES = {
    "queue": "/intake/", "queue p2": "/intake/?page=2", "queue search": "/intake/?q=%E8%BF%9D%E5%BB%BA",
    "cases": "/cases/", "workbench": "/cases/today/", "board": "/cases/board/", "inbox": "/cases/inbox/",
    "dashboard": "/analytics/", "bulletins": "/bulletins/", "ranking": "/credit/ranking/", "mine": "/credit/mine/",
    "duty checks": "/credit/duty-checks/", "inventory": "/programme/inventory/",
    "api complaints": "/api/v1/complaints/", "api cases": "/api/v1/cases/",
}


def pct(values, p):
    if not values:
        return float("nan")
    values = sorted(values)
    return values[min(len(values) - 1, int(round(p / 100 * (len(values) - 1))))]


def env_for_load() -> dict:
    env = dict(os.environ, DJANGO_SETTINGS_MODULE="bench.load.settings", DEBUG="0",
               BENCH_STATIC_ROOT=os.environ.get("BENCH_STATIC_ROOT", "/tmp/anju_load_static"))
    env.setdefault("SECRET_KEY", "bench-load-secret-key-0123456789-abcdefghijklmnop")
    if "DATABASE_URL" not in env:
        sys.exit("set DATABASE_URL to a database holding the demo district")
    return env


def make_file(rows: int, seed: int, env: dict) -> Path:
    path = Path(f"/tmp/anju_load_hotline_{rows}_{seed}.csv")
    if not path.exists():
        end = date.today()
        code = ("import django; django.setup(); from datetime import date; from demo import hotline; "
                f"rows = hotline.generate({rows}, start=date.fromisoformat('{end - timedelta(days=60)}'), "
                f"end=date.fromisoformat('{end}'), seed={seed}); hotline.write_csv('{path}', rows)")
        subprocess.run([sys.executable, "-c", code], env=env, cwd=ROOT, check=True)
    return path


class User(threading.Thread):
    def __init__(self, index, persona, base, think, stop, started):
        super().__init__(daemon=True)
        self.index, self.persona, self.base, self.think, self.stop, self.started = (
            index, persona, base, think, stop, started)
        self.results = []  # (t since start, page, seconds, status)
        self.pages, self.left_out, self.failure = [], [], None

    def login(self, session):
        page = session.get(f"{self.base}/accounts/login/", timeout=30)
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text).group(1)
        answer = session.post(f"{self.base}/accounts/login/", timeout=30, allow_redirects=False,
                              data={"username": self.persona, "password": PASSWORD, "csrfmiddlewaretoken": token},
                              headers={"Referer": f"{self.base}/accounts/login/"})
        if answer.status_code != 302:
            raise RuntimeError(f"login of {self.persona}: {answer.status_code}")

    def prepare(self):
        self.session = requests.Session()
        self.login(self.session)
        for name, path in PAGES.items():
            answer = self.session.get(self.base + path, timeout=60, allow_redirects=False)
            (self.pages if answer.status_code == 200 else self.left_out).append(name)

    def run(self):
        rng = random.Random(self.index)
        self.started.wait()
        t0 = self.started.t0
        while not self.stop.is_set():
            name = rng.choice(self.pages)
            began = time.perf_counter()
            try:
                status = self.session.get(self.base + PAGES[name], timeout=60, allow_redirects=False).status_code
            except requests.RequestException as exc:
                status = f"{exc.__class__.__name__}"
            self.results.append((began - t0, name, time.perf_counter() - began, status))
            self.stop.wait(rng.uniform(*self.think))


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--users", type=int, default=20)
    parser.add_argument("--rows", type=int, default=20_000)
    parser.add_argument("--duration", type=float, default=60)
    parser.add_argument("--warm", type=float, default=8, help="seconds of browsing before the import starts")
    parser.add_argument("--think", default="0.5,1.5", help="seconds between a user's requests (uniform low,high)")
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument("--port", type=int, default=8602)
    parser.add_argument("--seed", type=int, default=int(time.time()) % 100_000)
    parser.add_argument("--no-import", action="store_true")
    args = parser.parse_args()
    think = tuple(float(x) for x in args.think.split(","))
    env = env_for_load()
    py = str(ROOT / ".venv" / "bin" / "python")

    if not (Path(env["BENCH_STATIC_ROOT"]) / "staticfiles.json").exists():
        subprocess.run([py, "manage.py", "collectstatic", "--noinput", "-v", "0"], env=env, cwd=ROOT, check=True)
    path = None if args.no_import else make_file(args.rows, args.seed, env)

    base = f"http://127.0.0.1:{args.port}"
    log_path = Path(f"/tmp/anju_load_browse_{args.port}.log")
    log = log_path.open("w")  # the server's log (a refused probe logs its 403 there)
    server = subprocess.Popen([str(ROOT / ".venv" / "bin" / "gunicorn"), "anju.wsgi:application", "-w",
                               str(args.workers), "-b", f"127.0.0.1:{args.port}", "--timeout", "60",
                               "--log-level", "warning"], env=env, cwd=ROOT, stdout=log, stderr=log)
    try:
        for _ in range(100):
            try:
                if requests.get(base + "/healthz", timeout=2).status_code == 200:
                    break
            except requests.RequestException:
                pass
            time.sleep(0.2)
        stop, started = threading.Event(), threading.Event()
        users = [User(i, PERSONAS[i % len(PERSONAS)], base, think, stop, started) for i in range(args.users)]
        for u in users:
            u.prepare()
            u.start()
        started.t0 = time.perf_counter()
        started.set()
        imp = {}
        if path is not None:
            stop.wait(args.warm if args.users else 0)
            imp["start"] = time.perf_counter() - started.t0
            done = subprocess.run([py, "manage.py", "import_hotline", str(path), "-v", "1"], env=dict(
                env, DJANGO_SETTINGS_MODULE="anju.settings"), cwd=ROOT, capture_output=True, text=True)
            imp["end"] = time.perf_counter() - started.t0
            imp["rc"], imp["out"] = done.returncode, done.stdout.splitlines()[:1]
            found = re.search(r"新增 created (\d+).*已导入过 skipped (\d+).*错误 rejected (\d+)", done.stdout)
            imp["created"], imp["skipped"], imp["rejected"] = (int(x) for x in found.groups()) if found else (0, 0, 0)
            own = re.search(r"（([\d.]+) s）", done.stdout)  # the import's own time, as the command prints it
            imp["own"] = float(own.group(1)) if own else float("nan")
            if done.returncode not in (0, 1):
                print(done.stdout[-2000:], done.stderr[-4000:], file=sys.stderr)
        remaining = args.duration - (time.perf_counter() - started.t0)
        if remaining > 0 and args.users:
            stop.wait(remaining)
        stop.set()
        for u in users:
            u.join(timeout=70)
        elapsed = time.perf_counter() - started.t0
    finally:
        server.terminate()
        server.wait(timeout=30)

    results = [r + (u.persona,) for u in users for r in u.results]
    print(f"\n{args.users} users ({', '.join(sorted({u.persona for u in users}))}), think {think[0]}–{think[1]} s, "
          f"gunicorn -w {args.workers}, {os.cpu_count()} CPUs, {elapsed:.0f} s, load average now "
          f"{open('/proc/loadavg').read().split()[0]}")
    shown = set()
    for u in users:
        if u.persona not in shown:
            shown.add(u.persona)
            print(f"  {u.persona} walks: {', '.join(u.pages)} (left out, not 200: {', '.join(u.left_out) or '—'})")
    if imp:
        seconds = imp["end"] - imp["start"]
        print(f"import: {args.rows:,} rows from {path.name}: created {imp['created']:,}, skipped {imp['skipped']:,}, "
              f"rejected {imp['rejected']:,}; the import itself {imp['own']:.1f} s = "
              f"{(imp['created'] + imp['skipped']) / imp['own']:,.0f} rows/s; the whole command {seconds:.1f} s "
              f"(interpreter and model load included; exit {imp['rc']}), from t={imp['start']:.1f} s "
              f"to t={imp['end']:.1f} s")
    print(f"server log: {log_path}")

    def phase(t):
        if not imp:
            return "no import"
        return "before" if t < imp["start"] else "during" if t < imp["end"] else "after"

    errors = [r for r in results if r[3] != 200]
    print(f"requests {len(results):,}, errors {len(errors)}"
          + (": " + ", ".join(f"{r[1]} {r[3]} ({r[4]})" for r in errors[:10]) if errors else ""))
    print(f"{'phase':<10} {'requests':>8} {'req/s':>6} {'errors':>6} {'p50 ms':>7} {'p95 ms':>7} {'p99 ms':>7}")
    by_phase = defaultdict(list)
    for r in results:
        by_phase[phase(r[0])].append(r)
    spans = {"before": (0, imp.get("start")), "during": (imp.get("start"), imp.get("end")),
             "after": (imp.get("end"), elapsed), "no import": (0, elapsed)}
    for name in ("before", "during", "after", "no import"):
        rows = by_phase.get(name)
        if not rows:
            continue
        low, high = spans[name]
        ms = [r[2] * 1000 for r in rows]
        print(f"{name:<10} {len(rows):>8,} {len(rows) / max(high - low, 1e-9):>6.1f} "
              f"{sum(r[3] != 200 for r in rows):>6} {pct(ms, 50):>7.0f} {pct(ms, 95):>7.0f} {pct(ms, 99):>7.0f}")
    print(f"\n{'page':<15} {'requests':>8} {'p50 ms':>7} {'p95 ms':>7} {'during: p50':>11} {'p95':>6}")
    by_page = defaultdict(list)
    for r in results:
        by_page[r[1]].append(r)
    for name in PAGES:
        rows = by_page.get(name)
        if not rows:
            continue
        ms = [r[2] * 1000 for r in rows]
        during = [r[2] * 1000 for r in rows if phase(r[0]) == "during"]
        print(f"{name:<15} {len(rows):>8,} {pct(ms, 50):>7.0f} {pct(ms, 95):>7.0f} {pct(during, 50):>11.0f} "
              f"{pct(during, 95):>6.0f}")
    if results:
        print(f"\nmean latency {statistics.mean(r[2] for r in results) * 1000:.0f} ms")
    sys.exit(1 if errors or (imp and imp["rc"] not in (0, 1)) else 0)


if __name__ == "__main__":
    main()
