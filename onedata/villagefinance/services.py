"""SIKUAT use cases. Every write is a keyword-only ``<entity>_<verb>`` inside one
transaction, with an audit event.

Concurrency: every posting for a village first locks that village's ``DesaAdat`` row
(``select_for_update``; SQLite serialises writers with IMMEDIATE transactions), so entry
numbers, fund balances and budget lines of one village change one posting at a time.
Fund balances additionally change only through a conditional UPDATE
(``balance = balance + delta WHERE balance + delta >= 0``) backed by a CHECK constraint,
so no code path can take a balance below zero.
"""

from __future__ import annotations

import json
import logging
import shutil
import subprocess
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction
from django.db.models import F, Max, Q, Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from onedata.core import audit
from onedata.core.errors import Conflict, ValidationError
from onedata.core.models import Agency, Region
from onedata.core.uploads import RECEIPT_PHOTO, check_upload, original_display_name
from onedata.villagefinance import (
    imagehash,
    ledger,
    receipt_index,
    receipt_text,
    registry,
    tax_services,
)
from onedata.villagefinance.models import (
    Account,
    BankReconciliation,
    BudgetAmendment,
    BudgetLine,
    DesaAdat,
    Entry,
    EntryDraft,
    Fund,
    FundBalance,
    Grant,
    GrantStage,
    JournalLine,
    Kind,
    MonthReport,
    Officer,
    Receipt,
)

logger = logging.getLogger("onedata.villagefinance")

CHART_FILE = Path(__file__).resolve().parent / "data" / "chart_of_accounts.json"
MAX_AMOUNT = 100_000_000_000  # Rp 100 billion: far above any desa adat's yearly budget
RECEIPT_PREFIX = "villagefinance/receipts"
OCR_TIMEOUT_SECONDS = 20


# --- chart of accounts -------------------------------------------------------------------


def chart_load(*, year: int, actor=None) -> int:
    """The chart for ``year``: copied from the latest earlier year when there is one (so the
    province's edits carry over), else loaded from the data file. Idempotent: returns the
    number of accounts created (0 when the year already has its chart)."""
    if Account.objects.filter(year=year).exists():
        return 0
    earlier = Account.objects.filter(year__lt=year).aggregate(latest=Max("year"))["latest"]
    with transaction.atomic():
        if earlier is not None:
            rows = [
                Account(
                    year=year,
                    **{
                        name: getattr(account, name)
                        for name in (
                            "code",
                            "name",
                            "name_en",
                            "kind",
                            "group_code",
                            "group_name",
                            "group_name_en",
                            "position",
                            "is_active",
                        )
                    },
                )
                for account in Account.objects.filter(year=earlier)
            ]
        else:
            rows = list(_chart_from_file(year))
        Account.objects.bulk_create(rows, ignore_conflicts=True)
        audit.record(
            actor=actor or "system",
            action="villagefinance.chart_load",
            object_type="villagefinance.account",
            object_id=str(year),
            object_repr=f"chart {year}",
            after={"accounts": len(rows), "copied_from": earlier},
        )
    return len(rows)


def _chart_from_file(year: int):
    data = json.loads(CHART_FILE.read_text(encoding="utf-8"))
    position = 0
    for group in data["groups"]:
        for account in group["accounts"]:
            position += 10
            yield Account(
                year=year,
                code=account["code"],
                name=account["name"],
                name_en=account.get("name_en", ""),
                kind=group["kind"],
                group_code=group["code"],
                group_name=group["name"],
                group_name_en=group.get("name_en", ""),
                position=position,
            )


ACCOUNT_FIELDS = ("code", "name", "name_en", "kind", "group_code", "position", "is_active")


def account_in_use(account: Account) -> bool:
    """Whether anything refers to the account: a budget line, a transaction, a journal
    line or a grant. A used account can be taken out of use, never deleted."""
    return (
        BudgetLine.objects.filter(account=account).exists()
        or Entry.objects.filter(account=account).exists()
        or JournalLine.objects.filter(account=account).exists()
        or Grant.objects.filter(account=account).exists()
    )


def account_update(
    *, actor, account: Account, name: str, name_en: str = "", is_active: bool = True
) -> Account:
    """Provincial staff rename an account or take it out of use (for that year only). The
    code and kind never change (reports of the year rely on them); the cash and bank
    accounts stay in use (every posting needs them)."""
    name = (name or "").strip()
    if not name:
        raise ValidationError.for_field("name", _("Give the account a name."))
    if account.kind == Kind.ASSET and not is_active:
        raise ValidationError.for_field(
            "is_active", _("The cash and bank accounts are always in use.")
        )
    with transaction.atomic():
        before = audit.snapshot(account, ["name", "name_en", "is_active"])
        account.name = name[:150]
        account.name_en = (name_en or "").strip()[:150]
        account.is_active = is_active
        account.save(update_fields=["name", "name_en", "is_active"])
        audit.record(
            actor=actor,
            action="villagefinance.account_update",
            obj=account,
            before=before,
            after=audit.snapshot(account, ["name", "name_en", "is_active"]),
        )
    return account


def account_create(
    *, actor, year: int, code: str, name: str, group_code: str, name_en: str = "", kind=None
) -> Account:
    """Add an account to a group of the year's chart. The kind is the group's; the code
    starts with the group's code (``5.1`` -> ``5.1.4``) and is new in that year."""
    code, name = (code or "").strip(), (name or "").strip()
    group_code = (group_code or "").strip()
    fields: dict[str, list[str]] = {}
    group = (
        Account.objects.filter(year=year, group_code=group_code).order_by("-position").first()
        if group_code
        else None
    )
    if group is None:
        fields["group_code"] = [_("Choose a group of this year's chart.")]
    elif group.kind == Kind.ASSET:
        fields["group_code"] = [_("Cash and bank accounts cannot be added.")]
    elif kind and group.kind != kind:
        fields["kind"] = [_("The kind must match the group's kind.")]
    if not code:
        fields["code"] = [_("Give the account a code, e.g. 5.1.4.")]
    elif len(code) > 12 or not all(part.isdigit() for part in code.split(".")):
        fields["code"] = [_("Write the code as numbers with dots, e.g. 5.1.4.")]
    elif group is not None and not code.startswith(group_code + "."):
        fields["code"] = [
            _("The code must start with the group's code, %(group)s.") % {"group": group_code}
        ]
    elif Account.objects.filter(year=year, code=code).exists():
        fields["code"] = [_("This code is already in the chart.")]
    if not name:
        fields["name"] = [_("Give the account a name.")]
    if fields:
        raise ValidationError(_("Some fields are invalid."), fields=fields)
    with transaction.atomic():
        account = Account.objects.create(
            year=year,
            code=code,
            name=name[:150],
            name_en=(name_en or "").strip()[:150],
            kind=group.kind,
            group_code=group_code,
            group_name=group.group_name,
            group_name_en=group.group_name_en,
            position=group.position + 1,
        )
        audit.record(
            actor=actor,
            action="villagefinance.account_create",
            obj=account,
            after=audit.snapshot(account, list(ACCOUNT_FIELDS)),
        )
    return account


def account_delete(*, actor, account: Account) -> None:
    """Remove an account added by mistake. Refused for the cash and bank accounts and for
    any account already used (take it out of use instead)."""
    if account.kind == Kind.ASSET:
        raise Conflict(_("The cash and bank accounts cannot be deleted."))
    with transaction.atomic():
        locked = Account.objects.select_for_update().get(pk=account.pk)
        if account_in_use(locked):
            raise Conflict(
                _(
                    "This account is already used by a budget, a transaction or a grant. "
                    "Take it out of use instead of deleting it."
                )
            )
        before = audit.snapshot(locked, list(ACCOUNT_FIELDS))
        audit.record(
            actor=actor,
            action="villagefinance.account_delete",
            obj=locked,
            before=before,
        )
        locked.delete()


def fund_account(year: int, fund: str) -> Account:
    return Account.objects.get(year=year, code=ledger.FUND_ACCOUNTS[fund])


# --- customary villages ------------------------------------------------------------------


def desa_adat_register(
    *,
    actor,
    agency: Agency,
    regency: Region | None = None,
    districts=(),
    villages=(),
    bank_name: str = "",
    bank_account_number: str = "",
    bank_account_holder: str = "",
    budget_control: str = DesaAdat.BudgetControl.WARN,
) -> DesaAdat:
    """Register an agency of kind DESA_ADAT as a SIKUAT village, with its cash and bank."""
    if agency.kind != Agency.Kind.DESA_ADAT:
        raise ValidationError.for_field("agency", _("The agency is not a customary village."))
    if regency is None:
        region = agency.region
        while region is not None and region.level != Region.Level.REGENCY:
            region = region.parent
        regency = region
    if regency is None:
        raise ValidationError.for_field("regency", _("Choose the regency."))
    with transaction.atomic():
        desa, created = DesaAdat.objects.get_or_create(
            agency=agency,
            defaults={
                "regency": regency,
                "bank_name": bank_name,
                "bank_account_number": bank_account_number,
                "bank_account_holder": bank_account_holder,
                "budget_control": budget_control,
            },
        )
        if districts:
            desa.districts.set(districts)
        if villages:
            desa.villages.set(villages)
        for fund in Fund.values:
            FundBalance.objects.get_or_create(desa_adat=desa, fund=fund)
        if created:
            audit.record(actor=actor, action="villagefinance.desa_adat_register", obj=desa)
    return desa


def officer_set(
    *,
    actor,
    desa: DesaAdat,
    position: str,
    name: str,
    user=None,
    phone: str = "",
    since: date | None = None,
) -> Officer:
    """Appoint the current officer for a position (the previous one's term, and with it
    the post's role, ends: the same ending as ``registry.officer_appoint``)."""
    name = (name or "").strip()
    if not name:
        raise ValidationError.for_field("name", _("Give the officer's name."))
    if position not in Officer.Position.values:
        raise ValidationError.for_field("position", _("Choose a position."))
    today = timezone.localdate()
    with transaction.atomic():
        for current in Officer.objects.filter(
            desa_adat=desa, position=position, ended_on__isnull=True
        ):
            registry.term_end(actor=actor, officer=current, on=today)
        officer = Officer.objects.create(
            desa_adat=desa,
            position=position,
            name=name[:150],
            user=user,
            phone=phone,
            started_on=since or today,
        )
        audit.record(actor=actor, action="villagefinance.officer_set", obj=officer)
    return officer


# --- budget -------------------------------------------------------------------------------


def budget_set(
    *, actor, desa: DesaAdat, account: Account, amount: int, reason: str = ""
) -> BudgetLine:
    """Set the year's budget of an account; a change to an existing line is an amendment
    (kept with its reason)."""
    if account.kind in (Kind.ASSET, Kind.TAX):
        raise ValidationError.for_field("account", _("Cash and bank accounts have no budget."))
    if not isinstance(amount, int) or amount < 0 or amount > MAX_AMOUNT:
        raise ValidationError.for_field(
            "amount", _("The budget must be a whole number of rupiah, 0 or more.")
        )
    with transaction.atomic():
        DesaAdat.objects.select_for_update().filter(pk=desa.pk).first()
        line = (
            BudgetLine.objects.select_for_update().filter(desa_adat=desa, account=account).first()
        )
        if line is None:
            line = BudgetLine.objects.create(
                desa_adat=desa,
                year=account.year,
                account=account,
                amount=amount,
                original_amount=amount,
            )
            audit.record(
                actor=actor,
                action="villagefinance.budget_set",
                obj=line,
                after={"amount": amount},
            )
            return line
        if line.amount == amount:
            return line
        reason = (reason or "").strip()
        if not reason:
            raise ValidationError.for_field(
                "reason", _("Say why the budget changes (e.g. the paruman decision).")
            )
        BudgetAmendment.objects.create(
            line=line,
            old_amount=line.amount,
            new_amount=amount,
            reason=reason[:300],
            actor=actor if getattr(actor, "pk", None) else None,
        )
        audit.record(
            actor=actor,
            action="villagefinance.budget_amend",
            obj=line,
            before={"amount": line.amount},
            after={"amount": amount, "reason": reason},
        )
        line.amount = amount
        line.save(update_fields=["amount", "updated_at"])
    return line


# --- receipts -----------------------------------------------------------------------------


def receipt_store(*, actor, desa: DesaAdat, upload, field: str = "receipt") -> Receipt:
    """Check the photo (type from the bytes, size, pixel bomb; re-encoded without EXIF),
    store it under a random private name, and flag it when the same receipt (perceptual
    hash) was already stored for this village."""
    checked = check_upload(upload, RECEIPT_PHOTO, field=field)
    data = checked.open().read()
    phash = imagehash.dhash(data)
    name = default_storage.save(checked.storage_name(RECEIPT_PREFIX), ContentFile(data))
    duplicate = _earlier_duplicate(desa, checked.sha256, phash)
    with transaction.atomic():
        receipt = Receipt.objects.create(
            desa_adat=desa,
            path=name,
            content_type=checked.content_type,
            size=checked.size,
            width=checked.width,
            height=checked.height,
            sha256=checked.sha256,
            phash=phash,
            **imagehash.band_values(phash),
            duplicate_of=duplicate,
            original_name=original_display_name(getattr(upload, "name", "")),
            uploaded_by=actor if getattr(actor, "pk", None) else None,
        )
        audit.record(
            actor=actor,
            action="villagefinance.receipt_store",
            obj=receipt,
            after={"sha256": checked.sha256, "duplicate_of": duplicate.pk if duplicate else None},
        )
    return receipt


def _earlier_duplicate(desa: DesaAdat, sha256: str, phash: str) -> Receipt | None:
    """The village's earlier receipt with the same bytes, or a perceptual hash at most
    ``imagehash.DUPLICATE_DISTANCE`` bits away (found through the indexed hash bands,
    ``receipt_index.near``; bench ``receipts.*`` figures compare it with a full scan)."""
    exact = Receipt.objects.filter(desa_adat=desa, sha256=sha256).order_by("pk").first()
    if exact is not None or not phash:
        return exact
    found = receipt_index.near(phash, desa_id=desa.pk)
    return Receipt.objects.get(pk=found[0]) if found else None


def receipt_open(receipt: Receipt):
    return default_storage.open(receipt.path, "rb")


def ocr_available() -> bool:
    return shutil.which("tesseract") is not None


def receipt_read(*, receipt: Receipt, today: date | None = None) -> receipt_text.Proposal:
    """Propose the date and total of a receipt from its photo with Tesseract (Indonesian
    and English). Without Tesseract, or when it fails, proposes nothing."""
    if not ocr_available():
        return receipt_text.Proposal(None, None)
    with receipt_open(receipt) as fp:
        data = fp.read()
    try:
        result = subprocess.run(  # noqa: S603 - fixed program, image on stdin
            ["tesseract", "stdin", "stdout", "-l", "ind+eng", "--psm", "6"],  # noqa: S607
            input=data,
            capture_output=True,
            timeout=OCR_TIMEOUT_SECONDS,
            check=False,
        )
    except (OSError, subprocess.TimeoutExpired):
        logger.warning("tesseract failed on receipt %s", receipt.pk)
        return receipt_text.Proposal(None, None)
    text = result.stdout.decode("utf-8", "replace")
    proposal = receipt_text.propose(text, today=today or timezone.localdate())
    Receipt.objects.filter(pk=receipt.pk).update(ocr_date=proposal.date, ocr_total=proposal.total)
    return proposal


# --- entries ------------------------------------------------------------------------------


@dataclass
class Posted:
    entry: Entry
    warnings: list[str] = field(default_factory=list)


def _closed(desa: DesaAdat, day: date) -> bool:
    return MonthReport.objects.filter(
        desa_adat=desa, year=day.year, month=day.month, status=MonthReport.Status.APPROVED
    ).exists()


def _validate_entry(
    desa: DesaAdat, *, day, kind, account, fund, amount, description, today: date
) -> dict[str, list[str]]:
    fields: dict[str, list[str]] = {}

    def fail(name: str, message: str) -> None:
        fields.setdefault(name, []).append(message)

    if not isinstance(amount, int) or isinstance(amount, bool):
        fail("amount", _("Write the amount as a whole number of rupiah, e.g. 150000."))
    elif amount <= 0:
        fail("amount", _("The amount must be more than zero."))
    elif amount > MAX_AMOUNT:
        fail("amount", _("The amount is too large. Check the number of zeros."))
    date_ok = False
    if not isinstance(day, date):
        fail("date", _("Write the date, e.g. 15/03/2026."))
    elif day > today:
        fail("date", _("The date is in the future. Use today's date or an earlier one."))
    elif _closed(desa, day):
        fail("date", _("The month of this date is closed (its report is approved)."))
    else:
        date_ok = True
    if kind not in (Kind.INCOME, Kind.SPENDING, Kind.FINANCING_IN, Kind.FINANCING_OUT, Kind.TAX):
        fail("kind", _("Choose income or spending."))
    if account is None:
        fail("account", _("Choose what the money is for."))
    elif kind in Kind.values and account.kind != kind:
        if kind == Kind.INCOME:
            fail("account", _("This is a spending account. Choose an income account."))
        elif kind == Kind.SPENDING:
            fail("account", _("This is an income account. Choose a spending account."))
        else:
            fail("account", _("This account does not match the kind of transaction."))
    elif not account.is_active:
        fail("account", _("This account is no longer in use."))
    elif date_ok and account.year != day.year:
        fail("account", _("This account belongs to the chart of another year."))
    if fund not in Fund.values:
        fail("fund", _("Choose cash or bank."))
    if not (description or "").strip():
        fail("description", _("Write what the money was for, e.g. 'Canang for the odalan'."))
    return fields


def entry_record(
    *,
    actor,
    desa: DesaAdat,
    date: date,
    kind: str,
    account: Account | None,
    fund: str,
    amount: int,
    description: str,
    counterparty: str = "",
    receipt: Receipt | None = None,
    grant_stage: GrantStage | None = None,
    today: date | None = None,
    taxes: list | None = None,
) -> Posted:
    """Record an income, spending or financing transaction and post its double entry.

    ``taxes``: ``tax_services.Withholding`` items withheld from the payee of a spending;
    they are credited to tax-payable accounts and the fund pays the rest.

    Refused: amount not above zero, a future date or one in a closed month, an account of
    the wrong kind, money out beyond the fund's balance, and (when the village's budget
    control is "block") spending over the budget line. With "warn" the entry is posted,
    marked ``over_budget`` and a warning comes back.
    """
    today = today or timezone.localdate()
    fields = _validate_entry(
        desa,
        day=date,
        kind=kind,
        account=account,
        fund=fund,
        amount=amount,
        description=description,
        today=today,
    )
    if receipt is not None and receipt.desa_adat_id != desa.pk:
        fields.setdefault("receipt", []).append(_("This receipt belongs to another village."))
    if grant_stage is not None and grant_stage.grant.desa_adat_id != desa.pk:
        fields.setdefault("grant_stage", []).append(_("This grant is for another village."))
    taxes = list(taxes or [])
    for name, errors in tax_services.check_withholdings(
        kind=kind, day=date, amount=amount, withholdings=taxes
    ).items():
        fields.setdefault(name, []).extend(errors)
    if fields:
        raise ValidationError(_("Please check what you entered."), fields=fields)
    withheld = sum(item.amount for item in taxes)
    if taxes:
        tax_services.tax_accounts_ensure(account.year)
    with transaction.atomic():
        locked = DesaAdat.objects.select_for_update().get(pk=desa.pk)
        if _closed(locked, date):  # closed while we waited for the lock
            raise ValidationError.for_field(
                "date", _("The month of this date is closed (its report is approved).")
            )
        warnings = []
        over = False
        if kind == Kind.SPENDING:
            over, warning = _charge_budget(locked, account, amount)
            if warning:
                warnings.append(warning)
        delta = ledger.fund_delta(kind=kind, amount=amount, withheld=withheld)
        _move_fund(locked, fund, delta)
        entry = Entry.objects.create(
            desa_adat=locked,
            number=_next_number(locked, date.year),
            date=date,
            kind=kind,
            account=account,
            fund=fund,
            amount=amount,
            tax_amount=withheld,
            account_amount=amount,
            fund_amount=delta,
            description=description.strip()[:300],
            counterparty=(counterparty or "").strip()[:150],
            receipt=receipt,
            grant_stage=grant_stage,
            over_budget=over,
            created_by=actor if getattr(actor, "pk", None) else None,
        )
        lines = ledger.entry_lines(
            kind=kind,
            fund=fund,
            account=account.code,
            amount=amount,
            withheld=tax_services.withheld_by_account(taxes),
        )
        _post_lines(entry, lines)
        tax_services.withholdings_store(entry, taxes)
        audit.record(
            actor=actor,
            action="villagefinance.entry_record",
            obj=entry,
            after={
                "kind": kind,
                "account": account.code,
                "fund": fund,
                "amount": amount,
                "taxes": {item.tax.code: item.amount for item in taxes},
                "date": date.isoformat(),
                "over_budget": over,
            },
        )
    return Posted(entry, warnings)


DRAFT_FIELDS = ("kind", "date", "account", "fund", "amount", "description", "counterparty")


def entry_draft_save(
    *,
    actor,
    desa: DesaAdat,
    kind: str,
    draft: EntryDraft | None = None,
    date: date | None = None,
    account: Account | None = None,
    fund: str = "",
    amount: int | None = None,
    description: str = "",
    counterparty: str = "",
    receipt: Receipt | None = None,
    grant_stage: GrantStage | None = None,
) -> EntryDraft:
    """Keep what the treasurer typed so far (state *draft*): nothing is checked but the
    village of the receipt and the grant stage; nothing reaches the ledger."""
    if kind not in (Kind.INCOME, Kind.SPENDING, Kind.FINANCING_IN, Kind.FINANCING_OUT):
        raise ValidationError.for_field("kind", _("Choose income or spending."))
    if draft is not None and draft.desa_adat_id != desa.pk:
        raise ValidationError.for_field("draft", _("This draft belongs to another village."))
    if receipt is not None and receipt.desa_adat_id != desa.pk:
        raise ValidationError.for_field("receipt", _("This receipt belongs to another village."))
    if grant_stage is not None and grant_stage.grant.desa_adat_id != desa.pk:
        raise ValidationError.for_field("grant_stage", _("This grant is for another village."))
    if isinstance(amount, int) and not 0 <= amount <= MAX_AMOUNT:
        amount = None  # a negative or absurd amount is not kept; the form asks again
    values = {
        "kind": kind,
        "date": date,
        "account": account,
        "fund": fund if fund in Fund.values else "",
        "amount": amount,
        "description": (description or "").strip()[:300],
        "counterparty": (counterparty or "").strip()[:150],
        "receipt": receipt,
        "grant_stage": grant_stage,
    }
    with transaction.atomic():
        if draft is None:
            draft = EntryDraft.objects.create(
                desa_adat=desa, created_by=actor if getattr(actor, "pk", None) else None, **values
            )
            action = "villagefinance.entry_draft_create"
        else:
            for name, value in values.items():
                setattr(draft, name, value)
            draft.save(update_fields=[*values, "updated_at"])
            action = "villagefinance.entry_draft_update"
        audit.record(
            actor=actor,
            action=action,
            obj=draft,
            after={
                "kind": kind,
                "amount": draft.amount,
                "account": account.code if account else None,
                "date": date.isoformat() if date else None,
            },
        )
    return draft


def entry_draft_submit(*, actor, draft: EntryDraft, today: date | None = None, **changes) -> Posted:
    """Submit a draft (draft -> submitted): ``entry_record`` with the draft's fields
    (``changes`` override them, e.g. what the form sent with the submit), then the draft
    is removed, in one transaction. Every rule of ``entry_record`` applies."""
    values = {
        "date": draft.date,
        "kind": draft.kind,
        "account": draft.account,
        "fund": draft.fund,
        "amount": draft.amount,
        "description": draft.description,
        "counterparty": draft.counterparty,
        "receipt": draft.receipt,
        "grant_stage": draft.grant_stage,
    }
    values.update(changes)
    with transaction.atomic():
        locked = EntryDraft.objects.select_for_update().filter(pk=draft.pk).first()
        if locked is None:
            raise Conflict(_("This draft was already submitted or deleted."))
        posted = entry_record(actor=actor, desa=draft.desa_adat, today=today, **values)
        audit.record(
            actor=actor,
            action="villagefinance.entry_draft_submit",
            obj=locked,
            after={"entry": posted.entry.number},
        )
        locked.delete()
    return posted


def entry_draft_delete(*, actor, draft: EntryDraft) -> None:
    with transaction.atomic():
        audit.record(
            actor=actor,
            action="villagefinance.entry_draft_delete",
            obj=draft,
            before={"description": draft.description, "amount": draft.amount},
        )
        EntryDraft.objects.filter(pk=draft.pk).delete()


def _charge_budget(desa: DesaAdat, account: Account, amount: int) -> tuple[bool, str]:
    """Add ``amount`` to the budget line's realised total under its row lock; refuse or
    warn when it goes over."""
    line = BudgetLine.objects.select_for_update().filter(desa_adat=desa, account=account).first()
    block = desa.budget_control == DesaAdat.BudgetControl.BLOCK
    if line is None:
        if block:
            raise ValidationError.for_field(
                "account", _("There is no budget for this account this year.")
            )
        return True, _("There is no budget for this account this year.")
    after = line.realised + amount
    over = after > line.amount
    if over and block:
        raise ValidationError.for_field(
            "amount",
            _("Over budget: Rp %(left)s left of Rp %(budget)s for this account.")
            % {
                "left": _rupiah(max(line.amount - line.realised, 0)),
                "budget": _rupiah(line.amount),
            },
        )
    BudgetLine.objects.filter(pk=line.pk).update(realised=F("realised") + amount)
    if over:
        return True, _("Over budget: Rp %(over)s more than the budget of Rp %(budget)s.") % {
            "over": _rupiah(after - line.amount),
            "budget": _rupiah(line.amount),
        }
    return False, ""


def _rupiah(value: int) -> str:
    return f"{value:,}".replace(",", ".")


def rupiah(value: int) -> str:
    """``Rp 300.000.000``: for messages."""
    return f"Rp {_rupiah(value)}"


def _move_fund(desa: DesaAdat, fund: str, delta: int) -> None:
    """Change a fund's balance by ``delta`` in one conditional UPDATE: never below zero."""
    changed = FundBalance.objects.filter(
        desa_adat=desa, fund=fund, balance__gte=max(-delta, 0)
    ).update(balance=F("balance") + delta)
    if not changed:
        row, created = FundBalance.objects.get_or_create(desa_adat=desa, fund=fund)
        if created and delta >= 0:  # a village registered before its funds existed
            FundBalance.objects.filter(pk=row.pk).update(balance=F("balance") + delta)
            return
        balance = row.balance
        label = _("cash") if fund == Fund.CASH else _("the bank account")
        raise Conflict(
            _("Not enough money in %(fund)s: the balance is Rp %(balance)s.")
            % {"fund": label, "balance": _rupiah(balance)},
            fields={
                "amount": [
                    _("More than the balance of Rp %(balance)s.") % {"balance": _rupiah(balance)}
                ]
            },
        )


def _next_number(desa: DesaAdat, year: int) -> str:
    """``2026-0001``: the next number of the village's year (under the village lock)."""
    prefix = f"{year}-"
    last = (
        Entry.objects.filter(desa_adat=desa, number__startswith=prefix)
        .order_by("-number")
        .values_list("number", flat=True)
        .first()
    )
    sequence = int(last.split("-")[1]) + 1 if last else 1
    return f"{prefix}{sequence:05d}"


def _post_lines(entry: Entry, lines: list[ledger.Line]) -> None:
    if not ledger.is_balanced(lines):  # pragma: no cover - ledger builds balanced lines
        raise AssertionError("unbalanced entry")
    codes = {line.account for line in lines}
    accounts = {a.code: a for a in Account.objects.filter(year=entry.account.year, code__in=codes)}
    JournalLine.objects.bulk_create(
        JournalLine(
            entry=entry,
            desa_adat_id=entry.desa_adat_id,
            account=accounts[line.account],
            debit=line.debit,
            credit=line.credit,
        )
        for line in lines
    )


def entry_reverse(
    *, actor, entry: Entry, reason: str, date: date | None = None, today: date | None = None
) -> Entry:
    """Cancel a posted entry with a reversing entry (every line swapped), dated ``date``
    (today by default). The original stays as it was."""
    today = today or timezone.localdate()
    day = date or today
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError.for_field("reason", _("Say why the transaction is cancelled."))
    if entry.is_reversal:
        raise Conflict(_("A cancellation cannot itself be cancelled. Record a new transaction."))
    if day > today:
        raise ValidationError.for_field("date", _("The date is in the future."))
    if day < entry.date:
        raise ValidationError.for_field(
            "date", _("The cancellation cannot be dated before the transaction.")
        )
    if _closed(entry.desa_adat, day):
        raise ValidationError.for_field(
            "date", _("The month of this date is closed (its report is approved).")
        )
    if day.year != entry.date.year:
        raise ValidationError.for_field(
            "date", _("A transaction is cancelled within its own year.")
        )
    with transaction.atomic():
        desa = DesaAdat.objects.select_for_update().get(pk=entry.desa_adat_id)
        if Entry.objects.filter(reversal_of=entry).exists():
            raise Conflict(_("This transaction is already cancelled."))
        if entry.kind == Kind.SPENDING:
            BudgetLine.objects.filter(desa_adat=desa, account=entry.account).update(
                realised=F("realised") - entry.amount
            )
        _move_fund(desa, entry.fund, -entry.fund_amount)
        reversal = Entry.objects.create(
            desa_adat=desa,
            number=_next_number(desa, day.year),
            date=day,
            kind=entry.kind,
            account=entry.account,
            fund=entry.fund,
            amount=entry.amount,
            tax_amount=entry.tax_amount,
            account_amount=-entry.account_amount,
            fund_amount=-entry.fund_amount,
            description=(
                _("Cancels %(number)s: %(reason)s") % {"number": entry.number, "reason": reason}
            )[:300],
            counterparty=entry.counterparty,
            grant_stage=entry.grant_stage,
            reversal_of=entry,
            created_by=actor if getattr(actor, "pk", None) else None,
        )
        original = [
            ledger.Line(line.account.code, line.debit, line.credit)
            for line in entry.lines.select_related("account")
        ]
        _post_lines(reversal, ledger.reversal_lines(original))
        tax_services.withholdings_copy(entry, reversal)
        audit.record(
            actor=actor,
            action="villagefinance.entry_reverse",
            obj=reversal,
            after={"reverses": entry.number, "reason": reason},
        )
    return reversal


def entry_verify(*, actor, entry: Entry) -> Entry:
    """Regency or provincial staff confirm an entry; it is then final."""
    with transaction.atomic():
        updated = Entry.objects.filter(pk=entry.pk, status=Entry.Status.SUBMITTED).update(
            status=Entry.Status.VERIFIED,
            verified_by=actor if getattr(actor, "pk", None) else None,
            verified_at=timezone.now(),
        )
        if not updated:
            raise Conflict(_("This transaction is already verified."))
        entry.refresh_from_db()
        audit.record(actor=actor, action="villagefinance.entry_verify", obj=entry)
    return entry


# --- monthly report and closing ------------------------------------------------------------


def month_submit(*, actor, desa: DesaAdat, year: int, month: int, today=None) -> MonthReport:
    today = today or timezone.localdate()
    if not 1 <= month <= 12:
        raise ValidationError.for_field("month", _("Choose a month."))
    if (year, month) >= (today.year, today.month):
        raise ValidationError.for_field("month", _("A month can be reported once it has ended."))
    with transaction.atomic():
        DesaAdat.objects.select_for_update().filter(pk=desa.pk).first()
        existing = MonthReport.objects.filter(desa_adat=desa, year=year, month=month).first()
        if existing and existing.status == MonthReport.Status.APPROVED:
            raise Conflict(_("This month is already approved and closed."))
        entries = Entry.objects.filter(desa_adat=desa, date__year=year, date__month=month)
        totals = entries.aggregate(
            money_in=Sum("fund_amount", filter=Q(fund_amount__gt=0)),
            money_out=Sum("fund_amount", filter=Q(fund_amount__lt=0)),
        )
        closing = (
            Entry.objects.filter(desa_adat=desa, date__lt=_month_end(year, month)).aggregate(
                total=Sum("fund_amount")
            )["total"]
            or 0
        )
        values = {
            "status": MonthReport.Status.SUBMITTED,
            "money_in": totals["money_in"] or 0,
            "money_out": -(totals["money_out"] or 0),
            "closing_balance": closing,
            "submitted_by": actor if getattr(actor, "pk", None) else None,
        }
        report, _created = MonthReport.objects.update_or_create(
            desa_adat=desa, year=year, month=month, defaults=values
        )
        audit.record(actor=actor, action="villagefinance.month_submit", obj=report)
    return report


def _month_end(year: int, month: int) -> date:
    return date(year + 1, 1, 1) if month == 12 else date(year, month + 1, 1)


def month_approve(*, actor, report: MonthReport) -> MonthReport:
    """The Bendesa approves the monthly report: the month is closed to new entries."""
    with transaction.atomic():
        DesaAdat.objects.select_for_update().filter(pk=report.desa_adat_id).first()
        updated = MonthReport.objects.filter(
            pk=report.pk, status=MonthReport.Status.SUBMITTED
        ).update(
            status=MonthReport.Status.APPROVED,
            approved_by=actor if getattr(actor, "pk", None) else None,
            approved_at=timezone.now(),
        )
        if not updated:
            raise Conflict(_("This month is already approved and closed."))
        report.refresh_from_db()
        audit.record(actor=actor, action="villagefinance.month_approve", obj=report)
    return report


# --- grants -----------------------------------------------------------------------------------


def grant_create(
    *,
    actor,
    desa: DesaAdat,
    grantor: Agency,
    year: int,
    name: str,
    account: Account,
    stages: list[int],
) -> Grant:
    """Record a grant and its planned stages (e.g. Rp 300,000,000 in 3 stages)."""
    fields: dict[str, list[str]] = {}
    name = (name or "").strip()
    if not name:
        fields["name"] = [_("Give the grant a name, e.g. 'BKK 2026'.")]
    if account.kind != Kind.INCOME or account.year != year:
        fields["account"] = [_("Choose an income account of the grant's year.")]
    if not stages or any(not isinstance(s, int) or s <= 0 for s in stages):
        fields["stages"] = [_("Every stage needs an amount above zero.")]
    if fields:
        raise ValidationError(_("Some fields are invalid."), fields=fields)
    source = Grant.Source.PROVINCE if grantor.region.level == "province" else Grant.Source.REGENCY
    with transaction.atomic():
        grant = Grant.objects.create(
            desa_adat=desa,
            grantor=grantor,
            source=source,
            year=year,
            name=name[:150],
            account=account,
            total=sum(stages),
            created_by=actor if getattr(actor, "pk", None) else None,
        )
        GrantStage.objects.bulk_create(
            GrantStage(grant=grant, number=n, amount=amount)
            for n, amount in enumerate(stages, start=1)
        )
        audit.record(
            actor=actor,
            action="villagefinance.grant_create",
            obj=grant,
            after={"total": grant.total, "stages": stages},
        )
    return grant


def grant_stage_disburse(*, actor, stage: GrantStage) -> GrantStage:
    """The grantor sends a stage. The previous stage's use must be reported first."""
    with transaction.atomic():
        locked = GrantStage.objects.select_for_update().get(pk=stage.pk)
        if locked.status != GrantStage.Status.PLANNED:
            raise Conflict(_("This stage was already sent."))
        previous = GrantStage.objects.filter(grant=locked.grant, number=locked.number - 1).first()
        if previous is not None and previous.status != GrantStage.Status.ACCOUNTED:
            raise Conflict(
                _("Stage %(number)s must be reported before the next stage is sent.")
                % {"number": previous.number}
            )
        locked.status = GrantStage.Status.DISBURSED
        locked.disbursed_at = timezone.now()
        locked.save(update_fields=["status", "disbursed_at"])
        audit.record(actor=actor, action="villagefinance.grant_stage_disburse", obj=locked)
    return locked


def grant_stage_receive(
    *, actor, stage: GrantStage, date: date, fund: str = Fund.BANK, today=None
) -> Posted:
    """The village confirms a stage arrived: the income is booked on the grant's account."""
    with transaction.atomic():
        locked = GrantStage.objects.select_for_update().select_related("grant").get(pk=stage.pk)
        if locked.status != GrantStage.Status.DISBURSED:
            raise Conflict(_("This stage has not been sent, or was already received."))
        grant = locked.grant
        posted = entry_record(
            actor=actor,
            desa=grant.desa_adat,
            date=date,
            kind=Kind.INCOME,
            account=grant.account,
            fund=fund,
            amount=locked.amount,
            description=_("%(grant)s, stage %(number)s")
            % {"grant": grant.name, "number": locked.number},
            counterparty=grant.grantor.name,
            grant_stage=locked,
            today=today,
        )
        locked.status = GrantStage.Status.RECEIVED
        locked.received_at = timezone.now()
        locked.save(update_fields=["status", "received_at"])
        audit.record(actor=actor, action="villagefinance.grant_stage_receive", obj=locked)
    return posted


def grant_stage_used(stage: GrantStage) -> int:
    """Spending booked against the stage (reversals subtract)."""
    return (
        Entry.objects.filter(grant_stage=stage, kind=Kind.SPENDING).aggregate(
            total=Sum("account_amount")
        )["total"]
        or 0
    )


def grant_stage_account(*, actor, stage: GrantStage, note: str) -> GrantStage:
    """The village reports the use of a received stage (the accountability report)."""
    note = (note or "").strip()
    if not note:
        raise ValidationError.for_field("note", _("Describe what the money was used for."))
    with transaction.atomic():
        locked = GrantStage.objects.select_for_update().get(pk=stage.pk)
        if locked.status != GrantStage.Status.RECEIVED:
            raise Conflict(_("Only a received stage can be reported."))
        if grant_stage_used(locked) <= 0:
            raise ValidationError.for_field(
                "note", _("No spending is recorded against this stage yet.")
            )
        locked.status = GrantStage.Status.ACCOUNTED
        locked.accounted_at = timezone.now()
        locked.report_note = note[:5000]
        locked.save(update_fields=["status", "accounted_at", "report_note"])
        audit.record(actor=actor, action="villagefinance.grant_stage_account", obj=locked)
    return locked


# --- bank reconciliation ---------------------------------------------------------------------


def bank_book_balance(desa: DesaAdat, day: date) -> int:
    """The bank book's balance at the end of ``day`` (every bank entry up to it)."""
    return (
        Entry.objects.filter(desa_adat=desa, fund=Fund.BANK, date__lte=day).aggregate(
            total=Sum("fund_amount")
        )["total"]
        or 0
    )


def bank_reconcile(
    *,
    actor,
    desa: DesaAdat,
    date: date,
    statement_balance: int,
    note: str = "",
    today: date | None = None,
) -> BankReconciliation:
    """Set the bank statement's balance on ``date`` beside the bank book's. Recording the
    same date again replaces the earlier figure (a corrected statement)."""
    today = today or timezone.localdate()
    fields: dict[str, list[str]] = {}
    if not isinstance(date, type(today)):
        fields["date"] = [_("Write the date of the bank statement.")]
    elif date > today:
        fields["date"] = [_("The date is in the future. Use today's date or an earlier one.")]
    if (
        not isinstance(statement_balance, int)
        or isinstance(statement_balance, bool)
        or not 0 <= statement_balance <= MAX_AMOUNT
    ):
        fields["statement_balance"] = [
            _("Write the balance on the statement in whole rupiah, 0 or more.")
        ]
    if fields:
        raise ValidationError(_("Please check what you entered."), fields=fields)
    with transaction.atomic():
        DesaAdat.objects.select_for_update().filter(pk=desa.pk).first()
        book = bank_book_balance(desa, date)
        record, created = BankReconciliation.objects.update_or_create(
            desa_adat=desa,
            date=date,
            defaults={
                "statement_balance": statement_balance,
                "book_balance": book,
                "note": (note or "").strip()[:300],
                "created_by": actor if getattr(actor, "pk", None) else None,
            },
        )
        audit.record(
            actor=actor,
            action="villagefinance.bank_reconcile",
            obj=record,
            after={
                "date": date.isoformat(),
                "statement_balance": statement_balance,
                "book_balance": book,
                "difference": record.difference,
                "replaced": not created,
            },
        )
    return record
