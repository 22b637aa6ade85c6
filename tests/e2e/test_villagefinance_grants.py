"""SIKUAT for provincial staff on a phone: record a grant in stages and send the first
stage, edit the chart of accounts (a mistake keeps what was typed), and every tab of the
village menu fits a 360 px screen."""

from __future__ import annotations

import re

import pytest

try:
    from playwright.sync_api import expect
except ImportError:  # conftest.py skips every test
    expect = None

from onedata.core.models import Agency, Region
from onedata.core.roles import Role
from onedata.villagefinance.models import Account, Grant
from tests.conftest import make_user
from tests.e2e.test_villagefinance import DESKTOP, PHONE, log_in, village  # noqa: F401

pytestmark = pytest.mark.e2e


@pytest.fixture
def province_staff(village):  # noqa: F811 - the fixture imported above
    agency = Agency.objects.create(
        slug="dpma-bali",
        name="Dinas Pemajuan Masyarakat Adat",
        kind=Agency.Kind.DINAS,
        region=Region.objects.get(code="51"),
    )
    return make_user("staf.dpma.e2e", Role.AGENCY_ADMIN, agency, name="Staf DPMA")


def test_province_staff_record_a_grant_and_send_stage_one_on_a_phone(
    new_page,
    village,  # noqa: F811
    province_staff,
):
    page = new_page(width=PHONE, height=740)
    log_in(page, "staf.dpma.e2e")
    page.goto(f"/sikuat/desa/{village.pk}/hibah/")
    tabs = page.locator(".vf-nav a")
    for index in range(tabs.count()):
        box = tabs.nth(index).bounding_box()
        assert box and box["x"] >= 0 and box["x"] + box["width"] <= PHONE, "tab off screen"
        assert box["height"] >= 44
    page.get_by_role("link", name=re.compile("Catat hibah")).click()
    page.locator("input[name=name]").fill("BKK Provinsi Bali")
    page.locator("input[name=stage_1]").fill("100.000.000")
    page.locator("input[name=stage_2]").fill("seratus juta")
    page.get_by_role("button", name="Simpan hibah").click()
    expect(page.locator(".error-summary")).to_be_visible()
    expect(page.locator("input[name=name]")).to_have_value("BKK Provinsi Bali")
    page.locator("input[name=stage_2]").fill("100.000.000")
    page.locator("input[name=stage_3]").fill("100.000.000")
    page.get_by_role("button", name="Simpan hibah").click()
    expect(page.locator(".notice-success")).to_contain_text("Rp 300.000.000")
    grant = Grant.objects.get(desa_adat=village)
    assert grant.total == 300_000_000 and grant.stages.count() == 3
    page.get_by_role("button", name=re.compile("Cairkan tahap ini")).first.click()
    expect(page.locator(".notice-success")).to_be_visible()
    assert grant.stages.get(number=1).status == "disbursed"


def test_province_staff_add_an_account_to_the_chart(
    new_page,
    village,  # noqa: F811
    province_staff,
):
    year = Account.objects.order_by("-year").values_list("year", flat=True).first()
    page = new_page(width=PHONE, height=740)
    log_in(page, "staf.dpma.e2e")
    page.goto(f"/sikuat/bagan-akun/?tahun={year}")
    form = page.locator("#tambah form")
    form.locator("select[name=group_code]").select_option("5.1")
    form.locator("input[name=code]").fill("5.2.9")
    form.locator("input[name=name]").fill("Pura dadia")
    form.get_by_role("button").click()
    expect(page.locator("#tambah .error-summary")).to_be_visible()
    expect(page.locator("#tambah input[name=name]")).to_have_value("Pura dadia")
    page.locator("#tambah input[name=code]").fill("5.1.4")
    page.locator("#tambah form").get_by_role("button").click()
    expect(page.locator(".notice-success")).to_contain_text("5.1.4")
    assert Account.objects.get(year=year, code="5.1.4").kind == "spending"


@pytest.mark.parametrize("width", [PHONE, DESKTOP])
def test_screenshots_villagefinance_staff(
    new_page,
    village,  # noqa: F811
    province_staff,
    screenshot_dir,
    width,
):
    from onedata.villagefinance import services

    year = Account.objects.order_by("-year").values_list("year", flat=True).first()
    grant = services.grant_create(
        actor="test",
        desa=village,
        grantor=province_staff.memberships.first().agency,
        year=year,
        name="BKK",
        account=Account.objects.get(year=year, code="4.1.1"),
        stages=[1_000_000, 2_000_000],
    )
    stage = grant.stages.get(number=1)
    services.grant_stage_disburse(actor="test", stage=stage)
    page = new_page(width=width, height=800)
    log_in(page, "staf.dpma.e2e")
    pages = {
        "vf-chart": f"/sikuat/bagan-akun/?tahun={year}",
        "vf-grants": f"/sikuat/desa/{village.pk}/hibah/",
        "vf-grant-form": f"/sikuat/desa/{village.pk}/hibah/baru/",
        "vf-stage-report": f"/sikuat/desa/{village.pk}/hibah/laporan/{stage.pk}/",
        "vf-dashboard": "/sikuat/",
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
