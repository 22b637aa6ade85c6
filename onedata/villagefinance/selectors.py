"""Read queries that pages and API share: balances, cash book, realisation, dashboards."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date

from django.db.models import Count, Q, Sum

from onedata.villagefinance import permissions, reports
from onedata.villagefinance.models import (
    Account,
    BudgetLine,
    DesaAdat,
    Entry,
    FundBalance,
    Kind,
    MonthReport,
)


def villages_for(user):
    return (
        DesaAdat.objects.filter(permissions.villages_filter(user))
        .select_related("agency", "agency__region", "regency")
        .order_by("regency__code", "agency__name")
    )


def officer_village(user) -> DesaAdat | None:
    """The one desa adat where the user is an officer (None when none, or several)."""
    from onedata.core import scope

    agency_ids = {
        m.agency_id for m in scope.memberships_of(user) if m.role in permissions.OFFICER_ROLES
    }
    villages = list(DesaAdat.objects.filter(agency_id__in=agency_ids)[:2])
    return villages[0] if len(villages) == 1 else None


def balances(desa: DesaAdat) -> dict[str, int]:
    found = dict(FundBalance.objects.filter(desa_adat=desa).values_list("fund", "balance"))
    return {"cash": found.get("cash", 0), "bank": found.get("bank", 0)}


def entries(desa: DesaAdat, *, fund: str | None = None, start=None, end=None):
    queryset = Entry.objects.filter(desa_adat=desa).select_related("account", "receipt")
    if fund:
        queryset = queryset.filter(fund=fund)
    if start:
        queryset = queryset.filter(date__gte=start)
    if end:
        queryset = queryset.filter(date__lte=end)
    return queryset.order_by("date", "id")


def cash_book(
    desa: DesaAdat, *, fund: str | None = None, start: date | None = None, end: date | None = None
) -> reports.CashBook:
    """The general cash book (both funds) or the bank/cash book of one fund, with the
    opening balance brought forward from before ``start``."""
    opening = 0
    if start:
        before = Entry.objects.filter(desa_adat=desa, date__lt=start)
        if fund:
            before = before.filter(fund=fund)
        opening = before.aggregate(total=Sum("fund_amount"))["total"] or 0
    movements = (
        {
            "date": e.date,
            "number": e.number,
            "description": e.description,
            "account": e.account.code,
            "money_in": e.money_in,
            "money_out": e.money_out,
            "ref": e.pk,
        }
        for e in entries(desa, fund=fund, start=start, end=end)
    )
    return reports.cash_book(opening, movements)


def _accounts(year: int):
    return list(
        Account.objects.filter(year=year)
        .exclude(kind__in=(Kind.ASSET, Kind.TAX))  # balance-sheet accounts: no realisation
        .values("code", "name", "name_en", "kind", "group_code", "group_name", "group_name_en")
        .order_by("position", "code")
    )


def realisation(desa: DesaAdat, year: int, *, english: bool = False) -> reports.Realisation:
    """Budget against actual per account of the year, grouped (Laporan Realisasi)."""
    accounts = _accounts(year)
    budgets = dict(
        BudgetLine.objects.filter(desa_adat=desa, year=year).values_list("account__code", "amount")
    )
    actuals = dict(
        Entry.objects.filter(desa_adat=desa, date__year=year)
        .values("account__code")
        .annotate(total=Sum("account_amount"))
        .values_list("account__code", "total")
    )
    return _build(accounts, budgets, actuals, english)


def _build(accounts, budgets, actuals, english: bool) -> reports.Realisation:
    name_key = "name_en" if english else "name"
    group_key = "group_name_en" if english else "group_name"
    rows = [
        {
            "code": a["code"],
            "name": a[name_key] or a["name"],
            "kind": a["kind"],
            "group": a["group_code"],
        }
        for a in accounts
    ]
    groups = {a["group_code"]: a[group_key] or a["group_name"] for a in accounts}
    return reports.realisation(rows, budgets, actuals, groups)


@dataclass
class VillageSummary:
    desa_id: int
    name: str
    regency: str
    income_budget: int = 0
    income_actual: int = 0
    spending_budget: int = 0
    spending_actual: int = 0
    entries: int = 0
    reported_month: bool = False

    @property
    def spending_percent(self) -> float | None:
        return reports.percent(self.spending_actual, self.spending_budget)

    @property
    def income_percent(self) -> float | None:
        return reports.percent(self.income_actual, self.income_budget)


def province_realisation(year: int, villages=None) -> list[VillageSummary]:
    """Income and spending, budget and actual, for every village (two GROUP BY queries).

    ``villages``: a queryset to restrict to (a scope), applied as a subquery; None: all."""
    scoped = villages is not None
    villages = villages if scoped else DesaAdat.objects.all()
    summaries = {
        row["pk"]: VillageSummary(row["pk"], row["agency__name"], row["regency__name"])
        for row in villages.values("pk", "agency__name", "regency__name").order_by(
            "regency__code", "agency__name"
        )
    }
    budget_rows = BudgetLine.objects.filter(year=year)
    actual_rows = Entry.objects.filter(date__gte=date(year, 1, 1), date__lt=date(year + 1, 1, 1))
    if scoped:
        subquery = villages.values("pk")
        budget_rows = budget_rows.filter(desa_adat_id__in=subquery)
        actual_rows = actual_rows.filter(desa_adat_id__in=subquery)
    budget_rows = budget_rows.values("desa_adat_id", "account__kind").annotate(total=Sum("amount"))
    for row in budget_rows:
        summary = summaries.get(row["desa_adat_id"])
        if summary is None:
            continue
        if row["account__kind"] == Kind.INCOME:
            summary.income_budget = row["total"]
        elif row["account__kind"] == Kind.SPENDING:
            summary.spending_budget = row["total"]
    actual_rows = actual_rows.values("desa_adat_id", "kind").annotate(
        total=Sum("account_amount"), n=Count("id")
    )
    for row in actual_rows:
        summary = summaries.get(row["desa_adat_id"])
        if summary is None:
            continue
        summary.entries += row["n"]
        if row["kind"] == Kind.INCOME:
            summary.income_actual = row["total"]
        elif row["kind"] == Kind.SPENDING:
            summary.spending_actual = row["total"]
    return list(summaries.values())


def mark_reported(summaries: list[VillageSummary], year: int, month: int) -> None:
    reported = set(
        MonthReport.objects.filter(year=year, month=month).values_list("desa_adat_id", flat=True)
    )
    for summary in summaries:
        summary.reported_month = summary.desa_id in reported


def anomalies(villages, year: int, *, limit: int = 50) -> list[dict]:
    """Spending without a receipt, duplicate receipts, round amounts just under a limit."""
    spending = Entry.objects.filter(
        desa_adat__in=villages, date__year=year, kind=Kind.SPENDING, reversal_of__isnull=True
    ).select_related("desa_adat__agency")
    found = []
    for entry in spending.filter(receipt__isnull=True).order_by("-amount")[:limit]:
        found.append({"entry": entry, "kind": "no_receipt"})
    for entry in spending.filter(receipt__duplicate_of__isnull=False).order_by("-date")[:limit]:
        found.append({"entry": entry, "kind": "duplicate_receipt"})
    just_under = Q()
    for limit_value in (5_000_000, 10_000_000, 50_000_000):
        just_under |= Q(amount__gte=limit_value * 95 // 100, amount__lt=limit_value)
    for entry in spending.filter(just_under).order_by("-amount")[:limit]:
        found.append({"entry": entry, "kind": "just_under_limit"})
    return found


def monthly_totals(desa: DesaAdat, year: int) -> list[dict]:
    """Money in and out per month of the year (for the public chart)."""
    rows = defaultdict(lambda: {"money_in": 0, "money_out": 0})
    for entry_date, amount in Entry.objects.filter(desa_adat=desa, date__year=year).values_list(
        "date", "fund_amount"
    ):
        bucket = rows[entry_date.month]
        if amount > 0:
            bucket["money_in"] += amount
        else:
            bucket["money_out"] -= amount
    return [{"month": m, **rows[m]} for m in range(1, 13)]


@dataclass
class ChartGroup:
    code: str
    name: str
    kind: str
    accounts: list


def used_account_ids(year: int) -> set[int]:
    """Accounts of the year referred to by a budget line, a transaction or a grant (one
    DISTINCT query each; journal lines follow their transaction's account)."""
    from onedata.villagefinance.models import Grant

    used: set[int] = set()
    for model in (BudgetLine, Entry, Grant):
        used.update(
            model.objects.filter(account__year=year)
            .values_list("account_id", flat=True)
            .distinct()
            .order_by()
        )
    return used


def chart(year: int) -> list[ChartGroup]:
    """The year's chart by group, each account marked ``in_use``."""
    used = used_account_ids(year)
    groups: dict[str, ChartGroup] = {}
    for account in Account.objects.filter(year=year).order_by("position", "code"):
        account.in_use = account.pk in used
        group = groups.get(account.group_code)
        if group is None:
            group = groups[account.group_code] = ChartGroup(
                account.group_code, account.group_label, account.kind, []
            )
        group.accounts.append(account)
    return sorted(groups.values(), key=lambda g: [int(p) for p in g.code.split(".")])


def chart_years() -> list[int]:
    return list(Account.objects.values_list("year", flat=True).distinct().order_by("year"))


def grant_stage_report(stage) -> dict:
    """A stage's accountability: spending booked against it (reversals included, with a
    minus), the money received, used and left."""
    spending = list(
        Entry.objects.filter(grant_stage=stage, kind=Kind.SPENDING)
        .select_related("account")
        .order_by("date", "id")
    )
    received = (
        Entry.objects.filter(grant_stage=stage, kind=Kind.INCOME).aggregate(
            total=Sum("account_amount")
        )["total"]
        or 0
    )
    used = sum(e.account_amount for e in spending)
    return {"entries": spending, "received": received, "used": used, "left": received - used}
