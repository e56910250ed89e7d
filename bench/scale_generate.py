"""Grow a seeded demo district to millions of complaints on PostgreSQL, in the database, without the ORM.

    .venv/bin/python bench/scale_generate.py --db anju_scale --target 5000000 [--years 5]

The database must hold the demo district (`migrate` + `seed_demo`). Each copy k = 1..K of the demo's
complaints, with their transitions, history, 12345 replies, cases, case transitions, case history, parties
and referrals, is inserted by one INSERT … SELECT per table over generate_series(1, K): ids shifted by
k × the table's id stride, foreign keys to copied tables shifted the same way, every date and time moved
k × STEP days into the past, where STEP spreads the copies over YEARS so the newest copy is the demo
itself and the oldest lies YEARS back. Durations inside a copy (deadlines, replies, moves) stay as the
demo has them. What was still open in the demo is closed in every copy older than 60 days, as it would be
(complaints, cases, and referrals waiting for a department's answer).
Unique numbers are rewritten (12345 order numbers get "-k", case numbers AJ{year}-{seq} per year).

Copies already present are kept: run with --target 200000, time, then --target 1000000, and so on; each
run adds the copies between what is there and the target. The copied tables' secondary indexes (not their
keys and unique constraints) are dropped before the copies and built again after, with a large
maintenance_work_mem: the same indexes an installation that grew would have, built in minutes instead of
maintained row by row. ANALYZE runs at the end. Then `rebuild_aggregates` refreshes the daily counts.

Chosen over COPY from Python because every row is derived from a demo row: the database does the work
in one statement per table, which is faster than shipping rows through a client (figures in README).
"""
import argparse
import os
import time

import psycopg

OPEN_COMPLAINT = ("NEW", "ROUTED", "REFERRED", "IN_CASE")
PENDING_REFERRAL = ("SENT", "SIGNED")
CLOSED_CASE = ("CLOSED", "REFERRED")  # cases.choices.TERMINAL: every other state (the procedure's too) is open
KEEP_OPEN_DAYS = 60

# Copied tables, parents before children. Tables whose rows hang off a case but are not copied (documents,
# evidence files) have their foreign keys nulled in the copies.
TABLES = [
    "cases_enforcementcase",
    "intake_complaint",
    "intake_complainttransition",
    "intake_historicalcomplaint",
    "cases_hotlinereply",
    "cases_casetransition",
    "cases_historicalenforcementcase",
    "cases_party",
    "cases_referral",
]
PK = {"intake_historicalcomplaint": "history_id", "cases_historicalenforcementcase": "history_id"}
# history tables keep the copied row's id in "id" (no foreign key): shift it like the row's own id
HISTORY_OF = {"intake_historicalcomplaint": "intake_complaint",
              "cases_historicalenforcementcase": "cases_enforcementcase"}
NULLED_TARGETS = {"cases_document", "cases_evidence", "intake_importbatch"}


def columns(cur, table):
    cur.execute("""select column_name, data_type from information_schema.columns
                   where table_name = %s and is_generated = 'NEVER' order by ordinal_position""", [table])
    return cur.fetchall()


def foreign_keys(cur, table) -> dict:
    cur.execute("""
        select a.attname, cl.relname from pg_constraint c
        join pg_class t on t.oid = c.conrelid join pg_class cl on cl.oid = c.confrelid
        join pg_attribute a on a.attrelid = c.conrelid and a.attnum = c.conkey[1]
        where c.contype = 'f' and t.relname = %s""", [table])
    return dict(cur.fetchall())


def strides_of(cur, pks: dict) -> dict:
    """Each table's id stride: the power of ten above the demo's largest id, read once before the first copy
    and kept in bench_scale_stride so later runs find the demo's rows (ids below the stride) again."""
    cur.execute("create table if not exists bench_scale_stride (name text primary key, stride bigint not null)")
    cur.execute("select name, stride from bench_scale_stride")
    known = dict(cur.fetchall())
    for table, pk in pks.items():
        if table not in known:
            cur.execute(f"select coalesce(max({pk}), 0) from {table}")
            known[table] = 10 ** len(str(cur.fetchone()[0] + 1))
            cur.execute("insert into bench_scale_stride values (%s, %s)", [table, known[table]])
    return {table: known[table] for table in pks}


def expression(table, name, kind, fks, strides, step_days) -> str:
    pk = PK.get(table, "id")
    shift = f"(g.k * {step_days})"
    if name == pk:
        return f"t.{name} + g.k * {strides[table]}"
    if table in HISTORY_OF and name == "id":
        return f"t.id + g.k * {strides[HISTORY_OF[table]]}"
    target = fks.get(name)
    if target in strides:
        return f"t.{name} + g.k * {strides[target]}"
    if target in NULLED_TARGETS:
        return "NULL"
    old = f"g.k * {step_days} > {KEEP_OPEN_DAYS}"
    if table == "cases_referral" and name == "status":  # answered long ago, as its complaint and case are closed
        return f"case when t.status in {PENDING_REFERRAL} and {old} then 'ANSWERED' else t.status end"
    if table == "cases_referral" and name == "answered_at":
        return (f"case when t.status in {PENDING_REFERRAL} and {old} "
                f"then t.created_at - make_interval(days => {shift}) + interval '5 days' "
                f"else t.answered_at - make_interval(days => {shift}) end")
    if kind.startswith("timestamp"):
        return f"t.{name} - make_interval(days => {shift})"
    if kind == "date":
        return f"(t.{name} - {shift})::date"
    if name == "external_no" and table in ("intake_complaint", "intake_historicalcomplaint"):
        return "case when t.external_no = '' then '' else t.external_no || '-' || g.k end"
    if name == "status" and table in ("intake_complaint", "intake_historicalcomplaint"):
        return (f"case when t.status in {OPEN_COMPLAINT} and g.k * {step_days} > {KEEP_OPEN_DAYS} "
                f"then 'CLOSED' else t.status end")
    if name == "state" and table in ("cases_enforcementcase", "cases_historicalenforcementcase"):
        return (f"case when t.state not in {CLOSED_CASE} and g.k * {step_days} > {KEEP_OPEN_DAYS} "
                f"then 'CLOSED' else t.state end")
    if name == "number" and table in ("cases_enforcementcase", "cases_historicalenforcementcase"):
        # AJ{year}-{seq} in the copy's year; seq = 1,000,000 + k × stride + the demo's id: seven digits, above
        # every demo number, so next_case_number continues after the copies as it would after a busy year
        return (f"'AJ' || extract(year from t.created_at - make_interval(days => {shift}))::int || '-' || "
                f"(1000000 + g.k * {strides['cases_enforcementcase']} + t.id)::text")
    return f"t.{name}"


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--db", default="anju_scale")
    parser.add_argument("--server", default=os.environ.get("ANJU_BENCH_PG", "postgres://postgres@127.0.0.1:5432"))
    parser.add_argument("--target", type=int, default=5_000_000, help="complaints wanted in all")
    parser.add_argument("--years", type=float, default=5.0)
    parser.add_argument("--final", type=int, default=5_000_000,
                        help="the size the spacing is chosen for, so copies land at the same dates at every size")
    args = parser.parse_args()

    with psycopg.connect(f"{args.server}/{args.db}", autocommit=True) as conn, conn.cursor() as cur:
        pks = {t: PK.get(t, "id") for t in TABLES}
        strides = strides_of(cur, pks)
        cur.execute("select count(*), min(received_at), max(received_at) from intake_complaint "
                    f"where id < {strides['intake_complaint']}")
        demo_count, first, last = cur.fetchone()
        if not demo_count:
            raise SystemExit("no demo complaints: run migrate and seed_demo first")
        span_days = (last - first).days
        copies_final = max(1, round(args.final / demo_count) - 1)
        step_days = max(1, int((args.years * 365.25 - span_days) / copies_final))
        cur.execute("select count(*) from intake_complaint")
        have = cur.fetchone()[0]
        have_copies = round(have / demo_count) - 1
        want_copies = max(0, round(args.target / demo_count) - 1)
        print(f"demo: {demo_count} complaints over {span_days} days; copies {have_copies} → {want_copies}, "
              f"every {step_days} days; strides {strides}")
        if want_copies <= have_copies:
            print("nothing to add")
            return
        total = time.perf_counter()
        cur.execute("""select indexname, indexdef from pg_indexes where tablename = any(%s) and indexname not in (
                           select conname from pg_constraint where contype in ('p', 'u'))""", [TABLES])
        secondary = cur.fetchall()
        for name, _definition in secondary:
            cur.execute(f'drop index "{name}"')
        print(f"  dropped {len(secondary)} secondary indexes")
        for table in TABLES:
            fks = foreign_keys(cur, table)
            cols = columns(cur, table)
            names = ", ".join(c for c, _ in cols)
            values = ", ".join(expression(table, c, k, fks, strides, step_days) for c, k in cols)
            started = time.perf_counter()
            cur.execute(f"""
                insert into {table} ({names})
                select {values} from {table} t
                cross join generate_series({have_copies + 1}, {want_copies}) as g(k)
                where t.{pks[table]} < {strides[table]}""")
            print(f"  {table}: {cur.rowcount:,} rows in {time.perf_counter() - started:.1f} s", flush=True)
        started = time.perf_counter()
        cur.execute("set maintenance_work_mem = '1GB'")
        for _name, definition in secondary:
            cur.execute(definition)
        print(f"  rebuilt {len(secondary)} indexes in {time.perf_counter() - started:.0f} s", flush=True)
        for table in TABLES:
            cur.execute(f"select setval(pg_get_serial_sequence('{table}', '{pks[table]}'), "
                        f"(select max({pks[table]}) from {table}))")
        started = time.perf_counter()
        cur.execute("analyze")
        print(f"  analyze: {time.perf_counter() - started:.1f} s")
        cur.execute("select count(*) from intake_complaint")
        print(f"complaints now {cur.fetchone()[0]:,}; {time.perf_counter() - total:.0f} s in all")


if __name__ == "__main__":
    main()
