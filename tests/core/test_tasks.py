"""Background tasks through the django-tasks API on the database backend and a real worker."""

import pytest
from django.core.management import call_command
from django.test import override_settings
from django_tasks import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from tests.core.failing_tasks import add, always_fails

DATABASE_TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}


@pytest.mark.django_db(transaction=True)
@override_settings(TASKS=DATABASE_TASKS)
def test_worker_runs_a_queued_task_and_keeps_its_result():
    result = add.enqueue(2, 3)
    assert DBTaskResult.objects.get(id=result.id).status == TaskResultStatus.READY
    call_command("db_worker", batch=True, no_startup_delay=True, verbosity=0)
    result.refresh()
    assert result.status == TaskResultStatus.SUCCESSFUL
    assert result.return_value == 5


@pytest.mark.django_db(transaction=True)
@override_settings(TASKS=DATABASE_TASKS)
def test_failed_task_is_recorded_as_failed_with_its_error_not_lost():
    result = always_fails.enqueue("the SMTP relay is down")
    call_command("db_worker", batch=True, no_startup_delay=True, verbosity=0)
    result.refresh()
    assert result.status == TaskResultStatus.FAILED
    assert "the SMTP relay is down" in result.errors[0].traceback
    assert DBTaskResult.objects.filter(status=TaskResultStatus.FAILED).count() == 1


RQ_TASKS = {"default": {"BACKEND": "django_tasks_rq.RQBackend", "QUEUES": ["default"]}}


@pytest.mark.django_db(transaction=True)
def test_rq_worker_runs_a_task_when_redis_is_configured(settings):
    """The scale-out path: the same task API on Redis workers (runs where REDIS_URL is set)."""
    if not settings.REDIS_URL:
        pytest.skip("REDIS_URL is not set; the PostgreSQL + Redis pass in .ci/run runs this")
    import django_rq

    with override_settings(TASKS=RQ_TASKS):
        django_rq.get_queue("default").empty()
        result = add.enqueue(20, 22)
        call_command(
            "rqworker", "default", burst=True, job_class="django_tasks_rq.Job", verbosity=0
        )
        result.refresh()
        assert result.status == TaskResultStatus.SUCCESSFUL
        assert result.return_value == 42
