"""Recommending a clinic by expected total time, with hand-computed cases."""

import pytest

from onedata.clinics import ranking
from onedata.clinics.ranking import Option


def test_one_degree_along_the_equator_or_a_meridian_is_111_km():
    assert ranking.haversine_km(0, 0, 1, 0) == pytest.approx(111.195, abs=0.01)
    assert ranking.haversine_km(0, 0, 0, 1) == pytest.approx(111.195, abs=0.01)
    assert ranking.haversine_km(-8.65, 115.2, -8.65, 115.2) == 0


def test_denpasar_to_ubud_is_about_twenty_km():
    # Puputan square to Ubud palace: about 20 km in a straight line.
    assert ranking.haversine_km(-8.6563, 115.2176, -8.5069, 115.2625) == pytest.approx(
        17.3, abs=0.5
    )


def test_travel_is_road_distance_at_town_speed_plus_parking():
    # 10 km x 1.3 = 13 km of road at 25 km/h = 31.2 minutes, + 5 minutes parking.
    assert ranking.travel_minutes(10) == pytest.approx(36.2)


def test_a_farther_clinic_with_no_queue_beats_a_near_one_with_a_long_queue():
    near_busy = Option(key=1, distance_km=2, wait_minutes=30, has_quota=True)  # 11.24 + 30
    far_empty = Option(key=2, distance_km=10, wait_minutes=0, has_quota=True)  # 36.2
    nearest_full = Option(key=3, distance_km=1, wait_minutes=0, has_quota=False)
    ranked = ranking.rank([near_busy, far_empty, nearest_full])
    assert [r.key for r in ranked] == [2, 1, 3]
    assert ranked[0].total_minutes == pytest.approx(36.2)
    assert ranked[1].total_minutes == pytest.approx(41.24)


def test_without_a_location_the_shortest_wait_comes_first():
    ranked = ranking.rank(
        [
            Option(key=1, distance_km=None, wait_minutes=20, has_quota=True),
            Option(key=2, distance_km=None, wait_minutes=5, has_quota=True),
        ]
    )
    assert [r.key for r in ranked] == [2, 1]
    assert ranked[0].travel_minutes is None
