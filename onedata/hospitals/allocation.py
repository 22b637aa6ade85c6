"""Sharing out scarce oxygen among hospitals. Pure: no Django, plain inputs.

Two stages, as in the allocation models of the literature:

1. **Max-min cover.** Maximise t, the smallest number of hours of cover among hospitals
   that use oxygen, subject to 0 <= x_i <= free storage_i and sum x_i <= supply; t is
   capped at the horizon (cover beyond it is not a need). Cover_i = (stock_i + x_i) x 24
   / net demand_i. This LP has a closed-form optimum, computed exactly here by
   water-filling: t* = min(horizon, min_i full-storage cover_i, W), where W is the level
   at which sum_i max(0, W x d_i / 24 - stock_i) equals the supply.
2. **Least weighted shortfall.** Keeping every hospital at >= min(t*, its reachable
   cover), minimise sum_i weight_i x sum_k cost_k x shortfall_ik, where shortfall_ik is
   the demand not met by stock + allocation within status band k of the horizon
   (critical 0-12 h costs 8 per m3, warning 12-24 h 4, watch 24-48 h 2, safe 48 h to the
   horizon 1); critical patients raise a hospital's weight. A plain (one-band) weighted
   shortfall would be indifferent between lifting a hospital from 17 to 24 hours and one
   from 86 to 168; the banded, convex cost sends oxygen out of the worst bands first. This
   is a linear program solved with HiGHS (``highspy``). A tiny cost on every m3 keeps
   oxygen in reserve rather than sending it where no shortfall remains.

Each line explains itself: amount, cover before and after, and what bound it
(``BINDING``).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

TOLERANCE = 1e-6
RESERVE_COST = 1e-7  # per m3 sent: among equal-shortfall plans, send less

BINDING = {
    "no_need": "uses no oxygen beyond its own generation",
    "already_covered": "already covered for the whole horizon",
    "capacity": "limited by its free storage",
    "min_cover": "raised to the common minimum cover",
    "horizon_met": "covered for the whole horizon",
    "supply": "the supply ran out before its need was met",
}


@dataclass(frozen=True)
class Need:
    hospital_id: int
    stock_m3: float
    demand_m3_per_day: float  # net of on-site generation
    free_capacity_m3: float
    weight: float = 1.0


@dataclass(frozen=True)
class Line:
    hospital_id: int
    amount_m3: float
    cover_hours_before: float | None
    cover_hours_after: float | None
    shortfall_m3: float
    binding: str


@dataclass(frozen=True)
class Plan:
    supply_m3: float
    horizon_days: float
    min_cover_hours: float | None
    lines: list[Line]
    reserve_m3: float
    solver_status: str  # optimal | no_demand | no_supply

    @property
    def allocated_m3(self) -> float:
        return sum(line.amount_m3 for line in self.lines)


def cover(stock: float, demand: float) -> float | None:
    if demand <= 0:
        return None
    return max(0.0, stock) * 24 / demand


def water_level(stocks: np.ndarray, demands: np.ndarray, supply: float) -> float:
    """The level W (hours) with sum max(0, W d / 24 - s) = supply (demands all > 0)."""
    covers = np.maximum(stocks, 0) * 24 / demands
    order = np.argsort(covers)
    covers, rates, stocks = covers[order], demands[order] / 24, np.maximum(stocks[order], 0)
    rate_sum = 0.0
    stock_sum = 0.0
    for k in range(len(covers)):
        rate_sum += rates[k]
        stock_sum += stocks[k]
        level = (supply + stock_sum) / rate_sum
        if k + 1 == len(covers) or level <= covers[k + 1]:
            return float(level)
    return float("inf")  # pragma: no cover - the loop always returns


def max_min_cover(needs: list[Need], supply: float, horizon_hours: float) -> float:
    """Stage 1: the largest minimum cover (hours) the supply can give."""
    stocks = np.array([n.stock_m3 for n in needs], dtype=float)
    demands = np.array([n.demand_m3_per_day for n in needs], dtype=float)
    caps = np.array([max(0.0, n.free_capacity_m3) for n in needs], dtype=float)
    reachable = (np.maximum(stocks, 0) + caps) * 24 / demands
    return float(min(horizon_hours, reachable.min(), water_level(stocks, demands, supply)))


BAND_EDGES = (0.0, 12.0, 24.0, 48.0)  # hours: critical, warning, watch, then safe
BAND_COSTS = (8.0, 4.0, 2.0, 1.0)  # per m3 short, times the hospital's weight


def bands(horizon_hours: float) -> list[tuple[float, float, float]]:
    """(from hour, to hour, cost) of each status band within the horizon."""
    edges = [e for e in BAND_EDGES if e < horizon_hours] + [horizon_hours]
    return [(edges[k], edges[k + 1], BAND_COSTS[k]) for k in range(len(edges) - 1)]


def build_lp(needs, supply, horizon_days, floor_hours):
    """Stage 2 as HiGHS's model. Columns: x_0..x_n-1, then for each status band k the
    oxygen short in that band, s_k0..s_kn-1 (at most the band's width in m3). Row 0: the
    supply; row 1+i: x_i + sum_k s_ki >= demand over the horizon - stock_i. Costs fall from
    the critical band to the safe one, so the cost is convex and the solver counts a
    hospital's shortfall in its highest hours first: oxygen goes first to lift hospitals
    out of the worst band, and within a band to those whose critical patients weigh more."""
    import highspy

    n = len(needs)
    stocks = np.array([max(0.0, x.stock_m3) for x in needs], dtype=float)
    demands = np.array([x.demand_m3_per_day for x in needs], dtype=float)
    caps = np.array([max(0.0, x.free_capacity_m3) for x in needs], dtype=float)
    weights = np.array([max(0.0, x.weight) for x in needs], dtype=float)
    lower = np.clip(floor_hours * demands / 24 - stocks, 0.0, caps)
    lower = np.maximum(0.0, lower - 1e-9)
    need_over_horizon = demands * horizon_days - stocks
    inf = highspy.kHighsInf
    parts = bands(horizon_days * 24)
    k = len(parts)
    lp = highspy.HighsLp()
    lp.num_col_ = n * (1 + k)
    lp.num_row_ = n + 1
    lp.col_cost_ = np.concatenate(
        [np.full(n, RESERVE_COST)] + [weights * cost for _a, _b, cost in parts]
    )
    lp.col_lower_ = np.concatenate([lower, np.zeros(n * k)])
    lp.col_upper_ = np.concatenate([caps] + [demands * (b - a) / 24 for a, b, _cost in parts])
    lp.row_lower_ = np.concatenate([[-inf], need_over_horizon])
    lp.row_upper_ = np.concatenate([[supply], np.full(n, inf)])
    # x_i: rows 0 and 1 + i; every shortfall column: row 1 + i.
    starts = np.concatenate([np.arange(0, 2 * n, 2), 2 * n + np.arange(0, k * n + 1)])
    index = np.empty(2 * n + k * n, dtype=np.int32)
    index[0 : 2 * n : 2] = 0
    index[1 : 2 * n : 2] = np.arange(1, n + 1)
    index[2 * n :] = np.tile(np.arange(1, n + 1), k)
    lp.a_matrix_.format_ = highspy.MatrixFormat.kColwise
    lp.a_matrix_.start_ = starts.astype(np.int32)
    lp.a_matrix_.index_ = index
    lp.a_matrix_.value_ = np.ones(2 * n + k * n)
    return lp


def solve_lp(lp) -> tuple[str, np.ndarray]:
    import highspy

    solver = highspy.Highs()
    solver.setOptionValue("output_flag", False)
    solver.passModel(lp)
    solver.run()
    status = solver.modelStatusToString(solver.getModelStatus()).lower()
    return status, np.array(solver.getSolution().col_value, dtype=float)


def allocate(needs: list[Need], supply_m3: float, horizon_days: float = 7.0) -> Plan:
    """The plan for this supply. Never above the supply or a hospital's free storage,
    never negative; the worst-off hospital's cover is as high as it can be."""
    if supply_m3 < 0 or not np.isfinite(supply_m3):
        raise ValueError("supply must be a finite number >= 0")
    if horizon_days <= 0:
        raise ValueError("horizon must be > 0")
    horizon_hours = horizon_days * 24
    needy_index = [i for i, n in enumerate(needs) if n.demand_m3_per_day > 0]
    needy = [needs[i] for i in needy_index]
    if not needy:
        lines = [Line(n.hospital_id, 0.0, None, None, 0.0, "no_need") for n in needs]
        return Plan(supply_m3, horizon_days, None, lines, supply_m3, "no_demand")
    floor = max_min_cover(needy, supply_m3, horizon_hours)
    if supply_m3 <= 0:
        amounts = np.zeros(len(needy))
        status = "no_supply"
    else:
        status, solution = solve_lp(build_lp(needy, supply_m3, horizon_days, floor))
        # Rounded to 1 litre of gas; the solver's tolerance must never show as going
        # over a bound.
        amounts = np.round(np.clip(solution[: len(needy)], 0.0, None), 3)
        caps = np.array([max(0.0, n.free_capacity_m3) for n in needy])
        amounts = np.minimum(amounts, caps)
        total = amounts.sum()
        if total > supply_m3:
            amounts *= supply_m3 / total
    lines = [Line(n.hospital_id, 0.0, None, None, 0.0, "no_need") for n in needs]
    for i, need, amount in zip(needy_index, needy, amounts, strict=True):
        lines[i] = _line(need, float(amount), floor, horizon_days)
    reserve = max(0.0, supply_m3 - sum(line.amount_m3 for line in lines))
    min_cover = min(line.cover_hours_after for line in lines if line.cover_hours_after is not None)
    return Plan(supply_m3, horizon_days, min_cover, lines, reserve, status)


def _line(need: Need, amount: float, floor: float, horizon_days: float) -> Line:
    if amount < TOLERANCE:
        amount = 0.0
    stock = max(0.0, need.stock_m3)
    before = cover(stock, need.demand_m3_per_day)
    after = cover(stock + amount, need.demand_m3_per_day)
    shortfall = max(0.0, need.demand_m3_per_day * horizon_days - stock - amount)
    horizon_hours = horizon_days * 24
    cap = max(0.0, need.free_capacity_m3)
    if before >= horizon_hours - TOLERANCE and amount == 0:
        binding = "already_covered"
    elif amount >= cap - 1e-3 and shortfall > TOLERANCE:
        binding = "capacity"
    elif shortfall <= TOLERANCE:
        binding = "horizon_met"
    elif amount > 0 and abs(after - floor) <= max(1e-2, floor * 1e-4):
        binding = "min_cover"
    else:
        binding = "supply"
    return Line(need.hospital_id, amount, before, after, shortfall, binding)


def naive_pro_rata(needs: list[Need], supply_m3: float, horizon_days: float = 7.0) -> list[float]:
    """The baseline: supply shared in proportion to each hospital's shortfall, capped."""
    shortfalls = [
        max(0.0, n.demand_m3_per_day * horizon_days - max(0.0, n.stock_m3)) for n in needs
    ]
    total = sum(shortfalls)
    if total <= 0:
        return [0.0] * len(needs)
    return [
        min(max(0.0, n.free_capacity_m3), supply_m3 * s / total)
        for n, s in zip(needs, shortfalls, strict=True)
    ]
