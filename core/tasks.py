"""Background work of core (Celery; inline when no broker is configured): large exports."""
from celery import shared_task

from core import export_jobs


@shared_task(name="core.export")
def run_export(job_id: int) -> str:
    return export_jobs.job_run(job_id=job_id).status


@shared_task(name="core.purge_exports")
def purge_exports() -> int:
    """Daily (settings.CELERY_BEAT_SCHEDULE): expired export files leave the storage."""
    return export_jobs.purge_expired()
