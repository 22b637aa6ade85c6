"""Double-entry arithmetic for a village's books. Pure Python, no Django.

Every money event becomes lines that debit and credit accounts by code; the sum of the
debits equals the sum of the credits in each entry, so the books always reconcile:

- income received in cash:   debit cash (1.1.1),  credit the income account (4.x)
- spending paid from bank:   debit the spending account (5.x), credit bank (1.1.2)
- financing received:        debit cash/bank, credit the financing account (6.1.x)
- financing paid out:        debit the financing account (6.2.x), credit cash/bank
- a reversal:                the same lines with debit and credit swapped

Amounts are whole rupiah, always positive.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

CASH = "1.1.1"
BANK = "1.1.2"
FUND_ACCOUNTS = {"cash": CASH, "bank": BANK}

INCOME = "income"
SPENDING = "spending"
FINANCING_IN = "financing_in"
FINANCING_OUT = "financing_out"
ASSET = "asset"
# Kinds whose entries bring money in (debit the fund) or take it out (credit the fund).
MONEY_IN = frozenset({INCOME, FINANCING_IN})
MONEY_OUT = frozenset({SPENDING, FINANCING_OUT})


class LedgerError(ValueError):
    """An entry that cannot be posted (bad amount, unknown fund or kind)."""


@dataclass(frozen=True)
class Line:
    account: str
    debit: int = 0
    credit: int = 0

    @property
    def net(self) -> int:
        """Debit minus credit: positive for assets and spending that grew."""
        return self.debit - self.credit


def entry_lines(*, kind: str, fund: str, account: str, amount: int) -> list[Line]:
    """The two lines of an income, spending or financing entry."""
    if not isinstance(amount, int) or isinstance(amount, bool) or amount <= 0:
        raise LedgerError("amount must be a positive whole number of rupiah")
    if fund not in FUND_ACCOUNTS:
        raise LedgerError(f"unknown fund {fund!r}")
    fund_account = FUND_ACCOUNTS[fund]
    if kind in MONEY_IN:
        return [Line(fund_account, debit=amount), Line(account, credit=amount)]
    if kind in MONEY_OUT:
        return [Line(account, debit=amount), Line(fund_account, credit=amount)]
    raise LedgerError(f"unknown entry kind {kind!r}")


def transfer_lines(*, source: str, target: str, amount: int) -> list[Line]:
    """Moving money between cash and bank (a deposit or a withdrawal)."""
    if source == target or {source, target} - set(FUND_ACCOUNTS):
        raise LedgerError("a transfer goes between cash and bank")
    if not isinstance(amount, int) or amount <= 0:
        raise LedgerError("amount must be a positive whole number of rupiah")
    return [
        Line(FUND_ACCOUNTS[target], debit=amount),
        Line(FUND_ACCOUNTS[source], credit=amount),
    ]


def reversal_lines(lines: Iterable[Line]) -> list[Line]:
    """Lines that cancel ``lines`` exactly: debit and credit swapped."""
    return [Line(line.account, debit=line.credit, credit=line.debit) for line in lines]


def is_balanced(lines: Iterable[Line]) -> bool:
    lines = list(lines)
    return bool(lines) and sum(line.debit for line in lines) == sum(line.credit for line in lines)


def balances(lines: Iterable[Line]) -> dict[str, int]:
    """Debit minus credit per account, over any number of entries."""
    totals: dict[str, int] = defaultdict(int)
    for line in lines:
        totals[line.account] += line.net
    return dict(totals)


def fund_delta(*, kind: str, amount: int) -> int:
    """How an entry changes its fund's balance: +amount in, -amount out."""
    if kind in MONEY_IN:
        return amount
    if kind in MONEY_OUT:
        return -amount
    raise LedgerError(f"unknown entry kind {kind!r}")


def trial_balance_ok(lines: Iterable[Line]) -> bool:
    """The whole ledger reconciles: total debits equal total credits."""
    return sum(balances(lines).values()) == 0
