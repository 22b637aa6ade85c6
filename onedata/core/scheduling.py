"""Periodic work: what each module wants run on a clock.

A module lists its periodic tasks in ``onedata/<app>/schedule.py`` as ``SCHEDULE``, a list
of :class:`Periodic`. The scheduler (``onedata scheduler``, also started by ``make demo``)
enqueues each task, without arguments, on the task backend every ``every``; several
schedulers may run at once (one per host) and a due run is still enqueued only once.
"""

from __future__ import annotations

import importlib
import logging
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

logger = logging.getLogger("onedata.scheduler")
EPOCH = datetime(2000, 1, 1, tzinfo=UTC)
KEEP_RUNS = timedelta(days=7)

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


def slot_of(now: datetime, every: timedelta) -> datetime:
    """The start of the period of length ``every`` (counted from 2000-01-01 UTC) holding
    ``now``: a run is due once per slot."""
    periods = (now - EPOCH) // every
    return EPOCH + periods * every


def enqueue_due(now: datetime | None = None, schedule: list[Periodic] | None = None) -> list[str]:
    """Enqueue every periodic task whose current slot has not been enqueued yet; returns
    their names. Safe to call from many schedulers at once: the database's unique
    (name, slot) decides which one enqueues."""
    from django.db import IntegrityError, transaction
    from django.utils import timezone

    from onedata.core.models import PeriodicRun

    now = now or timezone.now()
    enqueued = []
    for periodic in all_periodic() if schedule is None else schedule:
        slot = slot_of(now, periodic.every)
        try:
            with transaction.atomic():
                PeriodicRun.objects.create(name=periodic.name, slot=slot, enqueued_at=now)
                periodic.task.enqueue()
        except IntegrityError:
            continue  # another scheduler has it
        except Exception:  # one broken task must not stop the others
            logger.exception("periodic task %s could not be enqueued", periodic.name)
            continue
        enqueued.append(periodic.name)
    PeriodicRun.objects.filter(slot__lt=now - KEEP_RUNS).delete()
    return enqueued
