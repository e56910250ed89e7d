"""The helper process of a large 12345 import (intake.hotline_import.Ahead, intake.import_helper): used from
HELPER_MIN_ROWS orders on, with the progress bar as usual; a failure in it, or its end, stops the import with a
clear error — never a hang — keeping exactly the chunks written before, each whole with its history."""
from datetime import date
from unittest import mock

import pytest
from django.core.management import CommandError, call_command

from demo import hotline as demo_hotline
from intake import hotline_import, services
from intake.hotline_import import ImportHelperError, RowDecider
from intake.models import Complaint, ImportBatch
from intake.tests.helper_fakes import InHelper

pytestmark = pytest.mark.django_db
ORDERS, CHUNK = 200, 16
CHUNKS = -(-ORDERS // CHUNK)


@pytest.fixture
def orders_file(world, tmp_path):
    rows = demo_hotline.generate(ORDERS, start=date(2026, 2, 2), end=date(2026, 2, 28), seed=5,
                                 places=demo_hotline.load_places())
    return demo_hotline.write_csv(tmp_path / "12345.csv", rows)


@pytest.fixture
def with_helper():
    """Small chunks, and a helper however few the orders."""
    with mock.patch.object(services, "CHUNK", CHUNK), mock.patch.object(services, "HELPER_MIN_ROWS", 0):
        yield


def _count_chunks():
    seen = []
    real = hotline_import.Ahead.close

    def close(self):
        seen.append((self.helped, self.stolen))
        real(self)

    return seen, mock.patch.object(hotline_import.Ahead, "close", close)


def _decider(how=""):
    """The import's decider, failing in the helper as `how` says, and slow in this process (so the helper, which
    starts in a fraction of a second, surely gets chunks of a test's small file)."""
    return mock.patch.object(services.Context, "decider", property(lambda ctx: InHelper(RowDecider.of(ctx), how)))


def test_a_large_file_goes_through_the_helper_with_the_progress_bar(orders_file, with_helper, capsys):
    seen, counting = _count_chunks()
    with counting, _decider():
        call_command("import_hotline", str(orders_file), verbosity=1)
    out, err = capsys.readouterr()
    assert f"新增 created {ORDERS}" in out
    assert "导入工单 importing" in err and f"{CHUNKS}/{CHUNKS}" in err  # the bar reached its end
    ((helped, stolen),) = seen
    assert helped > 0 and helped + stolen == CHUNKS
    assert Complaint.objects.count() == Complaint.history.count() == ORDERS


def test_a_small_file_is_decided_in_this_process(orders_file):
    seen, counting = _count_chunks()
    with counting:
        report = services.import_hotline(path=orders_file)
    assert report.created == ORDERS and seen == [(0, 0)]


@pytest.mark.parametrize("how, says", [
    ("raise", "ValueError: 模型文件损坏 / model file damaged"),
    ("exit", "意外退出（退出码 3）"),
])
def test_a_failing_helper_stops_the_import_clearly_keeping_whole_chunks(orders_file, with_helper, how, says):
    with _decider(how), pytest.raises(ImportHelperError) as raised:
        services.import_hotline(path=orders_file)
    message = str(raised.value)
    assert "导入辅助进程" in message and says in message and "helper process" in message
    assert "已写入的工单保留" in message
    batch = ImportBatch.objects.get()
    # What was written before the failure is whole chunks, each with its history, and the batch says how many.
    assert batch.created == Complaint.objects.count() == Complaint.history.count()
    assert batch.created % CHUNK == 0 and batch.created < ORDERS


def test_a_helper_that_cannot_start_leaves_the_whole_import_to_this_process(orders_file, with_helper, caplog):
    seen, counting = _count_chunks()
    with _decider("load"), counting:
        report = services.import_hotline(path=orders_file)
    assert report.created == ORDERS and Complaint.objects.count() == Complaint.history.count() == ORDERS
    assert seen == [(0, CHUNKS)] and "ended before it started" in caplog.text


def test_a_helper_that_never_answers_is_stopped(orders_file, with_helper):
    with _decider("hang"), mock.patch.object(hotline_import.Ahead, "PATIENCE", 2.0), \
            pytest.raises(ImportHelperError, match="未应答"):
        services.import_hotline(path=orders_file)
    assert ImportBatch.objects.get().created == Complaint.objects.count() < ORDERS


def test_after_a_failure_the_same_file_imports_the_rest(orders_file, with_helper):
    with _decider("exit"), pytest.raises(ImportHelperError):
        services.import_hotline(path=orders_file)
    kept = Complaint.objects.count()
    report = services.import_hotline(path=orders_file)
    assert (report.skipped, report.created) == (kept, ORDERS - kept)
    assert Complaint.objects.count() == ORDERS


def test_the_command_reports_a_helper_failure_and_exits_2(orders_file, with_helper):
    with _decider("raise"), pytest.raises(CommandError) as raised:
        call_command("import_hotline", str(orders_file), verbosity=0)
    assert raised.value.returncode == 2 and "模型文件损坏" in str(raised.value)


def test_no_helper_where_the_decider_cannot_be_pickled(world):
    decider = RowDecider(classifier=lambda texts: texts, index=None, type_ids={}, department_ids={})
    assert hotline_import.helper_usable(decider) is None


# --- the writing thread (hotline_import.Writer) ------------------------------------------------------------------

def _failing_third_history_insert():
    """The third chunk's history insert fails, after its complaints went in: the chunk must vanish whole."""
    calls = []
    real = services.insert_rows

    def insert_rows(model, *args, **kwargs):
        if model is Complaint.history.model:
            calls.append(model)
            if len(calls) == 3:
                raise RuntimeError("磁盘已满 / disk full")
        return real(model, *args, **kwargs)

    return mock.patch.object(services, "insert_rows", insert_rows)


def _assert_two_chunks_kept(orders_file):
    with _failing_third_history_insert(), pytest.raises(RuntimeError, match="disk full"):
        services.import_hotline(path=orders_file)
    batch = ImportBatch.objects.get()
    assert batch.created == Complaint.objects.count() == Complaint.history.count() == 2 * CHUNK
    # The next import of the file writes the rest, as if nothing had happened.
    report = services.import_hotline(path=orders_file)
    assert (report.skipped, report.created) == (2 * CHUNK, ORDERS - 2 * CHUNK)
    assert Complaint.objects.count() == Complaint.history.count() == ORDERS


def test_a_chunk_that_fails_to_write_is_stored_not_at_all(orders_file, with_helper):
    """Inside a caller's transaction (as here, a test's), each chunk is a savepoint."""
    _assert_two_chunks_kept(orders_file)


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_outside_a_transaction_each_chunk_commits_and_a_failed_one_leaves_nothing(orders_file, with_helper):
    """As the command runs it: every chunk commits on its own (BEGIN … COMMIT on the writing thread)."""
    _assert_two_chunks_kept(orders_file)
