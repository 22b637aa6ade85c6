"""Background work of the hospitals module. Tasks only call services."""

from django_tasks import task

from onedata.hospitals import services


@task()
def alerts_check_all() -> int:
    """Hourly (see schedule.py): a hospital's cover falls and its report goes stale as
    time passes without reports, so the 48/24/12 h crossings and the stale-report alert
    are checked for every hospital on the clock, not only when a report arrives. Each
    crossing alerts once (``AlertState``). Returns how many hospitals were alerted."""
    return services.alerts_check_all()
