"""Background work of core. Tasks only call services."""

from django_tasks import task

from onedata.core import ratelimit, services
from onedata.core.models import User


@task()
def email_verification_send(user_id: int) -> None:
    user = User.objects.filter(pk=user_id).first()
    if user is not None:
        services.email_verification_send(user=user)


@task()
def rate_counters_prune() -> int:
    return ratelimit.prune()
