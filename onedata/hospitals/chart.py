"""A small inline SVG chart: stock history, then the forecast with its band. Pure."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from onedata.hospitals import forecast as fc

WIDTH, HEIGHT, PAD, LEFT = 640, 240, 36, 56


@dataclass
class Chart:
    width: int
    height: int
    history: str
    central: str
    low: str
    high: str
    now_x: float
    y_ticks: list[tuple[float, str]]
    x_ticks: list[tuple[float, str]]


def _stock_path(stock, d0, growth, generation, hours):
    points = []
    for h in hours:
        days = h / 24
        level = stock + generation * days - float(fc.cumulative_demand(d0, growth, days))
        points.append((h, max(0.0, level)))
        if level <= 0:
            break
    return points


def build(
    history: list[tuple[datetime, float]],
    forecast: fc.Forecast | None,
    *,
    now: datetime,
    ahead_days: int = 3,
    tz=None,
) -> Chart | None:
    if not history:
        return None
    start = min(t for t, _ in history)
    end = now + timedelta(days=ahead_days)
    span = max(1.0, (end - start).total_seconds())
    hours = [h for h in range(0, ahead_days * 24 + 1, 2)]
    central = low = high = []
    if forecast is not None:
        growth, spread = forecast.growth_per_day, forecast.growth_band
        args = (forecast.stock_m3, forecast.demand_m3_per_day)
        gen = forecast.generation_m3_per_day
        central = _stock_path(*args, growth, gen, hours)
        low = _stock_path(*args, growth + spread, gen, hours)
        high = _stock_path(*args, growth - spread, gen, hours)
    top = max([s for _, s in history] + [s for _, s in central] + [1.0]) * 1.1

    def x(t: datetime) -> float:
        return LEFT + (WIDTH - LEFT - 16) * (t - start).total_seconds() / span

    def y(v: float) -> float:
        return HEIGHT - PAD + (-(HEIGHT - 2 * PAD)) * v / top

    def line(points):
        return " ".join(f"{x(now + timedelta(hours=h)):.1f},{y(v):.1f}" for h, v in points)

    y_ticks = [(y(top * k / 4), _short(top * k / 4)) for k in range(5)]
    x_ticks = []
    day = start.astimezone(tz) if tz else start
    day = day.replace(hour=0, minute=0, second=0, microsecond=0) + timedelta(days=1)
    step = max(1, int(span / 86400 / 6) + 1)
    while day < end:
        x_ticks.append((x(day), day.strftime("%d/%m")))
        day += timedelta(days=step)
    return Chart(
        width=WIDTH,
        height=HEIGHT,
        history=" ".join(f"{x(t):.1f},{y(v):.1f}" for t, v in sorted(history)),
        central=line(central),
        low=line(low),
        high=line(high),
        now_x=x(now),
        y_ticks=y_ticks,
        x_ticks=x_ticks,
    )


def _short(value: float) -> str:
    if value >= 1000:
        return f"{value / 1000:.1f}k"
    return f"{value:.0f}"
