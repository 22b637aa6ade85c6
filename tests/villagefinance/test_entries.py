"""Recording, reversing, verifying and closing: the ledger always reconciles."""

from datetime import date

import pytest
from django.db.models import Sum

from onedata.core.errors import Conflict, ValidationError
from onedata.core.models import AuditEvent
from onedata.villagefinance import selectors, services
from onedata.villagefinance.models import DesaAdat, Entry, JournalLine

from .conftest import TODAY, YEAR, account, spend


def ledger_reconciles(village) -> bool:
    totals = JournalLine.objects.filter(desa_adat=village).aggregate(
        d=Sum("debit"), c=Sum("credit")
    )
    cash_bank = JournalLine.objects.filter(desa_adat=village, account__code__in=["1.1.1", "1.1.2"])
    net = cash_bank.aggregate(d=Sum("debit"), c=Sum("credit"))
    funds = selectors.balances(village)
    return totals["d"] == totals["c"] and (net["d"] or 0) - (net["c"] or 0) == sum(funds.values())


def test_income_and_spending_move_the_funds_and_post_balanced_lines(funded, treasurer):
    posted = spend(funded, treasurer, 1_500_000)
    assert posted.entry.number == f"{YEAR}-00003"
    assert posted.warnings == []
    assert selectors.balances(funded) == {"cash": 8_500_000, "bank": 50_000_000}
    assert posted.entry.lines.count() == 2
    assert ledger_reconciles(funded)
    assert AuditEvent.objects.filter(action="villagefinance.entry_record").count() == 3


def test_reversal_restores_balances_and_budget_and_keeps_the_original(funded, treasurer):
    original = spend(funded, treasurer, 1_000_000).entry
    reversal = services.entry_reverse(
        actor=treasurer, entry=original, reason="salah catat", today=TODAY
    )
    assert reversal.reversal_of == original
    assert reversal.fund_amount == 1_000_000 and reversal.account_amount == -1_000_000
    assert selectors.balances(funded)["cash"] == 10_000_000
    assert funded.budget_lines.get(account__code="5.1.1").realised == 0
    assert Entry.objects.get(pk=original.pk).amount == 1_000_000  # never edited
    assert ledger_reconciles(funded)
    with pytest.raises(Conflict):
        services.entry_reverse(actor=treasurer, entry=original, reason="lagi", today=TODAY)
    with pytest.raises(Conflict):
        services.entry_reverse(actor=treasurer, entry=reversal, reason="lagi", today=TODAY)


def test_reversing_income_already_spent_is_refused(funded, treasurer):
    income = Entry.objects.get(desa_adat=funded, account__code="4.3.1")
    spend(funded, treasurer, 9_000_000)
    with pytest.raises(Conflict):
        services.entry_reverse(actor=treasurer, entry=income, reason="salah", today=TODAY)
    assert ledger_reconciles(funded)


def test_spending_more_than_the_cash_balance_is_refused_naming_the_amount(funded, treasurer):
    with pytest.raises(Conflict) as caught:
        spend(funded, treasurer, 10_000_001, code="5.4.2")
    assert "amount" in caught.value.fields
    assert selectors.balances(funded)["cash"] == 10_000_000


@pytest.mark.parametrize("amount", [0, -1000])
def test_zero_or_negative_amounts_are_refused(funded, treasurer, amount):
    with pytest.raises(ValidationError) as caught:
        spend(funded, treasurer, amount)
    assert "amount" in caught.value.fields


def test_future_date_is_refused(funded, treasurer):
    with pytest.raises(ValidationError) as caught:
        spend(funded, treasurer, 1_000, day=date(YEAR + 1, 1, 1))
    assert "date" in caught.value.fields


def test_income_on_a_spending_account_is_refused(village, treasurer):
    with pytest.raises(ValidationError) as caught:
        services.entry_record(
            actor=treasurer,
            desa=village,
            date=date(YEAR, 1, 1),
            kind="income",
            account=account("5.1.1"),
            fund="cash",
            amount=100,
            description="x",
            today=TODAY,
        )
    assert "account" in caught.value.fields


def test_missing_description_is_refused(village, treasurer):
    with pytest.raises(ValidationError) as caught:
        services.entry_record(
            actor=treasurer,
            desa=village,
            date=date(YEAR, 1, 1),
            kind="income",
            account=account("4.3.1"),
            fund="cash",
            amount=100,
            description="  ",
            today=TODAY,
        )
    assert "description" in caught.value.fields


def test_approved_month_is_closed_to_new_entries(funded, officers):
    report = services.month_submit(
        actor=officers["treasurer"], desa=funded, year=YEAR, month=1, today=TODAY
    )
    assert (report.money_in, report.money_out, report.closing_balance) == (
        60_000_000,
        0,
        60_000_000,
    )
    spend(funded, officers["treasurer"], 1_000, day=date(YEAR, 1, 20))  # still open
    services.month_approve(actor=officers["head"], report=report)
    with pytest.raises(ValidationError) as caught:
        spend(funded, officers["treasurer"], 1_000, day=date(YEAR, 1, 21))
    assert "date" in caught.value.fields
    with pytest.raises(Conflict):
        services.month_approve(actor=officers["head"], report=report)


def test_current_month_cannot_be_reported(funded, treasurer):
    with pytest.raises(ValidationError):
        services.month_submit(actor=treasurer, desa=funded, year=YEAR, month=12, today=TODAY)


def test_verified_entry_is_final_and_verified_once(funded, treasurer, staff):
    entry = spend(funded, treasurer, 1_000).entry
    services.entry_verify(actor=staff["regency_admin"], entry=entry)
    assert Entry.objects.get(pk=entry.pk).status == Entry.Status.VERIFIED
    with pytest.raises(Conflict):
        services.entry_verify(actor=staff["regency_admin"], entry=entry)


def test_the_database_refuses_a_negative_balance_even_bypassing_services(funded):
    from django.db import IntegrityError, transaction

    with pytest.raises(IntegrityError), transaction.atomic():
        funded.funds.filter(fund="cash").update(balance=-1)


def test_cash_book_and_bank_book_run_balances_with_the_opening_carried(funded, treasurer):
    spend(funded, treasurer, 2_000_000, day=date(YEAR, 2, 1))
    spend(funded, treasurer, 500_000, day=date(YEAR, 3, 1), fund="bank")
    book = selectors.cash_book(funded, start=date(YEAR, 2, 1), end=date(YEAR, 3, 31))
    assert book.opening == 60_000_000
    assert [row.balance for row in book.rows] == [58_000_000, 57_500_000]
    bank = selectors.cash_book(funded, fund="bank")
    assert (bank.opening, bank.closing) == (0, 49_500_000)


def test_realisation_of_a_hand_computed_year(funded, treasurer):
    services.budget_set(actor=treasurer, desa=funded, account=account("4.1.1"), amount=60_000_000)
    services.budget_set(actor=treasurer, desa=funded, account=account("5.3.1"), amount=1_000_000)
    spend(funded, treasurer, 1_200_000)
    spend(funded, treasurer, 600_000)
    cancelled = spend(funded, treasurer, 300_000).entry
    services.entry_reverse(actor=treasurer, entry=cancelled, reason="dobel", today=TODAY)
    spend(funded, treasurer, 250_000, code="5.3.1", fund="bank")
    result = selectors.realisation(DesaAdat.objects.get(pk=funded.pk), YEAR)
    by_code = {line.code: line for group in result.groups for line in group.lines}
    assert (by_code["5.1.1"].budget, by_code["5.1.1"].actual) == (3_000_000, 1_800_000)
    assert by_code["5.1.1"].percent == 60.0
    assert by_code["5.3.1"].percent == 25.0
    assert result.total("income") == (60_000_000, 60_000_000)
    assert result.total("spending") == (4_000_000, 2_050_000)
    assert result.surplus == (56_000_000, 57_950_000)
