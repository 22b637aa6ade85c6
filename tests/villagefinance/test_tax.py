"""Taxes withheld on spending, deposits and the tax book, through the services."""

from datetime import date

import pytest
from django.db.models import Q, Sum

from onedata.core.errors import Conflict, ValidationError
from onedata.villagefinance import services, tax_services
from onedata.villagefinance.models import (
    Account,
    Entry,
    EntryTax,
    FundBalance,
    JournalLine,
    TaxRate,
)

from .conftest import TODAY, YEAR, spend

pytestmark = pytest.mark.django_db


def rate(code: str) -> TaxRate:
    return next(r for r in tax_services.rates_for(YEAR) if r.code == code)


def withhold(code: str, base: int, amount: int | None = None):
    return tax_services.withholding_for(rate(code), base, amount)


def assert_ledger_balanced(desa):
    totals = JournalLine.objects.filter(desa_adat=desa).aggregate(d=Sum("debit"), c=Sum("credit"))
    assert totals["d"] == totals["c"]
    for entry in Entry.objects.filter(desa_adat=desa):
        lines = entry.lines.aggregate(d=Sum("debit"), c=Sum("credit"))
        assert lines["d"] == lines["c"], entry.number


def owed(desa, code: str) -> int:
    return tax_services.owed(desa, rate(code).account_code)


def test_spending_with_pph23_pays_the_net_and_owes_the_tax(funded, treasurer):
    posted = spend(
        funded,
        treasurer,
        2_000_000,
        code="5.1.1",
        fund="bank",
        taxes=[withhold("pph23", 2_000_000)],
    )
    entry = posted.entry
    assert entry.amount == 2_000_000 and entry.tax_amount == 40_000
    assert entry.fund_amount == -1_960_000
    assert FundBalance.objects.get(desa_adat=funded, fund="bank").balance == 48_040_000
    lines = {(x.account.code, x.debit, x.credit) for x in entry.lines.select_related("account")}
    assert lines == {("5.1.1", 2_000_000, 0), ("2.1.4", 0, 40_000), ("1.1.2", 0, 1_960_000)}
    assert owed(funded, "pph23") == 40_000
    assert_ledger_balanced(funded)


def test_treasurer_may_change_the_computed_tax(funded, treasurer):
    posted = spend(
        funded,
        treasurer,
        1_110_000,
        fund="bank",
        taxes=[withhold("ppn", 1_000_000, 110_000), withhold("pph22", 1_000_000, 15_001)],
    )
    assert posted.entry.tax_amount == 125_001
    assert sorted(EntryTax.objects.values_list("amount", flat=True)) == [15_001, 110_000]
    assert_ledger_balanced(funded)


def test_deposit_clears_the_tax_and_reversals_reverse_tax_lines(funded, treasurer):
    posted = spend(funded, treasurer, 2_000_000, fund="bank", taxes=[withhold("pph23", 2_000_000)])
    deposit = tax_services.tax_deposit_record(
        actor=treasurer,
        desa=funded,
        tax=rate("pph23"),
        date=date(YEAR, 3, 10),
        fund="bank",
        amount=40_000,
        billing_code="123456789012345",
        ntpn="ab12cd34ef56gh78",
        today=TODAY,
    ).entry
    assert deposit.kind == "tax" and deposit.fund_amount == -40_000
    assert deposit.deposit.ntpn == "AB12CD34EF56GH78"
    assert owed(funded, "pph23") == 0
    assert FundBalance.objects.get(desa_adat=funded, fund="bank").balance == 48_000_000
    # Cancelling the spending gives back the net to the bank and the tax becomes overpaid.
    services.entry_reverse(
        actor=treasurer, entry=posted.entry, reason="salah", date=date(YEAR, 3, 20), today=TODAY
    )
    assert FundBalance.objects.get(desa_adat=funded, fund="bank").balance == 49_960_000
    assert owed(funded, "pph23") == -40_000
    # ...and cancelling the deposit too brings everything back to the start.
    services.entry_reverse(
        actor=treasurer, entry=deposit, reason="salah", date=date(YEAR, 3, 21), today=TODAY
    )
    assert owed(funded, "pph23") == 0
    assert FundBalance.objects.get(desa_adat=funded, fund="bank").balance == 50_000_000
    assert_ledger_balanced(funded)
    bank = Entry.objects.filter(desa_adat=funded, fund="bank").aggregate(t=Sum("fund_amount"))
    assert bank["t"] == 50_000_000


def test_deposit_refused_beyond_what_is_owed_and_bad_codes(funded, treasurer):
    spend(funded, treasurer, 1_000_000, fund="bank", taxes=[withhold("pph23", 1_000_000)])
    with pytest.raises(Conflict) as too_much:
        tax_services.tax_deposit_record(
            actor=treasurer,
            desa=funded,
            tax=rate("pph23"),
            date=date(YEAR, 3, 1),
            fund="bank",
            amount=20_001,
            today=TODAY,
        )
    assert "amount" in too_much.value.fields
    with pytest.raises(ValidationError) as bad:
        tax_services.tax_deposit_record(
            actor=treasurer,
            desa=funded,
            tax=rate("pph23"),
            date=date(YEAR, 3, 1),
            fund="bank",
            amount=20_000,
            billing_code="12-34",
            ntpn="short",
            today=TODAY,
        )
    assert set(bad.value.fields) == {"billing_code", "ntpn"}


def test_taxes_refused_on_income_or_not_below_the_amount(funded, treasurer):
    with pytest.raises(ValidationError) as over:
        spend(funded, treasurer, 100_000, taxes=[withhold("pph23", 100_000, 100_000)])
    assert "taxes" in over.value.fields
    with pytest.raises(ValidationError) as twice:
        spend(funded, treasurer, 100_000, taxes=[withhold("pph23", 1000), withhold("pph23", 1000)])
    assert "taxes" in twice.value.fields
    with pytest.raises(ValidationError) as income:
        services.entry_record(
            actor=treasurer,
            desa=funded,
            date=date(YEAR, 2, 1),
            kind="income",
            account=Account.objects.get(year=YEAR, code="4.3.1"),
            fund="cash",
            amount=100_000,
            description="x",
            today=TODAY,
            taxes=[withhold("pph23", 1000)],
        )
    assert "taxes" in income.value.fields
    assert_ledger_balanced(funded)


def test_tax_book_totals_by_hand(funded, treasurer):
    # February: PPh 23 on 2,000,000 (40,000) and PPh 22 on 1,000,000 (15,000), bank.
    # March: PPh 23 on 500,000 (10,000) cash; deposit of February's PPh 23 (40,000).
    spend(
        funded,
        treasurer,
        2_000_000,
        fund="bank",
        day=date(YEAR, 2, 3),
        taxes=[withhold("pph23", 2_000_000)],
    )
    spend(
        funded,
        treasurer,
        1_000_000,
        fund="bank",
        day=date(YEAR, 2, 4),
        code="5.3.3",
        taxes=[withhold("pph22", 1_000_000)],
    )
    spend(
        funded,
        treasurer,
        500_000,
        fund="cash",
        day=date(YEAR, 3, 2),
        code="5.3.3",
        taxes=[withhold("pph23", 500_000)],
    )
    tax_services.tax_deposit_record(
        actor=treasurer,
        desa=funded,
        tax=rate("pph23"),
        date=date(YEAR, 3, 12),
        fund="bank",
        amount=40_000,
        today=TODAY,
    )
    book, names = tax_services.tax_book(funded, start=date(YEAR, 3, 1), end=date(YEAR, 3, 31))
    assert names["2.1.4"].code == "pph23"
    assert book.totals["2.1.4"].opening == 40_000
    assert book.totals["2.1.4"].withheld == 10_000
    assert book.totals["2.1.4"].deposited == 40_000
    assert book.totals["2.1.4"].outstanding == 10_000
    assert book.totals["2.1.3"].outstanding == 15_000
    assert (book.opening, book.withheld, book.deposited, book.outstanding) == (
        55_000,
        10_000,
        40_000,
        25_000,
    )
    assert [r.balance for r in book.rows] == [50_000, 10_000]
    # Overdue on 16 March: February's PPh 22 (due 15 March); PPh 23 of February paid.
    late = tax_services.overdue(Q(desa_adat=funded), today=date(YEAR, 3, 16))
    assert [(o.tax, o.amount) for o in late[funded.pk]] == [("2.1.3", 15_000)]


def test_rate_change_by_year_is_used_for_that_year(funded, treasurer):
    tax_services.tax_rates_load()
    tax_services.tax_rate_set(actor="test", code="pph23", year_from=YEAR + 1, rate_bp=250)
    assert rate("pph23").rate_bp == 200
    assert next(r for r in tax_services.rates_for(YEAR + 1) if r.code == "pph23").rate_bp == 250
    old = TaxRate.objects.get(code="pph23", year_from=2022)
    assert old.year_to == YEAR
    with pytest.raises(ValidationError) as bad:
        tax_services.tax_rate_set(actor="test", code="pph23", year_from=YEAR, rate_bp=20_000)
    assert "rate" in bad.value.fields
