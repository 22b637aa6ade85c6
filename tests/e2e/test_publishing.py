"""One Data in a real browser: the provincial steward refreshes the region list from the
publications page, the province dashboard shows its figure and links to the dataset, whose
page says where the data comes from; screenshots at 360 px and desktop, no sideways scroll."""

from __future__ import annotations

import pytest
from django.urls import reverse

try:
    from playwright.sync_api import Page, expect
except ImportError:  # conftest.py skips every test (fails them with ONEDATA_REQUIRE_BROWSER=1)
    Page = expect = None

from onedata.core import demo as core_demo
from tests.e2e import browser

pytestmark = pytest.mark.e2e

PHONE = 360
DESKTOP = 1280
REGIONS = "kode-wilayah-bali"


@pytest.fixture
def bali(live_server, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    core_demo.seed()


def log_in(page: Page, username: str) -> None:
    browser.log_in(page, username, core_demo.DEMO_PASSWORD)


@pytest.mark.parametrize("width", [PHONE, DESKTOP])
def test_steward_refreshes_and_the_dashboard_links_to_the_dataset(
    new_page, bali, screenshot_dir, width
):
    page = new_page(width=width, height=740 if width == PHONE else 800)
    too_wide = {}

    def snap(name: str) -> None:
        page.wait_for_load_state("load")
        too_wide[name] = browser.overflow(page)
        if screenshot_dir is not None:
            page.screenshot(path=screenshot_dir / f"onedata-{name}-{width}.png", full_page=True)

    page.goto(reverse("publishing:dashboard"))
    expect(page.locator("#card-villages .od-figure-none")).to_be_visible()
    snap("dashboard-empty")

    log_in(page, "walidata")
    page.goto(reverse("publishing:publications"))
    item = page.locator(f"#pub-{REGIONS}")
    item.locator("button[type=submit]").click()
    page.wait_for_load_state("load")
    expect(page.locator(".notice-success")).to_contain_text("783")
    expect(page.locator(f"#pub-{REGIONS} .badge-ok")).to_be_visible()
    snap("publications")

    page.goto(reverse("publishing:dashboard"))
    expect(page.locator("#card-villages .od-figure")).to_have_text("716")
    snap("dashboard")
    page.locator("#card-villages a").click()
    page.wait_for_load_state("load")
    expect(page.locator("#lineage")).to_contain_text("onedata.core.publishers.produce_regions")
    snap("dataset-lineage")
    assert too_wide == {name: 0 for name in too_wide}, too_wide
