"""Background work of fact check. Tasks only call services.

``weekly_digest`` runs every hour (``schedule.py``): from Monday 07:00 WITA it mails each
fact-checker the weekly hoax report of their reach for the week just ended, once.
"""

from django_tasks import task

from onedata.factcheck import services


@task()
def weekly_digest() -> int:
    return services.weekly_digest_send()
