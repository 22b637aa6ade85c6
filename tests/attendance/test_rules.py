"""Daily attendance rules: TL/PSW at every boundary minute, and each kind of day."""

from datetime import time

import pytest
from hypothesis import given
from hypothesis import strategies as st

from onedata.attendance.rules import DayPlan, DayStatus, Thresholds, evaluate_day

WORKDAY = DayPlan(workday=True, start=time(7, 30), end=time(16, 0), early_grace=30)


@pytest.mark.parametrize(
    ("check_in", "minutes", "tl"),
    [
        (time(7, 0), 0, 0),
        (time(7, 30, 0), 0, 0),
        (time(7, 30, 59), 0, 0),
        (time(7, 31), 1, 1),
        (time(8, 0), 30, 1),
        (time(8, 1), 31, 2),
        (time(8, 30), 60, 2),
        (time(8, 31), 61, 3),
        (time(9, 0), 90, 3),
        (time(9, 1), 91, 4),
        (time(12, 0), 270, 4),
    ],
)
def test_late_category_at_each_boundary_minute(check_in, minutes, tl):
    day = evaluate_day(WORKDAY, check_in=check_in, check_out=time(16, 0))
    assert day.status == DayStatus.PRESENT
    assert (day.late_minutes, day.tl) == (minutes, tl)
    assert day.psw == 0


@pytest.mark.parametrize(
    ("check_out", "minutes", "psw"),
    [
        (time(16, 0), 0, 0),
        (time(15, 30), 0, 0),
        (time(15, 29, 59), 1, 1),
        (time(15, 29), 1, 1),
        (time(15, 0), 30, 1),
        (time(14, 59), 31, 2),
        (time(14, 30), 60, 2),
        (time(14, 29), 61, 3),
        (time(14, 0), 90, 3),
        (time(13, 59), 91, 4),
    ],
)
def test_early_leave_category_at_each_boundary_minute(check_out, minutes, psw):
    day = evaluate_day(WORKDAY, check_in=time(7, 15), check_out=check_out)
    assert (day.early_minutes, day.psw) == (minutes, psw)
    assert day.tl == 0


def test_missing_check_out_is_psw4_once_the_day_is_over():
    assert evaluate_day(WORKDAY, check_in=time(7, 0)).psw == 4
    assert evaluate_day(WORKDAY, check_in=time(7, 0), finished=False).psw == 0


def test_check_out_without_check_in_is_tl4():
    day = evaluate_day(WORKDAY, check_out=time(16, 5))
    assert (day.status, day.tl, day.psw) == (DayStatus.PRESENT, 4, 0)


def test_no_record_on_a_working_day_is_absent_and_upcoming_before_it_ends():
    assert evaluate_day(WORKDAY).status == DayStatus.ABSENT
    assert evaluate_day(WORKDAY, finished=False).status == DayStatus.UPCOMING


def test_holiday_and_day_off_ignore_check_ins():
    nyepi = DayPlan(workday=True, holiday="Hari Suci Nyepi")
    day = evaluate_day(nyepi, check_in=time(10, 0))
    assert (day.status, day.tl, day.note) == (DayStatus.HOLIDAY, 0, "Hari Suci Nyepi")
    assert evaluate_day(DayPlan(workday=False)).status == DayStatus.OFF


@pytest.mark.parametrize(
    ("leave", "override", "status"),
    [
        ("leave", "", DayStatus.LEAVE),
        ("sick", "", DayStatus.SICK),
        ("", "wfh", DayStatus.WFH),
        ("", "travel", DayStatus.TRAVEL),
        ("", "present", DayStatus.PRESENT),
        ("", "absent", DayStatus.ABSENT),
    ],
)
def test_leave_and_corrections_win_over_check_ins(leave, override, status):
    day = evaluate_day(WORKDAY, check_in=time(9, 30), leave=leave, override=override)
    assert day.status == status
    assert (day.tl, day.psw) == (0, 0)


def test_grace_and_thresholds_are_configurable():
    plan = DayPlan(workday=True, start=time(8, 0), end=time(15, 0), late_grace=5, early_grace=0)
    day = evaluate_day(
        plan, check_in=time(8, 16), check_out=time(14, 50), thresholds=Thresholds((10, 20, 30))
    )
    assert (day.late_minutes, day.tl, day.early_minutes, day.psw) == (11, 2, 10, 1)


@given(st.integers(min_value=-100, max_value=1000))
def test_categories_never_decrease_with_more_minutes(minutes):
    t = Thresholds()
    assert 0 <= t.category(minutes) <= t.category(minutes + 1) <= 4
