"""Distances on the Earth and geofences. Pure Python."""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass

from onedata.core.geo import EARTH_RADIUS_M, haversine_m  # noqa: F401 - used here and re-exported


def valid_point(lat: float, lon: float) -> bool:
    return (
        isinstance(lat, int | float)
        and isinstance(lon, int | float)
        and math.isfinite(lat)
        and math.isfinite(lon)
        and -90 <= lat <= 90
        and -180 <= lon <= 180
    )


@dataclass(frozen=True)
class Fence:
    key: object  # whatever the caller uses to name the location (a primary key)
    lat: float
    lon: float
    radius_m: float


@dataclass(frozen=True)
class FenceMatch:
    key: object
    distance_m: float
    inside: bool


def inside(distance_m: float, radius_m: float) -> bool:
    """On the boundary counts as inside."""
    return distance_m <= radius_m


def nearest_fence(lat: float, lon: float, fences: Iterable[Fence]) -> FenceMatch | None:
    """The fence the point is inside (the closest such one), else the closest fence."""
    best: FenceMatch | None = None
    for fence in fences:
        d = haversine_m(lat, lon, fence.lat, fence.lon)
        match = FenceMatch(fence.key, d, inside(d, fence.radius_m))
        if best is None or (match.inside, -match.distance_m) > (best.inside, -best.distance_m):
            best = match
    return best
