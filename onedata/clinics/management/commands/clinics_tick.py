"""``manage.py clinics_tick``: queue the clinic queue's periodic sweep (no-shows, reminders).
For cron, every five minutes, where the scheduler (``schedule.py``) is not running."""

from django.core.management.base import BaseCommand

from onedata.clinics import tasks


class Command(BaseCommand):
    help = "Queue the no-show sweep and the booking reminders."

    def handle(self, *args, **options):
        tasks.clinics_tick.enqueue()
        self.stdout.write("clinics: no-show sweep and reminders queued\n")
