"""Fixtures: a desa adat in Badung with its officers, regency and provincial staff, the
chart of accounts, and small helpers to make receipt photos."""

from __future__ import annotations

import io
from datetime import date

import pytest
from PIL import Image, ImageDraw

from onedata.core.models import Agency, Region
from onedata.core.roles import Role
from onedata.villagefinance import services
from onedata.villagefinance.models import Account
from tests.conftest import make_agency, make_user

YEAR = 2025
TODAY = date(2025, 12, 31)


def make_desa(slug: str, village_code: str | None = None, *, regency_code: str = "51.03"):
    region = (
        Region.objects.get(code=village_code)
        if village_code
        else Region.objects.filter(level="village", code__startswith=regency_code + ".").first()
    )
    agency = Agency.objects.create(
        slug=slug,
        name=slug.replace("-", " ").title(),
        kind=Agency.Kind.DESA_ADAT,
        region=region,
        is_sample=True,
    )
    return services.desa_adat_register(actor="test", agency=agency, villages=[region])


def account(code: str, year: int = YEAR) -> Account:
    return Account.objects.get(year=year, code=code)


def photo(seed: int = 1, size=(400, 600), fmt="JPEG") -> bytes:
    """A receipt-like picture: different seeds draw different pictures."""
    image = Image.new("RGB", size, "white")
    draw = ImageDraw.Draw(image)
    for i in range(12):
        y = 20 + i * 45
        width = 60 + ((seed * 37 + i * 53) % 300)
        draw.rectangle([20, y, 20 + width, y + 25], fill=(0, 0, 0))
    out = io.BytesIO()
    image.save(out, fmt)
    return out.getvalue()


@pytest.fixture
def chart(regions):
    services.chart_load(year=YEAR)
    return Account.objects.filter(year=YEAR)


@pytest.fixture
def village(regions, chart):
    return make_desa("desa-adat-uji")


@pytest.fixture
def other_village(regions, chart):
    return make_desa("desa-adat-lain", regency_code="51.04")


@pytest.fixture
def staff(regions):
    badung = make_agency("pemkab-badung", "51.03", Agency.Kind.GOVERNMENT)
    gianyar = make_agency("pemkab-gianyar", "51.04", Agency.Kind.GOVERNMENT)
    province = make_agency("dpma-bali", "51")
    return {
        "badung": badung,
        "province": province,
        "regency_admin": make_user("staf.badung", Role.AGENCY_ADMIN, badung),
        "gianyar_admin": make_user("staf.gianyar", Role.AGENCY_ADMIN, gianyar),
        "province_admin": make_user("staf.dpma", Role.AGENCY_ADMIN, province),
    }


@pytest.fixture
def officers(village):
    return {
        "treasurer": make_user("patengen.uji", Role.VILLAGE_TREASURER, village.agency),
        "head": make_user("bendesa.uji", Role.VILLAGE_HEAD, village.agency),
    }


@pytest.fixture
def treasurer(officers):
    return officers["treasurer"]


@pytest.fixture
def funded(village, treasurer):
    """The village with Rp 10,000,000 in cash and Rp 50,000,000 in the bank (income in
    January) and a budget for ceremonies (5.1.1) of Rp 3,000,000."""
    services.entry_record(
        actor=treasurer,
        desa=village,
        date=date(YEAR, 1, 5),
        kind="income",
        account=account("4.3.1"),
        fund="cash",
        amount=10_000_000,
        description="Punia",
        today=TODAY,
    )
    services.entry_record(
        actor=treasurer,
        desa=village,
        date=date(YEAR, 1, 10),
        kind="income",
        account=account("4.1.1"),
        fund="bank",
        amount=50_000_000,
        description="BKK",
        today=TODAY,
    )
    services.budget_set(actor=treasurer, desa=village, account=account("5.1.1"), amount=3_000_000)
    return village


def spend(village, actor, amount, *, code="5.1.1", fund="cash", day=date(YEAR, 2, 1), **extra):
    return services.entry_record(
        actor=actor,
        desa=village,
        date=day,
        kind="spending",
        account=account(code),
        fund=fund,
        amount=amount,
        description="Canang",
        today=TODAY,
        **extra,
    )
