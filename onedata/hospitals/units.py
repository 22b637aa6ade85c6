"""One unit inside: every oxygen quantity becomes m3 of gas. Pure, no Django.

Conversion factors for oxygen at 21 C and 1 atm (the figures used by WHO's oxygen
planning tools and Indonesian suppliers):
  1 litre of liquid oxygen -> 0.861 m3 of gas
  1 kg of oxygen           -> 0.754 m3 of gas
A liquid tank's level in % is a share of its capacity in litres of liquid.
"""

from __future__ import annotations

LITRE_LIQUID_TO_M3 = 0.861
KG_TO_M3 = 0.754

# Indonesian cylinder sizes by the gas they hold (m3); hospitals may add their own types.
DEFAULT_CYLINDERS = {"small": 1.0, "medium": 2.0, "large": 6.0}

LIQUID_UNITS = ("percent", "kg", "litre")


def liquid_litres_to_m3(litres: float) -> float:
    return litres * LITRE_LIQUID_TO_M3


def kg_to_m3(kg: float) -> float:
    return kg * KG_TO_M3


def liquid_to_m3(value: float, unit: str, capacity_litres: float = 0.0) -> float:
    """A liquid reading in %, kg or litres of liquid, as m3 of gas."""
    if value < 0:
        raise ValueError("negative quantity")
    if unit == "percent":
        if value > 100:
            raise ValueError("level above 100 %")
        return liquid_litres_to_m3(capacity_litres * value / 100.0)
    if unit == "kg":
        return kg_to_m3(value)
    if unit == "litre":
        return liquid_litres_to_m3(value)
    raise ValueError(f"unknown unit {unit!r}")


def liquid_to_litres(value: float, unit: str, capacity_litres: float = 0.0) -> float:
    """The same reading as litres of liquid (to compare with a tank's capacity)."""
    return liquid_to_m3(value, unit, capacity_litres) / LITRE_LIQUID_TO_M3


def cylinders_to_m3(counts: dict[str, int], volumes: dict[str, float]) -> float:
    """Full cylinders by type code, as m3 of gas."""
    total = 0.0
    for code, count in counts.items():
        if count < 0:
            raise ValueError("negative count")
        total += count * volumes[code]
    return total


def flow_to_m3_per_day(litres_per_minute: float) -> float:
    """A flow of gas in L/min, as m3 per day (x 1,440 min / 1,000 L)."""
    return litres_per_minute * 1440 / 1000
