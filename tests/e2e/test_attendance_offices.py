"""Attendance in a real browser: HR adds an office location with "use my current
location" and takes one out of use, imports a roster file and follows it; an employee
reads their schedule and turns a reminder off. Screenshots at 360 and 1280 px."""

from __future__ import annotations

from datetime import timedelta

import pytest

try:
    from playwright.sync_api import expect
except ImportError:  # conftest.py skips every test
    expect = None

from tests.e2e.browser import overflow

pytestmark = [pytest.mark.e2e]
PASSWORD = "bali-demo-2026"
SANUR = {"latitude": -8.6801, "longitude": 115.2632, "accuracy": 12}


@pytest.fixture
def demo_world(live_server, _flushable_database, _empty_cache):
    from onedata.attendance import demo
    from onedata.core import demo as core_demo
    from onedata.core.models import User

    core_demo.seed()
    demo.seed()
    for user in User.objects.filter(username__in=["pegawai", "admin.sdm"]):
        user.set_password(PASSWORD)
        user.save(update_fields=["password"])


def _log_in(page, username: str) -> None:
    page.goto("/masuk/?next=/presensi/")
    form = page.locator("#main form").filter(has=page.locator("input[name=password]"))
    form.locator("input[name=username]").fill(username)
    form.locator("input[name=password]").fill(PASSWORD)
    form.locator("button[type=submit]").click()
    page.wait_for_url("**/presensi/")


def _office():
    from onedata.attendance.models import Office

    return Office.objects.get(name="Kantor Gubernur Bali")


def test_hr_adds_a_location_from_the_phone_and_stops_using_another(
    new_page, demo_world, live_server
):
    from onedata.attendance.models import OfficeLocation

    office = _office()
    page = new_page(width=360, height=780)
    page.context.grant_permissions(["geolocation"], origin=live_server.url)
    page.context.set_geolocation(SANUR)
    _log_in(page, "admin.sdm")
    page.goto(f"/presensi/sdm/kantor/{office.pk}/ubah/")
    expect(page.locator("svg.att-sketch circle")).to_have_count(2)
    form = page.locator("form").filter(has=page.locator("input[name=action][value=location]"))
    form.get_by_label("Nama lokasi").fill("Kantor Cabang Sanur")
    form.get_by_role("button", name="Gunakan lokasi saya sekarang").click()
    expect(form.get_by_label("Lintang (latitude)")).to_have_value("-8.680100")
    expect(form.locator("[data-att-geo-status]")).to_contain_text("12 m")
    form.get_by_role("button", name="Tambah lokasi").click()
    page.wait_for_url(f"**/presensi/sdm/kantor/{office.pk}/ubah/")
    expect(page.locator(".notice-success")).to_contain_text("Kantor Cabang Sanur")
    expect(page.locator("svg.att-sketch circle")).to_have_count(3)
    added = OfficeLocation.objects.get(name="Kantor Cabang Sanur")
    assert (added.latitude, added.longitude, added.radius_m) == (-8.6801, 115.2632, 100)
    row = page.locator("li.card").filter(has_text="Gedung Wiswa Sabha Utama")
    row.get_by_role("button", name="Berhenti pakai").click()
    page.wait_for_url(f"**/presensi/sdm/kantor/{office.pk}/ubah/")
    expect(page.locator("li.card").filter(has_text="Gedung Wiswa Sabha Utama")).to_contain_text(
        "Tidak dipakai"
    )
    assert [loc.name for loc in office.locations.all()] == [
        "Kantor Cabang Sanur",
        "Niti Mandala Renon, Jl. Basuki Rahmat",
    ]
    assert overflow(page) <= 0


def test_a_bad_latitude_is_named_beside_the_field(new_page, demo_world):
    office = _office()
    page = new_page(width=360, height=780)
    _log_in(page, "admin.sdm")
    page.goto(f"/presensi/sdm/kantor/{office.pk}/ubah/")
    form = page.locator("form").filter(has=page.locator("input[name=action][value=location]"))
    form.get_by_label("Nama lokasi").fill("Salah ketik")
    form.get_by_label("Lintang (latitude)").fill("86.7")  # the minus sign forgotten... nearly
    form.get_by_label("Lintang (latitude)").fill("-98.67")
    form.get_by_label("Bujur (longitude)").fill("115.2")
    form.get_by_role("button", name="Tambah lokasi").click()
    expect(page.locator("#id_location-latitude-error")).to_be_visible()
    expect(page.locator(".error-summary")).to_be_visible()
    expect(page.get_by_label("Nama lokasi")).to_have_value("Salah ketik")


def test_hr_imports_a_roster_file_and_reads_the_report(new_page, demo_world, tmp_path):
    from django.utils import timezone

    from onedata.attendance.models import Employee, ShiftAssignment

    office = _office()
    nip = Employee.objects.get(user__username="pegawai").nip
    day = timezone.localdate() + timedelta(days=20)
    roster = tmp_path / "jadwal.csv"
    roster.write_text(
        f"nip,tanggal,kode_shift\n{nip},{day.isoformat()},P\n999,{day.isoformat()},P\n"
    )
    page = new_page(width=1280, height=800)
    _log_in(page, "admin.sdm")
    page.goto(f"/presensi/sdm/kantor/{office.pk}/jadwal-dinas/")
    page.get_by_label("Impor baris yang benar dan tampilkan yang dilewati").check()
    page.set_input_files("input[name=file]", str(roster))
    page.get_by_role("button", name="Periksa dan impor").click()
    page.wait_for_url(f"**/presensi/sdm/kantor/{office.pk}/jadwal-dinas/*/")
    expect(page.locator("#att-roster-import .notice-success")).to_contain_text("1 hari")
    expect(page.locator("#att-roster-import table")).to_contain_text("Tidak ada pegawai")
    assert ShiftAssignment.objects.get(employee__nip=nip, date=day).schedule.code == "P"


def test_the_employee_reads_their_schedule_and_turns_a_reminder_off(new_page, demo_world):
    from onedata.attendance.models import ReminderPreference

    page = new_page(width=360, height=780)
    _log_in(page, "pegawai")
    page.get_by_role("link", name="Jadwal saya").first.click()
    page.wait_for_url("**/presensi/jadwal/")
    expect(page.locator("h1")).to_have_text("Jadwal saya")
    expect(page.locator(".att-week li")).to_have_count(28)
    page.get_by_label("Ingatkan saya jika belum absen pulang", exact=False).uncheck()
    page.get_by_role("button", name="Simpan pengingat").click()
    expect(page.locator(".notice-success")).to_be_visible()
    preference = ReminderPreference.objects.get(employee__user__username="pegawai")
    assert preference.checkin and not preference.checkout
    assert overflow(page) <= 0


@pytest.mark.parametrize("width", [360, 1280])
def test_screenshots_of_the_office_roster_and_schedule_pages(
    new_page, demo_world, screenshot_dir, width
):
    from onedata.attendance.models import OfficeLocation, RosterImport

    office = _office()
    location = OfficeLocation.objects.filter(office=office).first()
    job = RosterImport.objects.create(
        office=office,
        original_name="jadwal-igd-maret.xlsx",
        mode="valid",
        status="done",
        total=930,
        processed=930,
        saved=928,
        skipped=2,
        errors=[
            {"row": 7, "column": "2026-03-04", "message": "Kode shift X tidak dikenal."},
            {"row": 12, "column": "nip", "message": "Tidak ada pegawai dengan NIP ini."},
        ],
    )
    hr = new_page(width=width, height=800)
    _log_in(hr, "admin.sdm")
    pages = [
        (hr, f"/presensi/sdm/kantor/{office.pk}/ubah/", "office"),
        (hr, f"/presensi/sdm/kantor/{office.pk}/lokasi/{location.pk}/", "location"),
        (hr, "/presensi/sdm/kantor/baru/", "office-new"),
        (hr, f"/presensi/sdm/kantor/{office.pk}/jadwal-dinas/", "roster"),
        (hr, f"/presensi/sdm/kantor/{office.pk}/jadwal-dinas/{job.pk}/", "roster-job"),
    ]
    employee = new_page(width=width, height=800)
    _log_in(employee, "pegawai")
    pages.append((employee, "/presensi/jadwal/", "my-schedule"))
    for page, url, name in pages:
        page.goto(url)
        assert overflow(page) <= 0, f"{name} scrolls sideways at {width}px"
        if screenshot_dir is not None:
            page.screenshot(path=screenshot_dir / f"attendance-{name}-{width}.png", full_page=True)
