"""Leave arithmetic in half-days (integers: a half day is 1, a full day 2). No Django.

- Requested length: working days between start and end inclusive (schedule working
  weekdays, minus holidays), times 2; a half-day request is one day long and counts 1.
- Available = allocated + carried over - used; a request beyond it is refused.
- Carry-forward of annual leave (PP 11/2017 style): at most ``cap_days`` unused days
  (default 6) move to the next year.
"""

from __future__ import annotations

from collections.abc import Collection
from datetime import date, timedelta

WEEKDAYS = frozenset({0, 1, 2, 3, 4})  # Monday .. Friday


def working_days(
    start: date,
    end: date,
    *,
    weekdays: Collection[int] = WEEKDAYS,
    holidays: Collection[date] = (),
) -> list[date]:
    if end < start:
        return []
    days = []
    day = start
    while day <= end:
        if day.weekday() in weekdays and day not in holidays:
            days.append(day)
        day += timedelta(days=1)
    return days


def requested_halfdays(
    start: date,
    end: date,
    *,
    half_day: bool = False,
    weekdays: Collection[int] = WEEKDAYS,
    holidays: Collection[date] = (),
) -> int:
    days = working_days(start, end, weekdays=weekdays, holidays=holidays)
    if half_day:
        return 1 if len(days) == 1 and start == end else 0
    return 2 * len(days)


def available(allocated: int, carried: int, used: int) -> int:
    return allocated + carried - used


def carry_forward(remaining: int, *, cap_days: int = 6) -> int:
    return max(0, min(remaining, 2 * cap_days))


def overlaps(a_start: date, a_end: date, b_start: date, b_end: date) -> bool:
    return a_start <= b_end and b_start <= a_end


def as_days(halfdays: int) -> str:
    """``3`` -> ``1.5``; ``4`` -> ``2``."""
    whole, half = divmod(halfdays, 2)
    return f"{whole}.5" if half else str(whole)
