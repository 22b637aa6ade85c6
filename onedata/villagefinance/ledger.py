"""Double-entry arithmetic for a village's books. Pure Python, no Django.

Every money event becomes lines that debit and credit accounts by code; the sum of the
debits equals the sum of the credits in each entry, so the books always reconcile:

- income received in cash:   debit cash (1.1.1),  credit the income account (4.x)
- spending paid from bank:   debit the spending account (5.x), credit bank (1.1.2)
- financing received:        debit cash/bank, credit the financing account (6.1.x)
- financing paid out:        debit the financing account (6.2.x), credit cash/bank
- spending with tax withheld: debit the spending account with the whole amount, credit
  each tax-payable account (2.1.x, utang pajak) with its tax and cash/bank with the rest
- a tax deposit (setoran):   debit the tax-payable account, credit cash/bank
- a reversal:                the same lines with debit and credit swapped

Amounts are whole rupiah, always positive.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

CASH = "1.1.1"
BANK = "1.1.2"
FUND_ACCOUNTS = {"cash": CASH, "bank": BANK}

INCOME = "income"
SPENDING = "spending"
FINANCING_IN = "financing_in"
FINANCING_OUT = "financing_out"
ASSET = "asset"
TAX = "tax"
# Kinds whose entries bring money in (debit the fund) or take it out (credit the fund).
MONEY_IN = frozenset({INCOME, FINANCING_IN})
MONEY_OUT = frozenset({SPENDING, FINANCING_OUT, TAX})


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


def _positive(amount) -> bool:
    return isinstance(amount, int) and not isinstance(amount, bool) and amount > 0


def entry_lines(
    *, kind: str, fund: str, account: str, amount: int, withheld: Mapping[str, int] | None = None
) -> list[Line]:
    """The lines of an income, spending, financing or tax-deposit entry. ``withheld``:
    tax-payable account code -> tax withheld from the payee (spending only); the fund
    then pays ``amount`` minus the taxes."""
    if not _positive(amount):
        raise LedgerError("amount must be a positive whole number of rupiah")
    if fund not in FUND_ACCOUNTS:
        raise LedgerError(f"unknown fund {fund!r}")
    fund_account = FUND_ACCOUNTS[fund]
    withheld = {code: tax for code, tax in (withheld or {}).items()}
    if withheld and kind != SPENDING:
        raise LedgerError("only spending withholds tax")
    if any(not _positive(tax) for tax in withheld.values()):
        raise LedgerError("a tax withheld must be a positive whole number of rupiah")
    net = amount - sum(withheld.values())
    if net <= 0:
        raise LedgerError("the taxes withheld must be less than the amount")
    if kind in MONEY_IN:
        return [Line(fund_account, debit=amount), Line(account, credit=amount)]
    if kind in MONEY_OUT:
        lines = [Line(account, debit=amount)]
        lines += [Line(code, credit=tax) for code, tax in sorted(withheld.items())]
        return [*lines, Line(fund_account, credit=net)]
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


def fund_delta(*, kind: str, amount: int, withheld: int = 0) -> int:
    """How an entry changes its fund's balance: +amount in, -(amount - tax withheld) out."""
    if kind in MONEY_IN:
        return amount
    if kind in MONEY_OUT:
        return -(amount - withheld)
    raise LedgerError(f"unknown entry kind {kind!r}")


def trial_balance_ok(lines: Iterable[Line]) -> bool:
    """The whole ledger reconciles: total debits equal total credits."""
    return sum(balances(lines).values()) == 0
