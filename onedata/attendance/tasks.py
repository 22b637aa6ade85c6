"""Background work of attendance. Tasks only call services."""

from django_tasks import task

from onedata.attendance import importer, reminders, rosters, services


@task()
def purge_old_selfies() -> int:
    """Run daily (cron or a scheduler): selfies past ATTENDANCE_PHOTO_RETENTION_DAYS go."""
    return services.selfies_purge(actor="system")


@task()
def import_employees(job_id: int) -> str:
    """An employee import queued from the HR office page."""
    return importer.import_job_run(job_id=job_id).status


@task()
def import_roster(job_id: int) -> str:
    """A roster import queued from the HR roster page."""
    return rosters.roster_import_run(job_id=job_id).status


@task()
def send_reminders() -> int:
    """Every few minutes: check-in and check-out reminders that are due (idempotent)."""
    return reminders.reminders_send()
