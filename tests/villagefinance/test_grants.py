"""Government grants in stages: sent, received (booked as income), use reported, next."""

from datetime import date

import pytest

from onedata.core.errors import Conflict, ValidationError
from onedata.villagefinance import selectors, services
from onedata.villagefinance.models import GrantStage

from .conftest import TODAY, YEAR, account, spend


@pytest.fixture
def grant(village, staff):
    return services.grant_create(
        actor=staff["province_admin"],
        desa=village,
        grantor=staff["province"],
        year=YEAR,
        name="BKK 2025",
        account=account("4.1.1"),
        stages=[120_000_000, 120_000_000, 60_000_000],
    )


def test_grant_of_three_hundred_million_in_three_stages(grant):
    assert grant.total == 300_000_000 and grant.source == "province"
    assert list(grant.stages.values_list("number", "status")) == [
        (1, "planned"),
        (2, "planned"),
        (3, "planned"),
    ]


def test_stage_flow_and_the_next_stage_waits_for_the_report(grant, staff, treasurer, village):
    first, second = grant.stages.all()[:2]
    services.grant_stage_disburse(actor=staff["province_admin"], stage=first)
    with pytest.raises(Conflict):
        services.grant_stage_disburse(actor=staff["province_admin"], stage=second)
    posted = services.grant_stage_receive(
        actor=treasurer, stage=first, date=date(YEAR, 2, 1), today=TODAY
    )
    assert posted.entry.grant_stage_id == first.pk and posted.entry.fund == "bank"
    assert selectors.balances(village)["bank"] == 120_000_000
    with pytest.raises(ValidationError):  # nothing spent yet
        services.grant_stage_account(actor=treasurer, stage=first, note="belum")
    spend(village, treasurer, 40_000_000, fund="bank", grant_stage=first)
    assert services.grant_stage_used(first) == 40_000_000
    services.grant_stage_account(actor=treasurer, stage=first, note="Upacara dan perbaikan pura")
    assert GrantStage.objects.get(pk=first.pk).status == "accounted"
    services.grant_stage_disburse(actor=staff["province_admin"], stage=second)
    assert GrantStage.objects.get(pk=second.pk).status == "disbursed"


def test_a_stage_is_received_once(grant, staff, treasurer):
    first = grant.stages.first()
    services.grant_stage_disburse(actor=staff["province_admin"], stage=first)
    services.grant_stage_receive(actor=treasurer, stage=first, date=date(YEAR, 2, 1), today=TODAY)
    with pytest.raises(Conflict):
        services.grant_stage_receive(
            actor=treasurer, stage=first, date=date(YEAR, 2, 1), today=TODAY
        )


def test_grant_needs_income_account_and_positive_stages(village, staff):
    with pytest.raises(ValidationError) as caught:
        services.grant_create(
            actor="t",
            desa=village,
            grantor=staff["badung"],
            year=YEAR,
            name="",
            account=account("5.1.1"),
            stages=[0],
        )
    assert set(caught.value.fields) == {"name", "account", "stages"}
