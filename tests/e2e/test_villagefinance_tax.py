"""SIKUAT's tax book and bank statement on a phone-sized screen: a treasurer records a
spending with PPh withheld and sees it in the tax book; uploads a bank statement, turns
the bank fee into a transaction, matches and completes the month."""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

import pytest
from django.utils import timezone

try:
    from playwright.sync_api import expect
except ImportError:  # conftest.py skips every test
    expect = None

from onedata.villagefinance import services
from onedata.villagefinance.models import Account, Entry, ReconciledMonth
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
        slug="desa-adat-pajak-e2e", treasurer="patengen.pajak", fund="bank", amount=20_000_000
    )
    return desa


def _statement(tmp_path, year: int) -> str:
    path = tmp_path / "rekening-koran.csv"
    path.write_text(
        "Rekening Koran BPD Bali\n"
        "Tgl Transaksi;Keterangan;Mutasi Debet;Mutasi Kredit;Saldo\n"
        f"03/01/{year};TRF BKK TAHAP 1;;20.000.000,00;20.000.000,00\n"
        f"31/01/{year};BIAYA ADM;15.000;;19.985.000\n",
        encoding="utf-8",
    )
    return str(path)


def test_treasurer_records_spending_with_pph_and_sees_it_in_the_tax_book(new_page, village):
    page = new_page(width=PHONE, height=740)
    browser.log_in(page, "patengen.pajak", PASSWORD, "/sikuat/")
    page.get_by_role("link", name=re.compile("Catat pengeluaran")).click()
    page.locator("input[name=amount]").fill("2.000.000")
    page.locator("select[name=account]").select_option("5.1.3")
    page.locator("input[name=description]").fill("Upah tukang pura")
    page.locator("label", has_text="Bank").first.click()
    page.get_by_text("Potong pajak dari penerima").click()
    page.locator("input[name=tax_pph23]").check()
    # The page shows the tax it computes (2% of 2.000.000) and what the payee receives.
    expect(page.locator("input[name=tax_pph23_amount]")).to_have_attribute("placeholder", "40.000")
    expect(page.locator("[data-vf-tax-net]")).to_contain_text("1.960.000")
    assert browser.overflow(page) <= 0
    page.get_by_role("button", name="Simpan", exact=True).click()
    expect(page.locator(".notice-success")).to_contain_text("Tersimpan")
    entry = Entry.objects.get(desa_adat=village, kind="spending")
    assert (entry.amount, entry.tax_amount) == (2_000_000, 40_000)
    page.get_by_role("link", name="Buku pajak").first.click()
    expect(page.get_by_test_id("tax-outstanding")).to_have_text("Rp 40.000")
    expect(page.get_by_test_id("tax-rows")).to_contain_text("Upah tukang pura")
    assert browser.overflow(page) <= 0


def test_treasurer_uploads_a_statement_and_matches(new_page, village, tmp_path):
    year = timezone.localdate().year
    page = new_page(width=PHONE, height=740)
    browser.log_in(page, "patengen.pajak", PASSWORD, "/sikuat/")
    page.goto(f"/sikuat/desa/{village.pk}/rekening-koran/")
    page.set_input_files("input[name=file]", _statement(tmp_path, year))
    page.get_by_role("button", name="Unggah dan cocokkan").click()
    expect(page.locator(".notice-success")).to_contain_text("2 baris terbaca, 1 cocok")
    expect(page.get_by_test_id("matched")).to_contain_text("BKK tahap 1")
    assert browser.overflow(page) <= 0
    # The bank fee is only on the statement: one tap makes a draft spending of it.
    page.get_by_test_id("open-lines").get_by_role(
        "button", name="Catat sebagai pengeluaran"
    ).click()
    expect(page.locator("input[name=amount]")).to_have_value("15000")
    page.locator("select[name=account]").select_option("5.4.2")
    page.get_by_role("button", name="Simpan", exact=True).click()
    expect(page.locator(".notice-success")).to_contain_text("Tersimpan")
    page.goto(f"/sikuat/desa/{village.pk}/rekening-koran/?bulan={year}-1")
    page.get_by_role("button", name="Cocokkan otomatis").click()
    expect(page.get_by_test_id("matched")).to_contain_text("BIAYA ADM")
    page.get_by_role("button", name="Rekonsiliasi selesai").click()
    expect(page.get_by_test_id("reconciled")).to_contain_text("Made Patengen")
    assert ReconciledMonth.objects.filter(desa_adat=village, year=year, month=1).exists()


@pytest.mark.parametrize("width", [PHONE, DESKTOP])
def test_screenshots_villagefinance_tax(new_page, village, screenshot_dir, width, tmp_path):
    from onedata.villagefinance import statement_services, tax_services

    year = timezone.localdate().year
    treasurer = village.agency.memberships.first().user
    rate = next(r for r in tax_services.rates_for(year) if r.code == "pph22")
    services.entry_record(
        actor=treasurer,
        desa=village,
        date=date(year, 1, 3),
        kind="spending",
        account=Account.objects.get(year=year, code="5.3.3"),
        fund="bank",
        amount=10_000_000,
        description="Semen dan pasir untuk balai banjar adat",
        counterparty="UD Sumber Bangunan",
        taxes=[tax_services.withholding_for(rate, 10_000_000)],
    )
    statement_services.statement_upload(
        actor=treasurer,
        desa=village,
        content=Path(_statement(tmp_path, year)).read_bytes(),
        file_name="rk.csv",
    )
    page = new_page(width=width, height=800)
    browser.log_in(page, "patengen.pajak", PASSWORD, "/sikuat/")
    pages = {
        "vf-tax-home": f"/sikuat/desa/{village.pk}/",
        "vf-tax-form": f"/sikuat/desa/{village.pk}/catat/pengeluaran/",
        "vf-tax-book": f"/sikuat/desa/{village.pk}/pajak/",
        "vf-tax-deposit": f"/sikuat/desa/{village.pk}/pajak/setor/",
        "vf-tax-rates": "/sikuat/tarif-pajak/",
        "vf-statements": f"/sikuat/desa/{village.pk}/rekening-koran/?bulan={year}-1",
    }
    for name, url in pages.items():
        page.goto(url)
        if name == "vf-tax-form":
            page.get_by_text("Potong pajak dari penerima").click()
            page.locator("input[name=amount]").fill("1.110.000")
            page.locator("input[name=tax_ppn]").check()
        overflow = browser.overflow(page)
        assert overflow <= 0, f"{name} scrolls sideways by {overflow}px at {width}px"
        if screenshot_dir is not None:
            page.screenshot(path=screenshot_dir / f"{name}-{width}.png", full_page=True)
