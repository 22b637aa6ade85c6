"""Geofence distances (haversine) and the boundary."""

import math

from hypothesis import given
from hypothesis import strategies as st

from onedata.attendance.geo import Fence, haversine_m, nearest_fence, valid_point

OFFICE = (-8.6726, 115.2330)  # Kantor Gubernur Bali, Renon
METRES_PER_DEGREE_LAT = 2 * math.pi * 6_371_008.8 / 360  # 111,195 m


def test_one_degree_of_latitude_is_about_111_km():
    assert abs(haversine_m(0, 0, 1, 0) - METRES_PER_DEGREE_LAT) < 0.01


def test_renon_to_ngurah_rai_airport_is_about_11_km():
    # By hand: 0.0756 deg of latitude = 8,406 m; 0.0658 deg of longitude x cos(8.71 deg)
    # = 7,231 m; sqrt(8406^2 + 7231^2) = 11,088 m.
    assert 11_050 < haversine_m(*OFFICE, -8.7482, 115.1672) < 11_130


def test_the_boundary_of_the_radius_counts_as_inside():
    fence = Fence("kantor", *OFFICE, radius_m=100)
    north_100 = OFFICE[0] + 100 / METRES_PER_DEGREE_LAT
    north_101 = OFFICE[0] + 101 / METRES_PER_DEGREE_LAT
    at_edge = nearest_fence(north_100 - 1e-9, OFFICE[1], [fence])
    assert at_edge.inside and abs(at_edge.distance_m - 100) < 0.01
    outside = nearest_fence(north_101, OFFICE[1], [fence])
    assert not outside.inside and abs(outside.distance_m - 101) < 0.01


def test_the_nearest_fence_prefers_one_the_point_is_inside():
    big = Fence("big", OFFICE[0] + 0.002, OFFICE[1], radius_m=500)  # ~222 m away, inside
    small = Fence("small", OFFICE[0] + 0.001, OFFICE[1], radius_m=50)  # ~111 m, outside
    match = nearest_fence(*OFFICE, [small, big])
    assert match.key == "big" and match.inside
    assert nearest_fence(*OFFICE, []) is None


def test_absurd_points_are_not_valid():
    assert valid_point(-8.6, 115.2)
    assert not valid_point(91, 0) and not valid_point(0, 181) and not valid_point(math.nan, 0)


coordinate = st.tuples(st.floats(-89, 89), st.floats(-179, 179))


@given(coordinate, coordinate)
def test_distance_is_symmetric_and_never_negative(a, b):
    d = haversine_m(*a, *b)
    assert d >= 0
    assert math.isclose(d, haversine_m(*b, *a), rel_tol=1e-9, abs_tol=1e-6)
    assert d <= math.pi * 6_371_008.8 + 1
