"""Large exports in the background: request a job, write it (the Celery task's body), find it for its owner,
forget expired ones. The columns and rows come from the list's `core.exports.ExportKind`; the job keeps only the
list's query string and re-reads the rows with the user's scope and masking when it runs, from the read replica
when one is configured (core.replica: a million rows read there leave the primary to the officers' writes)."""
import logging
import tempfile
import time
from datetime import timedelta
from types import SimpleNamespace

from django.core.files import File
from django.db import transaction
from django.http import Http404, QueryDict
from django.utils import timezone

from core import exports, replica
from core.errors import ApplicationError
from core.models import ExportJob

log = logging.getLogger(__name__)

# progress is written to the job's row every this many rows (and at the end)
PROGRESS_EVERY = 5000
NOT_FILTERS = ("page", "sort", "export", "export_token")


def _filters(query) -> str:
    data = query.copy() if isinstance(query, QueryDict) else QueryDict(query or "", mutable=True)
    data._mutable = True
    for key in NOT_FILTERS:
        data.pop(key, None)
    return data.urlencode()


def job_request(*, user, kind: str, fmt: str, query) -> ExportJob:
    """Record an export to write and start it once this transaction commits (inline without a broker)."""
    exports.kind_named(kind)
    if fmt not in {"csv", "xlsx"}:
        raise ApplicationError("导出格式只能是 CSV 或 Excel", "the export format must be csv or xlsx")
    job = ExportJob.objects.create(user=user, kind=kind, fmt=fmt, query=_filters(query),
                                   expires_at=timezone.now() + timedelta(hours=exports.keep_hours()))
    from core import tasks  # the task module imports this one

    transaction.on_commit(lambda: tasks.run_export.delay(job.pk))
    return job


def _progress(job_id: int, done: int):
    ExportJob.objects.filter(pk=job_id).update(rows_done=done)


def _write(job: ExportJob) -> None:
    """Count the rows, write the file with progress, store it on the job (not yet saved as done)."""
    kind = exports.kind_named(job.kind)
    export = kind.build(job.user, QueryDict(job.query))
    job.rows_total = export.count(None)
    job.save(update_fields=["rows_total"])
    with tempfile.TemporaryFile() as target:
        objects = exports.counting(export.objects(), PROGRESS_EVERY, lambda n: _progress(job.pk, n))
        if job.fmt == "xlsx":
            exports.write_xlsx(target, objects, export.columns, export.title)
        else:
            exports.write_csv(target, objects, export.columns)
        target.seek(0)
        job.filename = f"{export.filename}.{job.fmt}"
        job.file.save(f"export.{job.fmt}", File(target), save=False)


def job_run(*, job_id: int) -> ExportJob:
    """Write the file of a requested export; on failure the row says why (FAILED), nothing raises."""
    started = time.monotonic()
    with transaction.atomic():
        # taken once: a task delivered twice finds the row no longer waiting and leaves it as it is
        job = ExportJob.objects.select_for_update().select_related("user").get(pk=job_id)
        if job.status != ExportJob.Status.PENDING:
            return job
        job.status = ExportJob.Status.RUNNING
        job.save(update_fields=["status"])
    try:
        with replica.reading():  # the count and the rows; progress and the job's row are writes: the primary
            _write(job)
    except Exception as exc:  # noqa: BLE001 - kept on the row and shown on the page
        log.exception("export %s failed", job_id)
        if job.file.name:
            job.file.storage.delete(job.file.name)
        job.file = ""
        job.status = ExportJob.Status.FAILED
        job.error = (str(exc) or exc.__class__.__name__)[:2000]
        job.finished_at, job.seconds = timezone.now(), round(time.monotonic() - started, 2)
        job.save(update_fields=["file", "status", "error", "finished_at", "seconds", "filename"])
        return job
    job.refresh_from_db(fields=["rows_done"])
    job.status, job.finished_at = ExportJob.Status.DONE, timezone.now()
    job.seconds = round(time.monotonic() - started, 2)
    job.save(update_fields=["file", "filename", "status", "finished_at", "seconds"])
    return job


def job_for(user, pk: int) -> ExportJob:
    """The job if `user` asked for it and it has not expired; anyone else gets 404 (not even its existence)."""
    job = ExportJob.objects.filter(pk=pk, user_id=user.pk, expires_at__gt=timezone.now()).first()
    if job is None:
        raise Http404
    return job


def purge_expired(now=None) -> int:
    """Delete expired jobs and their files; returns how many. Run by `manage.py purge_exports` (daily)."""
    gone = 0
    for job in ExportJob.objects.filter(expires_at__lte=now or timezone.now()).iterator():
        if job.file.name:
            job.file.storage.delete(job.file.name)
        job.delete()
        gone += 1
    return gone


def fake_request(user, query: QueryDict):
    """What a list's filterset needs of a request (its user and query) when the job runs outside one."""
    return SimpleNamespace(user=user, GET=query)
