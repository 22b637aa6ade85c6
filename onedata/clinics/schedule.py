"""Periodic work of the clinic queue (contract: ``onedata.core.scheduling``)."""

from datetime import timedelta

from onedata.clinics import tasks
from onedata.core.scheduling import Periodic

SCHEDULE = [Periodic("clinics-tick", tasks.clinics_tick, timedelta(minutes=5))]
