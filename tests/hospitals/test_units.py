"""One unit inside: every quantity as m3 of gas, against hand-computed values."""

import pytest

from onedata.hospitals import units


def test_litres_of_liquid_become_m3_of_gas():
    assert units.liquid_litres_to_m3(1000) == pytest.approx(861.0)


def test_kilograms_become_m3_of_gas():
    assert units.kg_to_m3(1000) == pytest.approx(754.0)


def test_a_tank_level_in_percent_is_a_share_of_its_capacity():
    # 50 % of a 10,000 L tank = 5,000 L of liquid = 4,305 m3 of gas.
    assert units.liquid_to_m3(50, "percent", 10_000) == pytest.approx(4305.0)


def test_cylinders_count_by_their_type_volume():
    volumes = units.DEFAULT_CYLINDERS
    # 10 small (1) + 5 medium (2) + 3 large (6) = 10 + 10 + 18 = 38 m3.
    assert units.cylinders_to_m3({"small": 10, "medium": 5, "large": 3}, volumes) == 38.0


def test_a_flow_of_ten_litres_a_minute_is_14_4_m3_a_day():
    assert units.flow_to_m3_per_day(10) == pytest.approx(14.4)


@pytest.mark.parametrize(("value", "unit"), [(-1, "kg"), (101, "percent"), (5, "gallon")])
def test_impossible_readings_are_refused(value, unit):
    with pytest.raises(ValueError):
        units.liquid_to_m3(value, unit, 1000)
