"""Face detection, quality checks and 128-d descriptors with dlib's ResNet model.

The model files ship with the ``face-recognition-models`` package (nothing is downloaded);
they load lazily, once per thread: dlib's detector and networks are not safe to share
between threads (shared, concurrent check-ins found phantom second faces). No Django.

Cost per 640x480 selfie on one core (measured, bench/attendance.py): the ResNet descriptor
about 75 ms, the HOG detector 25 ms on the full image but 7 ms on a half-size copy, the
5-point shape and JPEG decoding 1-2 ms each. So detection runs on a copy reduced to about
DETECT_SIDE pixels and only falls back to the full image when it finds nothing there; the
landmarks and the descriptor always use the full image. ``num_jitters`` stays 0: dlib
treats 0 and 1 alike (one pass), and every extra jitter costs a whole pass.
"""

from __future__ import annotations

import io
import threading
from dataclasses import dataclass
from enum import StrEnum

import numpy as np
from PIL import Image, ImageOps

MAX_SIDE = 800  # larger images are scaled down before detection: faster, same answer
SMALL_SIDE = 640  # below this, the detector looks at a 2x upsampled image for small faces
MIN_FACE_PX = 50  # the face box must be at least this wide (in the scaled image)
MIN_BRIGHTNESS = 40  # mean grey level of the face box, 0-255
MIN_SHARPNESS = 15.0  # variance of the Laplacian of the face box
# Detection first looks at a copy reduced by a whole factor to about this size: faces
# down to ~80 px there (~160 px in a 640x480 selfie, a face at arm's length is 200-350 px).
# A face too small for the copy is looked for again in the full image.
DETECT_SIDE = 320

_local = threading.local()


class Problem(StrEnum):
    NOT_AN_IMAGE = "not_an_image"
    NO_FACE = "no_face"
    SEVERAL_FACES = "several_faces"
    FACE_TOO_SMALL = "face_too_small"
    TOO_DARK = "too_dark"
    TOO_BLURRED = "too_blurred"


class FaceError(ValueError):
    def __init__(self, problem: Problem):
        super().__init__(problem.value)
        self.problem = problem


@dataclass(frozen=True)
class Face:
    descriptor: np.ndarray  # 128 float64
    box: tuple[int, int, int, int]  # left, top, right, bottom in the scaled image
    width: int
    brightness: float
    sharpness: float


def models():
    """(detector, shape predictor, recogniser) of the calling thread, loaded on first use."""
    loaded = getattr(_local, "models", None)
    if loaded is None:
        import dlib
        import face_recognition_models as files

        loaded = (
            dlib.get_frontal_face_detector(),
            dlib.shape_predictor(files.pose_predictor_five_point_model_location()),
            dlib.face_recognition_model_v1(files.face_recognition_model_location()),
        )
        _local.models = loaded
    return loaded


def eye_model():
    """dlib's 68-point shape predictor of the calling thread (eyelids for liveness); loaded
    only where an office asks for liveness (100 MB)."""
    loaded = getattr(_local, "eye_model", None)
    if loaded is None:
        import dlib
        import face_recognition_models as files

        loaded = dlib.shape_predictor(files.pose_predictor_model_location())
        _local.eye_model = loaded
    return loaded


def load_rgb(data: bytes) -> np.ndarray:
    """Decode, turn upright, scale to at most MAX_SIDE, as an RGB array."""
    try:
        with Image.open(io.BytesIO(data)) as image:
            image = ImageOps.exif_transpose(image).convert("RGB")
    except Exception as exc:  # Pillow raises a wide set on bad data
        raise FaceError(Problem.NOT_AN_IMAGE) from exc
    if max(image.size) > MAX_SIDE:
        image.thumbnail((MAX_SIDE, MAX_SIDE), Image.Resampling.BILINEAR)
    return np.asarray(image)


def _sharpness(grey: np.ndarray) -> float:
    if grey.shape[0] < 3 or grey.shape[1] < 3:
        return 0.0
    lap = (
        -4 * grey[1:-1, 1:-1] + grey[:-2, 1:-1] + grey[2:, 1:-1] + grey[1:-1, :-2] + grey[1:-1, 2:]
    )
    return float(lap.var())


def _reduction(rgb: np.ndarray) -> int:
    return max(1, max(rgb.shape[:2]) // DETECT_SIDE)


def detect(rgb: np.ndarray) -> list:
    """Face boxes (dlib rectangles, full-image coordinates): on the reduced copy first,
    then on the full image (2x upsampled when small) only if the copy shows no face."""
    import dlib

    detector = models()[0]
    factor = _reduction(rgb)
    if factor > 1:
        small = np.asarray(Image.fromarray(rgb).reduce(factor))
        boxes = detector(small, 0)
        if len(boxes):
            return [
                dlib.rectangle(
                    b.left() * factor, b.top() * factor, b.right() * factor, b.bottom() * factor
                )
                for b in boxes
            ]
    return list(detector(rgb, 1 if max(rgb.shape[:2]) < SMALL_SIDE else 0))


def one_face(rgb: np.ndarray):
    """The box of the only face, or FaceError (no face, several faces)."""
    boxes = detect(rgb)
    if len(boxes) == 0:
        raise FaceError(Problem.NO_FACE)
    if len(boxes) > 1:
        raise FaceError(Problem.SEVERAL_FACES)
    return boxes[0]


def descriptor_of(rgb: np.ndarray, box, *, jitters: int = 0) -> np.ndarray:
    _detector, predictor, recogniser = models()
    shape = predictor(rgb, box)
    return np.array(recogniser.compute_face_descriptor(rgb, shape, jitters))


def overlap(a, b) -> float:
    """Intersection over union of two boxes (dlib rectangles): 1.0 the same, 0.0 apart."""
    # dlib's rectangles include both edges (width() is right - left + 1)
    width = min(a.right(), b.right()) - max(a.left(), b.left()) + 1
    height = min(a.bottom(), b.bottom()) - max(a.top(), b.top()) + 1
    if width <= 0 or height <= 0:
        return 0.0
    inter = width * height
    return inter / (a.width() * a.height() + b.width() * b.height() - inter)


def landmarks68(rgb: np.ndarray, box) -> list[tuple[float, float]]:
    """The 68 landmarks of the face in ``box`` (eyes are points 36-47)."""
    shape = eye_model()(rgb, box)
    return [(float(shape.part(i).x), float(shape.part(i).y)) for i in range(shape.num_parts)]


def analyse(rgb: np.ndarray, *, jitters: int = 0, check_quality: bool = True) -> Face:
    """Exactly one face, large, bright and sharp enough; its descriptor."""
    box = one_face(rgb)
    height, width = rgb.shape[:2]
    left, top = max(0, box.left()), max(0, box.top())
    right, bottom = min(width, box.right()), min(height, box.bottom())
    brightness = sharpness = 0.0  # measured only where judged (enrolment), not per check-in
    if check_quality:
        grey = rgb[top:bottom, left:right].astype(np.float32).mean(axis=2)
        brightness = float(grey.mean()) if grey.size else 0.0
        sharpness = _sharpness(grey)
        if box.width() < MIN_FACE_PX:
            raise FaceError(Problem.FACE_TOO_SMALL)
        if brightness < MIN_BRIGHTNESS:
            raise FaceError(Problem.TOO_DARK)
        if sharpness < MIN_SHARPNESS:
            raise FaceError(Problem.TOO_BLURRED)
    descriptor = descriptor_of(rgb, box, jitters=jitters)
    return Face(descriptor, (left, top, right, bottom), box.width(), brightness, sharpness)


def distance(a: np.ndarray, b: np.ndarray) -> float:
    return float(np.linalg.norm(np.asarray(a) - np.asarray(b)))


def closest(probe: np.ndarray, references: list[np.ndarray]) -> float | None:
    """The distance to the closest reference descriptor; None when there is none."""
    if not references:
        return None
    return min(distance(probe, ref) for ref in references)


def to_bytes(descriptor: np.ndarray) -> bytes:
    return np.asarray(descriptor, dtype="<f8").tobytes()


def from_bytes(data: bytes) -> np.ndarray:
    array = np.frombuffer(data, dtype="<f8")
    if array.shape != (128,):
        raise ValueError("a face descriptor has 128 numbers")
    return array
