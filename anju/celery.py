"""Celery app. With no CELERY_BROKER_URL configured, tasks run inline (eager),
so the embedded default needs no broker server."""
import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "anju.settings")

app = Celery("anju")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
