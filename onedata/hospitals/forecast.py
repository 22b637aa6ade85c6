"""Oxygen demand and run-out forecast for one hospital. Pure: no Django, plain inputs.

The model, step by step (every quantity is m3 of gas, see ``units.py``):

1. **Patient model.** Demand per day = sum over severities of patients x flow (L/min)
   x 1,440 min / 1,000. WHO planning defaults: severe 10 L/min, critical (high-flow)
   30 L/min; moderate 5 L/min and ventilated 30 L/min here, all configurable
   (``FlowRates``).
2. **Observed use.** Between two reports: previous stock + deliveries received + on-site
   generation - current stock, per day. Intervals shorter than ``MIN_INTERVAL_HOURS`` are
   ignored (reading noise dominates them).
3. **Blend.** demand = w x observed + (1 - w) x patient model, where w grows with the
   number of recent intervals (0.3 each, at most 0.8) and shrinks with their
   inconsistency (times 1 - coefficient of variation). No recent intervals, or a
   negative mean (stock rose without a recorded delivery), gives w = 0.
4. **Trend.** Patients on oxygen over the last ``TREND_DAYS`` days are fitted with
   exponential growth (least squares on the logarithm); the band is the growth rate
   +- 1.96 standard errors. With fewer than three reports the growth is 0 with a band of
   +-``DEFAULT_GROWTH_BAND`` per day. Demand at time t (days) = D0 x exp(g t).
5. **Run-out.** Stock(t) = stock + generation x t + scheduled deliveries - cumulative
   demand; the first t where it reaches 0 within the horizon (linear interpolation on an
   hourly grid). The low band uses the high growth rate and the high band the low one.
6. **Stale.** When the last report is older than ``stale_after_hours`` the forecast is
   flagged ``stale`` and everything is computed from the report time and then moved to
   now (the stock shown is the stock projected to now, never the old reading as if current).
7. **Status** (the Ministry's categories): critical < 12 h, warning < 24 h, watch < 48 h,
   otherwise safe (including "does not run out within the horizon").
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from datetime import datetime, timedelta

import numpy as np

from onedata.hospitals.units import flow_to_m3_per_day

SEVERITIES = ("moderate", "severe", "critical", "ventilated")
MIN_INTERVAL_HOURS = 2.0
OBSERVED_WINDOW_DAYS = 3.0
TREND_DAYS = 7.0
DEFAULT_GROWTH_BAND = 0.05
MAX_GROWTH = 0.5
THRESHOLDS = (("critical", 12.0), ("warning", 24.0), ("watch", 48.0))
STATUS_ORDER = ("safe", "watch", "warning", "critical")


@dataclass(frozen=True)
class FlowRates:
    """Oxygen flow per patient by severity, in litres of gas per minute."""

    moderate: float = 5.0
    severe: float = 10.0
    critical: float = 30.0
    ventilated: float = 30.0

    def m3_per_day(self, patients: dict[str, int]) -> float:
        return sum(
            flow_to_m3_per_day(getattr(self, severity)) * max(0, patients.get(severity, 0))
            for severity in SEVERITIES
        )


@dataclass(frozen=True)
class Snapshot:
    """One report: stock at a time, deliveries received since the previous report."""

    at: datetime
    stock_m3: float
    delivered_m3: float = 0.0
    patients: dict[str, int] = field(default_factory=dict)

    @property
    def patient_total(self) -> int:
        return sum(max(0, self.patients.get(s, 0)) for s in SEVERITIES)


@dataclass(frozen=True)
class Forecast:
    stock_m3: float
    demand_m3_per_day: float
    model_demand_m3_per_day: float
    observed_demand_m3_per_day: float | None
    observed_weight: float
    generation_m3_per_day: float
    growth_per_day: float
    growth_band: float
    demand_by_day: list[float]
    hours_left: float | None  # None: does not run out within the horizon
    hours_left_low: float | None
    hours_left_high: float | None
    runout_at: datetime | None
    status: str
    stale: bool
    report_age_hours: float
    horizon_days: int


def status_for(hours_left: float | None) -> str:
    if hours_left is None:
        return "safe"
    for name, limit in THRESHOLDS:
        if hours_left < limit:
            return name
    return "safe"


def observed_rates(snapshots: list[Snapshot], generation_m3_per_day: float) -> list[tuple]:
    """(interval length in days, use per day, end time) for each pair of reports."""
    rates = []
    for before, after in zip(snapshots, snapshots[1:], strict=False):
        days = (after.at - before.at).total_seconds() / 86400
        if days * 24 < MIN_INTERVAL_HOURS:
            continue
        used = before.stock_m3 + after.delivered_m3 + generation_m3_per_day * days - after.stock_m3
        rates.append((days, used / days, after.at))
    return rates


def blend_weight(rates: list[float]) -> float:
    if not rates:
        return 0.0
    mean = sum(rates) / len(rates)
    if mean <= 0:
        return 0.0
    spread = math.sqrt(sum((r - mean) ** 2 for r in rates) / len(rates))
    consistency = max(0.0, 1.0 - spread / mean)
    return min(0.8, 0.3 * len(rates)) * consistency


def growth_rate(snapshots: list[Snapshot]) -> tuple[float, float]:
    """(growth per day, half-width of its 95 % band) from recent patient counts."""
    if not snapshots:
        return 0.0, DEFAULT_GROWTH_BAND
    last = snapshots[-1].at
    points = [
        ((s.at - last).total_seconds() / 86400, math.log(s.patient_total))
        for s in snapshots
        if s.patient_total > 0 and (last - s.at).total_seconds() <= TREND_DAYS * 86400
    ]
    if len(points) < 3:
        return 0.0, DEFAULT_GROWTH_BAND
    xs = np.array([p[0] for p in points])
    ys = np.array([p[1] for p in points])
    sxx = float(((xs - xs.mean()) ** 2).sum())
    if sxx <= 1e-9:
        return 0.0, DEFAULT_GROWTH_BAND
    slope = float(((xs - xs.mean()) * (ys - ys.mean())).sum() / sxx)
    residuals = ys - (ys.mean() + slope * (xs - xs.mean()))
    sigma2 = float((residuals**2).sum()) / (len(points) - 2)
    band = 1.96 * math.sqrt(sigma2 / sxx)
    slope = max(-MAX_GROWTH, min(MAX_GROWTH, slope))
    return slope, min(band, MAX_GROWTH)


def cumulative_demand(d0: float, growth: float, days):
    """Demand from 0 to t days when the rate is d0 x exp(growth t)."""
    days = np.asarray(days, dtype=float)
    if abs(growth) < 1e-9:
        return d0 * days
    return d0 * np.expm1(growth * days) / growth


def hours_until_runout(
    *,
    stock_m3: float,
    demand_m3_per_day: float,
    growth_per_day: float,
    generation_m3_per_day: float,
    horizon_hours: float,
    deliveries: list[tuple[float, float]] = (),
) -> float | None:
    """Hours until the stock reaches zero, or None when it lasts past the horizon.

    ``deliveries``: (hours from now, m3) expected to arrive.
    """
    if stock_m3 <= 0:
        return 0.0
    steps = max(1, int(math.ceil(horizon_hours)))
    hours = np.linspace(0.0, steps, steps + 1)
    days = hours / 24
    level = (
        stock_m3
        + generation_m3_per_day * days
        - cumulative_demand(demand_m3_per_day, growth_per_day, days)
    )
    for at_hour, amount in deliveries:
        level = level + np.where(hours >= at_hour, amount, 0.0)
    empty = np.nonzero(level <= 0)[0]
    if empty.size == 0:
        return None
    i = int(empty[0])
    if i == 0:
        return 0.0
    before, after = level[i - 1], level[i]
    fraction = before / (before - after) if before != after else 1.0
    hours_left = float(hours[i - 1] + fraction)
    return hours_left if hours_left <= horizon_hours else None


def forecast(
    snapshots: list[Snapshot],
    *,
    now: datetime,
    generation_m3_per_day: float = 0.0,
    rates: FlowRates | None = None,
    horizon_days: int = 7,
    stale_after_hours: float = 24.0,
    deliveries: list[tuple[float, float]] = (),
) -> Forecast:
    """The forecast from a hospital's reports (oldest first)."""
    if not snapshots:
        raise ValueError("at least one report is needed")
    rates = rates or FlowRates()
    snapshots = sorted(snapshots, key=lambda s: s.at)
    last = snapshots[-1]
    age_hours = max(0.0, (now - last.at).total_seconds() / 3600)
    model = rates.m3_per_day(last.patients)

    window_start = last.at - timedelta(days=OBSERVED_WINDOW_DAYS)
    recent = [r for r in observed_rates(snapshots, generation_m3_per_day) if r[2] > window_start][
        -3:
    ]
    observed = None
    weight = 0.0
    if recent:
        total_days = sum(r[0] for r in recent)
        observed = sum(r[0] * r[1] for r in recent) / total_days
        weight = blend_weight([r[1] for r in recent])
    demand = max(0.0, weight * (observed or 0.0) + (1 - weight) * model)

    growth, band = growth_rate(snapshots)
    horizon_hours = horizon_days * 24.0
    # From the report time, over the horizon plus the report's age; then moved to now.
    span = horizon_hours + age_hours
    shifted = [(h + age_hours, m3) for h, m3 in deliveries]

    def runout(g: float) -> float | None:
        found = hours_until_runout(
            stock_m3=last.stock_m3,
            demand_m3_per_day=demand,
            growth_per_day=g,
            generation_m3_per_day=generation_m3_per_day,
            horizon_hours=span,
            deliveries=shifted,
        )
        if found is None:
            return None
        return max(0.0, found - age_hours)

    hours_left = runout(growth)
    low = runout(growth + band)
    high = runout(growth - band)
    age_days = age_hours / 24
    stock_now = max(
        0.0,
        last.stock_m3
        + generation_m3_per_day * age_days
        - float(cumulative_demand(demand, growth, age_days)),
    )
    demand_now = demand * math.exp(growth * age_days)
    by_day = [
        float(
            cumulative_demand(demand_now, growth, k + 1) - cumulative_demand(demand_now, growth, k)
        )
        for k in range(horizon_days)
    ]
    return Forecast(
        stock_m3=stock_now,
        demand_m3_per_day=demand_now,
        model_demand_m3_per_day=model,
        observed_demand_m3_per_day=observed,
        observed_weight=weight,
        generation_m3_per_day=generation_m3_per_day,
        growth_per_day=growth,
        growth_band=band,
        demand_by_day=by_day,
        hours_left=hours_left,
        hours_left_low=low,
        hours_left_high=high,
        runout_at=now + timedelta(hours=hours_left) if hours_left is not None else None,
        status=status_for(hours_left),
        stale=age_hours > stale_after_hours,
        report_age_hours=age_hours,
        horizon_days=horizon_days,
    )


def cover_hours(stock_m3: float, net_demand_m3_per_day: float) -> float | None:
    """Hours a stock lasts at a constant net use; None when nothing is used."""
    if net_demand_m3_per_day <= 0:
        return None
    return max(0.0, stock_m3) / net_demand_m3_per_day * 24
