"""Background work of cases (Celery; inline when no broker is configured)."""
from celery import shared_task

from cases import reminders


@shared_task(name="cases.inbox_due")
def inbox_due() -> dict:
    """Daily (settings.CELERY_BEAT_SCHEDULE): 即将到期 / 已超期 in the officers' inboxes."""
    return reminders.inbox_due()
