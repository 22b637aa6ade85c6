"""The clinic queue in a real browser: a citizen books on a phone-sized screen, clinic
staff check the ticket in and call it, the display board shows the number."""

from __future__ import annotations

import re
from datetime import time

import pytest

try:
    from playwright.sync_api import Page, expect
except ImportError:  # conftest.py skips every test (fails them with ONEDATA_REQUIRE_BROWSER=1)
    Page = expect = None

from onedata.clinics.models import Booking, OpeningHours
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
    """A puskesmas open all day (so the test runs at any hour) and its staff member."""
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
    clinic.booking_cutoff_minutes = 0
    clinic.address = "Jl. Raya Kuta No. 102"
    clinic.save(update_fields=["booking_cutoff_minutes", "address"])
    for weekday in range(7):
        OpeningHours.objects.create(
            clinic=clinic, weekday=weekday, opens_at=time(0, 0), closes_at=time(23, 59)
        )
    make_user("perawat.kuta", Role.CLINIC_STAFF, clinic.agency, name="Perawat Kuta")
    return clinic


def book_on_phone(page: Page, clinic) -> str:
    page.goto("/antrean/")
    page.get_by_role("link", name="Puskesmas Kuta I").click()
    page.locator("#id_nik").fill("12345")
    page.locator("#id_name").fill("Ni Luh Ayu")
    page.locator("#id_phone").fill("0812 3456 7890")
    page.get_by_role("button", name=re.compile("Ambil nomor|Take a number")).click()
    expect(page.locator(".error-summary")).to_be_visible()
    expect(page.locator("#id_name")).to_have_value("Ni Luh Ayu")  # what was typed stays
    page.locator("#id_nik").fill("5103010101900001")
    page.get_by_role("button", name=re.compile("Ambil nomor|Take a number")).click()
    expect(page.locator("[data-ticket]")).to_have_text("G-001")
    return page.locator("[data-code]").inner_text().strip()


def log_in(page: Page, username: str) -> None:
    browser.log_in(page, username, PASSWORD, "/antrean/petugas/")


def test_a_citizen_books_on_a_phone_staff_call_the_number_and_the_board_shows_it(new_page, clinic):
    phone = new_page(width=PHONE, height=740)
    code = book_on_phone(phone, clinic)
    assert Booking.objects.get().code == code
    assert phone.evaluate("document.documentElement.scrollWidth") <= PHONE

    board = new_page(width=DESKTOP)  # open before the call: it must update by itself
    board.goto(f"/antrean/layar/{clinic.pk}/")
    expect(board.locator(".cl-board-next").first).to_contain_text("G-001")

    staff = new_page()
    log_in(staff, "perawat.kuta")
    expect(staff.locator("h1")).to_contain_text("Puskesmas Kuta I")
    staff.locator("#checkin-code").fill(code.lower())
    staff.locator("#checkin-code").press("Enter")
    expect(staff.locator(".notice-success")).to_contain_text("G-001")
    staff.locator("#desk").fill("2")
    staff.locator("button[data-service=general]").click()
    expect(staff.locator(".notice-success")).to_contain_text("G-001")

    # htmx polls every 5 seconds; no reload.
    expect(board.locator(".cl-board-now").first).to_have_text("G-001", timeout=12_000)
    expect(board.locator(".cl-board-desk").first).to_contain_text("2")

    phone.reload()
    expect(phone.locator(".cl-ticket-status")).to_contain_text("2")


@pytest.mark.parametrize("width", [PHONE, DESKTOP])
def test_screenshots_clinics(new_page, clinic, screenshot_dir, width):
    """Every clinic page fits the screen; with ONEDATA_SCREENSHOT_DIR they are saved."""
    page = new_page(width=width, height=800)

    def shot(name: str) -> None:
        overflow = page.evaluate(
            "document.documentElement.scrollWidth - document.documentElement.clientWidth"
        )
        assert overflow <= 0, f"{name} at {width}px scrolls sideways by {overflow}px"
        if screenshot_dir is not None:
            page.screenshot(path=screenshot_dir / f"clinics-{name}-{width}.png", full_page=True)

    page.goto("/antrean/?service=general&near=-8.72,115.18")
    shot("choose")
    page.goto(f"/antrean/klinik/{clinic.pk}/")
    page.locator("#id_nik").fill("123")
    page.get_by_role("button", name=re.compile("Ambil nomor|Take a number")).click()
    shot("form-errors")
    code = book_on_phone(page, clinic)
    shot("ticket")
    log_in(page, "perawat.kuta")
    page.locator("#checkin-code").fill(code)
    page.locator("#checkin-code").press("Enter")
    shot("console")
    page.goto(f"/antrean/layar/{clinic.pk}/")
    shot("board")
