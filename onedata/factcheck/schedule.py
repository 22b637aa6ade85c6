"""Periodic work of fact check (contract: ``onedata.core.scheduling``)."""

from datetime import timedelta

from onedata.core.scheduling import Periodic
from onedata.factcheck import tasks

SCHEDULE = [Periodic("factcheck-weekly-digest", tasks.weekly_digest, timedelta(hours=1))]
