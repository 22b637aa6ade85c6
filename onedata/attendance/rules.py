"""Daily attendance from check-ins: the rules, with no Django. Times are local (WITA).

The rule table (every number configurable through ``Thresholds`` and the schedule):

- A holiday or a day off in the schedule: ``holiday`` / ``off``; check-ins do not matter.
- Approved leave: ``leave`` (or ``sick`` for sick leave). Official travel: ``travel``.
  Work from home: ``wfh``. A supervisor's correction to present: ``present``. None of these
  count lateness or early leave.
- No check-in and no check-out on a working day: ``absent``.
- Late (TL): minutes of the check-in (seconds dropped) after ``start + late_grace``.
  Check-in 07:30:59 with start 07:30 is on time; 07:31:00 is one minute late.
- Left early (PSW): minutes of the check-out (seconds dropped) before ``end - early_grace``.
  With end 16:00 and a grace of 30 minutes, a check-out at 15:29 is one minute early.
- Categories: TL1/PSW1 1-30 minutes, TL2/PSW2 31-60, TL3/PSW3 61-90, TL4/PSW4 91+ or no
  record (a check-out without a check-in is TL4; a check-in without a check-out is PSW4).
- Night shifts (the end before the start, e.g. 22:00-07:00) belong to the date they start.
  A moment before the shift's *pivot* (halfway between its end and the next start; 14:30
  for 22:00-07:00) counts on the next morning: check-in at 00:10 is 130 minutes late, a
  check-out at 06:40 with a 30-minute grace is 0 minutes early (limit 06:30).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from enum import StrEnum


class DayStatus(StrEnum):
    PRESENT = "present"
    ABSENT = "absent"
    LEAVE = "leave"
    SICK = "sick"
    TRAVEL = "travel"
    WFH = "wfh"
    HOLIDAY = "holiday"
    OFF = "off"
    UPCOMING = "upcoming"  # a working day not over yet


class Override(StrEnum):
    """What a supervisor or HR set for a day, over the check-ins."""

    PRESENT = "present"
    ABSENT = "absent"
    WFH = "wfh"
    TRAVEL = "travel"
    SICK = "sick"


@dataclass(frozen=True)
class Thresholds:
    """Upper bounds (minutes) of categories 1, 2 and 3; anything above is category 4."""

    bounds: tuple[int, int, int] = (30, 60, 90)

    def category(self, minutes: int | None) -> int:
        """0 for none; 1-4; ``None`` (no record) is 4."""
        if minutes is None:
            return 4
        if minutes <= 0:
            return 0
        for index, upper in enumerate(self.bounds, start=1):
            if minutes <= upper:
                return index
        return 4


@dataclass(frozen=True)
class DayPlan:
    """The schedule of one day for one employee."""

    workday: bool
    start: time = time(7, 30)
    end: time = time(16, 0)
    late_grace: int = 0
    early_grace: int = 30
    holiday: str = ""

    @property
    def overnight(self) -> bool:
        return self.end < self.start


DAY = 24 * 60


@dataclass(frozen=True)
class DayResult:
    status: DayStatus
    late_minutes: int = 0
    early_minutes: int = 0
    tl: int = 0  # 0-4
    psw: int = 0  # 0-4
    check_in: datetime | time | None = None
    check_out: datetime | time | None = None
    note: str = ""

    @property
    def counts_as_present(self) -> bool:
        return self.status in (DayStatus.PRESENT, DayStatus.WFH, DayStatus.TRAVEL)


def _minute_of_day(moment: datetime | time) -> int:
    return moment.hour * 60 + moment.minute


def pivot(plan: DayPlan) -> int:
    """For a night shift: the minute of day halfway between its end and the next start.
    Moments before it belong to the shift that started the evening before."""
    return (_minute_of_day(plan.end) + _minute_of_day(plan.start)) // 2


def _position(moment: datetime | time, plan: DayPlan) -> int:
    """Minutes from the midnight that starts the shift's date."""
    minute = _minute_of_day(moment)
    if plan.overnight and minute < pivot(plan):
        return minute + DAY
    return minute


def shift_end_minute(plan: DayPlan) -> int:
    return _minute_of_day(plan.end) + (DAY if plan.overnight else 0)


def late_minutes(check_in: datetime | time, plan: DayPlan) -> int:
    limit = _minute_of_day(plan.start) + plan.late_grace
    return max(0, _position(check_in, plan) - limit)


def early_minutes(check_out: datetime | time, plan: DayPlan) -> int:
    limit = shift_end_minute(plan) - plan.early_grace
    return max(0, limit - _position(check_out, plan))


def shift_ends_at(day: date, plan: DayPlan) -> datetime:
    """The (naive, local) moment the shift of ``day`` ends."""
    return datetime.combine(day, time(0)) + timedelta(minutes=shift_end_minute(plan))


def work_date_for(
    moment: datetime,
    kind: str,
    yesterday: DayPlan,
    *,
    yesterday_checked_in: bool,
    yesterday_open: bool,
) -> date:
    """The date a check-in or check-out counts for (``moment`` is local time).

    Only a night shift that started yesterday can claim a moment of today: a check-out
    before its pivot while yesterday's check-in is still open, or a (late) check-in before
    its end when yesterday has no check-in yet."""
    today = moment.date()
    if not (yesterday.workday and not yesterday.holiday and yesterday.overnight):
        return today
    minute = _minute_of_day(moment)
    if kind == "out" and yesterday_open and minute < pivot(yesterday):
        return today - timedelta(days=1)
    if kind == "in" and not yesterday_checked_in and minute < _minute_of_day(yesterday.end):
        return today - timedelta(days=1)
    return today


def evaluate_day(
    plan: DayPlan,
    *,
    check_in: datetime | time | None = None,
    check_out: datetime | time | None = None,
    leave: str = "",  # "", "leave" or "sick"
    override: str = "",
    finished: bool = True,  # False while the working day is still going on
    thresholds: Thresholds = Thresholds(),
) -> DayResult:
    if plan.holiday:
        return DayResult(
            DayStatus.HOLIDAY, check_in=check_in, check_out=check_out, note=plan.holiday
        )
    if not plan.workday:
        return DayResult(DayStatus.OFF, check_in=check_in, check_out=check_out)
    if leave:
        status = DayStatus.SICK if leave == "sick" else DayStatus.LEAVE
        return DayResult(status, check_in=check_in, check_out=check_out)
    if override:
        status = {
            Override.PRESENT: DayStatus.PRESENT,
            Override.ABSENT: DayStatus.ABSENT,
            Override.WFH: DayStatus.WFH,
            Override.TRAVEL: DayStatus.TRAVEL,
            Override.SICK: DayStatus.SICK,
        }[Override(override)]
        return DayResult(status, check_in=check_in, check_out=check_out)
    if check_in is None and check_out is None:
        return DayResult(DayStatus.ABSENT if finished else DayStatus.UPCOMING)
    late = late_minutes(check_in, plan) if check_in is not None else 0
    early = early_minutes(check_out, plan) if check_out is not None else 0
    tl = thresholds.category(late) if check_in is not None else 4
    psw = thresholds.category(early) if check_out is not None else 4 if finished else 0
    return DayResult(
        DayStatus.PRESENT,
        late_minutes=late,
        early_minutes=early,
        tl=tl,
        psw=psw,
        check_in=check_in,
        check_out=check_out,
    )
