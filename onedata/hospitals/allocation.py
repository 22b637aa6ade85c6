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
# With lots: per m3 sent, rising with the lot's arrival; far below any shortfall cost (>= 1)
# yet above the solver's tolerance, so ties go to the earliest oxygen, later lots kept.
LOT_COST = 1e-5

BINDING = {
    "no_need": "uses no oxygen beyond its own generation",
    "already_covered": "already covered for the whole horizon",
    "capacity": "limited by its free storage",
    "min_cover": "raised to the common minimum cover",
    "horizon_met": "covered for the whole horizon",
    "supply": "the supply ran out before its need was met",
    "timing": "runs out before the first oxygen can reach it",
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
    lots: tuple = ()  # the supply by source and day (allocate_lots), else empty
    deliveries: tuple = ()  # Delivery rows: who gets what from which lot

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


# Supply by source and day ---------------------------------------------------------------


@dataclass(frozen=True)
class Lot:
    """Oxygen a source can send, arriving ``day`` days from now (0: now)."""

    source: str
    day: int
    amount_m3: float


@dataclass(frozen=True)
class Delivery:
    hospital_id: int
    source: str
    day: int
    amount_m3: float


def check_lots(lots: list[Lot], horizon_days: int) -> None:
    if not lots:
        raise ValueError("at least one lot is needed")
    for lot in lots:
        if not lot.source.strip():
            raise ValueError("every lot needs a source")
        if not 0 <= lot.day < horizon_days or int(lot.day) != lot.day:
            raise ValueError("a lot's day must be a whole day within the horizon")
        if lot.amount_m3 < 0 or not np.isfinite(lot.amount_m3):
            raise ValueError("a lot's amount must be a finite number >= 0")


def _csc(num_col: int, rows, cols, values):
    """Column-wise sparse arrays (start, index, value) from triplets."""
    rows = np.asarray(rows, dtype=np.int32)
    cols = np.asarray(cols, dtype=np.int64)
    values = np.asarray(values, dtype=float)
    order = np.lexsort((rows, cols))
    counts = np.bincount(cols, minlength=num_col)
    start = np.concatenate([[0], np.cumsum(counts)]).astype(np.int32)
    return start, rows[order], values[order]


def _run(num_col, cost, col_lower, col_upper, row_lower, row_upper, triplets):
    import highspy

    lp = highspy.HighsLp()
    lp.num_col_ = num_col
    lp.num_row_ = len(row_lower)
    lp.col_cost_ = np.asarray(cost, dtype=float)
    lp.col_lower_ = np.asarray(col_lower, dtype=float)
    lp.col_upper_ = np.asarray(col_upper, dtype=float)
    lp.row_lower_ = np.asarray(row_lower, dtype=float)
    lp.row_upper_ = np.asarray(row_upper, dtype=float)
    start, index, value = _csc(num_col, *triplets)
    lp.a_matrix_.format_ = highspy.MatrixFormat.kColwise
    lp.a_matrix_.start_ = start
    lp.a_matrix_.index_ = index
    lp.a_matrix_.value_ = value
    return lp


class _Triplets:
    def __init__(self):
        self.rows, self.cols, self.values = [], [], []

    def add(self, rows, cols, value=1.0):
        rows = np.atleast_1d(np.asarray(rows))
        cols = np.atleast_1d(np.asarray(cols))
        rows, cols = np.broadcast_arrays(rows, cols)
        self.rows.append(rows.ravel())
        self.cols.append(cols.ravel())
        self.values.append(np.broadcast_to(np.asarray(value, dtype=float), rows.shape).ravel())

    def arrays(self):
        if not self.rows:
            return np.zeros(0), np.zeros(0), np.zeros(0)
        return (np.concatenate(self.rows), np.concatenate(self.cols), np.concatenate(self.values))


def build_max_min_lp(stocks, demands, frees, lot_hours, amounts, start, end):
    """Stage 1 with lots, for the run-out time T within [start, end] (hours): only the lots
    arriving by ``start`` count. Columns: x_il (lot l to hospital i, l-major), then T.
    Rows: each lot's amount; before each arrival, stock + earlier lots >= use so far (no
    run-out before it); after each arrival, the stock fits the storage; at T, stock +
    lots >= use. Maximise T."""
    import highspy

    n = len(stocks)
    usable = [j for j, h in enumerate(lot_hours) if h <= start + 1e-9]
    m = len(usable)
    times = sorted({lot_hours[j] for j in usable})
    inf = highspy.kHighsInf
    trip = _Triplets()
    row_lower, row_upper = [], []
    hospitals = np.arange(n)
    for k, j in enumerate(usable):  # lot rows
        trip.add(len(row_lower), k * n + hospitals)
        row_lower.append(-inf)
        row_upper.append(amounts[j])
    for tau in times:
        if tau > 0:  # no run-out before this arrival
            base = len(row_lower)
            for k, j in enumerate(usable):
                if lot_hours[j] < tau:
                    trip.add(base + hospitals, k * n + hospitals)
            row_lower.extend(demands * tau / 24 - stocks)
            row_upper.extend([inf] * n)
        base = len(row_lower)  # the stock after the arrival fits the storage
        for k, j in enumerate(usable):
            if lot_hours[j] <= tau:
                trip.add(base + hospitals, k * n + hospitals)
        row_lower.extend([-inf] * n)
        row_upper.extend(frees + demands * tau / 24)
    base = len(row_lower)  # covered until T: sum x - d T / 24 >= -stock
    for k in range(m):
        trip.add(base + hospitals, k * n + hospitals)
    trip.add(base + hospitals, m * n, -demands / 24)
    row_lower.extend(-stocks)
    row_upper.extend([inf] * n)
    num_col = m * n + 1
    cost = np.zeros(num_col)
    cost[-1] = -1.0
    lower = np.zeros(num_col)
    upper = np.full(num_col, inf)
    lower[-1], upper[-1] = start, end
    return _run(num_col, cost, lower, upper, row_lower, row_upper, trip.arrays())


def max_min_cover_lots(stocks, demands, frees, lot_hours, amounts, horizon_hours) -> float:
    """Stage 1: the latest time T (hours, at most the horizon) that every hospital can be
    kept from running out. Feasibility falls with T, so the segments between arrivals are
    tried in order and the first whose LP stops inside it holds the optimum."""
    bounds = sorted({0.0, horizon_hours, *[h for h in lot_hours if h < horizon_hours]})
    best = 0.0
    for start, end in zip(bounds, bounds[1:], strict=False):
        status, solution = solve_lp(
            build_max_min_lp(stocks, demands, frees, lot_hours, amounts, start, end)
        )
        if status != "optimal":
            break
        best = float(solution[-1])
        if best < end - 1e-7 * max(1.0, end):
            break
    return min(best, horizon_hours)


def build_lots_lp(stocks, demands, frees, weights, lot_hours, amounts, horizon_hours, floor):
    """Stage 2 with lots. Time is cut at the status bands' edges, the arrivals, the
    common minimum cover ``floor`` and the horizon. Columns: x_il (l-major), then u_ip,
    the demand of hospital i not met in period p (no more than its use in the period;
    none before ``floor``). Rows: each lot's amount; at the end of each period, stock +
    lots arrived + unmet >= use so far; after each arrival, the stock (unmet demand
    leaves it at zero, never below) fits the storage. Cost: unmet demand by band x the
    hospital's weight; a tiny cost per m3 sent, larger for later lots (use the earliest
    oxygen; keep later oxygen in reserve)."""
    import highspy

    n = len(stocks)
    L = len(lot_hours)
    edges = [e for e in BAND_EDGES if e < horizon_hours]
    cuts = sorted(
        {
            *edges,
            horizon_hours,
            *[h for h in lot_hours if h < horizon_hours],
            *([floor] if 0 < floor < horizon_hours else []),
        }
    )
    periods = list(zip(cuts, cuts[1:], strict=False))
    P = len(periods)
    inf = highspy.kHighsInf
    hospitals = np.arange(n)
    trip = _Triplets()
    row_lower, row_upper = [], []

    def x_col(lot):
        return lot * n + hospitals

    def u_col(p):
        return L * n + p * n + hospitals

    for lot in range(L):
        trip.add(len(row_lower), x_col(lot))
        row_lower.append(-inf)
        row_upper.append(amounts[lot])
    for p, (a, b) in enumerate(periods):
        base = len(row_lower) + hospitals
        for lot in range(L):
            if lot_hours[lot] <= a + 1e-9:
                trip.add(base, x_col(lot))
        for q in range(p + 1):
            trip.add(base, u_col(q))
        row_lower.extend(demands * b / 24 - stocks)
        row_upper.extend([inf] * n)
    for tau in sorted(set(lot_hours)):
        base = len(row_lower) + hospitals
        for lot in range(L):
            if lot_hours[lot] <= tau:
                trip.add(base, x_col(lot))
        for q, (_a, b) in enumerate(periods):
            if b <= tau + 1e-9:
                trip.add(base, u_col(q))
        row_lower.extend([-inf] * n)
        row_upper.extend(frees + demands * tau / 24)
    cost_parts, upper_parts = [], []
    for lot in range(L):
        cost_parts.append(np.full(n, LOT_COST * (1 + lot_hours[lot] / horizon_hours)))
        upper_parts.append(np.full(n, inf))
    band_cost = dict(zip(BAND_EDGES, BAND_COSTS, strict=True))
    for a, b in periods:
        edge = max(e for e in BAND_EDGES if e <= a + 1e-9)
        cost_parts.append(weights * band_cost[edge])
        width = demands * (b - a) / 24
        upper_parts.append(np.zeros(n) if b <= floor + 1e-9 else width)
    num_col = (L + P) * n
    return (
        _run(
            num_col,
            np.concatenate(cost_parts),
            np.zeros(num_col),
            np.concatenate(upper_parts),
            row_lower,
            row_upper,
            trip.arrays(),
        ),
        periods,
    )


def run_out_hours(stock: float, demand: float, arrivals: list[tuple[float, float]]) -> float | None:
    """Hours until the stock first reaches zero with these (hour, m3) arrivals; past the
    last arrival the stock lasts at the same use. None when nothing is used."""
    if demand <= 0:
        return None
    level, now = max(0.0, stock), 0.0
    for hour, amount in sorted(arrivals):
        if amount <= 0:
            continue
        level -= demand * (hour - now) / 24
        if level < -1e-9:
            return hour + level * 24 / demand
        level = max(0.0, level) + amount
        now = hour
    return now + level * 24 / demand


def allocate_lots(needs: list[Need], lots: list[Lot], horizon_days: int = 7) -> Plan:
    """The plan for supply that comes from several sources on several days: how much each
    hospital gets from each lot. Same two stages as ``allocate``, over time: no lot is
    sent before it arrives or above its amount, no hospital ever holds more than its
    storage, and the time until the first hospital runs out is as late as it can be.
    When every lot arrives now, this is ``allocate`` with the lots' sum, split by lot."""
    if horizon_days <= 0:
        raise ValueError("horizon must be > 0")
    check_lots(lots, horizon_days)
    merged: dict[tuple[str, int], float] = {}
    for lot in lots:  # one lot per source and day
        key = (lot.source.strip(), int(lot.day))
        merged[key] = merged.get(key, 0.0) + float(lot.amount_m3)
    lots = [Lot(source, day, amount) for (source, day), amount in merged.items()]
    supply = float(sum(lot.amount_m3 for lot in lots))
    horizon_hours = horizon_days * 24.0
    if all(lot.day == 0 for lot in lots):
        plan = allocate(needs, supply, horizon_days)
        deliveries = _split_now(plan, lots)
        return Plan(**{**plan.__dict__, "lots": tuple(lots), "deliveries": tuple(deliveries)})
    needy_index = [i for i, n in enumerate(needs) if n.demand_m3_per_day > 0]
    needy = [needs[i] for i in needy_index]
    lines = [Line(n.hospital_id, 0.0, None, None, 0.0, "no_need") for n in needs]
    if not needy:
        return Plan(supply, horizon_days, None, lines, supply, "no_demand", tuple(lots), ())
    stocks = np.array([max(0.0, x.stock_m3) for x in needy])
    demands = np.array([x.demand_m3_per_day for x in needy])
    frees = np.array([max(0.0, x.free_capacity_m3) for x in needy])
    weights = np.array([max(0.0, x.weight) for x in needy])
    lot_hours = [24.0 * lot.day for lot in lots]
    amounts = np.array([lot.amount_m3 for lot in lots])
    n = len(needy)
    floor = max_min_cover_lots(stocks, demands, frees, lot_hours, amounts, horizon_hours)
    x = np.zeros((len(lots), n))
    unmet = np.maximum(0.0, demands * horizon_days - stocks)
    status = "no_supply"
    if supply > 0:
        for slack in (1e-8, 1e-6, 1e-4):  # the floor, a hair under stage 1's optimum
            lp, periods = build_lots_lp(
                stocks,
                demands,
                frees,
                weights,
                lot_hours,
                amounts,
                horizon_hours,
                floor - slack * max(1.0, floor),
            )
            status, solution = solve_lp(lp)
            if status == "optimal":
                break
        else:
            return Plan(supply, horizon_days, None, lines, supply, status, tuple(lots), ())
        x = np.clip(solution[: len(lots) * n].reshape(len(lots), n), 0.0, None)
        x[x < TOLERANCE] = 0.0
        for k in range(len(lots)):  # the solver's tolerance must never show as over a lot
            total = x[k].sum()
            if total > amounts[k]:
                x[k] *= amounts[k] / total
        unmet = np.clip(solution[len(lots) * n :].reshape(len(periods), n), 0.0, None).sum(0)
    deliveries = []
    first_arrival = min(lot_hours)
    for j, (i, need) in enumerate(zip(needy_index, needy, strict=True)):
        arrivals = [(lot_hours[k], float(x[k, j])) for k in range(len(lots))]
        amount = float(x[:, j].sum())
        before = cover(float(stocks[j]), float(demands[j]))
        after = run_out_hours(float(stocks[j]), float(demands[j]), arrivals)
        shortfall = float(unmet[j]) if unmet[j] > TOLERANCE else 0.0
        full = _fills_storage(stocks[j], demands[j], frees[j], arrivals)
        if before >= horizon_hours - TOLERANCE and amount == 0:
            binding = "already_covered"
        elif shortfall <= 1e-4:
            binding = "horizon_met"
        elif full:
            binding = "capacity"
        elif after < first_arrival - 1e-6:
            binding = "timing"
        elif amount > 0 and abs(after - floor) <= max(1e-2, floor * 1e-4):
            binding = "min_cover"
        else:
            binding = "supply"
        lines[i] = Line(need.hospital_id, amount, before, after, shortfall, binding)
        for k, lot in enumerate(lots):
            if x[k, j] > 0:
                deliveries.append(Delivery(need.hospital_id, lot.source, lot.day, float(x[k, j])))
    allocated = float(x.sum())
    min_cover = min(line.cover_hours_after for line in lines if line.cover_hours_after is not None)
    return Plan(
        supply,
        horizon_days,
        min_cover,
        lines,
        max(0.0, supply - allocated),
        status,
        tuple(lots),
        tuple(deliveries),
    )


def _fills_storage(stock, demand, free, arrivals) -> bool:
    """Whether some arrival fills the hospital's storage (to 1 litre of gas)."""
    level, now = stock, 0.0
    for hour, amount in sorted(arrivals):
        level = max(0.0, level - demand * (hour - now) / 24)
        now = hour
        if amount > 0:
            level += amount
            if level >= stock + free - 1e-3:
                return True
    return False


def _split_now(plan: Plan, lots: list[Lot]) -> list[Delivery]:
    """Lots that all arrive now: each hospital's amount is taken from the lots in order."""
    left = [lot.amount_m3 for lot in lots]
    deliveries = []
    for line in plan.lines:
        need = line.amount_m3
        for k, lot in enumerate(lots):
            if need <= TOLERANCE:
                break
            take = min(need, left[k])
            if take > TOLERANCE:
                deliveries.append(Delivery(line.hospital_id, lot.source, lot.day, float(take)))
                left[k] -= take
                need -= take
    return deliveries
