"""Periodic work of attendance (see onedata/core/scheduling.py)."""

from datetime import timedelta

from onedata.attendance import tasks
from onedata.core.scheduling import Periodic

SCHEDULE = [
    Periodic("attendance-purge-old-selfies", tasks.purge_old_selfies, timedelta(days=1)),
    Periodic("attendance-reminders", tasks.send_reminders, timedelta(minutes=5)),
]
