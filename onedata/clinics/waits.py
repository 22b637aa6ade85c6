"""Estimated wait: pure computation, no Django.

The clinic's own recent service times (minutes per patient) give a robust average: the
median, or with ten or more figures the mean after dropping the lowest and highest
10 % (a forgotten "done" click or a two-second mistake must not move the estimate).
The wait is the number of people ahead, shared by the counters serving in parallel,
times that average.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from datetime import datetime, timedelta

MIN_SAMPLES = 3  # fewer than this: use the service's usual minutes
TRIM = 0.10
PLAUSIBLE_MINUTES = (0.5, 240.0)  # durations outside are clicks, not visits


def robust_average(minutes: Sequence[float]) -> float | None:
    """Median for small samples, 10 %-trimmed mean from ten; None without figures."""
    values = sorted(m for m in minutes if PLAUSIBLE_MINUTES[0] <= m <= PLAUSIBLE_MINUTES[1])
    if not values:
        return None
    n = len(values)
    if n < 10:
        middle = n // 2
        return values[middle] if n % 2 else (values[middle - 1] + values[middle]) / 2
    cut = math.floor(n * TRIM)
    kept = values[cut : n - cut]
    return sum(kept) / len(kept)


def minutes_per_patient(recent: Sequence[float], default: float) -> float:
    """The clinic's own figure once it has a few, otherwise the service's usual minutes."""
    plausible = [m for m in recent if PLAUSIBLE_MINUTES[0] <= m <= PLAUSIBLE_MINUTES[1]]
    if len(plausible) < MIN_SAMPLES:
        return float(default)
    return float(robust_average(plausible))


def wait_minutes(ahead: int, per_patient: float, counters: int = 1) -> float:
    """People ahead of you, served ``counters`` at a time, ``per_patient`` minutes each."""
    if ahead <= 0:
        return 0.0
    rounds = math.ceil(ahead / max(counters, 1))
    return rounds * per_patient


def estimated_service_at(
    session_start: datetime, now: datetime, ahead: int, per_patient: float, counters: int = 1
) -> datetime:
    """When your turn should come: not before the session starts, not before now + wait."""
    start = max(session_start, now)
    return start + timedelta(minutes=wait_minutes(ahead, per_patient, counters))
