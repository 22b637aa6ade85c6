"""Background work of the notification service. Tasks only call services."""

from django.conf import settings
from django.core.cache import cache
from django_tasks import task
from django_tasks_db.backend import DatabaseBackend
from django_tasks_db.models import DBTaskResult

from onedata.notifications import services

# With RQ, a marker in Redis says "a delivery run is queued and has not started yet".
WAKE_KEY = "notifications:wake-queued"
WAKE_SECONDS = 5


@task()
def deliver_due() -> int:
    # Started: messages committed from now on need a run of their own.
    if settings.REDIS_URL:
        cache.delete(WAKE_KEY)
    # A full batch means a backlog: wake another worker to share it.
    return services.deliver_due(on_full_batch=wake)


def wake() -> None:
    """Start a delivery run, unless one is already waiting to start.

    A run that has not started yet claims every message committed before it starts, so
    a second one queued behind it would find nothing to do: with one task per message
    sent, the workers spent about as long on such empty runs as on delivering (see
    bench/notifications.py). The database backend's queue is a table: look in it. With
    Redis (RQ), a marker that the run deletes when it starts, and that expires after a few
    seconds in case the run is stuck behind other work; if Redis is down the marker
    cannot be read and a run is queued anyway (never fewer runs than messages need).
    """
    backend = deliver_due.get_backend()
    if isinstance(backend, DatabaseBackend):
        waiting = DBTaskResult.objects.ready().filter(
            task_path=deliver_due.module_path, backend_name=backend.alias
        )
        if waiting.exists():
            return
    elif settings.REDIS_URL and _run_already_queued():
        return
    deliver_due.enqueue()


def _run_already_queued() -> bool:
    return not cache.add(WAKE_KEY, 1, WAKE_SECONDS) and cache.get(WAKE_KEY) is not None
