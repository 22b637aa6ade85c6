"""An upload whose load cannot be queued (Redis down at commit) still succeeds, and the
scheduler's resume job queues the load once the queue is back. The queue is a real RQ
backend pointed at a port where nothing listens: no mock."""

from __future__ import annotations

import pytest

from onedata.datahub import services
from onedata.datahub.models import DataTable
from tests.datahub.conftest import CSV

UNREACHABLE_REDIS = "redis://127.0.0.1:1/0"  # port 1: connection refused
RQ_TASKS = {"default": {"BACKEND": "django_tasks_rq.RQBackend", "QUEUES": ["default"]}}
IMMEDIATE_TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}


@pytest.mark.django_db
def test_upload_succeeds_with_redis_down_and_the_resume_job_loads_it(hub, settings):
    settings.RQ_QUEUES = {"default": {"URL": UNREACHABLE_REDIS, "DEFAULT_TIMEOUT": 60}}
    settings.TASKS = RQ_TASKS
    producer = hub["users"]["producer"]
    dataset = services.dataset_create(
        actor=producer, organization=hub["agencies"]["badung"], name="antre", title="Antre"
    )
    with hub["commit"](execute=True):  # the load is queued on commit: Redis refuses
        resource = services.resource_create(
            actor=producer, dataset=dataset, upload=CSV.encode(), upload_name="d.csv"
        )
    assert resource.pk and resource.file.name
    table = DataTable.objects.get(resource=resource)
    assert table.status == DataTable.Status.PENDING
    assert table.heartbeat_at is None  # stale at once for the resume job

    # The queue is still down: the resume job finds the load, fails to queue it, and
    # leaves it stale for its next run.
    assert services.datastore_loads_resume() == [table.pk]
    table.refresh_from_db()
    assert table.status == DataTable.Status.PENDING and table.heartbeat_at is None

    settings.TASKS = IMMEDIATE_TASKS  # the queue is back (jobs run at once)
    assert services.datastore_loads_resume() == [table.pk]
    table.refresh_from_db()
    assert table.status == DataTable.Status.READY, table.error
    assert table.row_count == 3
    assert services.datastore_loads_resume() == []


@pytest.mark.django_db
def test_replacing_a_file_with_redis_down_keeps_the_table_and_resumes(hub, settings):
    from tests.datahub.conftest import publish

    dataset = publish(hub)
    table = DataTable.objects.get(resource__dataset=dataset)
    settings.RQ_QUEUES = {"default": {"URL": UNREACHABLE_REDIS, "DEFAULT_TIMEOUT": 60}}
    settings.TASKS = RQ_TASKS
    with hub["commit"](execute=True):
        services.resource_replace_file(
            actor=hub["users"]["producer"],
            resource=table.resource,
            upload=(CSV + "51.02,Tabanan,2024,461630,839.33,2024-06-30\n").encode(),
            upload_name="baru.csv",
        )
    table.refresh_from_db()
    assert table.status == DataTable.Status.PENDING and table.heartbeat_at is None
    assert table.row_count == 3  # the previous table is still there
    settings.TASKS = IMMEDIATE_TASKS
    assert services.datastore_loads_resume() == [table.pk]
    table.refresh_from_db()
    assert table.status == DataTable.Status.READY and table.row_count == 4
