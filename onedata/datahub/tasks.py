"""Background work of the data hub. Tasks only call services."""

from django_tasks import task

from onedata.datahub import services


@task()
def datastore_load(table_id: int) -> int:
    table = services.datastore_load(table_id=table_id)
    return table.row_count


@task()
def datastore_loads_resume() -> list[int]:
    return services.datastore_loads_resume()
