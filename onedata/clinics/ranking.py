"""Recommending a clinic: pure computation, no Django.

Expected total time = travel (from the straight-line distance, by road, at town speed)
+ the estimated wait there. Clinics without a free number today come last; ties go to
the nearer clinic.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass

from onedata.core.geo import haversine_m

ROAD_FACTOR = 1.3  # roads are about a third longer than the straight line
SPEED_KMH = 25.0  # a motorbike in Bali's town traffic
PARKING_MINUTES = 5.0


def haversine_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance between two points, in kilometres."""
    return haversine_m(lat1, lon1, lat2, lon2) / 1000


def travel_minutes(distance_km: float) -> float:
    """A travel estimate: road distance at town speed, plus parking."""
    return distance_km * ROAD_FACTOR / SPEED_KMH * 60 + PARKING_MINUTES


@dataclass(frozen=True)
class Option:
    key: int
    distance_km: float | None  # None: the citizen gave no location
    wait_minutes: float
    has_quota: bool


@dataclass(frozen=True)
class Ranked:
    key: int
    travel_minutes: float | None
    total_minutes: float


def rank(options: Iterable[Option]) -> list[Ranked]:
    """Best first: clinics with quota, by expected total time, then distance, then key."""

    def total(option: Option) -> tuple[float | None, float]:
        travel = None if option.distance_km is None else travel_minutes(option.distance_km)
        return travel, (travel or 0.0) + option.wait_minutes

    scored = []
    for option in options:
        travel, minutes = total(option)
        scored.append((option, travel, minutes))
    scored.sort(
        key=lambda item: (
            not item[0].has_quota,
            round(item[2], 6),
            item[0].distance_km if item[0].distance_km is not None else math.inf,
            item[0].key,
        )
    )
    return [Ranked(option.key, travel, minutes) for option, travel, minutes in scored]
