"""The read replica's routing (core.replica, anju.dbrouters): with no replica every query stays on "default"; with
one, reads inside `reading()` go to it, while writes, reads inside a transaction, reads outside the block and
reads of another thread stay on the primary. The dashboards read through it and still refuse whom they refuse.

The replica here is a second connection to the test database (what TEST MIRROR does), added for the test only:
the alias exists while the fixture runs, so the other tests never see it."""
import threading

import pytest
from django.db import DEFAULT_DB_ALIAS, connections, router, transaction
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accounts.models import User
from core import replica
from registry.models import Street


def _queries(alias):
    return CaptureQueriesContext(connections[alias])


@pytest.mark.django_db
def test_without_a_replica_everything_reads_the_default_database():
    assert not replica.configured()
    with replica.reading():
        assert router.db_for_read(Street) == DEFAULT_DB_ALIAS
        with _queries(DEFAULT_DB_ALIAS) as seen:
            Street.objects.count()
    assert len(seen) == 1
    assert replica.using_replica(Street.objects.all()).db == DEFAULT_DB_ALIAS


@pytest.fixture
def replica_db(django_db_serialized_rollback, transactional_db):
    """A "replica" alias on the test database, as DATABASE_REPLICA_URL with TEST MIRROR gives; committed rows
    (transactional test) are seen by both connections. Removed before the test database is flushed. Serialized
    rollback, as every transactional test here: a plain flush re-creates the content types under new ids, and the
    next serialized test on the same worker then fails to restore its own."""
    from tests.personas import ensure_reference_data

    ensure_reference_data()  # a transactional test before this one flushed the migrations' rows
    connections.settings[replica.ALIAS] = dict(connections[DEFAULT_DB_ALIAS].settings_dict)
    # connected here: the test case's guard refuses to open a connection for an alias it was not told of
    connections[replica.ALIAS].connect()
    try:
        yield replica.ALIAS
    finally:
        connections[replica.ALIAS].close()
        del connections[replica.ALIAS]
        del connections.settings[replica.ALIAS]


def test_reads_inside_the_block_go_to_the_replica_and_writes_to_the_primary(replica_db):
    assert replica.configured()
    with _queries("replica") as on_replica, _queries(DEFAULT_DB_ALIAS) as on_default:
        with replica.reading():
            assert router.db_for_read(User) == "replica"
            assert router.db_for_write(User) == DEFAULT_DB_ALIAS
            user = User.objects.create(username="reader", role="LEAD")  # a write: the primary
            assert User.objects.filter(username="reader").count() == 1  # committed, so the copy sees it
        User.objects.filter(pk=user.pk).exists()  # after the block: the primary again
    assert [q["sql"] for q in on_replica.captured_queries if "accounts_user" in q["sql"]] and \
        all("SELECT" in q["sql"] for q in on_replica.captured_queries)
    assert any("INSERT" in q["sql"] for q in on_default.captured_queries)
    assert sum("accounts_user" in q["sql"] and "SELECT" in q["sql"] for q in on_default.captured_queries) == 1


def test_a_transaction_reads_the_primary_even_inside_the_block(replica_db):
    with replica.reading(), transaction.atomic():
        assert router.db_for_read(Street) == DEFAULT_DB_ALIAS
        with _queries("replica") as on_replica:
            Street.objects.count()
    assert len(on_replica) == 0


def test_the_block_belongs_to_its_thread(replica_db):
    seen = {}

    def other():
        seen["other"] = router.db_for_read(Street)

    with replica.reading():
        worker = threading.Thread(target=other)
        worker.start()
        worker.join()
        seen["own"] = router.db_for_read(Street)
    assert seen == {"other": DEFAULT_DB_ALIAS, "own": "replica"}


def test_nothing_is_migrated_on_the_replica():
    from anju.dbrouters import ReplicaRouter

    assert ReplicaRouter().allow_migrate("replica", "intake") is False
    assert ReplicaRouter().allow_migrate(DEFAULT_DB_ALIAS, "intake") is None


def test_the_dashboards_read_the_replica_and_still_refuse_whom_they_refuse(replica_db, world, client):
    # refused first: a property company's user gets 403 through the replica as without it
    client.force_login(world.paul)
    assert client.get(reverse("analytics:overview")).status_code == 403
    assert client.get(reverse("analytics:wall-data")).status_code == 403
    # a street user: another street's page is still 404
    client.force_login(world.sam)
    assert client.get(reverse("analytics:street", args=[world.caoyang.pk])).status_code == 404
    client.force_login(world.alice)
    with _queries("replica") as on_replica:
        assert client.get(reverse("analytics:overview")).status_code == 200
    assert any("intake_complaint" in q["sql"] or "analytics_" in q["sql"] for q in on_replica.captured_queries)
    assert all(q["sql"].lstrip().upper().startswith(("SELECT", "WITH")) for q in on_replica.captured_queries)
    with _queries("replica") as on_replica:
        answer = client.get(reverse("metrics-trend"), {"start": "2026-01-01", "end": "2026-03-31"})
    assert answer.status_code == 200 and len(on_replica) > 0


def test_a_background_export_reads_its_rows_from_the_replica_and_writes_its_progress_to_the_primary(
        replica_db, world, settings, tmp_path):
    """A million-row export is a long read: with a replica it runs there, while the job's row (status, progress,
    file) is written on the primary, where the owner's page reads it."""
    from datetime import timedelta

    from django.utils import timezone

    from core import export_jobs
    from core.models import ExportJob
    from intake import services
    from intake.choices import Channel

    for content in ("楼道飞线充电", "有人搭建阳光房"):
        services.complaint_receive(data=services.ComplaintInput(
            channel=Channel.HOTLINE, content=content, address="兰溪路88弄", received_at=timezone.now()))
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.CELERY_TASK_ALWAYS_EAGER = False  # the test runs the task body itself, once
    job = ExportJob.objects.create(user=world.alice, kind="complaints", fmt="csv", query="",
                                   expires_at=timezone.now() + timedelta(hours=1))
    with _queries("replica") as on_replica, _queries(DEFAULT_DB_ALIAS) as on_default:
        export_jobs.job_run(job_id=job.pk)
    job.refresh_from_db()
    assert job.status == ExportJob.Status.DONE, job.error
    assert job.rows_total == 2 and job.rows_done == job.rows_total
    assert any("intake_complaint" in q["sql"] for q in on_replica.captured_queries)
    assert all(q["sql"].lstrip().upper().startswith(("SELECT", "WITH", "DECLARE", "FETCH", "CLOSE"))
               for q in on_replica.captured_queries)
    assert not any("FROM \"intake_complaint\"" in q["sql"] for q in on_default.captured_queries)
    assert any("UPDATE" in q["sql"] and "core_exportjob" in q["sql"] for q in on_default.captured_queries)
