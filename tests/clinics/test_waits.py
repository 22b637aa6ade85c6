"""Estimated wait, with hand-computed cases."""

from datetime import UTC, datetime

import pytest
from hypothesis import given
from hypothesis import strategies as st

from onedata.clinics import waits


def test_robust_average_is_the_median_of_a_few_visits():
    assert waits.robust_average([10, 14, 12]) == 12
    assert waits.robust_average([10, 12, 14, 20]) == 13


def test_robust_average_trims_the_extremes_from_ten_visits():
    # 10 % of 10 figures: drop the 5 and the 200, mean of the other eight = 61 / 8.
    minutes = [5, 6, 6, 7, 7, 8, 8, 9, 10, 200]
    assert waits.robust_average(minutes) == pytest.approx(7.625)


def test_robust_average_ignores_mis_clicks_and_forgotten_visits():
    assert waits.robust_average([0.1, 12, 500]) == 12
    assert waits.robust_average([0.1, 500]) is None
    assert waits.robust_average([]) is None


def test_the_usual_minutes_stand_in_until_three_visits_are_known():
    assert waits.minutes_per_patient([4, 6], default=10) == 10
    assert waits.minutes_per_patient([4, 6, 8], default=10) == 6


def test_wait_is_rounds_of_counters_times_minutes_per_patient():
    assert waits.wait_minutes(5, 8.0, counters=2) == 24  # ceil(5 / 2) = 3 rounds of 8
    assert waits.wait_minutes(5, 8.0) == 40
    assert waits.wait_minutes(0, 8.0) == 0


def test_estimated_time_is_never_before_the_session_nor_before_now():
    start = datetime(2026, 12, 7, 0, 0, tzinfo=UTC)  # 08:00 WITA
    early = datetime(2026, 12, 6, 23, 0, tzinfo=UTC)
    late = datetime(2026, 12, 7, 1, 0, tzinfo=UTC)
    assert waits.estimated_service_at(start, early, 3, 10) == datetime(
        2026, 12, 7, 0, 30, tzinfo=UTC
    )
    assert waits.estimated_service_at(start, late, 3, 10) == datetime(
        2026, 12, 7, 1, 30, tzinfo=UTC
    )


@given(st.lists(st.floats(min_value=0.5, max_value=240), min_size=1, max_size=80))
def test_robust_average_lies_within_the_figures(minutes):
    average = waits.robust_average(minutes)
    assert min(minutes) - 1e-9 <= average <= max(minutes) + 1e-9
