"""The UI shell in a real browser: log in and out, the home page, the language switch,
a failed login, and how the pages look on a phone and on a desktop."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse
from django.utils import translation

try:
    from playwright.sync_api import Page, expect
except ImportError:  # conftest.py skips every test (fails them with ONEDATA_REQUIRE_BROWSER=1)
    Page = expect = None

from onedata.core import demo
from onedata.core.models import User
from onedata.core.navigation import SERVICES
from onedata.core.regions import regions_load

pytestmark = pytest.mark.e2e

PASSWORD = "Sanur-pagi-2026"
PHONE = 360
DESKTOP = 1280


@pytest.fixture
def person(live_server):
    """A citizen with a password, on a database holding Bali's regions."""
    regions_load()
    return User.objects.create_user(
        username="made.e2e", password=PASSWORD, name="Made Wirawan", email="made@example.test"
    )


def url_path(name: str) -> re.Pattern:
    """A pattern for a page URL whatever the live server's host and port."""
    return re.compile(r"^https?://[^/]+" + re.escape(reverse(name)) + r"(\?.*)?$")


def log_in(page: Page, username: str, password: str) -> None:
    form = page.locator("#main form").filter(has=page.locator("input[name=password]"))
    form.locator("input[name=username]").fill(username)
    form.locator("input[name=password]").fill(password)
    form.locator("button[type=submit]").click()


def open_menu(page: Page):
    menu = page.locator("header details.menu")
    if menu.get_attribute("open") is None:
        menu.locator("summary").click()
    expect(menu.locator("nav")).to_be_visible()
    return menu


def horizontal_overflow(page: Page) -> int:
    """How many CSS pixels the page is wider than the window (0 when it fits)."""
    return page.evaluate(
        "Math.max(document.documentElement.scrollWidth, document.body.scrollWidth)"
        " - document.documentElement.clientWidth"
    )


def test_log_in_shows_home_with_services(page, person):
    page.goto(reverse("core:login"))
    expect(page.locator("h1")).to_be_visible()

    log_in(page, "made.e2e", PASSWORD)

    expect(page).to_have_url(url_path("core:home"))
    expect(page.locator(".hero")).to_contain_text("Made Wirawan")
    cards = page.locator("ul.cards > li.card")
    expect(cards).to_have_count(len(SERVICES))
    with translation.override("id"):
        titles = [str(service.title) for service in SERVICES]
    for card, title in zip(cards.all(), titles, strict=True):
        expect(card.locator("h3")).to_have_text(title)
    # Logged in: the hero no longer offers to log in, the menu offers the account.
    expect(page.locator(f".hero a[href='{reverse('core:login')}']")).to_have_count(0)
    menu = open_menu(page)
    expect(menu.locator(f"a[href='{reverse('core:account')}']")).to_be_visible()


def test_log_in_with_email_address(page, person):
    page.goto(reverse("core:login"))
    log_in(page, "made@example.test", PASSWORD)
    expect(page).to_have_url(url_path("core:home"))
    expect(page.locator(".hero")).to_contain_text("Made Wirawan")


def test_failed_login_shows_error_summary_and_keeps_username(page, person):
    page.goto(reverse("core:login"))

    log_in(page, "made.e2e", "not-the-password")

    summary = page.locator(".error-summary[role=alert]")
    expect(summary).to_be_visible()
    expect(summary.locator("h2")).to_be_visible()
    expect(summary.locator("li").first).to_be_visible()
    expect(page).to_have_url(url_path("core:login"))
    expect(page.locator("#main input[name=username]")).to_have_value("made.e2e")
    # Still anonymous.
    open_menu(page)
    expect(page.locator(f"header a[href='{reverse('core:login')}']")).to_be_visible()


def test_language_switch_from_indonesian_to_english_and_back(page, person):
    page.goto(reverse("core:login"))
    html = page.locator("html")
    switch = page.locator("header form.lang")
    expect(html).to_have_attribute("lang", "id")
    expect(switch.get_by_role("button", name="ID", exact=True)).to_have_attribute(
        "aria-current", "true"
    )
    expect(switch.locator("button[value=en]")).not_to_have_attribute("aria-current", "true")

    switch.locator("button[value=en]").click()

    expect(html).to_have_attribute("lang", "en")
    expect(page).to_have_url(url_path("core:login"))  # stays on the same page
    expect(switch.locator("button[value=en]")).to_have_attribute("aria-current", "true")
    expect(switch.locator("button[value=id]")).not_to_have_attribute("aria-current", "true")
    expect(page.locator("#main h1")).to_have_text("Log in")

    # The choice sticks across pages and through logging in.
    log_in(page, "made.e2e", PASSWORD)
    expect(page).to_have_url(url_path("core:home"))
    expect(html).to_have_attribute("lang", "en")

    switch.locator("button[value=id]").click()
    expect(html).to_have_attribute("lang", "id")
    expect(switch.locator("button[value=id]")).to_have_attribute("aria-current", "true")
    expect(page).to_have_url(url_path("core:home"))


def test_log_out_from_header_menu_on_a_phone(new_page, person):
    page = new_page(width=PHONE, height=740)
    page.goto(reverse("core:login"))
    log_in(page, "made.e2e", PASSWORD)
    expect(page).to_have_url(url_path("core:home"))

    menu = open_menu(page)
    logout = menu.locator(f"form[action='{reverse('core:logout')}'] button[type=submit]")
    expect(logout).to_be_visible()
    box = logout.bounding_box()
    assert box is not None
    assert box["x"] >= 0 and box["x"] + box["width"] <= PHONE, f"log-out button off screen: {box}"
    assert box["height"] >= 44, f"log-out button is a small tap target: {box}"
    logout.click()

    expect(page).to_have_url(url_path("core:home"))
    expect(page.locator("#main .notice[role=status]")).to_be_visible()
    expect(page.locator(f".hero a[href='{reverse('core:login')}']")).to_be_visible()
    # The session is gone: the account page asks to log in again.
    page.goto(reverse("core:account"))
    expect(page).to_have_url(re.compile(re.escape(reverse("core:login")) + r"\?next="))


def test_account_page_asks_to_log_in_then_comes_back(page, person):
    page.goto(reverse("core:account"))
    expect(page).to_have_url(re.compile(re.escape(reverse("core:login")) + r"\?next="))

    log_in(page, "made.e2e", PASSWORD)

    expect(page).to_have_url(url_path("core:account"))
    expect(page.locator("#main .summary")).to_contain_text("made.e2e")
    profile = page.locator("#main form").filter(has=page.locator("input[name=form][value=profile]"))
    expect(profile.locator("input[name=profile-name]")).to_have_value("Made Wirawan")


def test_demo_login_sees_its_role_on_the_account_page(page, live_server):
    demo.seed()
    page.goto(reverse("core:account"))

    log_in(page, "walidata", demo.DEMO_PASSWORD)

    expect(page).to_have_url(url_path("core:account"))
    roles = page.locator("#main .summary li")
    expect(roles).to_have_count(1)
    expect(roles).to_contain_text(demo.PROVINCIAL_AGENCIES[0][1])


@pytest.mark.parametrize("width", [PHONE, DESKTOP])
def test_screenshots_and_no_sideways_scrolling(new_page, person, screenshot_dir, width):
    """Home, log-in and account pages fit the window; with ONEDATA_SCREENSHOT_DIR set,
    full-page screenshots are written there for people to look at."""
    page = new_page(width=width, height=800 if width > PHONE else 740)
    overflow = {}

    def snap(name: str) -> None:
        page.wait_for_load_state("load")
        overflow[name] = horizontal_overflow(page)
        if screenshot_dir is not None:
            page.screenshot(path=screenshot_dir / f"{name}-{width}.png", full_page=True)

    page.goto(reverse("core:home"))
    snap("home")
    open_menu(page)
    snap("home-menu")
    page.goto(reverse("core:login"))
    snap("login")
    log_in(page, "made.e2e", "not-the-password")
    expect(page.locator(".error-summary")).to_be_visible()
    snap("login-error")
    log_in(page, "made.e2e", PASSWORD)
    expect(page).to_have_url(url_path("core:home"))
    snap("home-logged-in")
    page.goto(reverse("core:account"))
    expect(page.locator("#main h1")).to_be_visible()
    snap("account")

    too_wide = {name: px for name, px in overflow.items() if px > 0}
    assert not too_wide, f"pages scroll sideways at {width}px (extra CSS px): {too_wide}"
