"""seed_demo — load the demo district (CONTRACTS.md): Putuo's 10 real streets/towns and real road names,
invented communities, companies and people, and the demo logins. Idempotent: a second run creates nothing
and, when nothing changed, writes no history.

`--second-district` also loads a small second district beside it (静安区, demo/second_district.py) and its
logins, for the city bureau's page (issue 12); without it the command does exactly what it always did.

The data and the loaders live in the demo app's modules (demo/__init__.py lists them); this command only runs
the steps in order, all as of one moment (the command's start): nothing is dated at or after it."""
import sys

from django.core.management.base import BaseCommand
from django.db import connection, transaction
from django.utils import timezone
from tqdm import tqdm

from demo import district

# The steps, in order; each is called as step(tally=..., progress=..., now=...).
REGISTRY_STEPS = [
    ("基础数据 registry", lambda *, tally, progress, now: district.load_registry(tally=tally, progress=progress)),
    ("演示账号 demo users", lambda *, tally, progress, now: district.load_users(tally=tally)),
]
# A year of complaints (诉件/线索), enforcement cases (案件), duty checks and the inventory —
# deterministic (random.Random with a fixed seed) and idempotent
# like the steps above, and run after them because it needs the communities and users.
ACTIVITY_STEPS: list = [
    # A year of 12345 orders ending now (demo.hotline: ≈7,500, through import_hotline), 300 patrol
    # findings and 150 property reports (through complaint_receive); only when there are no complaints yet.
    ("诉件 complaints (12345, 巡查, 物业报告)",
     lambda *, tally, progress, now: _app_demo("hotline", tally=tally, progress=progress, now=now)),
    # Each module of the demo app has `seed(*, tally, progress, now)`.
    ("案件 cases", lambda *, tally, progress, now: _app_demo("cases", tally=tally, progress=progress, now=now)),
    ("物业履职与信用 duty checks and credit",
     lambda *, tally, progress, now: _app_demo("credit", tally=tally, progress=progress, now=now)),
    ("存量违建台账 illegal-construction inventory",
     lambda *, tally, progress, now: _app_demo("programme", tally=tally, progress=progress, now=now)),
    # 回头看: the re-checks the closings above scheduled, recorded; two 回潮 and a repeat-offender flat
    ("回头看 re-checks",
     lambda *, tally, progress, now: _app_demo("rechecks", tally=tally, progress=progress, now=now)),
    # Last: the steps above write complaints in bulk and back-date them (no signals), so the daily complaint
    # counts the analytics pages read are rebuilt from them (analytics.aggregates).
    ("每日诉件统计 daily complaint counts", lambda *, tally, progress, now: _rebuild_aggregates()),
]


def _analyze():
    """PostgreSQL plans each query from table statistics, and autovacuum never sees rows of a transaction still
    open: after a step has filled tables that were empty, the next step's lookups (by id, joined to the complaint)
    were planned as full scans, and seeding took several times as long as on SQLite. ANALYZE counts the rows the
    transaction wrote itself. Only the project's own tables: a bare ANALYZE takes the server's shared catalogues
    too (pg_authid) and waits behind any other database's open transaction on the same server."""
    if connection.vendor == "postgresql":
        tables = connection.introspection.django_table_names(only_existing=True, include_views=False)
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE " + ", ".join(connection.ops.quote_name(name) for name in tables))


def _rebuild_aggregates():
    from analytics import aggregates

    aggregates.rebuild()


def _app_demo(module: str, *, tally, progress, now):
    import importlib

    importlib.import_module(f"demo.{module}").seed(tally=tally, progress=progress, now=now)


SECOND_DISTRICT_STEP = (
    "第二个区 静安区 (--second-district)",
    lambda *, tally, progress, now: _app_demo_load("second_district", tally=tally, progress=progress, now=now),
)


def _app_demo_load(module: str, *, tally, progress, now):
    import importlib

    importlib.import_module(f"demo.{module}").load(tally=tally, progress=progress, now=now)


class Command(BaseCommand):
    help = "Load the demo district (Putuo) and the demo logins; idempotent / 加载演示数据（可重复运行）"

    def add_arguments(self, parser):
        parser.add_argument("--second-district", action="store_true",
                            help="also load a small second district (静安区) beside Putuo / 同时加载第二个区（静安区）")

    def handle(self, *args, verbosity=1, second_district=False, **options):
        bar = verbosity >= 1 and sys.stderr.isatty()

        def progress(items, label):
            if bar:
                return tqdm(items, desc=label, unit="条", file=sys.stderr, leave=False)
            if verbosity >= 2:
                self.stdout.write(f"{label} …")
            return items

        tally = district.Tally()
        now = timezone.now()
        with transaction.atomic():
            steps = REGISTRY_STEPS + ACTIVITY_STEPS
            if second_district:  # before the last step, which recounts the daily complaint counts of every district
                steps = steps[:-1] + [SECOND_DISTRICT_STEP] + steps[-1:]
            for label, step in steps:
                if verbosity >= 1:
                    self.stdout.write(f"· {label}")
                step(tally=tally, progress=progress, now=now)
                _analyze()
        if verbosity >= 1:
            for line in tally.lines():
                self.stdout.write(f"  {line}")
            self.stdout.write(self.style.SUCCESS(
                f"演示数据已就绪 demo data ready: 新增 created {tally.created}，更新 updated {tally.updated}"
            ))
