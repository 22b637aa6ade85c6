"""A sample desa adat for SIKUAT's browser tests: regions, this year's chart, a treasurer
and one grant income (BKK stage 1) in the given fund."""

from __future__ import annotations

from datetime import date

from django.utils import timezone

from onedata.core.models import Agency, Region
from onedata.core.regions import regions_load
from onedata.core.roles import Role
from onedata.villagefinance import services
from onedata.villagefinance.models import Account, DesaAdat
from tests.conftest import make_user


def sample_village(*, slug: str, treasurer: str, fund: str, amount: int) -> DesaAdat:
    regions_load()
    year = timezone.localdate().year
    services.chart_load(year=year)
    region = Region.objects.filter(level="village", name__iexact="Kuta").first()
    agency = Agency.objects.create(
        slug=slug,
        name="Desa Adat Kuta (contoh)",
        kind=Agency.Kind.DESA_ADAT,
        region=region,
        is_sample=True,
    )
    desa = services.desa_adat_register(actor="test", agency=agency)
    user = make_user(treasurer, Role.VILLAGE_TREASURER, agency, name="Made Patengen")
    services.entry_record(
        actor=user,
        desa=desa,
        date=date(year, 1, 2),
        kind="income",
        account=Account.objects.get(year=year, code="4.1.1"),
        fund=fund,
        amount=amount,
        description="BKK tahap 1",
    )
    return desa
