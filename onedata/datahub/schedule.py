"""The data hub's periodic work (see core/scheduling.py)."""

from datetime import timedelta

from onedata.core.scheduling import Periodic
from onedata.datahub import tasks

SCHEDULE = [
    Periodic("datahub-loads-resume", tasks.datastore_loads_resume, timedelta(minutes=5)),
]
