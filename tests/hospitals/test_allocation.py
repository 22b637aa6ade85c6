"""Allocation: hand-computed plans, a brute-force check and properties (Hypothesis)."""

import itertools

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from onedata.hospitals.allocation import Need, allocate, naive_pro_rata


def test_equal_hospitals_share_equally_up_to_a_common_cover():
    # Each uses 24 m3/day (1 m3/h) with 10 m3: supply 10 -> 5 each, 15 h of cover.
    needs = [Need(1, 10, 24, 1000), Need(2, 10, 24, 1000)]
    plan = allocate(needs, 10, horizon_days=7)
    assert [line.amount_m3 for line in plan.lines] == pytest.approx([5, 5])
    assert plan.min_cover_hours == pytest.approx(15)
    assert {line.binding for line in plan.lines} == {"min_cover"}
    assert plan.solver_status == "optimal"


def test_the_worst_off_hospital_is_raised_first():
    # A has 2 h of cover, B 20 h: 10 m3 all go to A (2 h + 10 h = 12 h < 20 h).
    needs = [Need(1, 2, 24, 1000), Need(2, 20, 24, 1000)]
    plan = allocate(needs, 10)
    assert plan.lines[0].amount_m3 == pytest.approx(10)
    assert plan.lines[1].amount_m3 == pytest.approx(0)
    assert plan.lines[0].cover_hours_after == pytest.approx(12)


def test_free_storage_bounds_a_hospital_and_the_rest_goes_by_band_then_weight():
    # All use 1 m3/h with 10 m3 (10 h). A can take only 5 m3, so the common minimum is
    # 15 h: B and C get 5 each. The other 85 m3 go by band cost x weight (B 1, C 3):
    # C 15->24 h (+9, cost 4x3 = 12), C 24->48 h (+24, 2x3 = 6), B 15->24 h (+9, 4x1 = 4),
    # then C's 48 h+ band (1x3 = 3) is dearer than B's 24-48 h band (2x1 = 2): C gets
    # the last 43 m3. B = 5 + 9 = 14, C = 5 + 9 + 24 + 43 = 81.
    needs = [Need(1, 10, 24, 5), Need(2, 10, 24, 1000, 1.0), Need(3, 10, 24, 1000, 3.0)]
    plan = allocate(needs, 100, horizon_days=7)
    a, b, c = plan.lines
    assert a.amount_m3 == pytest.approx(5) and a.binding == "capacity"
    assert plan.min_cover_hours == pytest.approx(15)
    assert b.amount_m3 == pytest.approx(14, abs=1e-3)
    assert c.amount_m3 == pytest.approx(81, abs=1e-3)


def test_oxygen_lifts_hospitals_out_of_the_worst_band_first():
    # Equal weights. A has 17 h, B 86 h, C 5 h but no free storage (so the minimum is
    # 5 h and stage 1 gives nothing). 10 m3 (10 h at 1 m3/h): all to A (warning band).
    needs = [Need(1, 17, 24, 1000), Need(2, 86, 24, 1000), Need(3, 5, 24, 0)]
    plan = allocate(needs, 10, horizon_days=7)
    assert [line.amount_m3 for line in plan.lines] == pytest.approx([10, 0, 0])


def test_enough_supply_covers_every_horizon_and_keeps_the_rest_in_reserve():
    needs = [Need(1, 0, 24, 1000), Need(2, 0, 48, 1000)]
    plan = allocate(needs, 1000, horizon_days=2)
    assert [line.amount_m3 for line in plan.lines] == pytest.approx([48, 96])
    assert plan.reserve_m3 == pytest.approx(1000 - 144)
    assert {line.binding for line in plan.lines} == {"horizon_met"}


def test_no_demand_answers_clearly_with_nothing_allocated():
    plan = allocate([Need(1, 10, 0, 100)], 50)
    assert plan.solver_status == "no_demand"
    assert plan.min_cover_hours is None
    assert plan.lines[0].amount_m3 == 0 and plan.lines[0].binding == "no_need"


def test_no_supply_allocates_nothing_and_reports_the_current_minimum():
    plan = allocate([Need(1, 12, 24, 100), Need(2, 6, 24, 100)], 0)
    assert plan.solver_status == "no_supply"
    assert plan.allocated_m3 == 0
    assert plan.min_cover_hours == pytest.approx(6)


def test_negative_supply_is_refused():
    with pytest.raises(ValueError):
        allocate([Need(1, 1, 1, 1)], -1)


def brute_force_min_cover(needs, supply, horizon_hours, steps=40):
    """Grid search over every split of the supply."""
    best = 0.0
    grid = [supply * k / steps for k in range(steps + 1)]
    for split in itertools.product(grid, repeat=len(needs)):
        if sum(split) > supply + 1e-9:
            continue
        if any(x > n.free_capacity_m3 + 1e-9 for x, n in zip(split, needs, strict=True)):
            continue
        worst = min(
            min(horizon_hours, (n.stock_m3 + x) * 24 / n.demand_m3_per_day)
            for x, n in zip(split, needs, strict=True)
        )
        best = max(best, worst)
    return best


@pytest.mark.parametrize(
    "needs",
    [
        [Need(1, 5, 30, 100), Need(2, 20, 50, 100)],
        [Need(1, 0, 10, 3), Need(2, 4, 40, 100), Need(3, 8, 20, 100)],
        [Need(1, 30, 24, 100), Need(2, 1, 96, 10), Need(3, 2, 12, 100)],
    ],
)
def test_min_cover_matches_a_brute_force_grid_search(needs):
    supply = 40
    plan = allocate(needs, supply, horizon_days=7)
    brute = brute_force_min_cover(needs, supply, 168)
    # The grid is coarse: ours is at least as good, and not better than the true optimum
    # by more than one grid step allows.
    assert plan.min_cover_hours >= brute - 1e-3
    assert (
        plan.min_cover_hours
        <= brute + 24 * supply / 40 / min(n.demand_m3_per_day for n in needs) * len(needs) + 1e-6
    )


def independent_max_min(needs, supply, horizon_hours):
    """Bisection on the level t: feasible when every hospital can reach t within its
    storage and the oxygen needed to lift them all to t fits the supply."""
    lo, hi = 0.0, horizon_hours
    for _ in range(200):
        t = (lo + hi) / 2
        feasible = (
            all((n.stock_m3 + n.free_capacity_m3) * 24 / n.demand_m3_per_day >= t for n in needs)
            and sum(max(0.0, t * n.demand_m3_per_day / 24 - n.stock_m3) for n in needs) <= supply
        )
        lo, hi = (t, hi) if feasible else (lo, t)
    return lo


need_strategy = st.builds(
    Need,
    hospital_id=st.integers(1, 10**6),
    stock_m3=st.floats(0, 500),
    demand_m3_per_day=st.floats(1, 500),
    free_capacity_m3=st.floats(0, 2000),
    weight=st.floats(1, 3),
)


@settings(max_examples=150, deadline=None)
@given(
    needs=st.lists(need_strategy, min_size=1, max_size=8),
    supply=st.floats(0, 5000),
    horizon=st.integers(1, 14),
)
def test_never_above_supply_or_storage_never_negative_and_min_cover_maximal(needs, supply, horizon):
    plan = allocate(needs, supply, horizon_days=horizon)
    amounts = [line.amount_m3 for line in plan.lines]
    assert sum(amounts) <= supply + 1e-6
    for need, amount in zip(needs, amounts, strict=True):
        assert 0 <= amount <= need.free_capacity_m3 + 1e-6
    optimum = independent_max_min(needs, supply, horizon * 24)
    achieved = min(min(horizon * 24, line.cover_hours_after) for line in plan.lines)
    assert achieved >= optimum - 1e-3 * max(1, optimum) - 0.05


def test_max_min_beats_pro_rata_for_the_worst_off_hospital():
    needs = [Need(1, 0, 100, 1000), Need(2, 400, 100, 1000), Need(3, 50, 300, 1000)]
    plan = allocate(needs, 300)
    naive = naive_pro_rata(needs, 300)
    naive_min = min(
        (n.stock_m3 + x) * 24 / n.demand_m3_per_day for n, x in zip(needs, naive, strict=True)
    )
    assert plan.min_cover_hours > naive_min
