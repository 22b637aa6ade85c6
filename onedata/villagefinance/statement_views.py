"""Line-by-line bank reconciliation pages: upload a statement, see a month's matched
pairs and what is left on either side, match by hand, turn a bank-only line (fee,
interest) into a draft, and complete the month."""

from __future__ import annotations

from datetime import date, timedelta

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from onedata.core.errors import DomainError
from onedata.core.forms import apply_error
from onedata.villagefinance import permissions, statement_services, statements
from onedata.villagefinance.models import Entry, Fund, StatementLine
from onedata.villagefinance.tax_forms import MonthCompleteForm, StatementUploadForm
from onedata.villagefinance.views import KINDS, MONTH_NAMES, _village

CANDIDATE_DAYS = 15  # manual matching offers book entries this many days around the month


def _month(request, desa) -> tuple[int, int]:
    raw = request.GET.get("bulan") or request.POST.get("bulan") or ""
    try:
        year, month = (int(part) for part in raw.split("-"))
        if 2000 <= year <= 2100 and 1 <= month <= 12:
            return year, month
    except ValueError:
        pass
    latest = statement_services.latest_month(desa)
    if latest:
        return latest
    today = timezone.localdate()
    return today.year, today.month


def _shift(year: int, month: int, step: int) -> str:
    index = year * 12 + (month - 1) + step
    return f"{index // 12}-{index % 12 + 1}"


def _page_url(desa, year: int, month: int) -> str:
    return reverse("villagefinance:statements", args=[desa.pk]) + f"?bulan={year}-{month}"


@login_required
@require_http_methods(["GET", "POST"])
def statement_page(request, pk: int):
    """Rekening koran: the month's reconciliation, and the upload form (POST)."""
    desa = _village(request, pk)
    if not permissions.can_view_statements(request.user, desa):
        raise PermissionDenied
    can_match = permissions.can_match_statement(request.user, desa)
    year, month = _month(request, desa)
    upload = StatementUploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST":
        if not can_match:
            raise PermissionDenied
        if upload.is_valid():
            file = upload.cleaned_data["file"]
            try:
                statement = statement_services.statement_upload(
                    actor=request.user,
                    desa=desa,
                    content=file.read(statement_services.MAX_FILE_BYTES + 1),
                    file_name=file.name,
                )
            except DomainError as error:
                apply_error(upload, error)
            else:
                count = statement.lines.count()
                matched = statement.lines.filter(entry__isnull=False).count()
                messages.success(
                    request,
                    _("%(count)s lines read, %(matched)s matched to the bank book.")
                    % {"count": count, "matched": matched},
                )
                return redirect(_page_url(desa, statement.end.year, statement.end.month))
    state = statement_services.month_state(desa, year, month)
    _attach_candidates(desa, state, year, month)
    complete_form = MonthCompleteForm(initial={"statement_balance": state.statement_balance or ""})
    return render(
        request,
        "villagefinance/statements.html",
        {
            "desa": desa,
            "state": state,
            "month_name": f"{MONTH_NAMES[month]} {year}",
            "bulan": f"{year}-{month}",
            "previous": _shift(year, month, -1),
            "next": _shift(year, month, 1),
            "upload": upload,
            "complete_form": complete_form,
            "can_match": can_match,
            "entry_base": reverse("villagefinance:entry", args=[desa.pk, 0])[:-2],
        },
        status=400 if upload.errors else 200,
    )


def _attach_candidates(desa, state, year: int, month: int) -> None:
    """Each open line's possible book entries for a manual match: same amount, open,
    within a fortnight of the month."""
    if not state.open_lines:
        return
    start = date(year, month, 1) - timedelta(days=CANDIDATE_DAYS)
    end = date(year, month, 28) + timedelta(days=CANDIDATE_DAYS + 3)
    amounts = {line.amount for line in state.open_lines}
    open_entries = list(
        Entry.objects.filter(
            desa_adat=desa,
            fund=Fund.BANK,
            statement_line__isnull=True,
            date__gte=start,
            date__lte=end,
            fund_amount__in=amounts,
        ).order_by("date", "id")
    )
    for line in state.open_lines:
        line.candidates = [e for e in open_entries if e.fund_amount == line.amount]


@login_required
@require_POST
def statement_action(request, pk: int):
    """One button of the page: auto, match, unmatch, draft, complete."""
    desa = _village(request, pk)
    if not permissions.can_match_statement(request.user, desa):
        raise PermissionDenied
    year, month = _month(request, desa)
    action = request.POST.get("action")
    line = None
    if action in ("match", "unmatch", "draft"):
        line = get_object_or_404(StatementLine, pk=request.POST.get("line") or 0, desa_adat=desa)
    try:
        if action == "auto":
            count = statement_services.statement_auto_match(actor=request.user, desa=desa)
            messages.success(request, _("%(count)s new matches.") % {"count": count})
        elif action == "match":
            entry = get_object_or_404(
                Entry, pk=request.POST.get("entry") or 0, desa_adat=desa, fund=Fund.BANK
            )
            statement_services.statement_match(actor=request.user, line=line, entry=entry)
            messages.success(request, _("Matched."))
        elif action == "unmatch":
            statement_services.statement_unmatch(actor=request.user, line=line)
            messages.success(request, _("The match is undone."))
        elif action == "draft":
            draft = statement_services.statement_line_draft(actor=request.user, line=line)
            slug = {value: key for key, value in KINDS.items()}[draft.kind]
            messages.success(
                request,
                _("A draft is ready. Check the account and save it; then match again."),
            )
            return redirect(
                reverse("villagefinance:entry_new", args=[desa.pk, slug]) + f"?draf={draft.pk}"
            )
        elif action == "complete":
            form = MonthCompleteForm(request.POST)
            balance = form.cleaned_data["statement_balance"] if form.is_valid() else None
            statement_services.month_complete(
                actor=request.user, desa=desa, year=year, month=month, statement_balance=balance
            )
            messages.success(request, _("The reconciliation of the month is complete."))
        else:
            raise Http404
    except DomainError as error:
        messages.error(request, _message(error))
    return redirect(_page_url(desa, year, month))


def _message(error: DomainError) -> str:
    details = [m for messages_ in (error.fields or {}).values() for m in messages_]
    return " ".join(dict.fromkeys([error.message, *details]))


@login_required
def statement_template(request, pk: int):
    """A CSV to fill in when the bank's own export does not read."""
    desa = _village(request, pk)
    if not permissions.can_view_statements(request.user, desa):
        raise PermissionDenied
    response = HttpResponse(statements.TEMPLATE.encode("utf-8-sig"), content_type="text/csv")
    response["Content-Disposition"] = 'attachment; filename="templat-rekening-koran.csv"'
    return response
