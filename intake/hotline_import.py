"""The machinery of a large 12345 import (services.import_hotline): per-row decisions that depend on the row
alone, made ahead in a helper process; the complaint and history rows written as plain values, by a thread.

Everything an order's own text decides — type, department, confidence and evidence, community, street, match
evidence, route, and the text key and flat that de-duplication compares — is made by `RowDecider.decide`,
a pure function of (content, address) over the classifier and the community index. It can run anywhere, in any
order, in chunks: `Ahead` runs it in a helper process (a fresh interpreter, intake.import_helper, so it shares
no connection, lock or thread with the importing process) for the chunks ahead of the one being written, while
the importing process takes chunks from the far end whenever it would otherwise wait. What depends on the orders
before (repeats, duplicates) is decided in the importing process, in time order, as before; `Writer` writes each
chunk, in a transaction of its own, while the next one is prepared.
"""
from __future__ import annotations

import json
import logging
import os
import pickle
import queue
import subprocess
import sys
import threading
import time
from collections import deque
from collections.abc import Callable, Sequence
from contextlib import contextmanager
from itertools import chain
from operator import itemgetter
from pathlib import Path

try:
    import fcntl
except ImportError:  # not on Unix
    fcntl = None

from core import search
from core.errors import ApplicationError
from intake import routing
from intake.dedup import matter, spot, text_key
from intake.import_helper import READY, read_message, write_message

logger = logging.getLogger(__name__)

# A decision tuple (RowDecider.decide): first the values of these complaint columns, ready to store, …
DECIDED_COLUMNS = ("community_id", "street_id", "match_score", "match_evidence", "predicted_type_id",
                   "predicted_department_id", "confidence", "classification_evidence", "violation_type_id",
                   "department_id")
# … then the route's status and note, what the import's summary and de-duplication need, and the search column's
# character pairs (core.search.grams; None unless the decider's `grams` is set: PostgreSQL).
D_STATUS, D_NOTE, D_TYPE_CODE, D_MATTER, D_KEY, D_SPOT, D_GRAMS = range(len(DECIDED_COLUMNS),
                                                                       len(DECIDED_COLUMNS) + 7)
D_COMMUNITY, D_STREET = 0, 1


def review_reason_of(prediction):
    """The classifier's review decision (intake.classifier.review_decision); a stand-in prediction without one
    (a test's fake) is judged by confidence alone, as before."""
    if hasattr(prediction, "review_reason"):
        return prediction.review_reason
    return "low_confidence" if (prediction.confidence or 0) < routing.TRIAGE_BELOW else None


def evidence_record(prediction) -> dict:
    """classification_evidence: the deciding terms, the alternatives, and the review decision with its grounds
    (shown in the queue)."""
    record = {"terms": list(prediction.evidence),
              "alternatives": [list(a) for a in getattr(prediction, "alternatives", [])]}
    if hasattr(prediction, "review_record"):
        record["review"] = prediction.review_record()
    return record


class RowDecider:
    """The decisions about one complaint that depend on its own text only (no database, no other complaint).
    Picklable, so a helper process can make them."""

    def __init__(self, *, classifier, index, type_ids: dict[str, int], department_ids: dict[str, int]):
        self.classifier = classifier
        self.index = index
        self.type_ids = type_ids
        self.department_ids = department_ids
        self._addresses: dict = {}  # address → (its Match, its evidence as JSON), within decide() (read only)
        self.grams = False  # whether decide() computes the search column's pairs (set by the import)

    @classmethod
    def of(cls, ctx) -> RowDecider:
        """From a services.Context (loaded once per import or request)."""
        return cls(classifier=ctx.classifier, index=ctx.index, type_ids={c: t.pk for c, t in ctx.types.items()},
                   department_ids={c: d.pk for c, d in ctx.departments.items()})

    def place(self, address: str, content: str):
        """The community: the address's; if the address names none, the one the content names."""
        match = self.index.match(address or content)
        if match.community_id is None and address:
            # The address may name only a road; the content may name the community.
            in_text = self.index.match(content)
            if in_text.community_id is not None:
                match = in_text
        return match

    def route(self, prediction, street_id) -> tuple[str | None, str | None, routing.Route]:
        """(type code, predicted department code, route): codes the registry does not know count as none."""
        type_code = prediction.violation_type if prediction.violation_type in self.type_ids else None
        department_code = prediction.department if prediction.department in self.department_ids else None
        decided = routing.route(type_code=type_code, department_code=department_code,
                                confidence=prediction.confidence, has_place=bool(street_id),
                                review_reason=review_reason_of(prediction))
        return type_code, department_code, decided

    def decide(self, items: Sequence[tuple[str, str, str]]) -> list[tuple]:
        """One decision tuple (DECIDED_COLUMNS, then D_*) per (content, address, category hint); evidence as JSON
        text. The same as place() and route() for each, with each text parsed once."""
        predictions = self.classifier.predict_many([content for content, _, _ in items])
        type_ids, department_ids, dumps, match = self.type_ids, self.department_ids, json.dumps, self.index.match
        addresses, grams = self._addresses, search.grams if getattr(self, "grams", False) else None
        if len(addresses) > 20_000:
            addresses.clear()
        out = []
        for (content, address, hint), prediction in zip(items, predictions, strict=True):
            in_text = parsed_address = None
            if address:
                known = addresses.get(address)
                if known is None:  # addresses recur (a community's doors): each is matched once
                    matched = match(address)
                    known = addresses[address] = (matched, dumps(matched.evidence))
                found, evidence = known
                if len(address) <= 300:  # de-duplication looks at the stored (cut) address
                    parsed_address = found.parsed[0]
                if found.community_id is None:
                    # The address may name only a road; the content may name the community.
                    in_text = match(content)
                    if in_text.community_id is not None:
                        found, evidence = in_text, dumps(in_text.evidence)
            else:
                found = in_text = match(content)
                evidence = dumps(found.evidence)
            type_code, department_code, decided = self.route(prediction, found.street_id)
            type_id = type_ids.get(type_code)
            department_id = department_ids.get(decided.department_code)
            kind = matter(type_id, type_code, department_id)
            key = where = None
            if found.community_id and kind:
                key = text_key(content)
                where = spot(address[:300], content, parsed_address, in_text.parsed[0] if in_text else None)
            out.append((
                found.community_id, found.street_id, found.score, evidence,
                type_id, department_ids.get(department_code), round(float(prediction.confidence), 4),
                dumps(evidence_record(prediction)),
                type_id, department_id,
                str(decided.status), decided.note, type_code, kind, key, where,
                grams(content, address[:300], hint) if grams else None,  # the columns as stored
            ))
        return out

    def __getstate__(self):
        return {k: v for k, v in self.__dict__.items() if k != "_addresses"}

    def __setstate__(self, state):
        self.__dict__.update(state)
        self._addresses = {}


# --- the helper process ------------------------------------------------------------------------------------------

class ImportHelperError(ApplicationError):
    """The helper process failed: the orders written so far stay (each chunk is one transaction), and a new import
    of the same file skips them."""


def helper_usable(decider: RowDecider) -> bytes | None:
    """The decider pickled for a helper, or None where a helper would not help or cannot run: one CPU, or a
    classifier that cannot be pickled (a stand-in defined inside a test function), or no Python to start (an
    embedding server)."""
    if _cpus() < 2 or not sys.executable:
        return None
    try:
        return pickle.dumps(decider, protocol=pickle.HIGHEST_PROTOCOL)
    except Exception:  # noqa: BLE001 - any object may refuse to pickle
        return None


def _cpus() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


def _widen(pipe, size: int = 1 << 20) -> None:
    """Let a pipe hold a whole chunk (Linux; 64 kB by default): a chunk's answer then goes in one write and comes
    out in one read, instead of sixteen, each of which the receiving thread must win the GIL back for while this
    process's other threads are busy — the helper would sit blocked on a full pipe meanwhile."""
    setsize = getattr(fcntl, "F_SETPIPE_SZ", None) if fcntl is not None else None
    if setsize is None:
        return
    try:
        fcntl.fcntl(pipe.fileno(), setsize, size)
    except OSError:  # above /proc/sys/fs/pipe-max-size: keep the default
        pass


class Ahead:
    """`decider.decide` over chunks, each asked for once, in order, by `get`.

    With a helper (`state` from helper_usable), a helper process (intake.import_helper) decides chunks from the
    first on, at most two at a time; when the caller asks for a chunk the helper has not answered yet, the caller
    decides one itself — that chunk if it has not been sent yet, else the last one not sent — so neither process
    waits while there is work (which one is faster depends on the database). A failure in the helper, or its end,
    raises ImportHelperError in the caller; the caller never waits on a helper that is gone.
    """

    DEPTH = 2  # chunks sent and not answered: one being decided, one waiting, so the helper never idles
    PATIENCE = 300.0  # seconds without an answer after which a helper counts as stuck (a chunk takes a tenth)

    def __init__(self, decider: RowDecider, chunks: list, *, state: bytes | None = None):
        self.decider, self.chunks = decider, chunks
        self.done: dict[int, list] = {}
        self.stolen = 0  # chunks decided here although a helper was there
        self.helped = 0  # chunks the helper decided
        self.process = None
        if state is None or len(chunks) < 2:
            return
        root = str(Path(__file__).resolve().parent.parent)
        env = dict(os.environ, PYTHONPATH=os.pathsep.join(filter(None, [root, os.environ.get("PYTHONPATH")])),
                   ANJU_IMPORT_HELPER="1", OMP_NUM_THREADS="1", OPENBLAS_NUM_THREADS="1")
        try:
            self.process = subprocess.Popen([sys.executable, "-m", "intake.import_helper"], stdin=subprocess.PIPE,
                                            stdout=subprocess.PIPE, env=env, cwd=root)
        except OSError:
            logger.warning("import helper could not start: deciding every chunk in this process", exc_info=True)
            return
        for pipe in (self.process.stdin, self.process.stdout):
            _widen(pipe)
        self.pending = deque(range(len(chunks)))  # not sent yet
        self.answers: dict[int, tuple] = {}
        self.outstanding = 0
        self.closing = False
        self.ended = False
        self.ready = False  # the helper has started (loaded the decider)
        self.given_up = False
        self.state = state
        self.changed = threading.Condition()
        self.threads = [threading.Thread(target=self._send, name="import-helper-send", daemon=True),
                        threading.Thread(target=self._receive, name="import-helper-receive", daemon=True)]
        for thread in self.threads:
            thread.start()

    # -- the two threads talking to the helper ----------------------------------------------------------------
    def _send(self):
        try:
            write_message(self.process.stdin, pickled=self.state)
            while True:
                with self.changed:
                    while not self.closing and not self.ended and (
                            not self.pending or self.outstanding >= self.DEPTH):
                        self.changed.wait()
                    if self.closing or self.ended:
                        return
                    number = self.pending.popleft()
                    self.outstanding += 1
                write_message(self.process.stdin, (number, self.chunks[number]))
        except (OSError, ValueError):  # the helper is gone (the receiving thread reports it)
            pass
        except Exception:  # noqa: BLE001 - cannot talk to the helper: end it, so the caller stops waiting
            logger.exception("import helper: sending failed")
            self.process.kill()
        finally:
            try:
                self.process.stdin.close()
            except OSError:
                pass

    def _receive(self):
        try:
            while True:
                number, ok, value = read_message(self.process.stdout)
                with self.changed:
                    if number == READY:
                        self.ready = True
                        continue
                    self.answers[number] = (ok, value)
                    self.outstanding -= 1
                    self.changed.notify_all()
        except Exception as exc:  # noqa: BLE001 - the end of the stream, or an answer that cannot be read
            if not isinstance(exc, EOFError):
                logger.error("import helper: reading an answer failed: %r", exc)
                self.process.kill()
            with self.changed:
                self.ended = True
                self.changed.notify_all()

    # -- the caller ---------------------------------------------------------------------------------------------
    def get(self, i: int) -> list:
        """The decisions of chunk i."""
        if i in self.done:
            return self.done.pop(i)
        if self.process is None:
            return self.decider.decide(self.chunks[i])
        waited = 0.0
        while True:
            with self.changed:
                if i in self.answers:
                    ok, value = self.answers.pop(i)
                    break
                if self.pending and self.pending[0] == i:
                    take = self.pending.popleft()
                elif self.ended and not self.ready:
                    # It never started (a Python that cannot import the project, say): nothing was decided
                    # there, so everything is decided here, as without a helper.
                    if not self.given_up:
                        self.given_up = True
                        logger.warning("import helper ended before it started (exit code %s): deciding every "
                                       "chunk in the importing process", self.process.wait())
                    take = i
                elif self.ended:
                    code = self.process.wait()
                    raise ImportHelperError(
                        f"导入辅助进程意外退出（退出码 {code}），已写入的工单保留，重新导入同一文件将跳过它们",
                        f"the import's helper process ended unexpectedly (exit code {code}); the orders written "
                        "so far are kept and a new import of the same file skips them")
                elif self.pending:
                    take = self.pending.pop()  # the helper has this one: take the last one instead
                elif waited >= self.PATIENCE:
                    self.process.kill()
                    raise ImportHelperError(
                        f"导入辅助进程 {self.PATIENCE:.0f} 秒未应答，已停止；"
                        "已写入的工单保留，重新导入同一文件将跳过它们",
                        f"the import's helper process did not answer for {self.PATIENCE:.0f} s and was stopped; the "
                        "orders written so far are kept and a new import of the same file skips them")
                else:
                    started = time.monotonic()
                    self.changed.wait(timeout=min(5.0, self.PATIENCE))
                    waited += time.monotonic() - started
                    continue
            self.stolen += 1
            decided = self.decider.decide(self.chunks[take])
            if take == i:
                return decided
            self.done[take] = decided
        if not ok:
            name, message, trace = value
            logger.error("import helper failed on chunk %s:\n%s", i + 1, trace)
            raise ImportHelperError(
                f"导入辅助进程在第 {i + 1} 批出错：{name}: {message}；已写入的工单保留，重新导入同一文件将跳过它们",
                f"the import's helper process failed on chunk {i + 1}: {name}: {message}; the orders written so "
                "far are kept and a new import of the same file skips them")
        self.helped += 1
        return value

    def peek(self) -> list[list]:
        """The decisions of the chunks already decided and not asked for yet (they stay to be asked for)."""
        if self.process is None:
            return list(self.done.values())
        with self.changed:
            answered = [value for ok, value in self.answers.values() if ok]
        return [*self.done.values(), *answered]

    def __enter__(self) -> Ahead:
        return self

    def __exit__(self, *exc):
        self.close()

    def close(self):
        """Stop the helper: at once when the import failed, else after its last answer (it has none to give)."""
        if self.process is None:
            return
        with self.changed:
            self.closing = True
            self.changed.notify_all()
        if self.outstanding:
            self.process.kill()
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
        for thread in self.threads:
            thread.join(timeout=10)
        self.process.stdout.close()
        self.process = None


# --- writing -----------------------------------------------------------------------------------------------------

class Writer:
    """Writes chunks in order, each in one transaction of its own (a savepoint within a caller's transaction), so
    a chunk is stored whole or not at all. On SQLite and PostgreSQL it writes in a thread of its own, on the
    importing thread's connection (which that thread leaves alone meanwhile: it reads only after quiet()), so the
    database works on one chunk while the importing thread prepares the next; at most one more chunk waits. A
    failed chunk stops the writing: its error is raised in the importing thread at its next submit(), quiet() or
    close()."""

    def __init__(self, write: Callable[[object], None], *, connection):
        self.write, self.connection = write, connection
        self.threaded = connection.vendor in ("sqlite", "postgresql")
        self.error: BaseException | None = None  # to raise in the importing thread, once
        self.failed = False  # for good: nothing is written after a failed chunk
        if self.threaded:
            connection.ensure_connection()
            self.jobs: queue.Queue = queue.Queue(maxsize=1)
            self.thread = threading.Thread(target=self._run, name="import-writer", daemon=True)
            self.thread.start()

    def submit(self, job) -> None:
        self._raise()
        if self.failed:
            return
        if not self.threaded:
            from django.db import transaction

            with transaction.atomic(using=self.connection.alias):
                self.write(job)
            return
        self.jobs.put(job)

    def quiet(self) -> None:
        """Wait until every chunk submitted is written (raising a failure): the importing thread may then use the
        connection itself, until its next submit()."""
        if self.threaded:
            self.jobs.join()
        self._raise()

    def close(self) -> None:
        """Wait for the chunks submitted (unless one failed), then stop; raise a failure."""
        if self.threaded and self.thread.is_alive():
            self.jobs.put(None)
            self.thread.join()
        self._raise()

    def __enter__(self) -> Writer:
        return self

    def __exit__(self, kind, value, trace):
        if kind is None:
            self.close()
            return
        try:  # already failing: stop, without hiding the first error
            self.close()
        except Exception:  # noqa: BLE001
            logger.exception("import writer failed as well")

    def _raise(self):
        if self.error is not None:
            error, self.error = self.error, None
            raise error

    def _run(self):
        while True:
            job = self.jobs.get()
            try:
                if job is None:
                    return
                if self.failed:
                    continue  # a chunk failed: write nothing after it
                try:
                    with _chunk_transaction(self.connection):
                        self.write(job)
                except BaseException as exc:  # noqa: BLE001 - raised in the importing thread
                    self.failed, self.error = True, exc
            finally:
                self.jobs.task_done()


@contextmanager
def bulk_session(connection, cache_mib: int = 64):
    """SQLite: a larger page cache for this connection while an import writes (two tables of twenty indexes each:
    with SQLite's default 2 MB the same pages are read again and again, a third of the import's time);
    the connection's own setting afterwards. Other databases: nothing."""
    if connection.vendor != "sqlite":
        yield
        return
    connection.ensure_connection()
    raw = connection.connection
    (before,) = raw.execute("PRAGMA cache_size").fetchone()
    raw.execute(f"PRAGMA cache_size = {-1024 * int(cache_mib)}")
    try:
        yield
    finally:
        raw.execute(f"PRAGMA cache_size = {int(before)}")


@contextmanager
def _chunk_transaction(connection):
    """A transaction on the driver connection: PostgreSQL's through psycopg (BEGIN/COMMIT, or a savepoint inside a
    transaction); SQLite's as a savepoint, which begins and commits a transaction when none is open."""
    raw = connection.connection
    if connection.vendor == "postgresql":
        with raw.transaction():
            yield
        return
    raw.execute('SAVEPOINT "hotline_chunk"')
    try:
        yield
    except BaseException:
        raw.execute('ROLLBACK TO SAVEPOINT "hotline_chunk"')
        raw.execute('RELEASE SAVEPOINT "hotline_chunk"')
        raise
    raw.execute('RELEASE SAVEPOINT "hotline_chunk"')


def insert_rows(model, names: Sequence[str], rows: Sequence[Sequence], *, fixed: dict | None = None,
                returning: bool = False, chunk: int = 1000, connection=None,
                extra: dict[str, str] | None = None) -> list[int]:
    """INSERT rows of values for `model`: `names` are the attnames of each row's values (already adapted for the
    database: datetimes by connection.ops, JSON as JSON text), `fixed` gives other columns one (unadapted) value
    for every row, and the model's remaining columns (other than the primary key) get their defaults. Returns the
    new keys in order when asked.
    SQLite: INSERT … VALUES (…), (…) RETURNING; PostgreSQL: INSERT … SELECT FROM UNNEST(one array per column),
    as Django's bulk_create does there, with the arrays sent in binary. `connection`: a Django connection (by
    default the thread's own); on SQLite and PostgreSQL only its driver connection is used, so a writing thread
    may use the importing thread's (Writer). `extra`: {column: SQL type} of columns the model does not know (the
    search column's pairs: core.search), whose values, as text, end each row (PostgreSQL only)."""
    if connection is None:
        from django.db import connection

    ops = connection.ops
    fixed = dict(fixed or {})
    for f in model._meta.concrete_fields:
        if not f.primary_key and f.attname not in fixed and f.attname not in names:
            fixed[f.attname] = f.get_default()
    fields = [model._meta.get_field(_field_name(model, name)) for name in names]
    fixed_fields = [model._meta.get_field(_field_name(model, name)) for name in fixed]
    fixed_values = [f.get_db_prep_save(v, connection) for f, v in zip(fixed_fields, fixed.values(), strict=True)]
    extra = extra or {}
    if extra and connection.vendor != "postgresql":
        raise ValueError("extra columns are written on PostgreSQL only")
    columns = ", ".join([*(ops.quote_name(f.column) for f in fields), *map(ops.quote_name, extra),
                         *(ops.quote_name(f.column) for f in fixed_fields)])
    head = f"INSERT INTO {ops.quote_name(model._meta.db_table)} ({columns}) "
    tail = f" RETURNING {ops.quote_name(model._meta.pk.column)}" if returning else ""
    ids: list[int] = []
    if not rows:
        return ids
    if returning and not connection.features.can_return_rows_from_bulk_insert:
        # Another database: one row at a time, reading each new key.
        one = f"{head}VALUES ({', '.join(['%s'] * (len(fields) + len(fixed_fields)))})"
        with connection.cursor() as cursor:
            for row in rows:
                cursor.execute(one, [*row, *fixed_values])
                ids.append(ops.last_insert_id(cursor, model._meta.db_table, model._meta.pk.column))
        return ids
    if connection.vendor == "postgresql":
        import psycopg

        def cast(f):
            kind = f.db_type(connection).split("(")[0]
            return f"%b::text[]::{kind}[]" if f.get_internal_type() == "JSONField" else f"%b::{kind}[]"

        # A handful of parameters per statement, sent in binary (%b) through a server-side-binding cursor:
        # a VALUES list of 500 rows × 38 columns, or Django's client-side cursor quoting every array element
        # in Python, costs more than PostgreSQL's own work.
        arrays = ", ".join([*(cast(f) for f in fields), *(f"%b::text[]::{kind}[]" for kind in extra.values())])
        constants = "".join(f", %s::{f.db_type(connection).split('(')[0]}" for f in fixed_fields)
        sql = f"{head}SELECT *{constants} FROM UNNEST({arrays}){tail}"
        if connection.connection is None:
            connection.ensure_connection()
        with psycopg.Cursor(connection.connection) as cursor:
            for start in range(0, len(rows), chunk):
                columns_of_part = [list(column) for column in zip(*rows[start:start + chunk], strict=True)]
                cursor.execute(sql, fixed_values + columns_of_part)
                if returning:
                    ids.extend(row[0] for row in cursor.fetchall())
        return ids
    width = len(fields) + len(fixed_fields)
    if connection.vendor != "sqlite":
        per_statement = max(1, min(500, (connection.features.max_query_params or 65535) // width))
        one = "(" + ", ".join(["%s"] * width) + ")"
        with connection.cursor() as cursor:
            for start in range(0, len(rows), per_statement):
                part = rows[start:start + per_statement]
                cursor.execute(f"{head}VALUES {', '.join([one] * len(part))}{tail}",
                               list(chain.from_iterable((*row, *fixed_values) for row in part)))
                if returning:
                    ids.extend(row[0] for row in cursor.fetchall())
        return ids
    import sqlite3

    # SQLite: the driver's own cursor with its own placeholders; Django's cursor rewrites every %s of a statement
    # of 500 rows × 38 columns to ? with a regular expression first, a fifth of the insert's time.
    if connection.connection is None:
        connection.ensure_connection()
    raw = connection.connection
    per_statement = max(1, min(500, raw.getlimit(sqlite3.SQLITE_LIMIT_VARIABLE_NUMBER) // width))
    one = "(" + ", ".join(["?"] * width) + ")"
    fixed_tuple = tuple(fixed_values)
    cursor = raw.cursor()
    try:
        for start in range(0, len(rows), per_statement):
            part = rows[start:start + per_statement]
            cursor.execute(f"{head}VALUES {', '.join([one] * len(part))}{tail}",
                           list(chain.from_iterable((*row, *fixed_tuple) for row in part)))
            if returning:
                ids.extend(row[0] for row in cursor.fetchall())
    finally:
        cursor.close()
    return ids


def _field_name(model, attname: str) -> str:
    for f in model._meta.concrete_fields:
        if f.attname == attname:
            return f.name
    return attname


def history_of(model, names: Sequence[str]) -> tuple[list[str], Callable[[Sequence, int], tuple]]:
    """For the django-simple-history model of `model`: its per-row columns ("id", then those of `names` it keeps)
    and a function giving their values from a row of `names` and the new primary key."""
    kept = {f.attname for f in model.history.model._meta.concrete_fields if not f.primary_key}
    indexes = [i for i, name in enumerate(names) if name in kept]
    get = itemgetter(*indexes)
    if len(indexes) == 1:
        return ["id", names[indexes[0]]], lambda row, pk: (pk, get(row))
    return ["id", *(names[i] for i in indexes)], lambda row, pk: (pk, *get(row))
