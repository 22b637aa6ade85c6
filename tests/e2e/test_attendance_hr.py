"""Attendance in a real browser, HR's side: a leave request approved by the supervisor and
then by HR; an employee import running in the background; the schedule, shift and holiday
pages on a phone and on a desktop."""

from __future__ import annotations

import pytest

try:
    from playwright.sync_api import expect
except ImportError:  # conftest.py skips every test
    expect = None

pytestmark = [pytest.mark.e2e]
PASSWORD = "bali-demo-2026"


@pytest.fixture
def demo_world(live_server, _flushable_database, _empty_cache):
    from onedata.attendance import demo
    from onedata.core import demo as core_demo
    from onedata.core.models import User

    core_demo.seed()
    demo.seed()
    for user in User.objects.filter(username__in=["pegawai", "atasan", "admin.sdm"]):
        user.set_password(PASSWORD)
        user.save(update_fields=["password"])


def _log_in(page, username: str) -> None:
    page.goto("/masuk/?next=/presensi/")
    form = page.locator("#main form").filter(has=page.locator("input[name=password]"))
    form.locator("input[name=username]").fill(username)
    form.locator("input[name=password]").fill(PASSWORD)
    form.locator("button[type=submit]").click()
    page.wait_for_url("**/presensi/")


def test_leave_goes_to_the_supervisor_then_to_hr(new_page, demo_world):
    from onedata.attendance.models import LeaveRequest

    waiting = LeaveRequest.objects.get(status="pending", employee__user__username="demo.pegawai1")
    boss = new_page(width=360, height=780)
    _log_in(boss, "atasan")
    boss.goto("/presensi/tim/")
    card = boss.locator("li.card").filter(has_text="Mengantar orang tua")
    card.get_by_role("button", name="Setujui").click()
    expect(boss.locator(".messages, .notice").first).to_be_visible()
    waiting.refresh_from_db()
    assert waiting.status == "verified"

    hr = new_page(width=360, height=780)
    _log_in(hr, "admin.sdm")
    hr.goto("/presensi/sdm/")
    card = hr.locator("li.card").filter(has_text="Mengantar orang tua")
    expect(card).to_contain_text("Disetujui atasan")
    card.get_by_role("button", name="Setujui").click()
    hr.wait_for_url("**/presensi/sdm/")
    waiting.refresh_from_db()
    assert waiting.status == "approved"
    assert hr.locator("li.card").filter(has_text="Mengantar orang tua").count() == 0


def test_hr_imports_employees_and_watches_the_progress(new_page, demo_world, tmp_path):
    from onedata.attendance.models import Employee, Office

    office = Office.objects.get(name="Kantor Gubernur Bali")
    csv = tmp_path / "pegawai.csv"
    csv.write_text(
        "nip,nama,email,jabatan,golongan,jenis,nip_atasan,tpp\n"
        "198503172010011002,Komang Wirata,,Analis,III/b,pns,197805122003121002,4000000\n"
        ",Putu Kontrak,putu.kontrak@example.id,Pengemudi,,kontrak,,\n"
    )
    page = new_page(width=360, height=780)
    _log_in(page, "admin.sdm")
    page.goto(f"/presensi/sdm/kantor/{office.pk}/")
    page.locator("input[type=file][name=file]").set_input_files(str(csv))
    page.get_by_role("button", name="Impor", exact=True).click()
    page.wait_for_url(f"**/presensi/sdm/kantor/{office.pk}/impor/*/")
    expect(page.locator("#att-import .notice-success")).to_be_visible()
    assert Employee.objects.get(nip="198503172010011002").supervisor.nip == "197805122003121002"
    assert Employee.objects.filter(name="Putu Kontrak", office=office).exists()


@pytest.mark.parametrize("width", [360, 1280])
def test_screenshots_of_the_hr_pages(new_page, demo_world, screenshot_dir, width):
    from onedata.attendance.models import ImportJob, Office

    office = Office.objects.get(name="Kantor Gubernur Bali")
    job = ImportJob.objects.create(
        office=office,
        original_name="pegawai-bkd.xlsx",
        status="running",
        total=20000,
        processed=8000,
    )
    page = new_page(width=width, height=800)
    _log_in(page, "admin.sdm")
    for url, name in [
        ("/presensi/sdm/", "hr"),
        (f"/presensi/sdm/kantor/{office.pk}/jadwal/", "schedules"),
        ("/presensi/sdm/kalender/", "calendar"),
        (f"/presensi/kantor/{office.pk}/papan/", "board"),
        (f"/presensi/sdm/kantor/{office.pk}/impor/{job.pk}/", "import"),
    ]:
        page.goto(url)
        overflow = page.evaluate(
            "document.documentElement.scrollWidth - document.documentElement.clientWidth"
        )
        assert overflow <= 0, f"{name} scrolls sideways at {width}px"
        if screenshot_dir is not None:
            page.screenshot(path=screenshot_dir / f"attendance-{name}-{width}.png", full_page=True)
    expect(page.locator("progress.att-progress")).to_have_attribute("value", "40")
