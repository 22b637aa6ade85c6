"""Liveness end to end with the real photos and dlib's real 68-point model: a burst of
identical frames (a printed photo) is refused, a burst whose eyes close in some frames
(eyelids painted shut where the landmarks put the eyes) is accepted."""

from __future__ import annotations

import io

import numpy as np
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image, ImageDraw, ImageFilter

from onedata.attendance import face, liveness, services
from onedata.attendance.models import CheckIn, LivenessPolicy
from tests.attendance.conftest import FACES, RENON, photo
from tests.conftest import login_client

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(not FACES.exists(), reason="test photos not present"),
]
API = "/api/v1/attendance"
PERSON = "leslie_1.jpg"  # frames and selfie; leslie_2.jpg is the enrolled photo


def letterboxed(name: str) -> Image.Image:
    """A 640x480 camera frame of a test photo."""
    image = Image.open(FACES / name).convert("RGB")
    image.thumbnail((640, 480))
    canvas = Image.new("RGB", (640, 480), (110, 110, 110))
    canvas.paste(image, ((640 - image.width) // 2, (480 - image.height) // 2))
    return canvas


def eye_points(image: Image.Image) -> list[np.ndarray]:
    rgb = np.asarray(image)
    points = np.array(face.landmarks68(rgb, face.one_face(rgb)))
    return [points[liveness.RIGHT_EYE], points[liveness.LEFT_EYE]]


def close_eyes(image: Image.Image) -> Image.Image:
    """The same photo with both eyes shut: each eye (as the landmarks locate it) covered
    with the skin just below it, feathered, and a dark lash line along the lower lid."""
    rgb = np.asarray(image)
    closed = image.copy()
    for eye in eye_points(image):
        width = float(eye[3, 0] - eye[0, 0])
        cx, cy = float(eye[:, 0].mean()), float(eye[:, 1].mean())
        below = int(cy + 0.6 * width)
        skin = rgb[below - 2 : below + 3, int(cx - width / 4) : int(cx + width / 4)]
        colour = tuple(int(c) for c in np.median(skin.reshape(-1, 3), axis=0))
        mask = Image.new("L", image.size, 0)
        pad = 0.15 * width
        ImageDraw.Draw(mask).ellipse(
            [eye[0, 0] - pad, cy - 0.35 * width, eye[3, 0] + pad, cy + 0.25 * width], fill=255
        )
        mask = mask.filter(ImageFilter.GaussianBlur(max(1.0, width * 0.06)))
        closed = Image.composite(Image.new("RGB", image.size, colour), closed, mask)
        lash = [(float(p[0]), float(p[1])) for p in (eye[0], eye[5], eye[4], eye[3])]
        ImageDraw.Draw(closed).line(
            lash, fill=(25, 20, 20), width=max(2, int(width * 0.14)), joint="curve"
        )
    return closed


def jpeg(image: Image.Image) -> bytes:
    out = io.BytesIO()
    image.save(out, "JPEG", quality=85)
    return out.getvalue()


def ear_of(image: Image.Image) -> float:
    rgb = np.asarray(image)
    return liveness.face_ear(face.landmarks68(rgb, face.one_face(rgb)))


@pytest.fixture(scope="module")
def frames():
    """JPEG bytes: the open frame and the closed-eye frame of the same photo."""
    opened = letterboxed(PERSON)
    return {"open": jpeg(opened), "closed": jpeg(close_eyes(opened))}


def uploads(*items: bytes) -> list[SimpleUploadedFile]:
    return [
        SimpleUploadedFile(f"frame-{i}.jpg", data, content_type="image/jpeg")
        for i, data in enumerate(items)
    ]


def blinking(frames) -> list[SimpleUploadedFile]:
    o, c = frames["open"], frames["closed"]
    return uploads(o, o, o, o, c, c, o, o, o, o)


@pytest.fixture
def required(staff):
    office = staff["worker"].office
    office.liveness_policy = LivenessPolicy.REQUIRED
    office.save(update_fields=["liveness_policy"])
    services.enrolment_create(
        actor=staff["hr"], employee=staff["worker"], photo=photo("leslie_2.jpg")
    )
    return staff


def said(code: str) -> set[str]:
    """The reason's message in either language (the API answers in the request's)."""
    from django.utils import translation

    texts = set()
    for language in ("en", "id"):
        with translation.override(language):
            texts.add(services.reason_text(code))
    return texts


def check_in(staff, frames=None, selfie: bytes | None = None):
    client = login_client(staff["worker"].user)
    data = {
        "photo": SimpleUploadedFile("s.jpg", selfie or jpeg(letterboxed(PERSON)), "image/jpeg"),
        "kind": "in",
        "lat": RENON[0],
        "lon": RENON[1],
        "accuracy_m": 10,
    }
    if frames is not None:
        data["frames"] = frames
    return client.post(f"{API}/checkins", data)


def test_the_painted_closed_eyes_have_a_low_ear_with_the_real_predictor(frames):
    opened = ear_of(Image.open(io.BytesIO(frames["open"])))
    closed = ear_of(Image.open(io.BytesIO(frames["closed"])))
    assert opened > 0.25
    assert closed < liveness.CLOSED_RATIO * opened
    assert closed < 0.2


def test_a_burst_with_a_blink_is_accepted(required, frames):
    response = check_in(required, blinking(frames))
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["status"] == "accepted" and body["reasons"] == []
    assert set(body) >= {"id", "status", "reasons", "face_distance", "inside_geofence"}


def test_a_printed_photo_identical_frames_is_rejected_no_blink(required, frames):
    response = check_in(required, uploads(*[frames["open"]] * 10))
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["status"] == "rejected" and body["reasons"] == ["liveness_no_blink"]
    assert body["messages"][0] in said("liveness_no_blink")
    checkin = CheckIn.objects.get(pk=body["id"])  # kept for audit and shown
    assert checkin.status == "rejected" and checkin.reasons == ["liveness_no_blink"]


def test_without_frames_the_check_in_is_rejected_with_the_liveness_reason(required):
    body = check_in(required).json()
    assert body["status"] == "rejected" and body["reasons"] == ["liveness_no_frames"]


def test_someone_else_blinking_is_rejected(required, frames):
    other = letterboxed("lacamoire_1.jpg")
    o, c = jpeg(other), jpeg(close_eyes(other))
    body = check_in(required, uploads(o, o, o, c, c, o, o, o)).json()
    assert body["status"] == "rejected" and body["reasons"] == ["liveness_face_mismatch"]


def test_a_burst_switching_to_another_face_after_the_blink_is_rejected(required, frames):
    other = jpeg(letterboxed("lacamoire_1.jpg"))
    o, c = frames["open"], frames["closed"]
    body = check_in(required, uploads(o, o, o, c, other, other, other)).json()
    assert body["status"] == "rejected" and body["reasons"] == ["liveness_face_mismatch"]


def test_a_second_face_in_the_burst_is_rejected(required, frames):
    two = (FACES / "two_faces_obama_biden.jpg").read_bytes()
    o, c = frames["open"], frames["closed"]
    body = check_in(required, uploads(o, o, c, two, o)).json()
    assert body["status"] == "rejected" and body["reasons"] == ["liveness_several_faces"]


def test_frames_without_a_face_are_too_few(required):
    grey = jpeg(Image.new("RGB", (640, 480), (120, 120, 120)))
    body = check_in(required, uploads(*[grey] * 8)).json()
    assert body["reasons"] == ["liveness_no_face"]


def test_each_frame_passes_the_upload_checks(required, frames):
    not_image = SimpleUploadedFile("f.jpg", b"%PDF-1.4 not a frame", "image/jpeg")
    response = check_in(required, [*blinking(frames), not_image])
    assert response.status_code == 422
    assert "frames" in response.json()["error"]["fields"]
    bomb = io.BytesIO()
    Image.new("L", (5000, 5000)).save(bomb, "PNG")  # 25 megapixels in a few kilobytes
    assert len(bomb.getvalue()) < 100_000
    response = check_in(required, [*uploads(frames["open"]), uploads(bomb.getvalue())[0]])
    assert response.status_code == 422
    assert "4 megap" in response.json()["error"]["fields"]["frames"][0]  # piksel / pixels


def test_too_many_frames_are_refused(required, frames):
    response = check_in(required, uploads(*[frames["open"]] * (services.MAX_LIVENESS_FRAMES + 1)))
    assert response.status_code == 422
    assert "frames" in response.json()["error"]["fields"]


def test_with_liveness_off_frames_are_not_needed(staff, frames):
    services.enrolment_create(
        actor=staff["hr"], employee=staff["worker"], photo=photo("leslie_2.jpg")
    )
    assert check_in(staff).json()["status"] == "accepted"


def test_the_check_in_page_takes_the_burst_and_says_why_it_was_refused(required, frames):
    client = login_client(required["worker"].user)
    client.cookies["django_language"] = "en"
    page = client.get("/presensi/")
    assert b'data-liveness="required"' in page.content and b'name="frames"' in page.content
    form = {
        "kind": "in",
        "lat": RENON[0],
        "lon": RENON[1],
        "accuracy_m": 10,
        "photo": SimpleUploadedFile("s.jpg", frames["open"], "image/jpeg"),
        "frames": uploads(*[frames["open"]] * 8),
    }
    response = client.post("/presensi/", form)
    assert response.status_code == 200
    assert b"No blink seen" in response.content
    form["photo"] = SimpleUploadedFile("s.jpg", frames["open"], "image/jpeg")
    form["frames"] = blinking(frames)
    response = client.post("/presensi/", form)
    assert b"notice-success" in response.content


def test_office_admin_edits_the_liveness_policy(admin_client, staff):
    office = staff["worker"].office
    page = admin_client.get(f"/admin/attendance/office/{office.pk}/change/")
    assert page.status_code == 200 and b'name="liveness_policy"' in page.content
