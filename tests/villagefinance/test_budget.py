"""Budgets, amendments and over-budget control (warn or block)."""

import pytest

from onedata.core.errors import ValidationError
from onedata.villagefinance import services
from onedata.villagefinance.models import BudgetAmendment, DesaAdat

from .conftest import account, spend


def test_spending_over_budget_warns_and_is_marked_when_the_setting_is_warn(funded, treasurer):
    posted = spend(funded, treasurer, 3_500_000)
    assert posted.entry.over_budget
    assert "500.000" in posted.warnings[0]


def test_spending_over_budget_is_refused_when_the_setting_is_block(funded, treasurer):
    DesaAdat.objects.filter(pk=funded.pk).update(budget_control="block")
    funded.refresh_from_db()
    spend(funded, treasurer, 2_000_000)
    with pytest.raises(ValidationError) as caught:
        spend(funded, treasurer, 1_000_001)
    assert "amount" in caught.value.fields
    assert "1.000.000" in caught.value.fields["amount"][0]
    spend(funded, treasurer, 1_000_000)  # exactly up to the budget is fine


def test_spending_without_a_budget_line_warns_or_blocks(funded, treasurer):
    assert spend(funded, treasurer, 1_000, code="5.4.2").warnings
    DesaAdat.objects.filter(pk=funded.pk).update(budget_control="block")
    funded.refresh_from_db()
    with pytest.raises(ValidationError) as caught:
        spend(funded, treasurer, 1_000, code="5.4.2")
    assert "account" in caught.value.fields


def test_amendment_needs_a_reason_and_is_kept(funded, treasurer):
    with pytest.raises(ValidationError) as caught:
        services.budget_set(
            actor=treasurer, desa=funded, account=account("5.1.1"), amount=4_000_000
        )
    assert "reason" in caught.value.fields
    line = services.budget_set(
        actor=treasurer,
        desa=funded,
        account=account("5.1.1"),
        amount=4_000_000,
        reason="Paruman 12 Juni",
    )
    assert (line.original_amount, line.amount) == (3_000_000, 4_000_000)
    amendment = BudgetAmendment.objects.get(line=line)
    assert (amendment.old_amount, amendment.new_amount) == (3_000_000, 4_000_000)


def test_cash_accounts_have_no_budget(village, treasurer):
    with pytest.raises(ValidationError):
        services.budget_set(actor=treasurer, desa=village, account=account("1.1.1"), amount=1)


def test_chart_of_a_new_year_copies_the_last_year_with_its_edits(chart, staff):
    from onedata.villagefinance.models import Account

    services.account_update(
        actor=staff["province_admin"], account=account("5.5.1"), name="Penanganan wabah"
    )
    assert services.chart_load(year=2026) == chart.count()
    assert Account.objects.get(year=2026, code="5.5.1").name == "Penanganan wabah"
    assert services.chart_load(year=2026) == 0  # idempotent
