"""POST /api/v1/factcheck/reports: JSON, or a form with a screenshot checked like every
upload (kind from the bytes, size, pixel count), in the platform's error envelope."""

import io

import pytest
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from onedata.factcheck.models import Report

pytestmark = pytest.mark.django_db
URL = "/api/v1/factcheck/reports"


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


def _png(size=(40, 30), **info) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", size, "red").save(out, "PNG", **info)
    return out.getvalue()


def _form(**extra):
    return {
        "text": "Vaksin covid mengandung microchip untuk melacak warga",
        "channel": "whatsapp",
        "regency": "51.03",
        **extra,
    }


def test_report_as_json_is_received(client, regions):
    response = client.post(URL, _form(), content_type="application/json")
    assert response.status_code == 201
    body = response.json()
    assert body["has_screenshot"] is False and body["reports_of_this_claim"] == 1
    assert Report.objects.get().regency.code == "51.03"


def test_report_with_a_screenshot_stores_a_clean_copy(client, regions):
    jpeg = io.BytesIO()
    exif = Image.Exif()
    exif[0x010E] = "secret GPS-ish note"  # ImageDescription: metadata that must not be kept
    Image.new("RGB", (50, 40), "blue").save(jpeg, "JPEG", exif=exif)
    upload = SimpleUploadedFile("../../etc/passwd.jpg", jpeg.getvalue(), "image/png")
    response = client.post(URL, _form(screenshot=upload, wants_verdict="true"))
    assert response.status_code == 201, response.content
    assert response.json()["has_screenshot"] is True
    report = Report.objects.get()
    assert report.screenshot.startswith("factcheck/screenshots/")
    assert report.screenshot.endswith(".jpg") and "passwd" not in report.screenshot
    assert report.wants_verdict is False  # no contact given and not logged in
    with default_storage.open(report.screenshot, "rb") as stored:
        data = stored.read()
    assert b"secret GPS-ish note" not in data
    assert Image.open(io.BytesIO(data)).size == (50, 40)


@pytest.mark.parametrize(
    ("content", "words"),
    [
        (b"<html><script>alert(1)</script></html>", ("JPEG", "PNG")),
        (b"GIF89a" + b"\x00" * 100, ("JPEG", "PNG")),
        (b"\x89PNG\r\n\x1a\n" + b"\x00" * (5 * 1024 * 1024 + 10), ("5 MB",)),
    ],
    ids=["html", "gif", "too-large"],
)
def test_a_screenshot_that_is_not_an_accepted_image_is_refused(client, regions, content, words):
    upload = SimpleUploadedFile("shot.png", content, "image/png")
    response = client.post(URL, _form(screenshot=upload))
    assert response.status_code == 422
    error = response.json()["error"]
    message = " ".join(error["fields"]["screenshot"])
    assert all(word in message for word in words), message
    assert not Report.objects.exists()


def test_a_decompression_bomb_is_refused_before_decoding(client, regions):
    out = io.BytesIO()
    Image.new("1", (10_000, 10_000)).save(out, "PNG")  # 100 megapixels in a few KB
    assert len(out.getvalue()) < 100_000
    upload = SimpleUploadedFile("bomb.png", out.getvalue(), "image/png")
    response = client.post(URL, _form(screenshot=upload))
    assert response.status_code == 422
    message = " ".join(response.json()["error"]["fields"]["screenshot"])
    assert "megapixel" in message or "piksel" in message
    assert not Report.objects.exists()


def test_form_errors_name_the_field(client, regions):
    upload = SimpleUploadedFile("shot.png", _png(), "image/png")
    response = client.post(URL, {"channel": "whatsapp", "screenshot": upload})
    assert response.status_code == 422
    assert "text" in response.json()["error"]["fields"]
    response = client.post(URL, _form(channel="pigeon"))
    assert "channel" in response.json()["error"]["fields"]
    response = client.post(URL, _form(link="javascript:alert(1)"))
    assert "link" in response.json()["error"]["fields"]
    assert not Report.objects.exists()


def test_a_body_that_is_not_json_gets_the_envelope(client, regions):
    response = client.post(URL, "{not json", content_type="application/json")
    assert response.status_code == 422
    assert response.json()["error"]["code"] == "invalid"
    response = client.post(URL, "[1, 2]", content_type="application/json")
    assert response.status_code == 422


def test_openapi_documents_both_bodies(client):
    operation = client.get("/api/v1/openapi.json").json()["paths"]["/api/v1/factcheck/reports"]
    content = operation["post"]["requestBody"]["content"]
    assert "text" in content["application/json"]["schema"]["properties"]
    form = content["multipart/form-data"]["schema"]["properties"]
    assert form["screenshot"]["format"] == "binary"
