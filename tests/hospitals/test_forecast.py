"""The forecast on hand-computed cases: constant use, growth, deliveries, stale data."""

import math
from datetime import UTC, datetime, timedelta

import pytest

from onedata.hospitals import forecast as fc

NOW = datetime(2026, 7, 1, 12, 0, tzinfo=UTC)


def snap(hours_ago, stock, delivered=0.0, severe=10, **patients):
    return fc.Snapshot(
        at=NOW - timedelta(hours=hours_ago),
        stock_m3=stock,
        delivered_m3=delivered,
        patients={"severe": severe, **patients},
    )


def test_patient_model_uses_who_flow_rates():
    # 10 severe x 10 L/min + 2 critical x 30 L/min = 160 L/min = 230.4 m3/day.
    assert fc.FlowRates().m3_per_day({"severe": 10, "critical": 2}) == pytest.approx(230.4)


def test_flow_rates_are_configurable():
    rates = fc.FlowRates(moderate=2)
    assert rates.m3_per_day({"moderate": 10}) == pytest.approx(28.8)


def test_constant_use_from_one_report_runs_out_when_stock_divided_by_use():
    # 10 severe patients use 144 m3/day; 144 m3 last 24 h.
    result = fc.forecast([snap(0, 144)], now=NOW)
    assert result.demand_m3_per_day == pytest.approx(144)
    assert result.hours_left == pytest.approx(24, abs=1e-6)
    assert result.status == "watch"  # 24 h is not < 24 h
    assert result.runout_at == NOW + timedelta(hours=result.hours_left)
    assert result.hours_left_low < result.hours_left < result.hours_left_high
    assert not result.stale


def test_observed_use_is_blended_with_the_patient_model():
    # Stock falls 100 m3 a day for two days: observed 100/day, model 144/day.
    # Two consistent intervals: weight 0.6 -> 0.6 x 100 + 0.4 x 144 = 117.6 m3/day.
    reports = [snap(48, 300), snap(24, 200), snap(0, 100)]
    result = fc.forecast(reports, now=NOW)
    assert result.observed_demand_m3_per_day == pytest.approx(100)
    assert result.observed_weight == pytest.approx(0.6)
    assert result.demand_m3_per_day == pytest.approx(117.6)
    assert result.growth_per_day == pytest.approx(0)
    assert result.hours_left == pytest.approx(100 / 117.6 * 24, rel=1e-6)
    assert result.status == "warning"


def test_a_delivery_between_reports_counts_as_stock_received_not_negative_use():
    # 300 -> 250 with 50 delivered: 100 used in the day.
    rates = fc.observed_rates([snap(24, 300), snap(0, 250, delivered=50)], 0.0)
    assert rates[0][1] == pytest.approx(100)


def test_on_site_generation_lowers_the_net_use():
    # 144 m3/day used, a PSA makes 48 m3/day: 96 m3 last 24 h.
    result = fc.forecast([snap(0, 96)], now=NOW, generation_m3_per_day=48)
    assert result.hours_left == pytest.approx(24, abs=1e-6)


def test_growing_use_runs_out_earlier_than_constant_use():
    # Demand 100/day doubling every day: cumulative 100 (2^T - 1) / ln 2.
    # Stock 100 / ln 2 = 144.27 m3 runs out after exactly one day.
    hours = fc.hours_until_runout(
        stock_m3=100 / math.log(2),
        demand_m3_per_day=100,
        growth_per_day=math.log(2),
        generation_m3_per_day=0,
        horizon_hours=168,
    )
    assert hours == pytest.approx(24, abs=0.01)


def test_growth_is_fitted_on_recent_patient_counts():
    # 10, 12, 14.4 patients a day apart: growth ln 1.2 per day, exact fit.
    reports = [snap(48, 900, severe=10), snap(24, 800, severe=12), snap(0, 700, severe=14.4)]
    growth, band = fc.growth_rate(reports)
    assert growth == pytest.approx(math.log(1.2))
    assert band == pytest.approx(0, abs=1e-9)


def test_a_stale_report_is_flagged_and_its_stock_moved_to_now():
    # Last report 30 h old: 300 m3 at 144/day -> 120 m3 now, 50 h - 30 h = 20 h left.
    result = fc.forecast([snap(30, 300)], now=NOW)
    assert result.stale
    assert result.stock_m3 == pytest.approx(120)
    assert result.hours_left == pytest.approx(20, abs=1e-6)
    assert result.status == "warning"


def test_a_scheduled_delivery_extends_the_cover():
    # 144 m3 at 144/day, plus 144 m3 arriving at hour 12: 48 h.
    result = fc.forecast([snap(0, 144)], now=NOW, deliveries=[(12, 144)])
    assert result.hours_left == pytest.approx(48, abs=1e-6)


def test_stock_lasting_past_the_horizon_has_no_runout():
    result = fc.forecast([snap(0, 10_000)], now=NOW, horizon_days=7)
    assert result.hours_left is None
    assert result.runout_at is None
    assert result.status == "safe"


@pytest.mark.parametrize(
    ("hours", "status"),
    [
        (0, "critical"),
        (11.9, "critical"),
        (12, "warning"),
        (23.9, "warning"),
        (24, "watch"),
        (47.9, "watch"),
        (48, "safe"),
        (None, "safe"),
    ],
)
def test_status_follows_the_ministry_thresholds(hours, status):
    assert fc.status_for(hours) == status


def test_demand_by_day_sums_the_growing_rate():
    result = fc.forecast([snap(0, 10_000)], now=NOW, horizon_days=3)
    assert result.demand_by_day == pytest.approx([144, 144, 144])
