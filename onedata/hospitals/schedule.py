"""Periodic work of the hospitals module (see onedata/core/scheduling.py)."""

from datetime import timedelta

from onedata.core.scheduling import Periodic
from onedata.hospitals import tasks

SCHEDULE = [
    # Forecast crossings (48/24/12 h of cover) and stale reports, for every hospital.
    Periodic("hospitals-alerts-check", tasks.alerts_check_all, timedelta(hours=1)),
]
