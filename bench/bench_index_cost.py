"""What each index of a table costs PostgreSQL on insert: the CPU of the server process (read from /proc, the same
machine) inserting the table's newest ROWS rows again into a copy of it that has no index but its primary key, then
that one index, then every index. A bench database only (it creates and drops tables `bench_idx_*`).

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/anju_histbench \
        .venv/bin/python bench/bench_index_cost.py intake_complaint [intake_historicalcomplaint] [--rows 20000]
"""
import argparse
import os
import re
from pathlib import Path
from urllib.parse import urlparse

import psycopg


def backend_cpu(conn) -> float:
    pid = conn.info.backend_pid
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


NAMED = re.compile(r"INDEX (\S+) ON (public\.)?\S+")


def measure(conn, table: str, rows: int, repeat: int) -> None:
    copy, source = f"bench_idx_{table}", f"bench_idx_src_{table}"
    columns = conn.execute("select column_name, is_generated <> 'NEVER' from information_schema.columns "
                           "where table_name = %s order by ordinal_position", [table]).fetchall()
    listed = ", ".join(f'"{c}"' for c, _ in columns)  # a generated column's values copied (computed below)
    written = ", ".join(f'"{c}"' for c, generated in columns if not generated)
    pkey, key = conn.execute(
        "select c.conname, a.attname from pg_constraint c join pg_attribute a on a.attrelid = c.conrelid "
        "and a.attnum = c.conkey[1] where c.conrelid = %s::regclass and c.contype = 'p'", [table]).fetchone()
    indexes = conn.execute("select indexname, indexdef from pg_indexes where tablename = %s and indexname <> %s "
                           "order by indexname", [table, pkey]).fetchall()
    conn.execute(f'DROP TABLE IF EXISTS "{copy}", "{source}"')
    conn.execute(f'CREATE TABLE "{source}" AS SELECT {listed} FROM "{table}" ORDER BY "{key}" DESC LIMIT {rows}')
    conn.execute(f'CREATE TABLE "{copy}" (LIKE "{table}" INCLUDING DEFAULTS)')
    conn.execute(f'ALTER TABLE "{copy}" ADD PRIMARY KEY ("{key}")')

    def insert(statements: list[str]) -> float:
        """The least server CPU of `repeat` inserts of the rows into the empty copy with these indexes."""
        best = None
        for _ in range(repeat):
            conn.execute(f'TRUNCATE "{copy}"')
            for statement in statements:
                conn.execute(statement)
            cpu = backend_cpu(conn)
            conn.execute(f'INSERT INTO "{copy}" ({listed}) SELECT {listed} FROM "{source}"')
            spent = backend_cpu(conn) - cpu
            best = spent if best is None else min(best, spent)
            for statement in statements:
                conn.execute(f"DROP INDEX IF EXISTS {NAMED.search(statement)[1]}")
        return best

    base = insert([])
    print(f"{table}: {rows:,} rows, primary key only: {base:.2f} s CPU")
    every = []
    for name, definition in indexes:
        statement = NAMED.sub(f'INDEX "bi_{name[:55]}" ON "{copy}"', definition, count=1)
        every.append(statement)
        print(f"  {name}: +{insert([statement]) - base:.2f} s  ({definition.split(' USING ')[1]})")
    spent = insert(every)
    print(f"  every index: {spent:.2f} s CPU (+{spent - base:.2f} s over the primary key)")
    if written != listed:  # what computing the generated columns costs (search_grams: core.search)
        conn.execute(f'DROP TABLE "{copy}"')
        conn.execute(f'CREATE TABLE "{copy}" (LIKE "{table}" INCLUDING DEFAULTS INCLUDING GENERATED)')
        conn.execute(f'ALTER TABLE "{copy}" ADD PRIMARY KEY ("{key}")')
        listed = written
        print(f"  computing the generated columns: +{insert([]) - base:.2f} s")
    conn.execute(f'DROP TABLE IF EXISTS "{copy}", "{source}"')


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("tables", nargs="+")
    parser.add_argument("--rows", type=int, default=20_000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--set", action="append", default=[], help="a setting, e.g. gin_pending_list_limit=64MB")
    args = parser.parse_args()
    url = urlparse(os.environ["DATABASE_URL"])
    conn = psycopg.connect(host=url.hostname, port=url.port or 5432, user=url.username, password=url.password,
                           dbname=url.path.lstrip("/"), autocommit=True)
    for setting in args.set:
        name, value = setting.split("=", 1)
        conn.execute(f"SET {name} = '{value}'")
    for table in args.tables:
        measure(conn, table, args.rows, args.repeat)


if __name__ == "__main__":
    main()
