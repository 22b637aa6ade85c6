"""The village finance (SIKUAT) API, mounted at /api/v1/villages/.

A village is named by its id (``GET /api/v1/villages/`` lists those you may see). Officers
see their own desa adat, regency and provincial staff their scope; a village outside your
reach answers 404. Published summaries are open to everyone.
"""

from datetime import date as Date
from datetime import datetime
from typing import Literal

from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Field, File, Form, Query, Router, Schema, Status
from ninja.files import UploadedFile
from ninja.pagination import paginate

from onedata.core.errors import NotAuthorized, NotFound, ValidationError
from onedata.core.pagination import PagePagination
from onedata.villagefinance import permissions, reports, selectors, services
from onedata.villagefinance.models import (
    Account,
    BudgetLine,
    DesaAdat,
    Entry,
    Grant,
    GrantStage,
    Receipt,
)

router = Router(tags=["villagefinance"])


def _year_query():
    return Query(None, ge=2000, le=2100, description="Year; the current year when left out")


def _village(request, village_id: int) -> DesaAdat:
    desa = (
        DesaAdat.objects.select_related("agency", "agency__region", "regency")
        .filter(pk=village_id)
        .first()
    )
    if desa is None or not permissions.can_view_village(request.user, desa):
        raise NotFound(_("No such customary village (or not visible to you)."))
    return desa


def _year(year: int | None) -> int:
    return year or timezone.localdate().year


# --- schemas ------------------------------------------------------------------------------


class VillageOut(Schema):
    id: int
    name: str
    regency: str
    region_code: str
    is_sample: bool
    budget_control: str

    @staticmethod
    def resolve_name(desa) -> str:
        return desa.agency.name

    @staticmethod
    def resolve_regency(desa) -> str:
        return desa.regency.name

    @staticmethod
    def resolve_region_code(desa) -> str:
        return desa.agency.region.code

    @staticmethod
    def resolve_is_sample(desa) -> bool:
        return desa.agency.is_sample


class VillageDetailOut(VillageOut):
    cash: int
    bank: int
    bank_name: str
    bank_account_number: str


class TransactionOut(Schema):
    id: int
    number: str
    date: Date
    kind: str
    account: str
    account_name: str
    fund: str
    amount: int
    money_in: int
    money_out: int
    description: str
    counterparty: str
    status: str
    receipt_id: int | None
    receipt_duplicate: bool
    reverses: str | None
    over_budget: bool
    created_at: datetime


class TransactionCreatedOut(TransactionOut):
    warnings: list[str]


def _entry_out(entry: Entry, warnings: list[str] | None = None) -> dict:
    data = {
        "id": entry.pk,
        "number": entry.number,
        "date": entry.date,
        "kind": entry.kind,
        "account": entry.account.code,
        "account_name": entry.account.label,
        "fund": entry.fund,
        "amount": entry.amount,
        "money_in": entry.money_in,
        "money_out": entry.money_out,
        "description": entry.description,
        "counterparty": entry.counterparty,
        "status": entry.status,
        "receipt_id": entry.receipt_id,
        "receipt_duplicate": bool(entry.receipt and entry.receipt.duplicate_of_id),
        "reverses": entry.reversal_of.number if entry.reversal_of_id else None,
        "over_budget": entry.over_budget,
        "created_at": entry.created_at,
    }
    if warnings is not None:
        data["warnings"] = warnings
    return data


class ReceiptOut(Schema):
    id: int
    size: int
    width: int | None
    height: int | None
    duplicate_of: int | None
    proposed_date: Date | None
    proposed_total: int | None
    ocr: bool = Field(..., description="Whether the receipt could be read (Tesseract present)")


class ReverseIn(Schema):
    reason: str = Field(..., max_length=300)
    date: Date | None = None


class BudgetIn(Schema):
    account: str = Field(..., max_length=12, description="Account code, e.g. 5.1.1")
    year: int = Field(..., ge=2000, le=2100)
    amount: int = Field(..., ge=0, le=services.MAX_AMOUNT)
    reason: str = Field("", max_length=300)


class BudgetLineOut(Schema):
    account: str
    account_name: str
    kind: str
    amount: int
    original_amount: int
    realised: int
    percent: float | None


class CashRowOut(Schema):
    date: Date
    number: str
    description: str
    account: str
    money_in: int
    money_out: int
    balance: int


class CashBookOut(Schema):
    fund: str | None
    start: Date | None
    end: Date | None
    opening: int
    total_in: int
    total_out: int
    closing: int
    rows: list[CashRowOut]


class RealisationLineOut(Schema):
    code: str
    name: str
    budget: int
    actual: int
    remaining: int
    percent: float | None


class RealisationGroupOut(Schema):
    code: str
    name: str
    kind: str
    budget: int
    actual: int
    percent: float | None
    lines: list[RealisationLineOut]


class RealisationOut(Schema):
    year: int
    income_budget: int
    income_actual: int
    spending_budget: int
    spending_actual: int
    groups: list[RealisationGroupOut]


class StageOut(Schema):
    id: int
    number: int
    amount: int
    status: str
    used: int
    disbursed_at: datetime | None
    received_at: datetime | None
    accounted_at: datetime | None


class GrantOut(Schema):
    id: int
    name: str
    year: int
    source: str
    grantor: str
    account: str
    total: int
    stages: list[StageOut]


class GrantIn(Schema):
    name: str = Field(..., max_length=150)
    year: int = Field(..., ge=2000, le=2100)
    account: str = Field("4.1.1", max_length=12)
    grantor_agency: int = Field(..., description="Id of the giving agency (province or regency)")
    stages: list[int] = Field(..., min_length=1, max_length=12)


class StageReceiveIn(Schema):
    date: Date
    fund: Literal["cash", "bank"] = "bank"


class StageReportIn(Schema):
    note: str = Field(..., max_length=5000)


class PublicSummaryOut(Schema):
    id: int
    name: str
    regency: str
    year: int
    is_sample: bool
    income_budget: int
    income_actual: int
    spending_budget: int
    spending_actual: int
    groups: list[RealisationGroupOut]


class OpenRealisationOut(Schema):
    id: int
    name: str
    regency: str
    income_budget: int
    income_actual: int
    spending_budget: int
    spending_actual: int
    spending_percent: float | None


class AccountOut(Schema):
    id: int
    year: int
    code: str
    name: str
    name_en: str
    kind: str
    group_code: str
    group_name: str
    is_active: bool
    in_use: bool = Field(..., description="Used by a budget, a transaction or a grant")


class AccountIn(Schema):
    year: int = Field(..., ge=2000, le=2100)
    group_code: str = Field(..., max_length=12, description="Group of the chart, e.g. 5.1")
    code: str = Field(..., max_length=12, description="Starts with the group code, e.g. 5.1.4")
    name: str = Field(..., max_length=150)
    name_en: str = Field("", max_length=150)


class AccountPatch(Schema):
    name: str | None = Field(None, max_length=150)
    name_en: str | None = Field(None, max_length=150)
    is_active: bool | None = None


def _account_out(account: Account, in_use: bool | None = None) -> dict:
    return {
        "id": account.pk,
        "year": account.year,
        "code": account.code,
        "name": account.name,
        "name_en": account.name_en,
        "kind": account.kind,
        "group_code": account.group_code,
        "group_name": account.group_name,
        "is_active": account.is_active,
        "in_use": services.account_in_use(account) if in_use is None else in_use,
    }


# --- chart of accounts ---------------------------------------------------------------------


@router.get("/chart", response=list[AccountOut], summary="The chart of accounts of a year")
def villagefinance_chart(request, year: int | None = _year_query()):
    if not permissions.can_view_chart(request.user):
        raise NotAuthorized(_("Log in to see the chart of accounts."))
    chosen = _year(year)
    used = selectors.used_account_ids(chosen)
    return [
        _account_out(a, a.pk in used)
        for a in Account.objects.filter(year=chosen).order_by("position", "code")
    ]


@router.post(
    "/chart/years/{year}",
    response={201: list[AccountOut]},
    summary="Start the chart of a year (a copy of the latest earlier year); provincial staff",
)
def villagefinance_chart_load(request, year: int):
    if not permissions.can_edit_chart(request.user):
        raise NotAuthorized(_("Only provincial staff edit the chart of accounts."))
    if not 2000 <= year <= 2100:
        raise ValidationError.for_field("year", _("Choose a year from 2000 to 2100."))
    services.chart_load(year=year, actor=request.user)
    used = selectors.used_account_ids(year)
    return Status(
        201,
        [
            _account_out(a, a.pk in used)
            for a in Account.objects.filter(year=year).order_by("position", "code")
        ],
    )


@router.post(
    "/chart/accounts",
    response={201: AccountOut},
    summary="Add an account to a group of a year's chart (provincial staff)",
)
def villagefinance_account_create(request, payload: AccountIn):
    if not permissions.can_edit_chart(request.user):
        raise NotAuthorized(_("Only provincial staff edit the chart of accounts."))
    account = services.account_create(
        actor=request.user,
        year=payload.year,
        code=payload.code,
        name=payload.name,
        name_en=payload.name_en,
        group_code=payload.group_code,
    )
    return Status(201, _account_out(account, False))


def _chart_account(account_id: int) -> Account:
    account = Account.objects.filter(pk=account_id).first()
    if account is None:
        raise NotFound(_("No such account."))
    return account


@router.patch(
    "/chart/accounts/{account_id}",
    response={200: AccountOut},
    summary="Rename an account or take it out of use (provincial staff)",
)
def villagefinance_account_update(request, account_id: int, payload: AccountPatch):
    if not permissions.can_edit_chart(request.user):
        raise NotAuthorized(_("Only provincial staff edit the chart of accounts."))
    account = _chart_account(account_id)
    services.account_update(
        actor=request.user,
        account=account,
        name=account.name if payload.name is None else payload.name,
        name_en=account.name_en if payload.name_en is None else payload.name_en,
        is_active=account.is_active if payload.is_active is None else payload.is_active,
    )
    return _account_out(account)


@router.delete(
    "/chart/accounts/{account_id}",
    response={204: None},
    summary="Delete an unused account (a used one is refused with 409)",
)
def villagefinance_account_delete(request, account_id: int):
    if not permissions.can_edit_chart(request.user):
        raise NotAuthorized(_("Only provincial staff edit the chart of accounts."))
    services.account_delete(actor=request.user, account=_chart_account(account_id))
    return Status(204, None)


# --- villages ------------------------------------------------------------------------------


@router.get("/", response=list[VillageOut], summary="Customary villages you may see")
@paginate(PagePagination)
def villagefinance_village_list(request, q: str = Query("", max_length=100)):
    queryset = selectors.villages_for(request.user)
    if q.strip():
        queryset = queryset.filter(agency__name__icontains=q.strip())
    return queryset


@router.get("/{village_id}", response={200: VillageDetailOut}, summary="One village, balances")
def villagefinance_village_detail(request, village_id: int):
    desa = _village(request, village_id)
    funds = selectors.balances(desa)
    desa.cash, desa.bank = funds["cash"], funds["bank"]
    return desa


# --- transactions ---------------------------------------------------------------------------


@router.post(
    "/{village_id}/transactions",
    response={201: TransactionCreatedOut},
    summary="Record income or spending (multipart, with an optional receipt photo)",
)
def villagefinance_transaction_create(
    request,
    village_id: int,
    date: Date = Form(...),  # noqa: B008 - Ninja parameter declaration
    kind: Literal["income", "spending", "financing_in", "financing_out"] = Form(...),
    account: str = Form(..., max_length=12),
    amount: int = Form(..., ge=-(10**15), le=10**15),
    description: str = Form(..., max_length=300),
    fund: Literal["cash", "bank"] = Form("cash"),
    counterparty: str = Form("", max_length=150),
    receipt_id: int | None = Form(None, ge=1, le=2**62),
    grant_stage: int | None = Form(None, ge=1, le=2**62),
    receipt: UploadedFile | None = File(None),  # noqa: B008 - Ninja parameter declaration
):
    """Amounts are whole rupiah above zero. ``receipt`` (a JPEG, PNG or WebP photo) or
    ``receipt_id`` (from ``POST …/receipts``) attaches the receipt. Over-budget spending
    comes back with ``warnings`` (or is refused when the village blocks overruns)."""
    desa = _village(request, village_id)
    if not permissions.can_record_entry(request.user, desa):
        raise NotAuthorized(_("Only the village treasurer records transactions."))
    chosen = Account.objects.filter(year=date.year, code=account).first()
    if chosen is None and date > timezone.localdate():
        raise ValidationError.for_field(
            "date", _("The date is in the future. Use today's date or an earlier one.")
        )
    if chosen is None:
        raise ValidationError.for_field("account", _("No such account in this year's chart."))
    stored = None
    if receipt is not None:
        stored = services.receipt_store(actor=request.user, desa=desa, upload=receipt)
    elif receipt_id is not None:
        stored = Receipt.objects.filter(pk=receipt_id, desa_adat=desa).first()
        if stored is None:
            raise ValidationError.for_field("receipt_id", _("No such receipt for this village."))
    stage = None
    if grant_stage is not None:
        stage = GrantStage.objects.filter(pk=grant_stage, grant__desa_adat=desa).first()
        if stage is None:
            raise ValidationError.for_field("grant_stage", _("No such grant stage."))
    posted = services.entry_record(
        actor=request.user,
        desa=desa,
        date=date,
        kind=kind,
        account=chosen,
        fund=fund,
        amount=amount,
        description=description,
        counterparty=counterparty,
        receipt=stored,
        grant_stage=stage,
    )
    return Status(201, _entry_out(posted.entry, posted.warnings))


@router.get(
    "/{village_id}/transactions",
    response=list[TransactionOut],
    summary="Transactions, newest first",
)
@paginate(PagePagination)
def villagefinance_transaction_list(
    request,
    village_id: int,
    kind: Literal["income", "spending", "financing_in", "financing_out"] | None = None,
    fund: Literal["cash", "bank"] | None = None,
    start: Date | None = Query(None, alias="from"),  # noqa: B008 - Ninja parameter declaration
    end: Date | None = Query(None, alias="to"),  # noqa: B008 - Ninja parameter declaration
):
    desa = _village(request, village_id)
    queryset = Entry.objects.filter(desa_adat=desa).select_related(
        "account", "receipt", "reversal_of"
    )
    if kind:
        queryset = queryset.filter(kind=kind)
    if fund:
        queryset = queryset.filter(fund=fund)
    if start:
        queryset = queryset.filter(date__gte=start)
    if end:
        queryset = queryset.filter(date__lte=end)
    return [_entry_out(e) for e in queryset.order_by("-date", "-id")[:5000]]


def _entry(desa: DesaAdat, entry_id: int) -> Entry:
    entry = (
        Entry.objects.select_related("account", "receipt", "reversal_of", "desa_adat__agency")
        .filter(pk=entry_id, desa_adat=desa)
        .first()
    )
    if entry is None:
        raise NotFound(_("No such transaction."))
    return entry


@router.post(
    "/{village_id}/transactions/{entry_id}/reverse",
    response={201: TransactionOut},
    summary="Cancel a transaction with a reversing entry",
)
def villagefinance_transaction_reverse(request, village_id: int, entry_id: int, payload: ReverseIn):
    desa = _village(request, village_id)
    entry = _entry(desa, entry_id)
    if not permissions.can_reverse_entry(request.user, entry):
        raise NotAuthorized(_("Only the village treasurer cancels transactions."))
    reversal = services.entry_reverse(
        actor=request.user, entry=entry, reason=payload.reason, date=payload.date
    )
    return Status(201, _entry_out(reversal))


@router.post(
    "/{village_id}/transactions/{entry_id}/verify",
    response={200: TransactionOut},
    summary="Verify a transaction (regency or provincial staff)",
)
def villagefinance_transaction_verify(request, village_id: int, entry_id: int):
    desa = _village(request, village_id)
    entry = _entry(desa, entry_id)
    if not permissions.can_verify_entry(request.user, entry):
        raise NotAuthorized(_("Only regency or provincial staff verify transactions."))
    return Status(200, _entry_out(services.entry_verify(actor=request.user, entry=entry)))


@router.post(
    "/{village_id}/receipts",
    response={201: ReceiptOut},
    summary="Upload a receipt photo; get a proposed date and total",
)
def villagefinance_receipt_upload(request, village_id: int, photo: File[UploadedFile]):
    """Stores the photo (checked, EXIF removed) and reads it with OCR when available. Keep
    the returned ``id`` and send it as ``receipt_id`` with the transaction."""
    desa = _village(request, village_id)
    if not permissions.can_record_entry(request.user, desa):
        raise NotAuthorized(_("Only the village treasurer uploads receipts."))
    receipt = services.receipt_store(actor=request.user, desa=desa, upload=photo, field="photo")
    proposal = services.receipt_read(receipt=receipt)
    return Status(
        201,
        {
            "id": receipt.pk,
            "size": receipt.size,
            "width": receipt.width,
            "height": receipt.height,
            "duplicate_of": receipt.duplicate_of_id,
            "proposed_date": proposal.date,
            "proposed_total": proposal.total,
            "ocr": services.ocr_available(),
        },
    )


# --- books and reports ---------------------------------------------------------------------


@router.get(
    "/{village_id}/cashbook",
    response={200: CashBookOut},
    summary="General cash book (Buku Kas Umum), or the bank or cash book with ?fund=",
)
def villagefinance_cashbook(
    request,
    village_id: int,
    start: Date | None = Query(None, alias="from"),  # noqa: B008 - Ninja parameter declaration
    end: Date | None = Query(None, alias="to"),  # noqa: B008 - Ninja parameter declaration
    fund: Literal["cash", "bank"] | None = None,
):
    desa = _village(request, village_id)
    book = selectors.cash_book(desa, fund=fund, start=start, end=end)
    return {
        "fund": fund,
        "start": start,
        "end": end,
        "opening": book.opening,
        "total_in": book.total_in,
        "total_out": book.total_out,
        "closing": book.closing,
        "rows": [{k: v for k, v in row.__dict__.items() if k != "ref"} for row in book.rows],
    }


@router.get("/{village_id}/budget", response={200: list[BudgetLineOut]}, summary="Budget lines")
def villagefinance_budget(request, village_id: int, year: int | None = _year_query()):
    desa = _village(request, village_id)
    lines = BudgetLine.objects.filter(desa_adat=desa, year=_year(year)).select_related("account")
    return [
        {
            "account": line.account.code,
            "account_name": line.account.label,
            "kind": line.account.kind,
            "amount": line.amount,
            "original_amount": line.original_amount,
            "realised": line.realised,
            "percent": reports.percent(line.realised, line.amount),
        }
        for line in lines
    ]


@router.post(
    "/{village_id}/budget",
    response={200: BudgetLineOut},
    summary="Set an account's budget; a change is an amendment with a reason",
)
def villagefinance_budget_set(request, village_id: int, payload: BudgetIn):
    desa = _village(request, village_id)
    if not permissions.can_manage_budget(request.user, desa):
        raise NotAuthorized(_("Only the village officers set the budget."))
    account = Account.objects.filter(year=payload.year, code=payload.account).first()
    if account is None:
        raise ValidationError.for_field("account", _("No such account in this year's chart."))
    line = services.budget_set(
        actor=request.user,
        desa=desa,
        account=account,
        amount=payload.amount,
        reason=payload.reason,
    )
    return {
        "account": account.code,
        "account_name": account.label,
        "kind": account.kind,
        "amount": line.amount,
        "original_amount": line.original_amount,
        "realised": line.realised,
        "percent": reports.percent(line.realised, line.amount),
    }


def _groups_out(result: reports.Realisation) -> list[dict]:
    return [
        {
            "code": g.code,
            "name": g.name,
            "kind": g.kind,
            "budget": g.budget,
            "actual": g.actual,
            "percent": g.percent,
            "lines": [
                {
                    "code": line.code,
                    "name": line.name,
                    "budget": line.budget,
                    "actual": line.actual,
                    "remaining": line.remaining,
                    "percent": line.percent,
                }
                for line in g.lines
            ],
        }
        for g in result.groups
    ]


def _realisation_body(desa: DesaAdat, year: int) -> dict:
    from django.utils.translation import get_language

    result = selectors.realisation(desa, year, english=get_language() == "en")
    income = result.total("income")
    spending = result.total("spending")
    return {
        "year": year,
        "income_budget": income[0],
        "income_actual": income[1],
        "spending_budget": spending[0],
        "spending_actual": spending[1],
        "groups": _groups_out(result),
    }


@router.get(
    "/{village_id}/reports/realisation",
    response={200: RealisationOut},
    summary="Budget realisation (Laporan Realisasi): budget, actual and percent per account",
)
def villagefinance_realisation(request, village_id: int, year: int | None = _year_query()):
    desa = _village(request, village_id)
    return _realisation_body(desa, _year(year))


# --- grants ------------------------------------------------------------------------------------


def _grant_out(grant: Grant) -> dict:
    return {
        "id": grant.pk,
        "name": grant.name,
        "year": grant.year,
        "source": grant.source,
        "grantor": grant.grantor.name,
        "account": grant.account.code,
        "total": grant.total,
        "stages": [
            {
                "id": s.pk,
                "number": s.number,
                "amount": s.amount,
                "status": s.status,
                "used": services.grant_stage_used(s),
                "disbursed_at": s.disbursed_at,
                "received_at": s.received_at,
                "accounted_at": s.accounted_at,
            }
            for s in grant.stages.all()
        ],
    }


@router.get("/{village_id}/grants", response={200: list[GrantOut]}, summary="Grants and stages")
def villagefinance_grant_list(request, village_id: int):
    desa = _village(request, village_id)
    grants = Grant.objects.filter(desa_adat=desa).select_related("grantor", "account")
    return [_grant_out(g) for g in grants.prefetch_related("stages")]


@router.post(
    "/{village_id}/grants",
    response={201: GrantOut},
    summary="Record a grant to the village, in stages (regency or provincial staff)",
)
def villagefinance_grant_create(request, village_id: int, payload: GrantIn):
    from onedata.core.models import Agency

    desa = _village(request, village_id)
    if not permissions.can_manage_grants(request.user, desa):
        raise NotAuthorized(_("Only regency or provincial staff record grants."))
    grantor = Agency.objects.select_related("region").filter(pk=payload.grantor_agency).first()
    if grantor is None or not permissions.scope.covers(
        request.user, permissions.STAFF_ROLES, grantor.region
    ):
        raise ValidationError.for_field("grantor_agency", _("Choose an agency you work for."))
    account = Account.objects.filter(year=payload.year, code=payload.account).first()
    if account is None:
        raise ValidationError.for_field("account", _("No such account in this year's chart."))
    grant = services.grant_create(
        actor=request.user,
        desa=desa,
        grantor=grantor,
        year=payload.year,
        name=payload.name,
        account=account,
        stages=payload.stages,
    )
    return Status(201, _grant_out(grant))


def _stage(desa: DesaAdat, stage_id: int) -> GrantStage:
    stage = (
        GrantStage.objects.select_related("grant__grantor", "grant__account")
        .filter(pk=stage_id, grant__desa_adat=desa)
        .first()
    )
    if stage is None:
        raise NotFound(_("No such grant stage."))
    return stage


@router.post(
    "/{village_id}/grants/stages/{stage_id}/disburse",
    response={200: GrantOut},
    summary="Send a stage (the grantor)",
)
def villagefinance_grant_stage_disburse(request, village_id: int, stage_id: int):
    desa = _village(request, village_id)
    stage = _stage(desa, stage_id)
    if not permissions.can_manage_grants(request.user, desa):
        raise NotAuthorized(_("Only regency or provincial staff send grant stages."))
    services.grant_stage_disburse(actor=request.user, stage=stage)
    return _grant_out(stage.grant)


@router.post(
    "/{village_id}/grants/stages/{stage_id}/receive",
    response={200: GrantOut},
    summary="Confirm a stage arrived; books the income (the treasurer)",
)
def villagefinance_grant_stage_receive(
    request, village_id: int, stage_id: int, payload: StageReceiveIn
):
    desa = _village(request, village_id)
    stage = _stage(desa, stage_id)
    if not permissions.can_receive_grant(request.user, desa):
        raise NotAuthorized(_("Only the village treasurer confirms a grant."))
    services.grant_stage_receive(
        actor=request.user, stage=stage, date=payload.date, fund=payload.fund
    )
    return _grant_out(stage.grant)


@router.post(
    "/{village_id}/grants/stages/{stage_id}/report",
    response={200: GrantOut},
    summary="Report the use of a received stage (accountability)",
)
def villagefinance_grant_stage_report(
    request, village_id: int, stage_id: int, payload: StageReportIn
):
    desa = _village(request, village_id)
    stage = _stage(desa, stage_id)
    if not permissions.can_receive_grant(request.user, desa):
        raise NotAuthorized(_("Only the village treasurer reports a grant's use."))
    services.grant_stage_account(actor=request.user, stage=stage, note=payload.note)
    return _grant_out(stage.grant)


# --- public ------------------------------------------------------------------------------------


@router.get(
    "/{village_id}/summary",
    response={200: PublicSummaryOut},
    auth=None,
    summary="Published budget and realisation summary (public, no personal data)",
)
def villagefinance_public_summary(request, village_id: int, year: int | None = _year_query()):
    desa = get_object_or_404(
        DesaAdat.objects.select_related("agency", "regency"), pk=village_id, is_published=True
    )
    body = _realisation_body(desa, _year(year))
    return {
        "id": desa.pk,
        "name": desa.agency.name,
        "regency": desa.regency.name,
        "is_sample": desa.agency.is_sample,
        **body,
    }


@router.get(
    "/open/realisation",
    response=list[OpenRealisationOut],
    auth=None,
    summary="Open dataset: budget and realisation per published village",
)
@paginate(PagePagination)
def villagefinance_open_realisation(request, year: int | None = _year_query()):
    villages = DesaAdat.objects.filter(is_published=True, is_active=True)
    return [
        {
            "id": s.desa_id,
            "name": s.name,
            "regency": s.regency,
            "income_budget": s.income_budget,
            "income_actual": s.income_actual,
            "spending_budget": s.spending_budget,
            "spending_actual": s.spending_actual,
            "spending_percent": s.spending_percent,
        }
        for s in selectors.province_realisation(_year(year), villages)
    ]


# The registry (regency and provincial staff) and the drafts live in their own modules.
from onedata.villagefinance.registry_api import router as registry_router  # noqa: E402

router.add_router("/registry", registry_router)

from onedata.villagefinance.drafts_api import router as drafts_router  # noqa: E402

router.add_router("", drafts_router)

from onedata.villagefinance.tax_api import router as tax_router  # noqa: E402

router.add_router("", tax_router)
