"""Background work of One Data publishing. Tasks only call services."""

from django_tasks import task

from onedata.publishing import services


@task()
def publication_refresh(name: str) -> int:
    status = services.publication_refresh(name=name)
    return status.last_version


@task()
def publications_refresh_due() -> list[str]:
    """Enqueue a refresh for each publication due now (the scheduler runs this)."""
    names = services.publications_due()
    for name in names:
        publication_refresh.enqueue(name)
    return names
