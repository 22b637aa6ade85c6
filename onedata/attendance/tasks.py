"""Background work of attendance. Tasks only call services."""

from django_tasks import task

from onedata.attendance import services


@task()
def purge_old_selfies() -> int:
    """Run daily (cron or a scheduler): selfies past ATTENDANCE_PHOTO_RETENTION_DAYS go."""
    return services.selfies_purge(actor="system")
