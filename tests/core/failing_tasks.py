"""Tasks used by the tests of the task machinery (a worker must import them by path)."""

from django_tasks import task


@task()
def always_fails(reason: str) -> None:
    raise RuntimeError(reason)


@task()
def add(a: int, b: int) -> int:
    return a + b
