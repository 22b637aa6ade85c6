"""Face verification with dlib on the real test photos (../shared/testdata/faces)."""

import pytest

from onedata.attendance import face
from tests.attendance.conftest import FACES

pytestmark = pytest.mark.skipif(not FACES.exists(), reason="test photos not present")


def descriptor(name: str):
    return face.analyse(face.load_rgb((FACES / name).read_bytes()), check_quality=False).descriptor


@pytest.fixture(scope="module")
def obama():
    return descriptor("obama_1.jpg")


@pytest.mark.parametrize("name", ["obama_2.jpg", "obama_3.jpg", "obama_240p.jpg"])
def test_the_same_person_is_under_the_threshold(obama, name):
    assert face.distance(obama, descriptor(name)) < 0.6


@pytest.mark.parametrize("name", ["biden_1.jpg", "leslie_1.jpg", "lacamoire_2.jpg"])
def test_a_different_person_is_over_the_threshold(obama, name):
    assert face.distance(obama, descriptor(name)) > 0.6


def test_the_closest_enrolled_photo_counts(obama):
    biden = descriptor("biden_1.jpg")
    probe = descriptor("obama_2.jpg")
    assert face.closest(probe, [biden, obama]) == face.distance(probe, obama)
    assert face.closest(probe, []) is None


def test_two_faces_are_refused():
    with pytest.raises(face.FaceError) as caught:
        descriptor("two_faces_obama_biden.jpg")
    assert caught.value.problem == face.Problem.SEVERAL_FACES


def test_no_face_is_refused():
    import io

    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (640, 480), (120, 130, 140)).save(buffer, "JPEG")
    with pytest.raises(face.FaceError) as caught:
        face.analyse(face.load_rgb(buffer.getvalue()))
    assert caught.value.problem == face.Problem.NO_FACE


def test_a_dark_photo_fails_the_quality_check():
    import io

    from PIL import Image, ImageEnhance

    image = Image.open(FACES / "obama_1.jpg").convert("RGB")
    buffer = io.BytesIO()
    ImageEnhance.Brightness(image).enhance(0.12).save(buffer, "JPEG")
    rgb = face.load_rgb(buffer.getvalue())
    try:
        face.analyse(rgb)
    except face.FaceError as error:
        assert error.problem in (face.Problem.TOO_DARK, face.Problem.NO_FACE)
    else:
        pytest.fail("a very dark photo passed the quality check")


def test_good_reference_photos_pass_the_quality_check():
    for name in ("obama_1.jpg", "biden_1.jpg", "leslie_1.jpg"):
        found = face.analyse(face.load_rgb((FACES / name).read_bytes()))
        assert found.width >= face.MIN_FACE_PX


def test_descriptors_round_trip_as_bytes(obama):
    assert face.distance(face.from_bytes(face.to_bytes(obama)), obama) == 0
    with pytest.raises(ValueError):
        face.from_bytes(b"\0" * 64)


def test_concurrent_verifications_in_threads_agree(obama):
    """Gunicorn runs several threads per worker: each must get the same, single face."""
    from concurrent.futures import ThreadPoolExecutor

    data = (FACES / "obama_2.jpg").read_bytes()

    def one(_):
        return face.analyse(face.load_rgb(data), check_quality=False).descriptor

    with ThreadPoolExecutor(max_workers=6) as pool:
        results = list(pool.map(one, range(12)))
    assert all(face.distance(r, results[0]) < 1e-6 for r in results)


def test_overlap_of_face_boxes():
    import dlib

    box = dlib.rectangle(0, 0, 100, 100)
    assert face.overlap(box, box) == 1.0
    assert face.overlap(box, dlib.rectangle(200, 200, 300, 300)) == 0.0
    # about half of each box shared: 51*101 / (2*101*101 - 51*101) = 51/151 (dlib counts
    # both edges, so a 0-100 box is 101 pixels wide)
    assert face.overlap(box, dlib.rectangle(50, 0, 150, 100)) == 51 / 151


def test_detection_on_the_reduced_copy_finds_the_same_face_as_the_full_image():
    """The reduced copy is a speed-up only: the box lands where the full image puts it."""
    import numpy as np
    from PIL import Image

    image = Image.open(FACES / "obama_2.jpg").convert("RGB")
    image.thumbnail((640, 480))
    canvas = Image.new("RGB", (640, 480), (120, 120, 120))
    canvas.paste(image, ((640 - image.width) // 2, (480 - image.height) // 2))
    rgb = np.asarray(canvas)
    detector = face.models()[0]
    full = detector(rgb, 0)[0]
    assert face._reduction(rgb) == 2
    assert face.overlap(face.one_face(rgb), full) > 0.6
