"""Periodic work: what each module wants run on a clock.

A module lists its periodic tasks in ``onedata/<app>/schedule.py`` as ``SCHEDULE``, a list
of :class:`Periodic`. The scheduler (``onedata scheduler``, also started by ``make demo``)
enqueues each task, without arguments, on the task backend every ``every``; several
schedulers may run at once (one per host) and a due run is still enqueued only once.
"""

from __future__ import annotations

import importlib
from dataclasses import dataclass
from datetime import timedelta

SCHEDULING_MODULES = (
    "core",
    "notifications",
    "datahub",
    "hospitals",
    "clinics",
    "attendance",
    "villagefinance",
    "factcheck",
    "publishing",
)


@dataclass(frozen=True)
class Periodic:
    name: str  # unique, e.g. "clinics-tick"
    task: object  # a django_tasks Task taking no arguments
    every: timedelta


def all_periodic() -> list[Periodic]:
    found: list[Periodic] = []
    for module in SCHEDULING_MODULES:
        try:
            schedule = importlib.import_module(f"onedata.{module}.schedule")
        except ModuleNotFoundError as error:
            if error.name != f"onedata.{module}.schedule":
                raise
            continue
        found.extend(schedule.SCHEDULE)
    return found
