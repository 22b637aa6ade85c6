"""Look every five minutes for publications due (hourly ones refresh within the hour)."""

from datetime import timedelta

from onedata.core.scheduling import Periodic
from onedata.publishing import tasks

SCHEDULE = [
    Periodic("publishing-refresh-due", tasks.publications_refresh_due, timedelta(minutes=5))
]
