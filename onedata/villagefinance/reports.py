"""Report arithmetic: cash book with running balance, budget realisation per account
and group. Pure Python: inputs are plain rows, outputs plain dataclasses."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date


@dataclass(frozen=True)
class CashRow:
    date: date
    number: str
    description: str
    account: str
    money_in: int
    money_out: int
    balance: int
    ref: object = None  # the caller's key for the row (e.g. the entry id)


@dataclass(frozen=True)
class CashBook:
    opening: int
    rows: list[CashRow]
    total_in: int
    total_out: int
    closing: int


def cash_book(opening: int, movements: Iterable[Mapping]) -> CashBook:
    """The general cash book (Buku Kas Umum) or the bank book: ``movements`` in date
    order, each with date, number, description, account, money_in, money_out."""
    balance = opening
    rows = []
    total_in = total_out = 0
    for move in movements:
        money_in = int(move.get("money_in") or 0)
        money_out = int(move.get("money_out") or 0)
        balance += money_in - money_out
        total_in += money_in
        total_out += money_out
        rows.append(
            CashRow(
                date=move["date"],
                number=move.get("number", ""),
                description=move.get("description", ""),
                account=move.get("account", ""),
                money_in=money_in,
                money_out=money_out,
                balance=balance,
                ref=move.get("ref"),
            )
        )
    return CashBook(opening, rows, total_in, total_out, balance)


def percent(actual: int, budget: int) -> float | None:
    """Realisation as a percentage of budget, one decimal; None without a budget."""
    if budget <= 0:
        return None
    return round(actual * 100 / budget, 1)


@dataclass
class RealisationLine:
    code: str
    name: str
    kind: str
    group: str
    budget: int
    actual: int

    @property
    def remaining(self) -> int:
        return self.budget - self.actual

    @property
    def percent(self) -> float | None:
        return percent(self.actual, self.budget)


@dataclass
class RealisationGroup:
    code: str
    name: str
    kind: str
    lines: list[RealisationLine] = field(default_factory=list)

    @property
    def budget(self) -> int:
        return sum(line.budget for line in self.lines)

    @property
    def actual(self) -> int:
        return sum(line.actual for line in self.lines)

    @property
    def remaining(self) -> int:
        return self.budget - self.actual

    @property
    def percent(self) -> float | None:
        return percent(self.actual, self.budget)


@dataclass
class Realisation:
    groups: list[RealisationGroup]

    def total(self, kind: str) -> tuple[int, int]:
        """(budget, actual) of all groups of one kind."""
        groups = [g for g in self.groups if g.kind == kind]
        return sum(g.budget for g in groups), sum(g.actual for g in groups)

    @property
    def surplus(self) -> tuple[int, int]:
        """Income minus spending: (budgeted, actual)."""
        income_b, income_a = self.total("income")
        spend_b, spend_a = self.total("spending")
        return income_b - spend_b, income_a - spend_a


def realisation(
    accounts: Iterable[Mapping],
    budgets: Mapping[str, int],
    actuals: Mapping[str, int],
    groups: Mapping[str, str],
    *,
    keep_empty: bool = False,
) -> Realisation:
    """Budget against actual per account, grouped.

    ``accounts``: rows with code, name, kind, group (the group's code), in display order;
    ``budgets`` and ``actuals``: code -> rupiah; ``groups``: group code -> name. Accounts
    with neither budget nor actual are left out unless ``keep_empty``.
    """
    by_group: dict[str, RealisationGroup] = {}
    for account in accounts:
        code = account["code"]
        budget = int(budgets.get(code, 0))
        actual = int(actuals.get(code, 0))
        if not keep_empty and budget == 0 and actual == 0:
            continue
        group_code = account["group"]
        group = by_group.get(group_code)
        if group is None:
            group = by_group[group_code] = RealisationGroup(
                group_code, groups.get(group_code, group_code), account["kind"]
            )
        group.lines.append(
            RealisationLine(code, account["name"], account["kind"], group_code, budget, actual)
        )
    return Realisation(list(by_group.values()))


def budget_check(*, budget: int | None, realised: int, amount: int) -> str:
    """Is a new spending of ``amount`` within the budget line? "ok", "over" or "none"
    (no budget line for the account)."""
    if budget is None:
        return "none"
    return "ok" if realised + amount <= budget else "over"
