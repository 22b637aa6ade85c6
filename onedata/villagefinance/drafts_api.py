"""Drafts in the API, mounted under /api/v1/villages/{id}/drafts: the treasurer keeps a
transaction half-typed (state *draft*: no number, no effect on the ledger) and submits it
later, exactly as the form's "Save as draft" does.

"Nothing lost", as on the page: a receipt photo sent with a draft is stored at once; a
save never refuses a field that is merely not valid yet (it is reported in ``problems``,
with the form's words); a submit first saves what it was sent into the draft, so when the
entry is refused (422, the fields named) the draft still holds everything, photo included.
"""

from datetime import date as Date
from datetime import datetime
from typing import Literal

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Field, File, Form, Router, Schema, Status
from ninja.files import UploadedFile

from onedata.core.errors import NotAuthorized, NotFound, ValidationError
from onedata.villagefinance import permissions, services

# api.py imports this module at its end, after the transaction schemas it shares with us.
from onedata.villagefinance.api import TransactionCreatedOut, _entry_out
from onedata.villagefinance.forms import parse_rupiah
from onedata.villagefinance.models import Account, DesaAdat, EntryDraft, GrantStage, Receipt

router = Router(tags=["villagefinance"])

EntryKind = Literal["income", "spending", "financing_in", "financing_out"]


class DraftOut(Schema):
    id: int
    kind: str
    date: Date | None
    account: str | None
    account_name: str | None
    fund: str
    amount: int | None
    description: str
    counterparty: str
    receipt_id: int | None
    receipt_duplicate: bool
    grant_stage: int | None
    updated_at: datetime
    problems: dict[str, list[str]]


def _problems(draft: EntryDraft) -> dict[str, list[str]]:
    """What a submit would refuse now, in the form's words (empty: ready to submit)."""
    fields = services._validate_entry(
        draft.desa_adat,
        day=draft.date,
        kind=draft.kind,
        account=draft.account,
        fund=draft.fund,
        amount=draft.amount,
        description=draft.description,
        today=timezone.localdate(),
    )
    return {name: [str(m) for m in messages] for name, messages in fields.items()}


def _draft_out(draft: EntryDraft) -> dict:
    return {
        "id": draft.pk,
        "kind": draft.kind,
        "date": draft.date,
        "account": draft.account.code if draft.account_id else None,
        "account_name": draft.account.label if draft.account_id else None,
        "fund": draft.fund,
        "amount": draft.amount,
        "description": draft.description,
        "counterparty": draft.counterparty,
        "receipt_id": draft.receipt_id,
        "receipt_duplicate": bool(draft.receipt_id and draft.receipt.duplicate_of_id),
        "grant_stage": draft.grant_stage_id,
        "updated_at": draft.updated_at,
        "problems": _problems(draft),
    }


def _village(request, village_id: int, *, write: bool) -> DesaAdat:
    desa = (
        DesaAdat.objects.select_related("agency__region", "regency").filter(pk=village_id).first()
    )
    if desa is None or not permissions.can_view_village(request.user, desa):
        raise NotFound(_("No such customary village (or not visible to you)."))
    if write and not permissions.can_record_entry(request.user, desa):
        raise NotAuthorized(_("Only the village treasurer records transactions."))
    return desa


def _draft(desa: DesaAdat, draft_id: int) -> EntryDraft:
    draft = (
        EntryDraft.objects.select_related("account", "receipt", "grant_stage__grant", "desa_adat")
        .filter(pk=draft_id, desa_adat=desa)
        .first()
    )
    if draft is None:
        raise NotFound(_("No such draft (already submitted or deleted?)."))
    return draft


class DraftFields(Schema):
    """A draft's fields as sent (multipart); a field left out keeps its saved value."""

    date: Date | None = None
    account: str | None = Field(None, max_length=12)
    amount: str | None = Field(None, max_length=25, description="Rupiah: 150000 or 150.000")
    fund: Literal["cash", "bank"] | None = None
    description: str | None = Field(None, max_length=300)
    counterparty: str | None = Field(None, max_length=150)
    receipt_id: int | None = Field(None, ge=1, le=2**62)
    grant_stage: int | None = Field(None, ge=1, le=2**62)


class NewDraftFields(DraftFields):
    kind: EntryKind


class _Sent:
    """The fields of a request; ``None`` means "not sent" (keep the draft's value)."""

    def __init__(self, **values):
        self.values = {k: v for k, v in values.items() if v is not None}

    def get(self, name, saved):
        return self.values.get(name, saved)


def _draft_values(request, desa: DesaAdat, sent: _Sent, draft: EntryDraft | None, upload):
    """The draft's fields after this request: what was sent over what was saved. An amount
    that is not a number, or an unknown account, is kept empty (a draft is not checked)."""
    day = sent.get("date", draft.date if draft else None)
    raw_amount = sent.values.get("amount")
    amount = draft.amount if draft else None
    if raw_amount is not None:
        amount = parse_rupiah(raw_amount)
    code = sent.values.get("account")
    account = draft.account if draft else None
    if code is not None:
        year = (day or timezone.localdate()).year
        account = Account.objects.filter(year=year, code=code.strip()).first() if code else None
    elif account is not None and day is not None and account.year != day.year:
        account = Account.objects.filter(year=day.year, code=account.code).first()
    receipt = draft.receipt if draft else None
    if upload is not None:
        # Stored before anything else can fail: the photo is never taken twice.
        receipt = services.receipt_store(actor=request.user, desa=desa, upload=upload)
    elif sent.values.get("receipt_id") is not None:
        receipt = Receipt.objects.filter(pk=sent.values["receipt_id"], desa_adat=desa).first()
        if receipt is None:
            raise ValidationError.for_field("receipt_id", _("No such receipt for this village."))
    stage = draft.grant_stage if draft else None
    if sent.values.get("grant_stage") is not None:
        stage = GrantStage.objects.filter(
            pk=sent.values["grant_stage"], grant__desa_adat=desa
        ).first()
        if stage is None:
            raise ValidationError.for_field("grant_stage", _("No such grant stage."))
    return {
        "kind": sent.get("kind", draft.kind if draft else None),
        "date": day,
        "account": account,
        "fund": sent.get("fund", draft.fund if draft else ""),
        "amount": amount,
        "description": sent.get("description", draft.description if draft else ""),
        "counterparty": sent.get("counterparty", draft.counterparty if draft else ""),
        "receipt": receipt,
        "grant_stage": stage,
    }


def _save(request, desa, draft, sent: _Sent, upload) -> EntryDraft:
    values = _draft_values(request, desa, sent, draft, upload)
    saved = services.entry_draft_save(actor=request.user, desa=desa, draft=draft, **values)
    return _draft(desa, saved.pk)


@router.get("/{village_id}/drafts", response=list[DraftOut], summary="Draft transactions")
def villagefinance_draft_list(request, village_id: int):
    desa = _village(request, village_id, write=False)
    drafts = EntryDraft.objects.filter(desa_adat=desa).select_related(
        "account", "receipt", "grant_stage", "desa_adat"
    )
    return [_draft_out(d) for d in drafts.order_by("-updated_at", "-id")[:200]]


@router.post(
    "/{village_id}/drafts",
    response={201: DraftOut},
    summary="Keep a transaction as a draft (multipart; every field but kind may be empty)",
)
def villagefinance_draft_create(
    request,
    village_id: int,
    fields: Form[NewDraftFields],
    receipt: UploadedFile | None = File(None),  # noqa: B008 - Ninja parameter declaration
):
    """``problems`` lists, in the form's words, what must still be fixed before submit."""
    desa = _village(request, village_id, write=True)
    sent = _Sent(**fields.dict())
    return Status(201, _draft_out(_save(request, desa, None, sent, receipt)))


@router.get("/{village_id}/drafts/{draft_id}", response={200: DraftOut}, summary="One draft")
def villagefinance_draft_detail(request, village_id: int, draft_id: int):
    desa = _village(request, village_id, write=False)
    return _draft_out(_draft(desa, draft_id))


@router.post(
    "/{village_id}/drafts/{draft_id}",
    response={200: DraftOut},
    summary="Change a draft (multipart; fields left out keep their saved value)",
)
def villagefinance_draft_update(
    request,
    village_id: int,
    draft_id: int,
    fields: Form[DraftFields],
    receipt: UploadedFile | None = File(None),  # noqa: B008 - Ninja parameter declaration
):
    desa = _village(request, village_id, write=True)
    draft = _draft(desa, draft_id)
    sent = _Sent(**fields.dict())
    return _draft_out(_save(request, desa, draft, sent, receipt))


@router.delete("/{village_id}/drafts/{draft_id}", response={204: None}, summary="Delete a draft")
def villagefinance_draft_delete(request, village_id: int, draft_id: int):
    desa = _village(request, village_id, write=True)
    services.entry_draft_delete(actor=request.user, draft=_draft(desa, draft_id))
    return Status(204, None)


@router.post(
    "/{village_id}/drafts/{draft_id}/submit",
    response={201: TransactionCreatedOut},
    summary="Submit a draft: it becomes a recorded transaction (every rule applies)",
)
def villagefinance_draft_submit(
    request,
    village_id: int,
    draft_id: int,
    fields: Form[DraftFields],
    receipt: UploadedFile | None = File(None),  # noqa: B008 - Ninja parameter declaration
):
    """What is sent is saved into the draft first (committed), then the draft is submitted:
    a refusal (422, the fields named as on the form) leaves the draft with everything."""
    desa = _village(request, village_id, write=True)
    draft = _draft(desa, draft_id)
    sent = _Sent(**fields.dict())
    values = _draft_values(request, desa, sent, draft, receipt)
    with transaction.atomic():
        draft = services.entry_draft_save(actor=request.user, desa=desa, draft=draft, **values)
    # The values as sent (not as the draft keeps them: a negative amount is kept empty)
    # so the refusal names the same problem as the form does.
    posted = services.entry_draft_submit(actor=request.user, draft=draft, **values)
    return Status(201, _entry_out(posted.entry, posted.warnings))
