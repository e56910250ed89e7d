"""Background work of the bulletins app (Celery; inline when no broker is configured)."""
from celery import shared_task

from bulletins import services


@shared_task(name="bulletins.generate")
def generate_bulletin(bulletin_id: int) -> str:
    return services.bulletin_generate(bulletin_id=bulletin_id).status
