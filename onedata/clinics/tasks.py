"""Background work of the clinic queue. Tasks only call services.

Run every few minutes (cron or a scheduler: ``onedata manage clinics_tick`` enqueues
both): bookings still waiting after their session become no-shows; reminders go two
hours before a session.
"""

from django_tasks import task

from onedata.clinics import services


@task()
def mark_no_shows() -> int:
    return services.mark_no_shows()


@task()
def send_reminders() -> int:
    return services.send_reminders()
