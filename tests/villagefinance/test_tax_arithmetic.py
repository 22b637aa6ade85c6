"""Tax arithmetic (pure): rounding, due dates, overdue FIFO, the book's running totals."""

from datetime import date

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from onedata.villagefinance import ledger, taxes


def test_tax_is_rounded_down_to_the_whole_rupiah():
    assert taxes.compute_tax(10_000_000, 200) == 200_000  # PPh 23 2%
    assert taxes.compute_tax(333_333, 150) == 4_999  # 4.999,995 -> 4.999
    assert taxes.compute_tax(1_000_000, 1100) == 110_000  # PPN 11%
    assert taxes.compute_tax(0, 200) == 0 and taxes.compute_tax(100, 0) == 0


def test_due_date_is_the_next_months_day_clamped():
    assert taxes.due_date(date(2025, 1, 31)) == date(2025, 2, 15)
    assert taxes.due_date(date(2025, 12, 3)) == date(2026, 1, 15)
    assert taxes.due_date(date(2025, 1, 10), due_day=31) == date(2025, 2, 28)


def test_overdue_deposits_pay_the_oldest_first():
    rows = [
        ("2.1.4", date(2025, 1, 10), 100_000),
        ("2.1.4", date(2025, 2, 10), 50_000),
        ("2.1.3", date(2025, 2, 11), 30_000),
    ]
    late = taxes.overdue(rows, {"2.1.4": 120_000}, today=date(2025, 3, 16))
    # January's 100,000 paid; February's 50,000 has 30,000 left; PPh 22 all left.
    assert [(o.tax, o.withheld_on, o.amount) for o in late] == [
        ("2.1.3", date(2025, 2, 11), 30_000),
        ("2.1.4", date(2025, 2, 10), 30_000),
    ]
    assert taxes.overdue(rows, {}, today=date(2025, 3, 15))[0].amount == 100_000
    assert len(taxes.overdue(rows, {}, today=date(2025, 2, 15))) == 0  # due today: not late


def test_overdue_a_reversal_cancels_the_withholding():
    rows = [("2.1.4", date(2025, 1, 10), 100_000), ("2.1.4", date(2025, 1, 20), -100_000)]
    assert taxes.overdue(rows, {}, today=date(2025, 6, 1)) == []


def test_tax_book_running_balance_and_totals_by_hand():
    moves = [
        {"date": date(2025, 2, 1), "tax": "pph23", "withheld": 200_000},
        {"date": date(2025, 2, 2), "tax": "pph22", "withheld": 15_000},
        {"date": date(2025, 2, 9), "tax": "pph23", "withheld": -200_000},  # reversal
        {"date": date(2025, 3, 1), "tax": "pph23", "withheld": 40_000},
        {"date": date(2025, 3, 10), "tax": "pph22", "deposited": 15_000},
    ]
    book = taxes.tax_book({"pph23": 10_000}, moves, taxes=["ppn"])
    assert [row.balance for row in book.rows] == [210_000, 15_000, 10_000, 50_000, 0]
    assert book.totals["pph23"].outstanding == 50_000
    assert book.totals["pph22"].withheld == 15_000 and book.totals["pph22"].outstanding == 0
    assert book.totals["ppn"].outstanding == 0
    assert (book.opening, book.withheld, book.deposited, book.outstanding) == (
        10_000,
        55_000,
        15_000,
        50_000,
    )


def test_ledger_lines_with_withholding_balance():
    lines = ledger.entry_lines(
        kind="spending",
        fund="bank",
        account="5.3.3",
        amount=10_000_000,
        withheld={"2.1.4": 200_000, "2.1.1": 990_990},
    )
    assert ledger.is_balanced(lines)
    assert ledger.balances(lines) == {
        "5.3.3": 10_000_000,
        "2.1.1": -990_990,
        "2.1.4": -200_000,
        "1.1.2": -8_809_010,
    }
    back = ledger.reversal_lines(lines)
    assert ledger.trial_balance_ok(lines + back) and ledger.balances(lines + back) == {
        "5.3.3": 0,
        "2.1.1": 0,
        "2.1.4": 0,
        "1.1.2": 0,
    }
    deposit = ledger.entry_lines(kind="tax", fund="bank", account="2.1.4", amount=200_000)
    assert ledger.balances(lines + deposit)["2.1.4"] == 0
    assert ledger.fund_delta(kind="spending", amount=1000, withheld=20) == -980


def test_ledger_refuses_bad_withholding():
    import pytest

    for withheld, kind in (
        ({"2.1.4": 0}, "spending"),
        ({"2.1.4": 100}, "spending"),
        ({"2.1.4": 5}, "income"),
    ):
        with pytest.raises(ledger.LedgerError):
            ledger.entry_lines(
                kind=kind, fund="cash", account="5.1.1", amount=100, withheld=withheld
            )


TAX_ACCOUNTS = ["2.1.1", "2.1.2", "2.1.3", "2.1.4", "2.1.5"]
SPENDING = st.builds(
    lambda amount, taxes, fund, reverse: (amount, taxes, fund, reverse),
    st.integers(min_value=10, max_value=10**10),
    st.dictionaries(st.sampled_from(TAX_ACCOUNTS), st.integers(min_value=1, max_value=10**6)),
    st.sampled_from(["cash", "bank"]),
    st.booleans(),
)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(SPENDING, max_size=15))
def test_any_withholding_deposit_and_reversal_keeps_the_ledger_balanced(spendings):
    all_lines = []
    owed: dict[str, int] = {}
    for amount, withheld, fund, reverse in spendings:
        if sum(withheld.values()) >= amount:
            continue  # refused by the ledger (tested above)
        lines = ledger.entry_lines(
            kind="spending", fund=fund, account="5.1.1", amount=amount, withheld=withheld
        )
        assert ledger.is_balanced(lines)
        all_lines += lines
        if reverse:
            all_lines += ledger.reversal_lines(lines)
        else:
            for code, tax in withheld.items():
                owed[code] = owed.get(code, 0) + tax
    for code, tax in owed.items():  # deposit everything still owed
        all_lines += ledger.entry_lines(kind="tax", fund="bank", account=code, amount=tax)
    assert ledger.trial_balance_ok(all_lines)
    totals = ledger.balances(all_lines)
    assert all(totals.get(code, 0) == 0 for code in TAX_ACCOUNTS)
