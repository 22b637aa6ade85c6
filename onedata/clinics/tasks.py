"""Background work of the clinic queue. Tasks only call services.

``clinics_tick`` runs every five minutes (``schedule.py``; the scheduler enqueues it, or
cron runs ``manage.py clinics_tick``): bookings still waiting after their session become
no-shows; reminders go two hours before a session.
"""

from django_tasks import task

from onedata.clinics import services


@task()
def mark_no_shows() -> int:
    return services.mark_no_shows()


@task()
def send_reminders() -> int:
    return services.send_reminders()


@task()
def clinics_tick() -> dict:
    """The periodic sweep: no-shows first (they must not get a reminder), then reminders."""
    return {"no_shows": services.mark_no_shows(), "reminders": services.send_reminders()}
