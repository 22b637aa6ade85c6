"""Background work of the hospitals module. Tasks only call services."""

from django_tasks import task

from onedata.hospitals import services


@task()
def alerts_check_all() -> int:
    """Run hourly (cron or a scheduler): stale reports only show as time passes."""
    return services.alerts_check_all()
