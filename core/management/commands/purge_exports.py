"""Delete expired export jobs (core.models.ExportJob) and their stored files: run it daily (cron)."""
from django.core.management.base import BaseCommand

from core import export_jobs


class Command(BaseCommand):
    help = "删除过期的导出文件 / delete expired export files"

    def handle(self, *args, **options):
        self.stdout.write(f"{export_jobs.purge_expired()} export job(s) deleted")
