"""Double-entry arithmetic: every kind of entry and its reversal balances."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from onedata.villagefinance import ledger
from onedata.villagefinance.ledger import BANK, CASH, Line


def test_income_in_cash_debits_cash_and_credits_the_income_account():
    lines = ledger.entry_lines(kind="income", fund="cash", account="4.3.1", amount=150_000)
    assert lines == [Line(CASH, debit=150_000), Line("4.3.1", credit=150_000)]


def test_spending_from_bank_debits_the_spending_account_and_credits_bank():
    lines = ledger.entry_lines(kind="spending", fund="bank", account="5.1.1", amount=75_000)
    assert lines == [Line("5.1.1", debit=75_000), Line(BANK, credit=75_000)]


def test_financing_received_and_paid_out_move_the_fund_like_income_and_spending():
    received = ledger.entry_lines(kind="financing_in", fund="bank", account="6.1.1", amount=9)
    paid = ledger.entry_lines(kind="financing_out", fund="cash", account="6.2.1", amount=4)
    assert ledger.balances(received + paid) == {BANK: 9, "6.1.1": -9, "6.2.1": 4, CASH: -4}


def test_reversal_cancels_every_line():
    lines = ledger.entry_lines(kind="spending", fund="cash", account="5.2.1", amount=12_345)
    both = lines + ledger.reversal_lines(lines)
    assert all(value == 0 for value in ledger.balances(both).values())
    assert ledger.is_balanced(ledger.reversal_lines(lines))


def test_transfer_between_cash_and_bank_balances():
    lines = ledger.transfer_lines(source="cash", target="bank", amount=500)
    assert ledger.balances(lines) == {BANK: 500, CASH: -500}
    with pytest.raises(ledger.LedgerError):
        ledger.transfer_lines(source="cash", target="cash", amount=1)


@pytest.mark.parametrize("amount", [0, -5, 1.5, True, "100"])
def test_amount_must_be_a_positive_whole_number(amount):
    with pytest.raises(ledger.LedgerError):
        ledger.entry_lines(kind="income", fund="cash", account="4.1.1", amount=amount)


def test_unknown_fund_or_kind_is_refused():
    with pytest.raises(ledger.LedgerError):
        ledger.entry_lines(kind="income", fund="wallet", account="4.1.1", amount=1)
    with pytest.raises(ledger.LedgerError):
        ledger.entry_lines(kind="gift", fund="cash", account="4.1.1", amount=1)


ENTRY = st.tuples(
    st.sampled_from(["income", "spending", "financing_in", "financing_out"]),
    st.sampled_from(["cash", "bank"]),
    st.sampled_from(["4.1.1", "4.3.1", "5.1.1", "5.4.2", "6.1.1", "6.2.1"]),
    st.integers(min_value=1, max_value=10**11),
    st.booleans(),
)


@given(st.lists(ENTRY, max_size=40))
def test_any_mix_of_entries_and_reversals_reconciles(entries):
    lines = []
    fund_total = 0
    for kind, fund, account, amount, reversed_ in entries:
        posted = ledger.entry_lines(kind=kind, fund=fund, account=account, amount=amount)
        lines += posted
        fund_total += ledger.fund_delta(kind=kind, amount=amount)
        if reversed_:
            lines += ledger.reversal_lines(posted)
            fund_total -= ledger.fund_delta(kind=kind, amount=amount)
    assert ledger.trial_balance_ok(lines)
    totals = ledger.balances(lines)
    assert totals.get(CASH, 0) + totals.get(BANK, 0) == fund_total
