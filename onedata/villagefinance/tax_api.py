"""Tax book and line-by-line bank reconciliation in the API, mounted under
/api/v1/villages/: ``{id}/reports/tax``, ``{id}/tax-deposits``, ``{id}/spending-with-tax``,
``tax-rates``, ``{id}/statements`` and the matches of their lines."""

from datetime import date as Date
from datetime import datetime
from typing import Literal

from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Field, File, Query, Router, Schema, Status
from ninja.files import UploadedFile

from onedata.core.errors import NotAuthorized, NotFound, ValidationError
from onedata.villagefinance import permissions, services, statement_services, tax_services

# api.py imports this module at its end, after the schemas and helpers it shares with us.
from onedata.villagefinance.api import TransactionCreatedOut, _entry_out, _village
from onedata.villagefinance.models import Account, DesaAdat, Entry, StatementLine, TaxRate

router = Router(tags=["villagefinance"])

_FROM = Query(None, alias="from")
_TO = Query(None, alias="to")


# --- schemas ------------------------------------------------------------------------------


class TaxRateOut(Schema):
    code: str
    name: str
    account: str
    rate_percent: float
    rate_bp: int
    year_from: int
    year_to: int | None


class TaxTotalOut(Schema):
    tax: str
    name: str
    account: str
    opening: int
    withheld: int
    deposited: int
    outstanding: int


class TaxRowOut(Schema):
    date: Date
    number: str
    description: str
    tax: str
    withheld: int
    deposited: int
    balance: int
    entry_id: int


class OverdueOut(Schema):
    tax: str
    withheld_on: Date
    due: Date
    amount: int


class TaxBookOut(Schema):
    start: Date
    end: Date
    opening: int
    withheld: int
    deposited: int
    outstanding: int
    totals: list[TaxTotalOut]
    rows: list[TaxRowOut]
    overdue: list[OverdueOut]


class TaxDepositIn(Schema):
    tax: str = Field(..., max_length=12, description="Tax code, e.g. pph23")
    date: Date
    amount: int = Field(..., ge=-(10**15), le=10**15)
    fund: Literal["cash", "bank"] = "bank"
    billing_code: str = Field("", max_length=30)
    ntpn: str = Field("", max_length=30)


class TaxDepositOut(Schema):
    id: int
    entry_id: int
    number: str
    date: Date
    tax: str
    amount: int
    fund: str
    billing_code: str
    ntpn: str


class WithholdingIn(Schema):
    tax: str = Field(..., max_length=12, description="Tax code, e.g. pph23")
    base: int | None = Field(None, ge=0, le=10**15, description="Taxed amount; the amount")
    amount: int | None = Field(
        None, ge=-(10**15), le=10**15, description="Tax withheld; computed when left out"
    )


class SpendingWithTaxIn(Schema):
    date: Date
    account: str = Field(..., max_length=12)
    amount: int = Field(..., ge=-(10**15), le=10**15)
    description: str = Field(..., max_length=300)
    fund: Literal["cash", "bank"] = "cash"
    counterparty: str = Field("", max_length=150)
    taxes: list[WithholdingIn] = Field(..., max_length=10)


class StatementLineOut(Schema):
    id: int
    statement_id: int
    row: int
    date: Date
    description: str
    amount: int
    balance: int | None
    entry_id: int | None
    entry_number: str | None
    matched_by: str
    matched_at: datetime | None


class StatementOut(Schema):
    id: int
    file_name: str
    start: Date
    end: Date
    lines: int
    matched: int


class MatchIn(Schema):
    entry_id: int = Field(..., ge=1, le=2**62)


class AutoMatchOut(Schema):
    matched: int


class MonthOut(Schema):
    year: int
    month: int
    matched: int
    open_lines: int
    open_entries: int
    statement_balance: int | None
    book_balance: int
    complete: bool
    completed_by: str | None
    completed_at: datetime | None


class MonthCompleteIn(Schema):
    statement_balance: int | None = Field(None, ge=0, le=10**15)


# --- helpers ------------------------------------------------------------------------------


def _rate(code: str, year: int) -> TaxRate:
    rate = next((r for r in tax_services.rates_for(year) if r.code == code), None)
    if rate is None:
        raise ValidationError.for_field("tax", _("No such tax in force in that year."))
    return rate


def _line_out(line: StatementLine) -> dict:
    return {
        "id": line.pk,
        "statement_id": line.statement_id,
        "row": line.row,
        "date": line.date,
        "description": line.description,
        "amount": line.amount,
        "balance": line.balance,
        "entry_id": line.entry_id,
        "entry_number": line.entry.number if line.entry_id else None,
        "matched_by": line.matched_by,
        "matched_at": line.matched_at,
    }


def _writer(request, desa: DesaAdat, check) -> None:
    if not check(request.user, desa):
        raise NotAuthorized(_("Only the village treasurer does this."))


def _line(desa: DesaAdat, line_id: int) -> StatementLine:
    line = StatementLine.objects.filter(pk=line_id, desa_adat=desa).select_related("entry").first()
    if line is None:
        raise NotFound(_("No such statement line."))
    return line


def _month_out(state) -> dict:
    record = state.reconciled
    return {
        "year": state.year,
        "month": state.month,
        "matched": len(state.matched),
        "open_lines": len(state.open_lines),
        "open_entries": len(state.open_entries),
        "statement_balance": state.statement_balance,
        "book_balance": state.book_balance,
        "complete": record is not None,
        "completed_by": record.completed_by.username if record and record.completed_by else None,
        "completed_at": record.completed_at if record else None,
    }


# --- tax ------------------------------------------------------------------------------------


@router.get("/tax-rates", response=list[TaxRateOut], summary="Tax rates in force in a year")
def villagefinance_tax_rates(request, year: int | None = Query(None, ge=2000, le=2100)):
    if not permissions.can_view_chart(request.user):
        raise NotAuthorized(_("Log in to see the tax rates."))
    return [
        {
            "code": r.code,
            "name": r.label,
            "account": r.account_code,
            "rate_percent": r.rate_bp / 100,
            "rate_bp": r.rate_bp,
            "year_from": r.year_from,
            "year_to": r.year_to,
        }
        for r in tax_services.rates_for(year or timezone.localdate().year)
    ]


@router.get(
    "/{village_id}/reports/tax",
    response={200: TaxBookOut},
    summary="Tax book (Buku Pembantu Pajak): withheld, deposited and owed per tax",
)
def villagefinance_tax_book(
    request,
    village_id: int,
    start: Date | None = _FROM,
    end: Date | None = _TO,
):
    """``from`` defaults to 1 January of this year, ``to`` to today. Rows carry the running
    balance owed on their tax; ``overdue``: withheld tax past its deposit day."""
    desa = _village(request, village_id)
    if not permissions.can_view_tax_book(request.user, desa):
        raise NotFound(_("No such customary village (or not visible to you)."))
    today = timezone.localdate()
    start = start or today.replace(month=1, day=1)
    end = end or today
    book, names = tax_services.tax_book(desa, start=start, end=end)

    def code(account: str) -> str:
        return names[account].code if account in names else account

    def name(account: str) -> str:
        return names[account].label if account in names else account

    return {
        "start": start,
        "end": end,
        "opening": book.opening,
        "withheld": book.withheld,
        "deposited": book.deposited,
        "outstanding": book.outstanding,
        "totals": [
            {
                "tax": code(account),
                "name": name(account),
                "account": account,
                "opening": total.opening,
                "withheld": total.withheld,
                "deposited": total.deposited,
                "outstanding": total.outstanding,
            }
            for account, total in book.totals.items()
        ],
        "rows": [
            {
                "date": row.date,
                "number": row.number,
                "description": row.description,
                "tax": code(row.tax),
                "withheld": row.withheld,
                "deposited": row.deposited,
                "balance": row.balance,
                "entry_id": row.ref,
            }
            for row in book.rows
        ],
        "overdue": [
            {
                "tax": code(item.tax),
                "withheld_on": item.withheld_on,
                "due": item.due,
                "amount": item.amount,
            }
            for item, _label in tax_services.overdue_labelled(desa)
        ],
    }


def _deposit_out(deposit) -> dict:
    entry = deposit.entry
    return {
        "id": deposit.pk,
        "entry_id": entry.pk,
        "number": entry.number,
        "date": entry.date,
        "tax": deposit.tax.code,
        "amount": entry.amount,
        "fund": entry.fund,
        "billing_code": deposit.billing_code,
        "ntpn": deposit.ntpn,
    }


@router.get(
    "/{village_id}/tax-deposits", response={200: list[TaxDepositOut]}, summary="Tax deposits"
)
def villagefinance_tax_deposit_list(request, village_id: int):
    desa = _village(request, village_id)
    if not permissions.can_view_tax_book(request.user, desa):
        raise NotFound(_("No such customary village (or not visible to you)."))
    return [_deposit_out(d) for d in tax_services.deposits(desa)[:500]]


@router.post(
    "/{village_id}/tax-deposits",
    response={201: TaxDepositOut},
    summary="Deposit withheld tax (setoran pajak) with its billing code and NTPN",
)
def villagefinance_tax_deposit_create(request, village_id: int, payload: TaxDepositIn):
    """Refused (409) beyond what is owed on the tax; the entry debits the tax-payable
    account from cash or bank."""
    desa = _village(request, village_id)
    _writer(request, desa, permissions.can_record_tax_deposit)
    posted = tax_services.tax_deposit_record(
        actor=request.user,
        desa=desa,
        tax=_rate(payload.tax, payload.date.year),
        date=payload.date,
        fund=payload.fund,
        amount=payload.amount,
        billing_code=payload.billing_code,
        ntpn=payload.ntpn,
    )
    return Status(201, _deposit_out(posted.entry.deposit))


@router.post(
    "/{village_id}/spending-with-tax",
    response={201: TransactionCreatedOut},
    summary="Record a spending with taxes withheld from the payee (JSON)",
)
def villagefinance_spending_with_tax(request, village_id: int, payload: SpendingWithTaxIn):
    """Each tax's amount is computed from ``base`` (the whole amount when left out),
    rounded down to the rupiah, unless given. The fund pays the amount minus the taxes."""
    desa = _village(request, village_id)
    _writer(request, desa, permissions.can_record_entry)
    account = Account.objects.filter(year=payload.date.year, code=payload.account).first()
    if account is None:
        raise ValidationError.for_field("account", _("No such account in this year's chart."))
    withholdings = [
        tax_services.withholding_for(
            _rate(item.tax, payload.date.year),
            item.base if item.base is not None else payload.amount,
            item.amount,
        )
        for item in payload.taxes
    ]
    posted = services.entry_record(
        actor=request.user,
        desa=desa,
        date=payload.date,
        kind="spending",
        account=account,
        fund=payload.fund,
        amount=payload.amount,
        description=payload.description,
        counterparty=payload.counterparty,
        taxes=withholdings,
    )
    return Status(201, _entry_out(posted.entry, posted.warnings))


# --- bank statements ---------------------------------------------------------------------------


@router.post(
    "/{village_id}/statements",
    response={201: StatementOut},
    summary="Upload a bank statement (CSV or XLSX); its lines are matched to the bank book",
)
def villagefinance_statement_upload(
    request,
    village_id: int,
    file: File[UploadedFile],  # noqa: B008 - Ninja parameter declaration
):
    """Columns date, description, debit and credit (or one signed amount) and balance;
    ``1.500.000`` and ``dd/mm/yyyy`` are read. A bad cell is named by row and column
    (422, field ``file``); the same file twice is refused (409)."""
    desa = _village(request, village_id)
    _writer(request, desa, permissions.can_match_statement)
    statement = statement_services.statement_upload(
        actor=request.user,
        desa=desa,
        content=file.read(statement_services.MAX_FILE_BYTES + 1),
        file_name=file.name or "statement.csv",
    )
    return Status(
        201,
        {
            "id": statement.pk,
            "file_name": statement.file_name,
            "start": statement.start,
            "end": statement.end,
            "lines": statement.lines.count(),
            "matched": statement.lines.filter(entry__isnull=False).count(),
        },
    )


@router.get(
    "/{village_id}/statements/lines",
    response={200: list[StatementLineOut]},
    summary="Bank statement lines and their matches",
)
def villagefinance_statement_lines(
    request,
    village_id: int,
    start: Date | None = _FROM,
    end: Date | None = _TO,
    matched: bool | None = None,
):
    desa = _village(request, village_id)
    if not permissions.can_view_statements(request.user, desa):
        raise NotFound(_("No such customary village (or not visible to you)."))
    lines = statement_services.statement_lines(desa, start=start, end=end)
    if matched is not None:
        lines = lines.filter(entry__isnull=not matched)
    return [_line_out(line) for line in lines[:2000]]


@router.post(
    "/{village_id}/statements/match",
    response={200: AutoMatchOut},
    summary="Match open statement lines to the bank book automatically",
)
def villagefinance_statement_auto_match(request, village_id: int):
    """Same amount and direction, at most 3 days apart, one to one; the closest dates
    first, ties to the earliest ids (the same result whatever the order)."""
    desa = _village(request, village_id)
    _writer(request, desa, permissions.can_match_statement)
    return {"matched": statement_services.statement_auto_match(actor=request.user, desa=desa)}


@router.put(
    "/{village_id}/statements/lines/{line_id}/match",
    response={200: StatementLineOut},
    summary="Match a statement line to a bank-book transaction by hand",
)
def villagefinance_statement_match(request, village_id: int, line_id: int, payload: MatchIn):
    desa = _village(request, village_id)
    _writer(request, desa, permissions.can_match_statement)
    line = _line(desa, line_id)
    entry = Entry.objects.filter(pk=payload.entry_id, desa_adat=desa).first()
    if entry is None:
        raise ValidationError.for_field("entry_id", _("No such transaction in this village."))
    statement_services.statement_match(actor=request.user, line=line, entry=entry)
    return _line_out(_line(desa, line_id))


@router.delete(
    "/{village_id}/statements/lines/{line_id}/match",
    response={200: StatementLineOut},
    summary="Undo a statement line's match",
)
def villagefinance_statement_unmatch(request, village_id: int, line_id: int):
    desa = _village(request, village_id)
    _writer(request, desa, permissions.can_match_statement)
    statement_services.statement_unmatch(actor=request.user, line=_line(desa, line_id))
    return _line_out(_line(desa, line_id))


@router.get(
    "/{village_id}/statements/months/{year}/{month}",
    response={200: MonthOut},
    summary="A month's reconciliation: matched, open on either side, balances",
)
def villagefinance_statement_month(request, village_id: int, year: int, month: int):
    desa = _village(request, village_id)
    if not permissions.can_view_statements(request.user, desa):
        raise NotFound(_("No such customary village (or not visible to you)."))
    if not (2000 <= year <= 2100 and 1 <= month <= 12):
        raise ValidationError.for_field("month", _("Choose a month."))
    return _month_out(statement_services.month_state(desa, year, month))


@router.post(
    "/{village_id}/statements/months/{year}/{month}/complete",
    response={200: MonthOut},
    summary="Complete a month's reconciliation (everything matched, balances agree)",
)
def villagefinance_statement_month_complete(
    request, village_id: int, year: int, month: int, payload: MonthCompleteIn
):
    desa = _village(request, village_id)
    _writer(request, desa, permissions.can_match_statement)
    if not (2000 <= year <= 2100 and 1 <= month <= 12):
        raise ValidationError.for_field("month", _("Choose a month."))
    statement_services.month_complete(
        actor=request.user,
        desa=desa,
        year=year,
        month=month,
        statement_balance=payload.statement_balance,
    )
    return _month_out(statement_services.month_state(desa, year, month))
