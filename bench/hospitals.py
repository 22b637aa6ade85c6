"""Oxygen forecast and allocation for 70 (Bali), 3,000 (Indonesia) and 10,000 synthetic
hospitals, against baselines measured in the same run.

Pure computation (``onedata.hospitals.forecast`` and ``allocation``): no database, no
server. Figures per size N:

- ``n<N>.allocation.wall``: our full ``allocate()`` call (stage 1 water-filling, stage 2
  LP built and solved by HiGHS, each line explained), in ms; baseline: the bare HiGHS
  ``run()`` of the same stage-2 LP, model already passed in. The ratio is our overhead.
- ``n<N>.allocation.min_cover``: the worst-off hospital's hours of cover after our plan;
  baseline: the same supply shared pro rata to each hospital's shortfall (capped at its
  free storage). More is better.
- ``n<N>.allocation_lots.wall``: our full ``allocate_lots()`` call for supply by source
  and day (four lots from two suppliers on days 0, 1 and 3: stage 1 segment LPs, stage 2
  LP over time, each line and delivery explained), in ms; baseline: the bare HiGHS
  ``run()`` of the same stage-2 LP, model already passed in.
- ``n<N>.allocation_lots.min_cover``: the worst-off hospital's hours of cover (to the
  first run-out, deliveries counted) after our plan; baseline: each lot shared pro rata
  to the hospitals' shortfall on its arrival day (capped at free storage). More is better.
- ``n<N>.forecast.all``: the forecast of every hospital from 16 reports each (blend,
  trend fit, run-out with its band), in ms; baseline: the spreadsheet rule (stock /
  patient-model demand for each hospital, no observed use, trend or band).

Knobs: BENCH_HOSPITAL_SIZES ("70,3000,10000"), BENCH_REPEAT (3: best of).
"""

from __future__ import annotations

import os
import random
import sys
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import numpy as np  # noqa: E402
from _harness import emit, note  # noqa: E402

from onedata.hospitals import allocation, forecast  # noqa: E402

BENCH = "hospitals"
NOW = datetime(2026, 7, 1, 12, tzinfo=UTC)


def best_of(repeat: int, run) -> tuple[float, object]:
    best, answer = float("inf"), None
    for _ in range(repeat):
        start = time.perf_counter()
        answer = run()
        best = min(best, time.perf_counter() - start)
    return best * 1000, answer


def synthetic(n: int, rng: random.Random):
    needs, histories = [], []
    for i in range(n):
        demand = rng.uniform(50, 2000)
        stock = demand * rng.uniform(0.05, 4)
        capacity = stock + demand * rng.uniform(3, 8)
        needs.append(
            allocation.Need(
                hospital_id=i,
                stock_m3=stock,
                demand_m3_per_day=demand,
                free_capacity_m3=capacity - stock,
                weight=rng.uniform(1, 3),
            )
        )
        patients = rng.randint(5, 80)
        growth = rng.uniform(-0.02, 0.06)
        level = stock + 15 * demand / 2
        snaps = []
        for k in range(16):
            count = patients * (1 + growth) ** (k / 2)
            snaps.append(
                forecast.Snapshot(
                    at=NOW - timedelta(hours=12 * (15 - k) + 1),
                    stock_m3=max(0.0, level),
                    patients={
                        "moderate": round(count * 0.5),
                        "severe": round(count * 0.3),
                        "critical": round(count * 0.2),
                    },
                )
            )
            level -= demand / 2 * rng.uniform(0.9, 1.1)
        histories.append(snaps)
    return needs, histories


def min_cover(needs, amounts, horizon_hours):
    return min(
        min(horizon_hours, (n.stock_m3 + x) * 24 / n.demand_m3_per_day)
        for n, x in zip(needs, amounts, strict=True)
    )


def pro_rata_lots_min_cover(needs, lots, horizon) -> float:
    """Each lot shared on its day in proportion to what each hospital still lacks over the
    horizon, capped at its free storage then; the worst first run-out (hours)."""
    level = [max(0.0, n.stock_m3) for n in needs]
    arrivals = [[] for _ in needs]
    now = 0.0
    for day in sorted({lot.day for lot in lots}):
        hour = 24.0 * day
        level = [
            max(0.0, x - n.demand_m3_per_day * (hour - now) / 24)
            for x, n in zip(level, needs, strict=True)
        ]
        now = hour
        amount = sum(lot.amount_m3 for lot in lots if lot.day == day)
        lack = [
            max(0.0, n.demand_m3_per_day * (horizon - day) - x)
            for x, n in zip(level, needs, strict=True)
        ]
        total = sum(lack)
        for i, n in enumerate(needs):
            if total <= 0:
                break
            room = max(0.0, n.stock_m3 + n.free_capacity_m3 - level[i])
            give = min(room, amount * lack[i] / total)
            level[i] += give
            arrivals[i].append((hour, give))
    return min(
        min(
            horizon * 24.0,
            allocation.run_out_hours(n.stock_m3, n.demand_m3_per_day, arrivals[i]),
        )
        for i, n in enumerate(needs)
    )


def main() -> None:
    sizes = [int(s) for s in os.environ.get("BENCH_HOSPITAL_SIZES", "70,3000,10000").split(",")]
    repeat = int(os.environ.get("BENCH_REPEAT", "3"))
    horizon = 7
    rng = random.Random(2026)
    import highspy

    # HiGHS prints its banner on stdout once per process: keep it out of the figures.
    sys.stdout.flush()
    saved = os.dup(1)
    with open(os.devnull, "w") as devnull:
        os.dup2(devnull.fileno(), 1)
        highspy.Highs()
        os.dup2(saved, 1)
    os.close(saved)

    for n in sizes:
        needs, histories = synthetic(n, rng)
        # The province can send a third of what all hospitals lack over the horizon.
        lacking = sum(max(0.0, x.demand_m3_per_day * horizon - x.stock_m3) for x in needs)
        supply = lacking / 3
        wall, plan = best_of(
            repeat, lambda needs=needs, supply=supply: allocation.allocate(needs, supply, horizon)
        )
        floor = allocation.max_min_cover(needs, supply, horizon * 24)
        lp = allocation.build_lp(needs, supply, horizon, floor)

        def bare(lp=lp):
            solver = highspy.Highs()
            solver.setOptionValue("output_flag", False)
            solver.passModel(lp)
            start = time.perf_counter()
            solver.run()
            return time.perf_counter() - start

        bare_ms = min(bare() for _ in range(repeat)) * 1000
        emit(BENCH, f"n{n}.allocation.wall", wall, bare_ms, "ms")
        naive = allocation.naive_pro_rata(needs, supply, horizon)
        ours = min(min(horizon * 24, line.cover_hours_after) for line in plan.lines)
        emit(
            BENCH,
            f"n{n}.allocation.min_cover",
            ours,
            min_cover(needs, naive, horizon * 24),
            "hours",
        )
        assert plan.allocated_m3 <= supply + 1e-6

        lots = [
            allocation.Lot("Samator", 0, supply * 0.25),
            allocation.Lot("Samator", 1, supply * 0.25),
            allocation.Lot("Aneka Gas", 1, supply * 0.2),
            allocation.Lot("Aneka Gas", 3, supply * 0.3),
        ]
        wall_lots, plan_lots = best_of(
            repeat, lambda needs=needs, lots=lots: allocation.allocate_lots(needs, lots, horizon)
        )
        stocks = np.array([x.stock_m3 for x in needs])
        demands = np.array([x.demand_m3_per_day for x in needs])
        frees = np.array([x.free_capacity_m3 for x in needs])
        weights = np.array([x.weight for x in needs])
        hours = [24.0 * lot.day for lot in lots]
        amounts = np.array([lot.amount_m3 for lot in lots])
        floor_lots = allocation.max_min_cover_lots(
            stocks, demands, frees, hours, amounts, horizon * 24
        )
        lp_lots, _periods = allocation.build_lots_lp(
            stocks, demands, frees, weights, hours, amounts, horizon * 24, floor_lots - 1e-8
        )
        bare_lots_ms = min(bare(lp_lots) for _ in range(repeat)) * 1000
        emit(BENCH, f"n{n}.allocation_lots.wall", wall_lots, bare_lots_ms, "ms")
        ours_lots = min(
            min(horizon * 24, line.cover_hours_after)
            for line in plan_lots.lines
            if line.cover_hours_after is not None
        )
        emit(
            BENCH,
            f"n{n}.allocation_lots.min_cover",
            ours_lots,
            pro_rata_lots_min_cover(needs, lots, horizon),
            "hours",
        )

        rates = forecast.FlowRates()

        def ours_forecast(histories=histories, rates=rates):
            return [forecast.forecast(h, now=NOW, rates=rates) for h in histories]

        def spreadsheet(histories=histories, rates=rates):
            return [
                forecast.cover_hours(h[-1].stock_m3, rates.m3_per_day(h[-1].patients))
                for h in histories
            ]

        ours_ms, _ = best_of(repeat, ours_forecast)
        sheet_ms, _ = best_of(repeat, spreadsheet)
        emit(BENCH, f"n{n}.forecast.all", ours_ms, sheet_ms, "ms")
        note(f"n={n}: plan {plan.solver_status}, min cover {ours:.1f} h")


if __name__ == "__main__":
    main()
