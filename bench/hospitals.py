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
