"""The notification owner's pages in a real browser: a developer adds an event webhook and
sees its secret once; an admin keeps the suppression list; the pages fit a phone."""

from __future__ import annotations

import pytest

try:
    from playwright.sync_api import expect
except ImportError:  # conftest.py skips every test (fails them with ONEDATA_REQUIRE_BROWSER=1)
    expect = None

from onedata.core.models import Agency, Membership, Region, User
from onedata.core.regions import regions_load
from onedata.core.roles import Role
from onedata.notifications import services
from tests.e2e.test_shell import DESKTOP, PHONE, horizontal_overflow, log_in

pytestmark = pytest.mark.e2e

PASSWORD = "Sanur-pagi-2026"


@pytest.fixture
def owner(live_server):
    """A developer of Dinkes Bali with one application, and a platform admin."""
    regions_load()
    agency = Agency.objects.create(
        slug="dinkes-bali",
        name="Dinas Kesehatan",
        kind="dinas",
        region=Region.objects.get(code="51"),
    )
    developer = User.objects.create_user(username="dev.e2e", password=PASSWORD, name="Dev")
    Membership.objects.create(user=developer, agency=agency, role=Role.APP_DEVELOPER)
    admin = User.objects.create_user(username="admin.e2e", password=PASSWORD, name="Admin")
    Membership.objects.create(user=admin, agency=agency, role=Role.PLATFORM_ADMIN)
    application = services.application_create(actor="test", agency=agency, name="Antrean")
    services.suppression_add(actor="test", email="pindah@example.id", detail="bounce")
    return application


def test_developer_adds_a_webhook_and_sees_its_secret_once(new_page, owner):
    page = new_page(locale="en-US")
    page.goto(f"/masuk/?next=/notifikasi/aplikasi/{owner.slug}/webhook/")
    log_in(page, "dev.e2e", PASSWORD)
    page.get_by_label("URL that receives the events").fill("https://example.id/events")
    page.get_by_label("bounced").check()
    page.get_by_role("button", name="Add the webhook").click()
    secret = page.get_by_test_id("webhook-secret")
    expect(secret).to_contain_text("whsec_")
    page.goto(f"/notifikasi/aplikasi/{owner.slug}/webhook/")
    expect(page.locator("#main")).to_contain_text("https://example.id/events")
    expect(page.get_by_test_id("webhook-secret")).to_have_count(0)


@pytest.mark.parametrize("width", [PHONE, DESKTOP])
def test_screenshots_notifications(new_page, owner, screenshot_dir, width):
    page = new_page(width=width, height=800)
    page.goto("/masuk/")
    log_in(page, "admin.e2e", PASSWORD)
    pages = {
        "notify-senders": f"/notifikasi/aplikasi/{owner.slug}/pengirim/",
        "notify-webhooks": f"/notifikasi/aplikasi/{owner.slug}/webhook/",
        "notify-suppressions": "/notifikasi/daftar-tolak/",
    }
    for name, url in pages.items():
        page.goto(url)
        page.wait_for_load_state("load")
        assert horizontal_overflow(page) == 0, f"{name} scrolls sideways at {width} px"
        if screenshot_dir is not None:
            page.screenshot(path=screenshot_dir / f"{name}-{width}.png", full_page=True)
    expect(page.locator("#main")).to_contain_text("pindah@example.id")
