"""TPP: a hand-computed month with every kind of day, the cap, rounding."""

from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from onedata.attendance.tpp import Day, Rule, compute, percent


def test_a_month_with_every_kind_of_day_by_hand():
    # Base 5,000,000; attendance part 40 % = 2,000,000.
    days = [
        Day(date(2026, 11, 2), "present"),  # on time
        Day(date(2026, 11, 3), "present", tl=1),  # 0.5 %
        Day(date(2026, 11, 4), "present", tl=2, psw=1),  # 1 % + 0.5 %
        Day(date(2026, 11, 5), "present", tl=3),  # 1.5 %
        Day(date(2026, 11, 6), "present", tl=4, psw=4),  # 2 % + 2 %
        Day(date(2026, 11, 9), "present", psw=2),  # 1 %
        Day(date(2026, 11, 10), "present", psw=3),  # 1.5 %
        Day(date(2026, 11, 11), "absent"),  # 4 %
        Day(date(2026, 11, 12), "leave"),
        Day(date(2026, 11, 13), "sick"),
        Day(date(2026, 11, 16), "travel"),
        Day(date(2026, 11, 17), "wfh"),
        Day(date(2026, 11, 18), "holiday"),
        Day(date(2026, 11, 21), "off"),
    ]
    result = compute(5_000_000, days)
    # 0.5 + 1.5 + 1.5 + 4 + 1 + 1.5 + 4 = 14 % -> 1400 bp
    assert result.total_bp == 1400
    assert result.attendance_part == 2_000_000
    assert result.fixed_part == 3_000_000
    assert result.deduction == 280_000
    assert result.paid == 4_720_000
    assert [d.reason for d in result.deductions] == [
        "TL1",
        "TL2",
        "PSW1",
        "TL3",
        "TL4",
        "PSW4",
        "PSW2",
        "PSW3",
        "absent",
    ]


def test_deductions_stop_at_the_monthly_cap():
    days = [Day(date(2026, 11, d), "absent") for d in range(1, 31)]  # 30 x 4 % = 120 %
    result = compute(3_000_000, days, Rule(cap=10_000))
    assert (result.total_bp, result.capped_bp, result.capped) == (12_000, 10_000, True)
    assert result.paid == 3_000_000 - 1_200_000  # the fixed part is always paid


def test_rounding_is_down_in_the_employees_favour():
    result = compute(1_000_003, [Day(date(2026, 11, 2), "present", tl=1)])
    # attendance part 400,001; 0.5 % = 2,000.005 -> 2,000
    assert (result.attendance_part, result.deduction) == (400_001, 2_000)


def test_a_rule_with_impossible_percentages_is_refused():
    with pytest.raises(ValueError):
        Rule(attendance_share=12_000)


def test_percent_is_written_plainly():
    assert [percent(50), percent(100), percent(150), percent(400)] == ["0.5", "1", "1.5", "4"]


day_strategy = st.builds(
    Day,
    day=st.dates(min_value=date(2026, 1, 1), max_value=date(2026, 1, 31)),
    status=st.sampled_from(["present", "absent", "leave", "sick", "holiday", "wfh"]),
    tl=st.integers(0, 4),
    psw=st.integers(0, 4),
)


@given(st.integers(0, 50_000_000), st.lists(day_strategy, max_size=31))
def test_paid_is_between_the_fixed_part_and_the_base(base, days):
    result = compute(base, days)
    assert result.fixed_part <= result.paid <= result.base
    assert result.deduction + result.paid == result.base
