"""Attendance in a real browser: an employee checks in with Chromium's fake camera (a
video made from a test photo) and a set location; screenshots of the pages on a phone
and on a desktop."""

from __future__ import annotations

import pytest

try:
    from playwright.sync_api import expect
except ImportError:  # conftest.py skips every test
    expect = None

from tests.attendance.conftest import FACES, RENON
from tests.e2e.conftest import CHROMIUM, LAUNCH_ARGS

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.skipif(not FACES.exists(), reason="test photos not present"),
]
PASSWORD = "bali-demo-2026"


def write_y4m(source, target, width=640, height=480, frames=10) -> None:
    """A short Y4M video (4:2:0) of a photo, letterboxed: Chromium's fake camera plays it."""
    import numpy as np
    from PIL import Image

    image = Image.open(source).convert("RGB")
    image.thumbnail((width, height))
    canvas = Image.new("RGB", (width, height), (90, 90, 90))
    canvas.paste(image, ((width - image.width) // 2, (height - image.height) // 2))
    y, cb, cr = (np.asarray(p) for p in canvas.convert("YCbCr").split())
    small = (width // 2, height // 2)
    u = np.asarray(Image.fromarray(cb).resize(small))
    v = np.asarray(Image.fromarray(cr).resize(small))
    with open(target, "wb") as out:
        out.write(f"YUV4MPEG2 W{width} H{height} F10:1 Ip A1:1 C420jpeg\n".encode())
        for _ in range(frames):
            out.write(b"FRAME\n" + y.tobytes() + u.tobytes() + v.tobytes())


@pytest.fixture(scope="module")
def camera_browser(_async_unsafe_allowed, tmp_path_factory):
    from tests.e2e.conftest import _state, _unavailable

    if _state["problem"] is not None:
        _unavailable(_state["problem"])
    from playwright.sync_api import sync_playwright

    video = tmp_path_factory.mktemp("camera") / "selfie.y4m"
    write_y4m(FACES / "obama_2.jpg", video)
    playwright = sync_playwright().start()
    browser = playwright.chromium.launch(
        executable_path=str(CHROMIUM),
        headless=True,
        args=[
            *LAUNCH_ARGS,
            "--use-fake-ui-for-media-stream",
            "--use-fake-device-for-media-stream",
            f"--use-file-for-fake-video-capture={video}",
        ],
        timeout=60_000,
    )
    yield browser
    browser.close()
    playwright.stop()


@pytest.fixture
def demo_world(live_server, _flushable_database, _empty_cache):
    from onedata.attendance import demo
    from onedata.core import demo as core_demo

    core_demo.seed()
    demo.seed()


def _log_in(page, username: str) -> None:
    page.goto("/masuk/?next=/presensi/")
    form = page.locator("#main form").filter(has=page.locator("input[name=password]"))
    form.locator("input[name=username]").fill(username)
    form.locator("input[name=password]").fill(PASSWORD)
    form.locator("button[type=submit]").click()


def _enrol_pegawai():
    from django.core.files.uploadedfile import SimpleUploadedFile

    from onedata.attendance import services
    from onedata.attendance.models import Employee
    from onedata.core.models import User

    pegawai = Employee.objects.get(user__username="pegawai")
    pegawai.user.set_password(PASSWORD)
    pegawai.user.save(update_fields=["password"])
    hr = User.objects.get(username="admin.sdm")
    photo = SimpleUploadedFile("f.jpg", (FACES / "obama_1.jpg").read_bytes(), "image/jpeg")
    services.enrolment_create(actor=hr, employee=pegawai, photo=photo)


def test_an_employee_checks_in_with_the_phone_camera_and_location(
    camera_browser, live_server, demo_world, screenshot_dir
):
    _enrol_pegawai()
    context = camera_browser.new_context(
        base_url=live_server.url,
        locale="id-ID",
        viewport={"width": 360, "height": 780},
        geolocation={"latitude": RENON[0], "longitude": RENON[1], "accuracy": 12},
        permissions=["geolocation", "camera"],
    )
    context.set_default_timeout(30_000)
    page = context.new_page()
    errors = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    _log_in(page, "pegawai")
    page.wait_for_url("**/presensi/")
    expect(page.locator(".att-camera")).to_be_visible()
    expect(page.locator("#att-video")).to_have_js_property("videoWidth", 640)
    expect(page.locator("input[name=lat]")).to_have_value(str(RENON[0]))
    page.locator("#att-snap").click()
    expect(page.locator("#att-preview")).to_be_visible()
    page.locator("#att-submit").click()
    result = page.locator("#att-result")
    expect(result).to_be_visible()
    expect(result).to_have_class("notice notice-success")
    if screenshot_dir is not None:
        page.screenshot(path=screenshot_dir / "attendance-checked-in-360.png", full_page=True)
    from onedata.attendance.models import CheckIn

    checkin = CheckIn.objects.filter(employee__user__username="pegawai").latest("recorded_at")
    assert checkin.status == "accepted" and checkin.inside_geofence
    assert not errors
    context.close()


def test_with_liveness_required_a_still_camera_is_refused_with_a_clear_message(
    camera_browser, live_server, demo_world, screenshot_dir
):
    """The fake camera plays a still photo: the burst shows no blink, so the page must say
    so (a printed photo held to the camera looks the same), not fail."""
    from django.utils import translation

    from onedata.attendance import services
    from onedata.attendance.models import CheckIn, Employee, LivenessPolicy

    _enrol_pegawai()
    office = Employee.objects.get(user__username="pegawai").office
    office.liveness_policy = LivenessPolicy.REQUIRED
    office.save(update_fields=["liveness_policy"])
    context = camera_browser.new_context(
        base_url=live_server.url,
        locale="id-ID",
        viewport={"width": 360, "height": 780},
        geolocation={"latitude": RENON[0], "longitude": RENON[1], "accuracy": 12},
        permissions=["geolocation", "camera"],
    )
    context.set_default_timeout(30_000)
    page = context.new_page()
    errors = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    _log_in(page, "pegawai")
    page.wait_for_url("**/presensi/")
    expect(page.locator("#att-liveness-note")).to_be_visible()
    expect(page.locator("#att-video")).to_have_js_property("videoWidth", 640)
    expect(page.locator("input[name=lat]")).to_have_value(str(RENON[0]))
    page.locator("#att-snap").click()
    expect(page.locator("#att-blink")).to_be_visible()  # the prompt during the burst
    if screenshot_dir is not None:
        page.screenshot(path=screenshot_dir / "attendance-liveness-prompt-360.png")
    expect(page.locator("#att-preview")).to_be_visible()
    expect(page.locator("#att-blink")).to_be_hidden()
    page.locator("#att-submit").click()
    result = page.locator("#att-result")
    expect(result).to_have_class("notice notice-error")
    with translation.override("id"):
        expect(result).to_contain_text(services.reason_text("liveness_no_blink"))
    if screenshot_dir is not None:
        page.screenshot(path=screenshot_dir / "attendance-liveness-refused-360.png", full_page=True)
    checkin = CheckIn.objects.filter(employee__user__username="pegawai").latest("recorded_at")
    assert checkin.status == "rejected" and checkin.reasons == ["liveness_no_blink"]
    assert not errors
    context.close()


PAGES = [
    ("pegawai", "/presensi/", "checkin"),
    ("pegawai", "/presensi/bulan/", "month"),
    ("pegawai", "/presensi/cuti/", "leave"),
    ("pegawai", "/presensi/tpp/", "allowance"),
    ("atasan", "/presensi/tim/", "team"),
    ("admin.sdm", "/presensi/sdm/", "hr"),
]


@pytest.mark.parametrize("width", [360, 1280])
def test_screenshots_attendance(camera_browser, live_server, demo_world, screenshot_dir, width):
    """One browser for the module (a second Playwright cannot start beside the camera one)."""
    from onedata.core.models import User

    for user in User.objects.filter(username__in=["pegawai", "atasan", "admin.sdm"]):
        user.set_password(PASSWORD)
        user.save(update_fields=["password"])
    from onedata.attendance.models import Office

    office = Office.objects.first()
    pages = [*PAGES, ("admin.sdm", f"/presensi/sdm/kantor/{office.pk}/laporan/", "report")]
    current = None
    page = None
    errors: list[str] = []
    contexts = []
    for username, url, name in pages:
        if username != current:
            context = camera_browser.new_context(
                base_url=live_server.url, locale="id-ID", viewport={"width": width, "height": 800}
            )
            contexts.append(context)
            page = context.new_page()
            page.on("pageerror", lambda error: errors.append(str(error)))
            _log_in(page, username)
            page.wait_for_load_state()
            current = username
        page.goto(url)
        overflow = page.evaluate(
            "document.documentElement.scrollWidth - document.documentElement.clientWidth"
        )
        assert overflow <= 0 or name in ("month", "report"), f"{name} scrolls sideways"
        if screenshot_dir is not None:
            page.screenshot(path=screenshot_dir / f"attendance-{name}-{width}.png", full_page=True)
    for context in contexts:
        context.close()
    assert not errors
