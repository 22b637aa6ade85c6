"""Tax arithmetic for the tax book (Buku Pembantu Pajak). Pure Python, no Django.

A treasurer who pays a supplier withholds taxes from the payment (PPh 22/23, PPh 21 on
honoraria, PPN, pajak daerah) and must deposit them to the state by the 15th of the next
month (the day is configurable). The book lists, per tax, what was withheld, what was
deposited and what is still owed, with a running balance.
"""

from __future__ import annotations

import calendar
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date

BASIS_POINTS = 10_000  # rates are kept in hundredths of a percent: 150 = 1.5%
DEFAULT_DUE_DAY = 15


def compute_tax(base: int, rate_bp: int) -> int:
    """The tax on ``base`` rupiah at ``rate_bp`` hundredths of a percent.

    Rounding: down to the whole rupiah (integer division, never a fraction of a rupiah
    withheld). The DJP e-Billing and e-Bupot forms take whole rupiah and drop the
    fraction, so rounding down keeps the book equal to what is deposited and never
    withholds more than the rate. E.g. 1.5% of Rp 333.333 = 4.999,995 -> Rp 4.999.
    """
    if base <= 0 or rate_bp <= 0:
        return 0
    return base * rate_bp // BASIS_POINTS


def due_date(withheld_on: date, due_day: int = DEFAULT_DUE_DAY) -> date:
    """The last day to deposit a tax withheld on ``withheld_on``: ``due_day`` of the next
    month (the month's last day when it is shorter)."""
    year, month = (
        (withheld_on.year + 1, 1)
        if withheld_on.month == 12
        else (withheld_on.year, withheld_on.month + 1)
    )
    last = calendar.monthrange(year, month)[1]
    return date(year, month, min(max(due_day, 1), last))


@dataclass(frozen=True)
class Overdue:
    tax: str
    withheld_on: date
    due: date
    amount: int  # still not deposited


def overdue(
    withholdings: Iterable[tuple[str, date, int]],
    deposited: Mapping[str, int],
    *,
    today: date,
    due_day: int = DEFAULT_DUE_DAY,
) -> list[Overdue]:
    """Withheld tax not deposited by its due date. Deposits pay the oldest withholdings
    of their tax first (first in, first out); a negative withholding (a reversal) lowers
    the newest still-open one. ``withholdings``: (tax, date, amount) rows."""
    open_items: dict[str, list[list]] = {}
    for tax, day, amount in sorted(withholdings, key=lambda row: (row[0], row[1])):
        items = open_items.setdefault(tax, [])
        if amount >= 0:
            items.append([day, amount])
            continue
        cancel = -amount
        for item in reversed(items):
            taken = min(item[1], cancel)
            item[1] -= taken
            cancel -= taken
            if not cancel:
                break
    found = []
    for tax, items in sorted(open_items.items()):
        paid = deposited.get(tax, 0)
        for day, amount in items:
            taken = min(max(paid, 0), amount)
            paid -= taken
            left = amount - taken
            due = due_date(day, due_day)
            if left > 0 and due < today:
                found.append(Overdue(tax, day, due, left))
    return found


@dataclass(frozen=True)
class TaxRow:
    date: date
    number: str
    description: str
    tax: str
    withheld: int
    deposited: int
    balance: int  # owed on this tax after the row
    ref: object = None


@dataclass
class TaxTotal:
    tax: str
    opening: int = 0
    withheld: int = 0
    deposited: int = 0

    @property
    def outstanding(self) -> int:
        return self.opening + self.withheld - self.deposited


@dataclass
class TaxBook:
    rows: list[TaxRow]
    totals: dict[str, TaxTotal] = field(default_factory=dict)

    @property
    def opening(self) -> int:
        return sum(t.opening for t in self.totals.values())

    @property
    def withheld(self) -> int:
        return sum(t.withheld for t in self.totals.values())

    @property
    def deposited(self) -> int:
        return sum(t.deposited for t in self.totals.values())

    @property
    def outstanding(self) -> int:
        return sum(t.outstanding for t in self.totals.values())


def tax_book(
    opening: Mapping[str, int], movements: Iterable[Mapping], *, taxes: Iterable[str] = ()
) -> TaxBook:
    """The tax book: ``opening`` owed per tax before the period; ``movements`` in date
    order, each with date, number, description, tax, withheld and deposited (a reversal
    carries a negative figure). ``taxes``: taxes to show even without a movement."""
    totals = {tax: TaxTotal(tax, opening=int(amount)) for tax, amount in opening.items()}
    for tax in taxes:
        totals.setdefault(tax, TaxTotal(tax))
    rows = []
    for move in movements:
        total = totals.setdefault(move["tax"], TaxTotal(move["tax"]))
        withheld = int(move.get("withheld") or 0)
        deposited = int(move.get("deposited") or 0)
        total.withheld += withheld
        total.deposited += deposited
        rows.append(
            TaxRow(
                date=move["date"],
                number=move.get("number", ""),
                description=move.get("description", ""),
                tax=move["tax"],
                withheld=withheld,
                deposited=deposited,
                balance=total.outstanding,
                ref=move.get("ref"),
            )
        )
    return TaxBook(rows, totals)
