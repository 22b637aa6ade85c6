"""Periodic tasks: each due run is enqueued once, however many schedulers run."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from django.core.management import call_command

from onedata.core import scheduling
from onedata.core.models import PeriodicRun
from onedata.core.scheduling import Periodic


class Recorder:
    def __init__(self):
        self.calls = 0

    def enqueue(self):
        self.calls += 1


def test_slots_are_aligned_periods():
    every = timedelta(minutes=5)
    assert scheduling.slot_of(datetime(2026, 12, 5, 1, 7, 30, tzinfo=UTC), every) == datetime(
        2026, 12, 5, 1, 5, tzinfo=UTC
    )
    hour = timedelta(hours=1)
    assert scheduling.slot_of(datetime(2026, 12, 5, 1, 59, tzinfo=UTC), hour) == datetime(
        2026, 12, 5, 1, tzinfo=UTC
    )


@pytest.mark.django_db
def test_each_slot_is_enqueued_once_even_by_two_schedulers():
    task = Recorder()
    schedule = [Periodic("uji-tick", task, timedelta(minutes=5))]
    now = datetime(2026, 12, 5, 1, 7, tzinfo=UTC)
    assert scheduling.enqueue_due(now, schedule) == ["uji-tick"]
    assert scheduling.enqueue_due(now + timedelta(seconds=30), schedule) == []  # second host
    assert task.calls == 1
    assert scheduling.enqueue_due(now + timedelta(minutes=3), schedule) == ["uji-tick"]
    assert task.calls == 2
    assert PeriodicRun.objects.filter(name="uji-tick").count() == 2


@pytest.mark.django_db
def test_a_task_that_cannot_be_enqueued_does_not_stop_the_others():
    class Broken:
        def enqueue(self):
            raise RuntimeError("backend down")

    good = Recorder()
    schedule = [
        Periodic("uji-broken", Broken(), timedelta(minutes=1)),
        Periodic("uji-good", good, timedelta(minutes=1)),
    ]
    assert scheduling.enqueue_due(datetime(2026, 12, 5, tzinfo=UTC), schedule) == ["uji-good"]
    assert not PeriodicRun.objects.filter(name="uji-broken").exists()  # tried again next round


@pytest.mark.django_db
def test_old_runs_are_pruned():
    old = datetime(2026, 11, 1, tzinfo=UTC)
    PeriodicRun.objects.create(name="x", slot=old)
    scheduling.enqueue_due(old + timedelta(days=30), [])
    assert not PeriodicRun.objects.exists()


def test_modules_declare_their_periodic_tasks():
    names = {p.name for p in scheduling.all_periodic()}
    assert {"core-rate-counters-prune", "publishing-refresh-due"} <= names
    assert len(names) == len(scheduling.all_periodic()), "periodic task names must be unique"


@pytest.mark.django_db
def test_the_scheduler_command_runs_once(capsys):
    call_command("scheduler", "--once")
    out = capsys.readouterr().out
    assert "publishing-refresh-due" in out
    assert PeriodicRun.objects.filter(name="publishing-refresh-due").exists()
