"""Hospitals in a real browser: a reporter sends a report from the phone form, the
dashboard changes status, the provincial analyst makes and approves an allocation plan;
the public free-beds page; screenshots at 360 px and desktop."""

from __future__ import annotations

import pytest
from django.urls import reverse

try:
    from playwright.sync_api import Page, expect
except ImportError:  # conftest.py skips every test (fails them with ONEDATA_REQUIRE_BROWSER=1)
    Page = expect = None

from onedata.core import demo as core_demo
from onedata.hospitals import demo
from onedata.hospitals.models import Hospital
from tests.e2e import browser

pytestmark = pytest.mark.e2e

PHONE = 360
DESKTOP = 1280


@pytest.fixture
def bali(live_server):
    core_demo.seed()
    demo.seed()
    return Hospital.objects.get(agency__slug="rsud-wangaya")


def log_in(page: Page, username: str) -> None:
    browser.log_in(page, username, core_demo.DEMO_PASSWORD)


def row_status(page: Page, name: str):
    return page.locator("table.rs-table tr", has_text=name).locator(".rs-status").first


def test_report_changes_the_dashboard_and_an_analyst_approves_a_plan(new_page, bali):
    # The analyst sees RSUD Wangaya on watch (about 40 hours left).
    analyst = new_page()
    log_in(analyst, "analis")
    analyst.goto(reverse("hospitals:dashboard"))
    expect(row_status(analyst, "RSUD Wangaya")).to_have_class("rs-status rs-watch")

    # The reporter, on a phone, reports a nearly empty tank and no full cylinders.
    reporter = new_page(width=PHONE, height=740)
    log_in(reporter, "pelapor.rs")
    reporter.goto(reverse("hospitals:report", args=[bali.pk]))
    expect(reporter.locator("input[name=patients_severe]")).not_to_have_value("0")
    reporter.fill("input[name=liquid_value]", "3")
    reporter.fill("input[name=cyl_large_full]", "0")
    reporter.locator("#main form button[type=submit]").click()
    expect(reporter).to_have_url(f"{reporter.url.split('/rumah-sakit/')[0]}/rumah-sakit/{bali.pk}/")
    expect(reporter.locator("#main .rs-status").first).to_have_class("rs-status rs-critical")

    # The dashboard now shows it critical.
    analyst.goto(reverse("hospitals:dashboard"))
    expect(row_status(analyst, "RSUD Wangaya")).to_have_class("rs-status rs-critical")

    # The analyst makes a plan and approves it.
    analyst.goto(reverse("hospitals:plans"))
    analyst.fill("input[name=supply_m3]", "20000")
    analyst.locator("#main form button[type=submit]").click()
    expect(analyst.locator("table.rs-table")).to_contain_text("RSUD Wangaya")
    analyst.locator("form[action$='/setujui/'] button").click()
    expect(analyst.locator(".badge-ok")).to_be_visible()


def test_an_analyst_plans_oxygen_by_source_and_day_on_a_phone(new_page, bali):
    page = new_page(width=PHONE, height=740)
    log_in(page, "analis")
    page.goto(reverse("hospitals:plans"))
    page.locator("details.rs-lots summary").click()
    page.fill("input[name=lot_source_1]", "PT Samator Denpasar")
    page.fill("input[name=lot_day_1]", "0")
    page.fill("input[name=lot_amount_1]", "3000")
    page.fill("input[name=lot_source_2]", "Aneka Gas Gresik")
    page.fill("input[name=lot_day_2]", "9")  # outside the 7-day horizon
    page.fill("input[name=lot_amount_2]", "4000")
    page.locator("#main form button[type=submit]").click()
    # Refused beside the field, with everything typed kept.
    expect(page.locator("#id_lot_day_2-error")).to_be_visible()
    expect(page.locator("input[name=lot_source_2]")).to_have_value("Aneka Gas Gresik")
    page.fill("input[name=lot_day_2]", "2")
    page.locator("#main form button[type=submit]").click()
    expect(page.locator("#plan-lots")).to_contain_text("Aneka Gas Gresik")
    expect(page.locator("#main")).to_contain_text("PT Samator Denpasar")


def test_free_beds_page_needs_no_login(new_page, bali):
    page = new_page(width=PHONE, height=740)
    page.goto(reverse("hospitals:beds"))
    page.select_option("select[name=bed_type]", "icu_vent")
    page.select_option("select[name=regency]", "51.71")
    page.locator("#main form button[type=submit]").click()
    expect(page.locator("ul.cards > li").first).to_contain_text("ICU")
    expect(page.locator("ul.cards")).not_to_contain_text("Sanjiwani")


@pytest.mark.parametrize("width", [PHONE, DESKTOP])
def test_screenshots_hospitals(new_page, bali, screenshot_dir, width):
    page = new_page(width=width, height=800 if width > PHONE else 740)
    too_wide = {}

    def snap(name: str) -> None:
        page.wait_for_load_state("load")
        too_wide[name] = browser.overflow(page)
        if screenshot_dir is not None:
            page.screenshot(path=screenshot_dir / f"hospitals-{name}-{width}.png", full_page=True)

    page.goto(reverse("hospitals:beds"))
    snap("beds")
    log_in(page, "pelapor.rs")
    page.goto(reverse("hospitals:report", args=[bali.pk]))
    snap("report")
    page.fill("input[name=bed_icu_vent_occupied]", "999")
    page.locator("#main form button[type=submit]").click()
    expect(page.locator(".error-summary")).to_be_visible()
    snap("report-error")
    log_in(page, "analis")
    page.goto(reverse("hospitals:dashboard"))
    snap("dashboard")
    page.goto(reverse("hospitals:detail", args=[bali.pk]))
    snap("detail")
    page.goto(reverse("hospitals:plans"))
    page.fill("input[name=supply_m3]", "15000")
    page.locator("#main form button[type=submit]").click()
    snap("plan")
    page.goto(reverse("hospitals:plans"))
    page.locator("details.rs-lots summary").click()
    snap("plans-form")
    from onedata.hospitals.models import AllocationPlan

    by_source = AllocationPlan.objects.filter(lots__isnull=False).first()
    page.goto(reverse("hospitals:plan", args=[by_source.pk]))
    snap("plan-by-source")
    wide = {name: px for name, px in too_wide.items() if px > 0}
    assert not wide, f"pages scroll sideways at {width}px: {wide}"
