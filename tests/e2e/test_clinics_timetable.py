"""Clinic staff change their timetable on a phone: raise a session's quota, see a mistake
kept beside its field, close a day; citizens then see the new numbers and the closed day."""

from __future__ import annotations

import re
from datetime import time, timedelta

import pytest

try:
    from playwright.sync_api import Page, expect
except ImportError:  # conftest.py skips every test (fails them with ONEDATA_REQUIRE_BROWSER=1)
    Page = expect = None

from onedata.clinics import services
from onedata.clinics.models import Closure, Session
from onedata.core.regions import regions_load
from onedata.core.roles import Role
from tests.clinics.factories import make_clinic
from tests.conftest import PASSWORD, make_user
from tests.e2e import browser

pytestmark = pytest.mark.e2e

PHONE = 360
DESKTOP = 1280


@pytest.fixture
def clinic(live_server):
    regions_load()
    clinic = make_clinic(
        "puskesmas-kuta-1",
        region_code="51.03.01",
        lat=-8.723,
        lon=115.177,
        starts=time(0, 0),
        ends=time(23, 59),
        quota_online=20,
    )
    clinic.agency.name = "Puskesmas Kuta I"
    clinic.agency.save(update_fields=["name"])
    make_user("perawat.kuta", Role.CLINIC_STAFF, clinic.agency, name="Perawat Kuta")
    return clinic


def log_in(page: Page, username: str, next_url: str) -> None:
    browser.log_in(page, username, PASSWORD, next_url)


def test_staff_raise_a_quota_and_close_a_day_on_a_phone(new_page, clinic):
    page = new_page(width=PHONE, height=740)
    log_in(page, "perawat.kuta", "/antrean/petugas/")
    page.get_by_role("link", name=re.compile("Jadwal dan kuota|Timetable and quotas")).click()
    expect(page.locator("h1")).to_contain_text("Puskesmas Kuta I")
    session = Session.objects.filter(weekday=services.today_wita().weekday()).get()
    row = page.locator(f"#session-{session.pk}")
    row.locator(f"#id_s{session.pk}-quota_jkn").fill("99")  # more than the online quota
    row.get_by_role("button", name=re.compile("Simpan|Save")).click()
    row = page.locator(f"#session-{session.pk}")
    expect(row.locator(".error")).to_be_visible()
    expect(row.locator(f"#id_s{session.pk}-quota_jkn")).to_have_value("99")  # kept
    row.locator(f"#id_s{session.pk}-quota_jkn").fill("")
    row.locator(f"#id_s{session.pk}-quota_online").fill("35")
    row.get_by_role("button", name=re.compile("Simpan|Save")).click()
    expect(page.locator(".notice-success")).to_be_visible()
    session.refresh_from_db()
    assert session.quota_online == 35
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE

    tomorrow = services.today_wita() + timedelta(days=1)
    page.locator("#id_date").fill(tomorrow.isoformat())
    page.locator("#id_reason").fill("Galungan")
    page.get_by_role("button", name=re.compile("Tutup hari itu|Close that day")).click()
    expect(page.locator("#closures")).to_contain_text("Galungan")
    assert Closure.objects.get().date == tomorrow

    citizen = new_page(width=PHONE, height=740)
    citizen.goto(f"/antrean/klinik/{clinic.pk}/")
    quota = citizen.locator(".cl-quota tbody tr").first
    expect(quota.locator("td").first).to_have_text("35")
    expect(quota.locator("td").nth(1)).to_contain_text(re.compile("Tutup|Closed"))


@pytest.mark.parametrize("width", [PHONE, DESKTOP])
def test_screenshots_clinics_timetable(new_page, clinic, screenshot_dir, width):
    page = new_page(width=width, height=800)
    log_in(page, "perawat.kuta", f"/antrean/petugas/{clinic.pk}/jadwal/")
    expect(page.locator("h1")).to_contain_text("Puskesmas Kuta I")
    page.locator("#id_new-starts_at").fill("14:00")
    page.locator("#id_new-ends_at").fill("13:00")
    page.get_by_role("button", name=re.compile("Tambahkan sesi|Add the session")).click()
    expect(page.locator(".error-summary")).to_be_visible()
    overflow = page.evaluate(
        "document.documentElement.scrollWidth - document.documentElement.clientWidth"
    )
    assert overflow <= 0, f"timetable at {width}px scrolls sideways by {overflow}px"
    if screenshot_dir is not None:
        page.screenshot(path=screenshot_dir / f"clinics-timetable-{width}.png", full_page=True)
