"""Eye aspect ratio and blink finding on hand-made landmark coordinates (pure, no dlib)."""

import math

import pytest

from onedata.attendance import liveness


def eye(width: float, opening: float, x: float = 0.0, y: float = 0.0):
    """Six landmarks p1..p6 of an eye ``width`` wide, the lids ``opening`` apart."""
    third = width / 3
    half = opening / 2
    return [
        (x, y),
        (x + third, y - half),
        (x + 2 * third, y - half),
        (x + width, y),
        (x + 2 * third, y + half),
        (x + third, y + half),
    ]


def face(opening: float, width: float = 30.0):
    """68 landmarks: zeros but for the two eyes (36-41 and 42-47)."""
    points = [(0.0, 0.0)] * 68
    points[36:42] = eye(width, opening, x=100)
    points[42:48] = eye(width, opening, x=160)
    return points


def test_ear_of_a_hand_computed_eye():
    # |p2-p6| = |p3-p5| = 9, |p1-p4| = 30: (9 + 9) / (2 * 30) = 0.3
    assert liveness.eye_aspect_ratio(eye(30, 9)) == pytest.approx(0.3)


def test_ear_of_a_closed_eye_is_zero_and_a_degenerate_eye_does_not_divide_by_zero():
    assert liveness.eye_aspect_ratio(eye(30, 0)) == 0.0
    assert liveness.eye_aspect_ratio([(5.0, 5.0)] * 6) == 0.0


def test_ear_does_not_change_with_scale_rotation_or_position():
    base = liveness.eye_aspect_ratio(eye(30, 9))
    big = liveness.eye_aspect_ratio(eye(300, 90, x=40, y=70))
    angle = math.radians(20)
    turned = [
        (px * math.cos(angle) - py * math.sin(angle), px * math.sin(angle) + py * math.cos(angle))
        for px, py in eye(30, 9)
    ]
    assert big == pytest.approx(base)
    assert liveness.eye_aspect_ratio(turned) == pytest.approx(base)


def test_ear_of_an_asymmetric_eye_by_hand():
    points = [(0, 0), (10, -4), (20, -2), (30, 0), (20, 2), (10, 4)]
    # |p2-p6| = 8, |p3-p5| = 4, |p1-p4| = 30: 12 / 60 = 0.2
    assert liveness.eye_aspect_ratio(points) == pytest.approx(0.2)


def test_face_ear_is_the_mean_of_both_eyes():
    points = face(9)
    points[42:48] = eye(30, 3, x=160)  # left eye 0.1, right eye 0.3
    assert liveness.face_ear(points) == pytest.approx(0.2)


def test_wrong_numbers_of_landmarks_are_refused():
    with pytest.raises(ValueError):
        liveness.eye_aspect_ratio(eye(30, 9)[:5])
    with pytest.raises(ValueError):
        liveness.face_ear(face(9)[:5])


def test_a_dip_that_recovers_is_a_blink():
    ears = [0.31, 0.30, 0.32, 0.12, 0.08, 0.29, 0.30]
    assert liveness.find_blink(ears) == liveness.Blink(opened_before=2, closed=4, opened_after=6)


def test_identical_frames_show_no_blink():
    """A printed photo: the same EAR in every frame."""
    assert liveness.find_blink([0.3] * 10) is None


def test_camera_noise_on_a_still_photo_is_not_a_blink():
    assert liveness.find_blink([0.30, 0.29, 0.31, 0.28, 0.30, 0.27, 0.31]) is None


def test_eyes_closing_without_opening_again_are_not_a_blink():
    assert liveness.find_blink([0.30, 0.31, 0.30, 0.15, 0.10, 0.08]) is None
    assert liveness.find_blink([0.08, 0.10, 0.30, 0.31]) is None


def test_the_dip_must_reach_the_closed_ratio_of_the_open_level():
    level = 0.30
    just_closed = level * liveness.CLOSED_RATIO
    assert liveness.find_blink([level, just_closed, level]) is not None
    assert liveness.find_blink([level, just_closed + 0.01, level]) is None


def test_the_lower_open_side_sets_the_level():
    # before 0.40, after only 0.20: 0.15 is 75% of 0.20, not closed enough
    assert liveness.find_blink([0.40, 0.15, 0.20]) is None
    assert liveness.find_blink([0.40, 0.12, 0.20]) == liveness.Blink(0, 1, 2)


def test_eyes_never_clearly_open_give_no_blink():
    assert liveness.find_blink([0.12, 0.02, 0.12]) is None


def test_frames_without_a_face_are_skipped():
    ears = [None, 0.30, None, 0.05, None, 0.30, None]
    assert liveness.find_blink(ears) == liveness.Blink(1, 3, 5)
    assert liveness.find_blink([None, 0.30, 0.05]) is None  # too few frames with a face
