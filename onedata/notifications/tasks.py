"""Background work of the notification service. Tasks only call services."""

from django_tasks import task

from onedata.notifications import services


@task()
def deliver_due() -> int:
    return services.deliver_due()
