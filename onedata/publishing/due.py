"""When a publication is due for a refresh (pure: no Django)."""

from __future__ import annotations

from datetime import datetime, timedelta, tzinfo

# A failed refresh is tried again after this long, not on every scheduler round.
RETRY_AFTER = timedelta(minutes=15)


def period_of(moment: datetime, frequency: str, tz: tzinfo) -> tuple:
    """The calendar period (in the province's time zone) that holds ``moment``."""
    local = moment.astimezone(tz)
    if frequency == "hourly":
        return (local.year, local.month, local.day, local.hour)
    if frequency == "daily":
        return (local.year, local.month, local.day)
    if frequency == "weekly":
        year, week, _day = local.isocalendar()
        return (year, week)
    if frequency == "monthly":
        return (local.year, local.month)
    if frequency == "quarterly":
        return (local.year, (local.month - 1) // 3)
    if frequency == "yearly":
        return (local.year,)
    raise ValueError(f"unknown frequency {frequency!r}")


def is_due(
    frequency: str,
    now: datetime,
    *,
    last_success: datetime | None,
    last_attempt: datetime | None,
    tz: tzinfo,
    retry_after: timedelta = RETRY_AFTER,
) -> bool:
    """Due once per calendar period; after a failure, again once ``retry_after`` passed."""
    failing = last_attempt is not None and (last_success is None or last_attempt > last_success)
    if failing and now - last_attempt < retry_after:
        return False
    if last_success is None:
        return True
    return period_of(last_success, frequency, tz) != period_of(now, frequency, tz)
