"""Background work of the notification service. Tasks only call services."""

from django_tasks import task
from django_tasks_db.backend import DatabaseBackend
from django_tasks_db.models import DBTaskResult

from onedata.notifications import services


@task()
def deliver_due() -> int:
    # A full batch means a backlog: wake another worker to share it.
    return services.deliver_due(on_full_batch=wake)


def wake() -> None:
    """Start a delivery run, unless one is already waiting to start.

    A run that has not started yet claims every message committed before it starts, so
    a second one queued behind it would find nothing to do: with one task per message
    sent, the workers spent about as long on such empty runs as on delivering (see
    bench/notifications.py). The check is an adapter for the database backend, whose
    queue is a table; other backends get one task per call, as before.
    """
    backend = deliver_due.get_backend()
    if isinstance(backend, DatabaseBackend):
        waiting = DBTaskResult.objects.ready().filter(
            task_path=deliver_due.module_path, backend_name=backend.alias
        )
        if waiting.exists():
            return
    deliver_due.enqueue()
