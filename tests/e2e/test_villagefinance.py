"""SIKUAT in a real browser on a phone-sized screen: a treasurer records a spending with a
receipt photo (shrunk and uploaded by the page's script) and sees it in the cash book."""

from __future__ import annotations

import re

import pytest
from django.utils import timezone
from PIL import Image, ImageDraw

try:
    from playwright.sync_api import expect
except ImportError:  # conftest.py skips every test
    expect = None

from onedata.core.models import User
from onedata.villagefinance import services
from onedata.villagefinance.models import Account, Entry
from tests.conftest import PASSWORD
from tests.e2e import browser
from tests.e2e.villagefinance_world import sample_village

pytestmark = pytest.mark.e2e
PHONE = 360
DESKTOP = 1280


@pytest.fixture
def village(live_server, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    desa = sample_village(
        slug="desa-adat-e2e", treasurer="patengen.e2e", fund="cash", amount=5_000_000
    )
    year = timezone.localdate().year
    services.budget_set(
        actor=User.objects.get(username="patengen.e2e"),
        desa=desa,
        account=Account.objects.get(year=year, code="5.1.1"),
        amount=2_000_000,
    )
    return desa


def receipt_photo(path) -> str:
    image = Image.new("RGB", (2400, 3200), "white")
    draw = ImageDraw.Draw(image)
    for i in range(20):
        draw.rectangle([100, 150 + i * 140, 600 + (i * 97) % 1500, 220 + i * 140], fill="black")
    image.save(path, "JPEG", quality=90)
    return str(path)


def log_in(page, username):
    browser.log_in(page, username, PASSWORD, "/sikuat/")


def test_treasurer_records_spending_with_a_receipt_photo_and_sees_it_in_the_cash_book(
    new_page, village, tmp_path
):
    page = new_page(width=PHONE, height=740)
    log_in(page, "patengen.e2e")
    expect(page.get_by_test_id("balance")).to_have_text("Rp 5.000.000")
    page.get_by_role("link", name=re.compile("Catat pengeluaran")).click()
    page.set_input_files("input[name=receipt]", receipt_photo(tmp_path / "nota.jpg"))
    expect(page.locator(".vf-status")).to_have_text(re.compile("Foto tersimpan"))
    receipt_id = page.locator("input[name=receipt_id]").input_value()
    assert receipt_id
    # A first try with a mistake: the amount is missing. The photo stays.
    page.locator("select[name=account]").select_option("5.1.1")
    page.locator("input[name=description]").fill("Canang odalan Pura Desa")
    page.get_by_role("button", name="Simpan", exact=True).click()
    expect(page.locator(".error-summary")).to_be_visible()
    expect(page.locator("input[name=description]")).to_have_value("Canang odalan Pura Desa")
    assert page.locator("input[name=receipt_id]").input_value() == receipt_id
    expect(page.locator(".vf-photo img")).to_be_visible()
    page.locator("input[name=amount]").fill("150.000")
    page.get_by_role("button", name="Simpan", exact=True).click()
    expect(page.locator(".notice-success")).to_contain_text("Tersimpan")
    expect(page.get_by_test_id("balance")).to_have_text("Rp 4.850.000")
    page.get_by_role("link", name="Buku kas").first.click()
    row = page.locator("tr", has_text="Canang odalan Pura Desa")
    expect(row).to_contain_text("150.000")
    expect(row).to_contain_text("4.850.000")
    entry = Entry.objects.get(desa_adat=village, kind="spending")
    assert entry.receipt_id == int(receipt_id)
    stored = entry.receipt
    assert max(stored.width, stored.height) <= 1600  # shrunk on the phone before upload


@pytest.mark.parametrize("width", [PHONE, DESKTOP])
def test_screenshots_villagefinance(new_page, village, screenshot_dir, width, tmp_path):
    services.entry_draft_save(
        actor="test",
        desa=village,
        kind="spending",
        amount=350_000,
        description="Konsumsi rapat paruman (nota menyusul)",
    )
    page = new_page(width=width, height=800)
    log_in(page, "patengen.e2e")
    pages = {
        "vf-home": f"/sikuat/desa/{village.pk}/",
        "vf-reconciliation": f"/sikuat/desa/{village.pk}/rekonsiliasi/",
        "vf-form": f"/sikuat/desa/{village.pk}/catat/pengeluaran/",
        "vf-cashbook": f"/sikuat/desa/{village.pk}/kas/",
        "vf-realisation": f"/sikuat/desa/{village.pk}/realisasi/",
        "vf-public": f"/sikuat/publik/{village.pk}/",
    }
    for name, url in pages.items():
        page.goto(url)
        overflow = page.evaluate(
            "Math.max(document.documentElement.scrollWidth, document.body.scrollWidth)"
            " - document.documentElement.clientWidth"
        )
        assert overflow <= 0, f"{name} scrolls sideways by {overflow}px at {width}px"
        if screenshot_dir is not None:
            page.screenshot(path=screenshot_dir / f"{name}-{width}.png", full_page=True)
