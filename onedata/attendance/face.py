"""Face detection, quality checks and 128-d descriptors with dlib's ResNet model.

The model files ship with the ``face-recognition-models`` package (nothing is downloaded);
they load lazily, once per thread: dlib's detector and networks are not safe to share
between threads (shared, concurrent check-ins found phantom second faces). No Django.
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


def analyse(rgb: np.ndarray, *, jitters: int = 0, check_quality: bool = True) -> Face:
    """Exactly one face, large, bright and sharp enough; its descriptor."""
    detector, predictor, recogniser = models()
    upsample = 1 if max(rgb.shape[:2]) < SMALL_SIDE else 0
    boxes = detector(rgb, upsample)
    if len(boxes) == 0:
        raise FaceError(Problem.NO_FACE)
    if len(boxes) > 1:
        raise FaceError(Problem.SEVERAL_FACES)
    box = boxes[0]
    height, width = rgb.shape[:2]
    left, top = max(0, box.left()), max(0, box.top())
    right, bottom = min(width, box.right()), min(height, box.bottom())
    grey = rgb[top:bottom, left:right].astype(np.float32).mean(axis=2)
    brightness = float(grey.mean()) if grey.size else 0.0
    sharpness = _sharpness(grey)
    if check_quality:
        if box.width() < MIN_FACE_PX:
            raise FaceError(Problem.FACE_TOO_SMALL)
        if brightness < MIN_BRIGHTNESS:
            raise FaceError(Problem.TOO_DARK)
        if sharpness < MIN_SHARPNESS:
            raise FaceError(Problem.TOO_BLURRED)
    shape = predictor(rgb, box)
    descriptor = np.array(recogniser.compute_face_descriptor(rgb, shape, jitters))
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
