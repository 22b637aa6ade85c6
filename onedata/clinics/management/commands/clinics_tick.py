"""``manage.py clinics_tick``: queue the clinic queue's periodic jobs (no-shows, reminders).
Meant for cron, every five minutes."""

from django.core.management.base import BaseCommand

from onedata.clinics import tasks


class Command(BaseCommand):
    help = "Queue the no-show sweep and the booking reminders."

    def handle(self, *args, **options):
        tasks.mark_no_shows.enqueue()
        tasks.send_reminders.enqueue()
        self.stdout.write("clinics: no-show sweep and reminders queued\n")
