"""即将到期 / 已超期 into the officers' inboxes (cases.reminders): run it daily from cron when there is no Celery beat.
Running it again the same day makes nothing new."""
from django.core.management.base import BaseCommand

from cases import reminders


class Command(BaseCommand):
    help = "将即将到期、已超期的案件提醒写入承办队员的待办 / put due-soon and overdue cases into the officers' inboxes"

    def handle(self, *args, **options):
        made = reminders.inbox_due()
        self.stdout.write(", ".join(f"{kind}: {count}" for kind, count in made.items()))
