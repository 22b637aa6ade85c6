"""Core's periodic work (see core/scheduling.py)."""

from datetime import timedelta

from onedata.core import tasks
from onedata.core.scheduling import Periodic

SCHEDULE = [Periodic("core-rate-counters-prune", tasks.rate_counters_prune, timedelta(hours=1))]
