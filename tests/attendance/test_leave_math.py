"""Leave arithmetic in half-days."""

from datetime import date

from hypothesis import given
from hypothesis import strategies as st

from onedata.attendance.leave import (
    as_days,
    available,
    carry_forward,
    overlaps,
    requested_halfdays,
    working_days,
)

NYEPI_2026 = date(2026, 3, 19)  # a Thursday


def test_weekends_and_holidays_are_not_counted():
    # Mon 16 March to Fri 20 March 2026, Nyepi on Thursday: 4 working days.
    days = working_days(date(2026, 3, 16), date(2026, 3, 22), holidays={NYEPI_2026})
    assert len(days) == 4
    assert requested_halfdays(date(2026, 3, 16), date(2026, 3, 22), holidays={NYEPI_2026}) == 8


def test_a_half_day_counts_one_and_only_on_one_working_day():
    assert requested_halfdays(date(2026, 3, 16), date(2026, 3, 16), half_day=True) == 1
    assert requested_halfdays(date(2026, 3, 21), date(2026, 3, 21), half_day=True) == 0


def test_balance_and_carry_forward():
    assert available(allocated=24, carried=6, used=25) == 5
    assert carry_forward(20) == 12  # at most 6 days
    assert carry_forward(5) == 5
    assert as_days(5) == "2.5" and as_days(4) == "2"


def test_overlap_includes_touching_days():
    assert overlaps(date(2026, 1, 5), date(2026, 1, 7), date(2026, 1, 7), date(2026, 1, 9))
    assert not overlaps(date(2026, 1, 5), date(2026, 1, 6), date(2026, 1, 7), date(2026, 1, 9))


@given(st.dates(min_value=date(2026, 1, 1), max_value=date(2026, 12, 31)), st.integers(0, 40))
def test_requested_length_never_exceeds_calendar_days(start, length):
    end = date.fromordinal(start.toordinal() + length)
    assert 0 <= requested_halfdays(start, end) <= 2 * (length + 1)
