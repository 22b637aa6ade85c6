"""Blink liveness from the eye aspect ratio (EAR), after Soukupová & Čech, "Real-Time Eye
Blink Detection using Facial Landmarks" (CVWW 2016). Pure: plain numbers in, no Django.

For one eye with the six landmarks p1..p6 of dlib's 68-point model (p1 and p4 the corners,
p2 p3 on the upper lid, p6 p5 below them on the lower lid)::

    EAR = (|p2 - p6| + |p3 - p5|) / (2 |p1 - p4|)

It is about 0.25-0.35 for an open eye and falls towards 0 when the lids meet. A blink is a
frame whose EAR dips well below the open level seen both before and after it. The level is
relative to the same person in the same burst, because the open EAR differs between people
(narrow eyes, glasses, a camera held low); a printed photo or a still screen gives the
same EAR in every frame and shows no dip.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

Point = tuple[float, float]

RIGHT_EYE = slice(36, 42)  # the subject's right eye (left in the image), 68-point model
LEFT_EYE = slice(42, 48)

# A closed frame's EAR is at most this share of the open level around it. Camera noise
# on a still photo moves the EAR by a few per cent; a real blink halves it or more.
CLOSED_RATIO = 0.65
MIN_OPEN_EAR = 0.15  # below this the eyes were never clearly open: nothing to compare
MIN_FRAMES = 3  # open, closed, open


@dataclass(frozen=True)
class Blink:
    """Indexes of the frames that show it: open before, closed, open after."""

    opened_before: int
    closed: int
    opened_after: int


def _distance(a: Point, b: Point) -> float:
    return math.hypot(a[0] - b[0], a[1] - b[1])


def eye_aspect_ratio(eye: Sequence[Point]) -> float:
    """EAR of one eye from its six landmarks p1..p6; 0.0 for a degenerate eye."""
    if len(eye) != 6:
        raise ValueError("an eye has six landmarks")
    p1, p2, p3, p4, p5, p6 = eye
    width = _distance(p1, p4)
    if width == 0:
        return 0.0
    return (_distance(p2, p6) + _distance(p3, p5)) / (2.0 * width)


def face_ear(landmarks: Sequence[Point]) -> float:
    """Mean EAR of both eyes from the 68 landmarks of one face (people blink both eyes;
    the mean is steadier than either eye alone)."""
    if len(landmarks) != 68:
        raise ValueError("the 68-point model gives 68 landmarks")
    points = list(landmarks)
    return (eye_aspect_ratio(points[RIGHT_EYE]) + eye_aspect_ratio(points[LEFT_EYE])) / 2.0


def find_blink(
    ears: Sequence[float | None],
    *,
    closed_ratio: float = CLOSED_RATIO,
    min_open: float = MIN_OPEN_EAR,
) -> Blink | None:
    """The deepest blink in a burst: a frame whose EAR is at most ``closed_ratio`` of the
    most open frame before it and of the most open frame after it, both at least
    ``min_open``. Frames without a face are ``None`` and skipped. None when no blink."""
    seen = [(i, ear) for i, ear in enumerate(ears) if ear is not None]
    if len(seen) < MIN_FRAMES:
        return None
    for position, (index, ear) in sorted(enumerate(seen), key=lambda item: item[1][1]):
        before, after = seen[:position], seen[position + 1 :]
        if not before or not after:
            continue
        open_before = max(before, key=lambda item: item[1])
        open_after = max(after, key=lambda item: item[1])
        level = min(open_before[1], open_after[1])
        if level >= min_open and ear <= closed_ratio * level:
            return Blink(open_before[0], index, open_after[0])
    return None
