"""The registry on a phone (360 px): a regency officer registers a desa adat (finding its
villages with the picker, a wrong account number keeps what was typed), then appoints
its treasurer with a new login, who can then open the village."""

from __future__ import annotations

import re

import pytest

try:
    from playwright.sync_api import expect
except ImportError:  # conftest.py skips every test
    expect = None

from onedata.core.models import Agency, Region
from onedata.core.regions import regions_load
from onedata.core.roles import Role
from onedata.villagefinance.models import DesaAdat, Officer
from tests.conftest import PASSWORD, make_user
from tests.e2e import browser
from tests.e2e.test_villagefinance import DESKTOP, PHONE

pytestmark = pytest.mark.e2e


@pytest.fixture
def regency_staff(live_server):
    regions_load()
    agency = Agency.objects.create(
        slug="pemkab-badung-e2e",
        name="Pemerintah Kabupaten Badung",
        kind=Agency.Kind.GOVERNMENT,
        region=Region.objects.get(code="51.03"),
    )
    return make_user("staf.badung.e2e", Role.AGENCY_ADMIN, agency, name="Staf Badung")


def test_regency_officer_registers_a_desa_adat_and_its_treasurer_on_a_phone(
    new_page, regency_staff, screenshot_dir
):
    page = new_page(width=PHONE, height=740)
    browser.log_in(page, "staf.badung.e2e", PASSWORD, "/sikuat/registri/")
    page.get_by_role("link", name=re.compile("Daftarkan desa adat")).click()
    page.locator("input[name=name]").fill("Desa Adat Kuta")
    # One regency in reach: it is chosen already and its villages are listed.
    expect(page.locator("select[name=regency]")).to_have_value("51.03")
    page.locator("#vf-region-search").fill("kuta")
    kuta = page.locator(".vf-villages .vf-option:visible", has_text=re.compile("^\\s*Kuta\\s*$"))
    kuta.first.locator("input").check()
    assert page.locator("input[name=districts]:checked").count() == 1  # ticked with it
    page.locator("input[name=bank_name]").fill("BPD Bali")
    page.locator("input[name=bank_account_number]").fill("0012-ab")
    page.locator("input[name=bank_account_holder]").fill("Desa Adat Kuta")
    assert browser.overflow(page) == 0
    if screenshot_dir:
        page.screenshot(path=str(screenshot_dir / "vf-registry-form-360.png"), full_page=True)
    page.get_by_role("button", name="Daftarkan", exact=True).click()
    expect(page.locator(".error-summary")).to_contain_text("6 sampai 20 angka")
    expect(page.locator("input[name=name]")).to_have_value("Desa Adat Kuta")
    assert page.locator("input[name=villages]:checked").count() == 1
    page.locator("input[name=bank_account_number]").fill("0012 0123 4567")
    page.get_by_role("button", name="Daftarkan", exact=True).click()
    expect(page.locator(".notice-success")).to_contain_text("sudah terdaftar")
    desa = DesaAdat.objects.get(agency__name="Desa Adat Kuta")
    assert desa.bank_account_number == "001201234567" and desa.villages.count() == 1

    page.locator(".vf-officers li", has_text="Patengen").get_by_role("link", name="Angkat").click()
    expect(page.locator("input[name=position][value=patengen]")).to_be_checked()
    page.locator("input[name=name]").fill("Ni Made Sari")
    page.locator("input[name=username]").fill("patengen.kuta")
    page.locator("input[name=password]").fill("Rahasia-Kuta-2025")
    assert browser.overflow(page) == 0
    if screenshot_dir:
        page.screenshot(path=str(screenshot_dir / "vf-officer-form-360.png"), full_page=True)
    page.get_by_role("button", name="Simpan pengurus").click()
    expect(page.locator(".notice-success")).to_contain_text("Ni Made Sari")
    expect(page.locator(".vf-officers")).to_contain_text("patengen.kuta")
    assert browser.overflow(page) == 0
    if screenshot_dir:
        page.screenshot(path=str(screenshot_dir / "vf-registry-detail-360.png"), full_page=True)
    assert Officer.objects.get(desa_adat=desa, position="patengen").user.username == "patengen.kuta"

    treasurer = new_page(width=PHONE, height=740)
    browser.log_in(treasurer, "patengen.kuta", "Rahasia-Kuta-2025", f"/sikuat/desa/{desa.pk}/")
    # The treasurer's home of that village, with the big record buttons.
    expect(treasurer.get_by_role("link", name=re.compile("Catat pengeluaran"))).to_be_visible()
    assert treasurer.url.endswith(f"/sikuat/desa/{desa.pk}/")


def test_screenshots_registry_desktop(new_page, regency_staff, screenshot_dir):
    """The registry at desktop width: no sideways scroll; PNGs when screenshots are asked for."""
    page = new_page(width=DESKTOP, height=900)
    browser.log_in(page, "staf.badung.e2e", PASSWORD, "/sikuat/registri/baru/")
    assert browser.overflow(page) == 0
    if screenshot_dir is not None:
        page.screenshot(path=str(screenshot_dir / "vf-registry-form-1280.png"), full_page=True)
    page.goto("/sikuat/registri/")
    assert browser.overflow(page) == 0
    if screenshot_dir is not None:
        page.screenshot(path=str(screenshot_dir / "vf-registry-list-1280.png"), full_page=True)
