"""Allocation of supply that comes by source and by day: hand-computed plans, a
brute-force grid search and properties (Hypothesis)."""

import itertools

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from onedata.hospitals.allocation import Lot, Need, allocate, allocate_lots, run_out_hours


def by_lot(plan):
    return {(d.hospital_id, d.source, d.day): d.amount_m3 for d in plan.deliveries}


def test_todays_lot_lifts_the_common_cover_and_tomorrows_is_shared_by_band():
    # Both use 1 m3/h with 10 m3 (10 h). Today 10 m3: 5 each, both run out at 15 h; it
    # cannot be better, tomorrow's lot comes at 24 h. Tomorrow 48 m3 for 24-72 h: the
    # 24-48 h band costs 2 per m3 short and 48-72 h 1, so 24 each (not 48 to one).
    needs = [Need(1, 10, 24, 1000), Need(2, 10, 24, 1000)]
    plan = allocate_lots(needs, [Lot("Samator", 0, 10), Lot("Aneka Gas", 1, 48)], 3)
    assert plan.min_cover_hours == pytest.approx(15, abs=1e-4)
    assert by_lot(plan) == pytest.approx(
        {
            (1, "Samator", 0): 5,
            (2, "Samator", 0): 5,
            (1, "Aneka Gas", 1): 24,
            (2, "Aneka Gas", 1): 24,
        },
        abs=1e-4,
    )
    assert [line.amount_m3 for line in plan.lines] == pytest.approx([29, 29], abs=1e-4)
    # Unmet: 15-24 h (9 m3) and 48-72 h (24 m3) each.
    assert [line.shortfall_m3 for line in plan.lines] == pytest.approx([33, 33], abs=1e-3)
    assert {line.binding for line in plan.lines} == {"min_cover"}
    assert plan.reserve_m3 == pytest.approx(0, abs=1e-6)


def test_a_hospital_that_runs_out_before_the_first_lot_is_told_so():
    # A is empty now and the only lot comes tomorrow: 0 h of cover whatever we do; it
    # gets tomorrow's 24 m3 for 24-48 h. B has 100 h: nothing. 26 m3 kept in reserve.
    needs = [Need(1, 0, 24, 1000), Need(2, 100, 24, 1000)]
    plan = allocate_lots(needs, [Lot("Samator", 1, 50)], 2)
    a, b = plan.lines
    assert plan.min_cover_hours == 0
    assert a.amount_m3 == pytest.approx(24) and a.binding == "timing"
    assert b.amount_m3 == 0 and b.binding == "already_covered"
    assert plan.reserve_m3 == pytest.approx(26)


def test_storage_limits_each_days_delivery_and_the_earliest_oxygen_goes_first():
    # 10 m3, 1 m3/h, storage 30 m3 (20 free). Today at most 20 (30 h); at 24 h 6 m3 are
    # left, and 18 more cover the 2-day horizon. The rest of both lots stays in reserve.
    plan = allocate_lots([Need(1, 10, 24, 20)], [Lot("A", 0, 100), Lot("B", 1, 100)], 2)
    assert by_lot(plan) == pytest.approx({(1, "A", 0): 20, (1, "B", 1): 18}, abs=1e-4)
    assert plan.lines[0].binding == "horizon_met"
    assert plan.min_cover_hours == pytest.approx(48, abs=1e-4)
    assert plan.reserve_m3 == pytest.approx(162, abs=1e-3)


def test_lots_that_all_arrive_now_give_the_single_supply_plan_split_by_lot():
    needs = [Need(1, 10, 24, 5), Need(2, 10, 24, 1000, 1.0), Need(3, 10, 24, 1000, 3.0)]
    single = allocate(needs, 100, horizon_days=7)
    lots = allocate_lots(needs, [Lot("A", 0, 30), Lot("B", 0, 70)], 7)
    assert [x.amount_m3 for x in lots.lines] == [x.amount_m3 for x in single.lines]
    per_lot = {"A": 0.0, "B": 0.0}
    for delivery in lots.deliveries:
        per_lot[delivery.source] += delivery.amount_m3
    assert per_lot == pytest.approx({"A": 30, "B": 70})


def test_no_demand_and_no_supply_answer_clearly():
    assert allocate_lots([Need(1, 10, 0, 100)], [Lot("A", 1, 50)], 3).solver_status == "no_demand"
    plan = allocate_lots([Need(1, 12, 24, 100)], [Lot("A", 1, 0)], 3)
    assert plan.solver_status == "no_supply" and plan.deliveries == ()
    assert plan.min_cover_hours == pytest.approx(12)


@pytest.mark.parametrize(
    "lots",
    [
        [],
        [Lot("", 0, 10)],
        [Lot("A", 3, 10)],  # outside a 3-day horizon (days 0, 1, 2)
        [Lot("A", 0, -1)],
        [Lot("A", 0.5, 10)],
    ],
)
def test_bad_lots_are_refused(lots):
    with pytest.raises(ValueError):
        allocate_lots([Need(1, 1, 24, 10)], lots, 3)


def test_run_out_hours_counts_arrivals_only_while_the_stock_lasts():
    assert run_out_hours(10, 24, []) == 10
    assert run_out_hours(10, 24, [(5, 10)]) == 20
    assert run_out_hours(10, 24, [(12, 10)]) == 10  # ran out at 10 h, before it came
    assert run_out_hours(10, 0, [(1, 1)]) is None


def simulate(need, arrivals):
    """Stock after each arrival (never below zero), to check the storage."""
    level, now, peaks = max(0.0, need.stock_m3), 0.0, []
    for hour, amount in sorted(arrivals):
        level = max(0.0, level - need.demand_m3_per_day * (hour - now) / 24) + amount
        now = hour
        peaks.append(level)
    return peaks


def brute_force(needs, lots, horizon_hours, steps=12):
    """The best worst-off cover over a grid of every split of every lot."""
    n = len(needs)
    splits = [
        [c for c in itertools.product(range(steps + 1), repeat=n) if sum(c) <= steps] for _ in lots
    ]
    best = 0.0
    for choice in itertools.product(*splits):
        arrivals = [[] for _ in needs]
        for lot, shares in zip(lots, choice, strict=True):
            for i, share in enumerate(shares):
                arrivals[i].append((24.0 * lot.day, lot.amount_m3 * share / steps))
        ok = all(
            max(simulate(need, arr), default=0) <= need.stock_m3 + need.free_capacity_m3 + 1e-9
            for need, arr in zip(needs, arrivals, strict=True)
        )
        if not ok:
            continue
        worst = min(
            min(horizon_hours, run_out_hours(need.stock_m3, need.demand_m3_per_day, arr))
            for need, arr in zip(needs, arrivals, strict=True)
        )
        best = max(best, worst)
    return best


@pytest.mark.parametrize(
    ("needs", "lots"),
    [
        ([Need(1, 5, 30, 100), Need(2, 20, 50, 100)], [Lot("A", 0, 12), Lot("B", 1, 60)]),
        ([Need(1, 30, 24, 40), Need(2, 2, 48, 30)], [Lot("A", 0, 24), Lot("B", 2, 48)]),
        ([Need(1, 0, 12, 100), Need(2, 40, 60, 100)], [Lot("A", 1, 36), Lot("B", 2, 36)]),
    ],
)
def test_min_cover_is_at_least_the_brute_force_grid_search(needs, lots):
    plan = allocate_lots(needs, lots, 4)
    brute = brute_force(needs, lots, 96)
    assert min(96, plan.min_cover_hours) >= brute - 1e-3


need_strategy = st.builds(
    Need,
    hospital_id=st.integers(1, 10**6),
    stock_m3=st.floats(0, 300),
    demand_m3_per_day=st.floats(1, 300),
    free_capacity_m3=st.floats(0, 1000),
    weight=st.floats(1, 3),
)
lot_strategy = st.builds(
    Lot, source=st.sampled_from(["A", "B", "C"]), day=st.integers(0, 4), amount_m3=st.floats(0, 800)
)


@settings(max_examples=80, deadline=None)
@given(
    needs=st.lists(need_strategy, min_size=1, max_size=5),
    lots=st.lists(lot_strategy, min_size=1, max_size=4),
)
def test_never_above_a_lot_or_the_storage_never_negative_never_before_arrival(needs, lots):
    horizon = 5
    plan = allocate_lots(needs, lots, horizon)
    available, sent = {}, {}
    for lot in lots:
        key = (lot.source, lot.day)
        available[key] = available.get(key, 0.0) + lot.amount_m3
    arrivals = {n.hospital_id: [] for n in needs}
    for delivery in plan.deliveries:
        assert delivery.amount_m3 >= 0
        key = (delivery.source, delivery.day)
        sent[key] = sent.get(key, 0.0) + delivery.amount_m3
        arrivals[delivery.hospital_id].append((24.0 * delivery.day, delivery.amount_m3))
    for key, amount in sent.items():
        assert amount <= available[key] + 1e-6 * max(1.0, available[key])
    assert sum(line.amount_m3 for line in plan.lines) <= sum(lot.amount_m3 for lot in lots) + 1e-4
    if len({n.hospital_id for n in needs}) == len(needs):
        for need in needs:
            limit = max(need.stock_m3, need.stock_m3 + need.free_capacity_m3)
            for peak in simulate(need, arrivals[need.hospital_id]):
                assert peak <= limit + 1e-4 * max(1.0, limit)


@settings(max_examples=30, deadline=None)
@given(
    needs=st.lists(
        st.builds(
            Need,
            hospital_id=st.integers(1, 10**6),
            stock_m3=st.floats(0, 100),
            demand_m3_per_day=st.floats(5, 100),
            free_capacity_m3=st.floats(0, 300),
        ),
        min_size=2,
        max_size=2,
        unique_by=lambda n: n.hospital_id,
    ),
    lots=st.lists(
        st.builds(Lot, source=st.just("A"), day=st.integers(0, 2), amount_m3=st.floats(0, 200)),
        min_size=1,
        max_size=2,
        unique_by=lambda lot: lot.day,
    ),
)
def test_min_cover_is_maximal_against_a_grid_and_matches_the_deliveries(needs, lots):
    plan = allocate_lots(needs, lots, 3)
    arrivals = {n.hospital_id: [] for n in needs}
    for delivery in plan.deliveries:
        arrivals[delivery.hospital_id].append((24.0 * delivery.day, delivery.amount_m3))
    achieved = min(
        run_out_hours(n.stock_m3, n.demand_m3_per_day, arrivals[n.hospital_id]) for n in needs
    )
    assert plan.min_cover_hours == pytest.approx(achieved, abs=1e-6, rel=1e-6)
    assert min(72, achieved) >= brute_force(needs, lots, 72, steps=6) - 1e-3 * max(1, achieved)
