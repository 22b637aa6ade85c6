"""Line-by-line bank reconciliation: statement upload, automatic and manual matching to
the bank book, drafts for what only the bank knows (fees, interest), and completing a
month. Completing also records the balance reconciliation (``services.bank_reconcile``),
so the older balance-only page keeps its history."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from datetime import date, timedelta

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from onedata.core import audit
from onedata.core.errors import Conflict, ValidationError
from onedata.villagefinance import statements
from onedata.villagefinance.models import (
    Account,
    BankStatement,
    DesaAdat,
    Entry,
    EntryDraft,
    Fund,
    Kind,
    ReconciledMonth,
    StatementLine,
)

MATCH_DAYS = 3  # a transfer shows in the bank up to a few days after the book's date
MAX_FILE_BYTES = 2 * 1024 * 1024
INTEREST_ACCOUNT = "4.9.1"  # Bunga bank


def _actor(actor):
    return actor if getattr(actor, "pk", None) else None


def _month_bounds(year: int, month: int) -> tuple[date, date]:
    start = date(year, month, 1)
    end = date(year + 1, 1, 1) if month == 12 else date(year, month + 1, 1)
    return start, end


def _column_label(key: str) -> str:
    return {
        "date": _("Date"),
        "description": _("Description"),
        "debit": _("Debit"),
        "credit": _("Credit"),
        "amount": _("Amount"),
        "balance": _("Balance"),
    }.get(key, key)


def problem_text(problem: statements.Problem) -> str:
    """A problem of a statement file in words, naming its row and column."""
    code = statements.Code
    messages = {
        code.NO_HEADER: _(
            "The column titles were not found. The file needs the columns Date, "
            "Description, Debit and Credit (or Amount) and Balance. Use the template."
        ),
        code.NO_LINES: _("There are no transaction rows."),
        code.TOO_MANY: _("Too many rows (at most %(value)s)."),
        code.UNREADABLE: _("The XLSX file cannot be read."),
        code.NOT_A_NUMBER: _("'%(value)s' is not a rupiah amount (e.g. 1.500.000 or 1500000)."),
        code.NEGATIVE: _("write it without a minus sign."),
        code.BOTH_SIDES: _("the row has both a debit and a credit."),
        code.NOT_A_DATE: _("the date '%(value)s' cannot be read (e.g. 15/03/2026)."),
    }
    message = messages.get(problem.code, problem.code) % {"value": problem.value}
    if problem.column:
        return _("Row %(row)s, column %(column)s: %(message)s") % {
            "row": problem.row,
            "column": _column_label(problem.column),
            "message": message,
        }
    return _("Row %(row)s: %(message)s") % {"row": problem.row, "message": message}


def statement_upload(*, actor, desa: DesaAdat, content: bytes, file_name: str) -> BankStatement:
    """Store a statement's lines (the same file twice is refused), then match them."""
    file_name = (file_name or "rekening-koran.csv")[:120]
    if not content:
        raise ValidationError.for_field("file", _("Choose the bank statement file (CSV or XLSX)."))
    if len(content) > MAX_FILE_BYTES:
        raise ValidationError.for_field("file", _("The file is too large (at most 2 MB)."))
    try:
        lines = statements.parse(content, file_name)
    except statements.StatementError as error:
        raise ValidationError(
            _("The statement could not be read."),
            fields={"file": [problem_text(p) for p in error.problems]},
        ) from error
    digest = hashlib.sha256(content).hexdigest()
    with transaction.atomic():
        DesaAdat.objects.select_for_update().filter(pk=desa.pk).first()
        if BankStatement.objects.filter(desa_adat=desa, sha256=digest).exists():
            raise Conflict(
                _("This statement was already uploaded."),
                fields={"file": [_("This statement was already uploaded.")]},
            )
        statement = BankStatement.objects.create(
            desa_adat=desa,
            file_name=file_name,
            sha256=digest,
            start=min(line.date for line in lines),
            end=max(line.date for line in lines),
            uploaded_by=_actor(actor),
        )
        StatementLine.objects.bulk_create(
            StatementLine(
                statement=statement,
                desa_adat=desa,
                row=line.row,
                date=line.date,
                description=line.description,
                amount=line.amount,
                balance=line.balance,
            )
            for line in lines
        )
        audit.record(
            actor=actor,
            action="villagefinance.statement_upload",
            obj=statement,
            after={"file": file_name, "lines": len(lines), "sha256": digest},
        )
        statement_auto_match(actor=actor, desa=desa)
    return statement


def _cancelled_ids(desa: DesaAdat) -> set[int]:
    """Entries cancelled by a reversal, and the reversals: together they net to nothing
    in the book, and the bank never saw a mistaken entry."""
    pairs = Entry.objects.filter(desa_adat=desa, fund=Fund.BANK, reversal_of__isnull=False)
    found = set()
    for reversal_id, original_id in pairs.values_list("pk", "reversal_of_id"):
        found.update((reversal_id, original_id))
    return found


def _open_entries(desa: DesaAdat):
    return (
        Entry.objects.filter(desa_adat=desa, fund=Fund.BANK, statement_line__isnull=True)
        .exclude(pk__in=_cancelled_ids(desa))
        .select_related("account")
    )


def statement_auto_match(*, actor, desa: DesaAdat) -> int:
    """Match every open statement line to an open bank-book entry (``statements.match``);
    returns how many pairs were made."""
    with transaction.atomic():
        DesaAdat.objects.select_for_update().filter(pk=desa.pk).first()
        open_lines = list(StatementLine.objects.filter(desa_adat=desa, entry__isnull=True))
        if not open_lines:
            return 0
        first = min(line.date for line in open_lines)
        last = max(line.date for line in open_lines)
        window = timedelta(days=MATCH_DAYS)
        entries = _open_entries(desa).filter(date__gte=first - window, date__lte=last + window)
        pairs = statements.match(
            (statements.Candidate(line.pk, line.date, line.amount) for line in open_lines),
            (statements.Candidate(e.pk, e.date, e.fund_amount) for e in entries),
            days=MATCH_DAYS,
        )
        now = timezone.now()
        for line_id, entry_id in pairs:
            StatementLine.objects.filter(pk=line_id, entry__isnull=True).update(
                entry_id=entry_id, matched_by=StatementLine.MatchedBy.AUTO, matched_at=now
            )
        if pairs:
            audit.record(
                actor=actor,
                action="villagefinance.statement_auto_match",
                obj=desa,
                after={"pairs": [list(p) for p in pairs]},
            )
    return len(pairs)


def _month_locked(desa: DesaAdat, day: date) -> bool:
    return ReconciledMonth.objects.filter(desa_adat=desa, year=day.year, month=day.month).exists()


def statement_match(*, actor, line: StatementLine, entry: Entry) -> StatementLine:
    """Match by hand: the amounts must be the same (the dates may differ)."""
    if entry.desa_adat_id != line.desa_adat_id or entry.fund != Fund.BANK:
        raise ValidationError.for_field("entry", _("Choose a bank transaction of this village."))
    if entry.fund_amount != line.amount:
        raise ValidationError.for_field(
            "entry", _("The amounts differ: a line matches a transaction of the same amount.")
        )
    with transaction.atomic():
        # The village's lock, as for automatic matching: one matching at a time per village,
        # so an entry cannot be given to two lines by two taps at once.
        DesaAdat.objects.select_for_update().filter(pk=line.desa_adat_id).first()
        locked = StatementLine.objects.select_for_update().get(pk=line.pk)
        if _month_locked(locked.desa_adat, locked.date):
            raise Conflict(_("This month's reconciliation is complete."))
        if locked.entry_id:
            raise Conflict(_("This line is already matched. Undo that match first."))
        if StatementLine.objects.filter(entry=entry).exists():
            raise Conflict(_("This transaction is already matched to another line."))
        locked.entry = entry
        locked.matched_by = StatementLine.MatchedBy.MANUAL
        locked.matched_at = timezone.now()
        locked.save(update_fields=["entry", "matched_by", "matched_at"])
        audit.record(
            actor=actor,
            action="villagefinance.statement_match",
            obj=locked,
            after={"entry": entry.number},
        )
    return locked


def statement_unmatch(*, actor, line: StatementLine) -> StatementLine:
    with transaction.atomic():
        # The village's lock, as for automatic matching: one matching at a time per village,
        # so an entry cannot be given to two lines by two taps at once.
        DesaAdat.objects.select_for_update().filter(pk=line.desa_adat_id).first()
        locked = StatementLine.objects.select_for_update().get(pk=line.pk)
        if _month_locked(locked.desa_adat, locked.date):
            raise Conflict(_("This month's reconciliation is complete."))
        if not locked.entry_id:
            raise Conflict(_("This line is not matched."))
        before = {"entry": locked.entry_id, "matched_by": locked.matched_by}
        locked.entry = None
        locked.matched_by = ""
        locked.matched_at = None
        locked.save(update_fields=["entry", "matched_by", "matched_at"])
        audit.record(
            actor=actor, action="villagefinance.statement_unmatch", obj=locked, before=before
        )
    return locked


def statement_line_draft(*, actor, line: StatementLine) -> EntryDraft:
    """A draft transaction for a line only the bank knows (a fee, interest): money out
    becomes a spending draft, money in an income draft (interest on 4.9.1), paid through
    the bank. The treasurer completes and submits it; matching then pairs them."""
    from onedata.villagefinance import services

    if line.entry_id:
        raise Conflict(_("This line is already matched."))
    kind = Kind.INCOME if line.amount > 0 else Kind.SPENDING
    account = None
    if kind == Kind.INCOME:
        account = Account.objects.filter(year=line.date.year, code=INTEREST_ACCOUNT).first()
    description = line.description or (_("Bank interest") if kind == Kind.INCOME else _("Bank fee"))
    draft = services.entry_draft_save(
        actor=actor,
        desa=line.desa_adat,
        kind=kind,
        date=line.date,
        account=account,
        fund=Fund.BANK,
        amount=abs(line.amount),
        description=description,
        counterparty=line.desa_adat.bank_name,
    )
    audit.record(
        actor=actor,
        action="villagefinance.statement_line_draft",
        obj=line,
        after={"draft": draft.pk},
    )
    return draft


# --- the month -------------------------------------------------------------------------------


@dataclass
class MonthState:
    year: int
    month: int
    matched: list[StatementLine] = field(default_factory=list)
    open_lines: list[StatementLine] = field(default_factory=list)
    open_entries: list[Entry] = field(default_factory=list)
    statement_balance: int | None = None
    book_balance: int = 0
    reconciled: ReconciledMonth | None = None

    @property
    def difference(self) -> int | None:
        if self.statement_balance is None:
            return None
        return self.statement_balance - self.book_balance

    @property
    def has_lines(self) -> bool:
        return bool(self.matched or self.open_lines)

    @property
    def can_complete(self) -> bool:
        return (
            self.reconciled is None
            and self.has_lines
            and not self.open_lines
            and not self.open_entries
            and self.difference == 0
        )


def month_state(desa: DesaAdat, year: int, month: int) -> MonthState:
    """Matched pairs, open statement lines and open bank entries of a month, and the
    statement's closing balance (the last line's) beside the bank book's."""
    from onedata.villagefinance import services

    start, end = _month_bounds(year, month)
    state = MonthState(year, month)
    lines = list(
        StatementLine.objects.filter(desa_adat=desa, date__gte=start, date__lt=end)
        .select_related("entry", "entry__account", "statement")
        .order_by("date", "statement_id", "row")
    )
    state.matched = [line for line in lines if line.entry_id]
    state.open_lines = [line for line in lines if not line.entry_id]
    state.open_entries = list(
        _open_entries(desa).filter(date__gte=start, date__lt=end).order_by("date", "id")
    )
    with_balance = [line for line in lines if line.balance is not None]
    if with_balance:
        state.statement_balance = with_balance[-1].balance
    state.book_balance = services.bank_book_balance(desa, end - timedelta(days=1))
    state.reconciled = (
        ReconciledMonth.objects.filter(desa_adat=desa, year=year, month=month)
        .select_related("completed_by")
        .first()
    )
    return state


def month_complete(
    *, actor, desa: DesaAdat, year: int, month: int, statement_balance: int | None = None
) -> ReconciledMonth:
    """Declare the month reconciled: every line and bank entry matched and the balances
    equal. ``statement_balance``: the closing balance when the file had no balance column."""
    from onedata.villagefinance import services

    with transaction.atomic():
        DesaAdat.objects.select_for_update().filter(pk=desa.pk).first()
        state = month_state(desa, year, month)
        if state.statement_balance is None and statement_balance is not None:
            state.statement_balance = statement_balance
        if state.reconciled is not None:
            raise Conflict(_("This month's reconciliation is already complete."))
        if not state.has_lines:
            raise ValidationError.for_field(
                "month", _("Upload the bank statement of this month first.")
            )
        if state.open_lines or state.open_entries:
            raise ValidationError.for_field(
                "month",
                _(
                    "Not everything is matched yet: %(lines)s statement lines and "
                    "%(entries)s bank book transactions are open."
                )
                % {"lines": len(state.open_lines), "entries": len(state.open_entries)},
            )
        if state.difference != 0:
            raise ValidationError.for_field(
                "statement_balance",
                _("The balances differ: statement %(statement)s, bank book %(book)s.")
                % {
                    "statement": services.rupiah(state.statement_balance or 0),
                    "book": services.rupiah(state.book_balance),
                },
            )
        record = ReconciledMonth.objects.create(
            desa_adat=desa,
            year=year,
            month=month,
            statement_balance=state.statement_balance,
            book_balance=state.book_balance,
            completed_by=_actor(actor),
        )
        _start, end = _month_bounds(year, month)
        services.bank_reconcile(
            actor=actor,
            desa=desa,
            date=end - timedelta(days=1),
            statement_balance=max(state.statement_balance, 0),
            note=_("Line by line: every line matched."),
            today=max(timezone.localdate(), end),
        )
        audit.record(
            actor=actor,
            action="villagefinance.statement_month_complete",
            obj=record,
            after={
                "year": year,
                "month": month,
                "statement_balance": record.statement_balance,
                "book_balance": record.book_balance,
                "lines": len(state.matched),
            },
        )
    return record


def statement_lines(desa: DesaAdat, *, start: date | None = None, end: date | None = None):
    queryset = StatementLine.objects.filter(desa_adat=desa).select_related("entry")
    if start:
        queryset = queryset.filter(date__gte=start)
    if end:
        queryset = queryset.filter(date__lte=end)
    return queryset.order_by("date", "statement_id", "row")


def latest_month(desa: DesaAdat) -> tuple[int, int] | None:
    line = StatementLine.objects.filter(desa_adat=desa).order_by("-date").first()
    return (line.date.year, line.date.month) if line else None
