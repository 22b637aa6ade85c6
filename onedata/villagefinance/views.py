"""Pages of SIKUAT. Phone first: the treasurer's home shows the balance and two big
buttons; the transaction form is one column and keeps what was typed (and the photo
already taken) when something is wrong.

Every view: the village is looked up, then ``permissions.can_*`` (403, or 404 for a
village the user may not see), then one service or selector.
"""

from __future__ import annotations

import csv
import io
from datetime import date, timedelta

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language, pgettext
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from onedata.core.errors import DomainError
from onedata.core.forms import apply_error
from onedata.villagefinance import permissions, selectors, services
from onedata.villagefinance.forms import BudgetForm, EntryForm, ReverseForm, StageReportForm
from onedata.villagefinance.models import (
    Account,
    BudgetLine,
    DesaAdat,
    Entry,
    GrantStage,
    Kind,
    MonthReport,
    Receipt,
)

KINDS = {"pemasukan": Kind.INCOME, "pengeluaran": Kind.SPENDING}
MONTH_NAMES = [
    "",
    "Januari",
    "Februari",
    "Maret",
    "April",
    "Mei",
    "Juni",
    "Juli",
    "Agustus",
    "September",
    "Oktober",
    "November",
    "Desember",
]
STATUS_BADGE = {
    Entry.Status.SUBMITTED: "badge-neutral",
    Entry.Status.VERIFIED: "badge-ok",
    GrantStage.Status.PLANNED: "badge-neutral",
    GrantStage.Status.DISBURSED: "badge-warn",
    GrantStage.Status.RECEIVED: "badge-neutral",
    GrantStage.Status.ACCOUNTED: "badge-ok",
}


def _village(request, pk: int) -> DesaAdat:
    desa = get_object_or_404(DesaAdat.objects.select_related("agency__region", "regency"), pk=pk)
    if not permissions.can_view_village(request.user, desa):
        raise Http404
    return desa


def _parse_date(text: str | None) -> date | None:
    try:
        return date.fromisoformat(text) if text else None
    except ValueError:
        return None


def _year(request) -> int:
    raw = request.GET.get("tahun", "")
    if raw.isdigit() and 2000 <= int(raw) <= 2100:
        return int(raw)
    return timezone.localdate().year


def _english() -> bool:
    return get_language() == "en"


# --- home --------------------------------------------------------------------------------


def home(request):
    """Officers go to their village; staff see the villages of their scope with this
    year's realisation; everyone else the public list of published summaries."""
    user = request.user
    if user.is_authenticated:
        own = selectors.officer_village(user)
        if own is not None and not permissions.is_staff_over(user, own):
            return redirect("villagefinance:village", pk=own.pk)
    year = _year(request)
    visible = selectors.villages_for(user) if user.is_authenticated else DesaAdat.objects.none()
    if visible.exists():
        today = timezone.localdate()
        last_month = today.replace(day=1) - timedelta(days=1)
        summaries = selectors.province_realisation(year, visible)
        selectors.mark_reported(summaries, last_month.year, last_month.month)
        context = {
            "year": year,
            "summaries": summaries[:200],
            "count": len(summaries),
            "reported": sum(1 for s in summaries if s.reported_month),
            "last_month": f"{MONTH_NAMES[last_month.month]} {last_month.year}",
            "income_actual": sum(s.income_actual for s in summaries),
            "spending_actual": sum(s.spending_actual for s in summaries),
            "spending_budget": sum(s.spending_budget for s in summaries),
            "anomalies": selectors.anomalies(visible, year, limit=10)
            if permissions.can_view_province_dashboard(user)
            else [],
        }
        return render(request, "villagefinance/dashboard.html", context)
    published = (
        DesaAdat.objects.filter(is_published=True)
        .select_related("agency", "regency")
        .order_by("regency__code", "agency__name")[:200]
    )
    return render(request, "villagefinance/home.html", {"published": published})


# --- the village -------------------------------------------------------------------------


@login_required
def village(request, pk: int):
    desa = _village(request, pk)
    funds = selectors.balances(desa)
    recent = list(
        Entry.objects.filter(desa_adat=desa)
        .select_related("account", "receipt")
        .order_by("-date", "-id")[:10]
    )
    for entry in recent:
        entry.badge = STATUS_BADGE.get(entry.status, "badge-neutral")
    pending = MonthReport.objects.filter(desa_adat=desa, status=MonthReport.Status.SUBMITTED)
    return render(
        request,
        "villagefinance/village.html",
        {
            "desa": desa,
            "funds": funds,
            "total": funds["cash"] + funds["bank"],
            "recent": recent,
            "can_record": permissions.can_record_entry(request.user, desa),
            "can_approve": permissions.can_approve_month(request.user, desa),
            "pending_reports": list(pending),
            "year": timezone.localdate().year,
        },
    )


def _accounts_for(kind: str, year: int):
    return list(Account.objects.filter(year=year, kind=kind, is_active=True).order_by("position"))


@login_required
@require_http_methods(["GET", "POST"])
def entry_new(request, pk: int, kind: str):
    """Catat pemasukan / Catat pengeluaran: one column, big buttons, camera for the receipt."""
    desa = _village(request, pk)
    if kind not in KINDS:
        raise Http404
    if not permissions.can_record_entry(request.user, desa):
        raise PermissionDenied
    entry_kind = KINDS[kind]
    year = timezone.localdate().year
    if request.method == "POST":
        posted_date = _parse_date(request.POST.get("date"))
        if posted_date and 2000 <= posted_date.year <= year:
            year = posted_date.year
    services.chart_load(year=year)
    accounts = _accounts_for(entry_kind, year)
    form = EntryForm(request.POST or None, request.FILES or None, accounts=accounts)
    receipt = None
    if request.method == "POST":
        receipt = _kept_receipt(request, desa, form)
        if form.is_valid():
            data = form.cleaned_data
            account = next((a for a in accounts if a.code == data["account"]), None)
            try:
                posted = services.entry_record(
                    actor=request.user,
                    desa=desa,
                    date=data["date"],
                    kind=entry_kind,
                    account=account,
                    fund=data["fund"],
                    amount=data["amount"],
                    description=data["description"],
                    counterparty=data["counterparty"],
                    receipt=receipt,
                )
            except DomainError as error:
                apply_error(form, error)
            else:
                for warning in posted.warnings:
                    messages.warning(request, warning)
                messages.success(
                    request,
                    _("Saved as number %(number)s. The balance is updated.")
                    % {"number": posted.entry.number},
                )
                return redirect("villagefinance:village", pk=desa.pk)
    status = 400 if form.errors else 200
    return render(
        request,
        "villagefinance/entry_form.html",
        {
            "desa": desa,
            "form": form,
            "kind": kind,
            "is_income": entry_kind == Kind.INCOME,
            "receipt": receipt,
            "funds": selectors.balances(desa),
            "upload_url": f"/api/v1/villages/{desa.pk}/receipts",
        },
        status=status,
    )


def _kept_receipt(request, desa: DesaAdat, form: EntryForm) -> Receipt | None:
    """The receipt of this attempt: a new photo (stored at once, so a later error in
    another field never loses it) or the one kept from an earlier attempt."""
    upload = request.FILES.get("receipt")
    if upload:
        try:
            receipt = services.receipt_store(actor=request.user, desa=desa, upload=upload)
        except DomainError as error:
            form.add_error("receipt", error.message)
            return None
        form.data = form.data.copy()
        form.data["receipt_id"] = str(receipt.pk)
        return receipt
    raw = request.POST.get("receipt_id", "")
    if raw.isdigit():
        return Receipt.objects.filter(pk=int(raw), desa_adat=desa).first()
    return None


@login_required
def entry_detail(request, pk: int, entry_id: int):
    desa = _village(request, pk)
    entry = get_object_or_404(
        Entry.objects.select_related("account", "receipt", "reversal_of", "created_by"),
        pk=entry_id,
        desa_adat=desa,
    )
    reversed_by = Entry.objects.filter(reversal_of=entry).first()
    return render(
        request,
        "villagefinance/entry_detail.html",
        {
            "desa": desa,
            "entry": entry,
            "badge": STATUS_BADGE.get(entry.status, "badge-neutral"),
            "reversed_by": reversed_by,
            "can_reverse": permissions.can_reverse_entry(request.user, entry)
            and not entry.is_reversal
            and reversed_by is None,
            "can_verify": permissions.can_verify_entry(request.user, entry)
            and entry.status == Entry.Status.SUBMITTED,
            "reverse_form": ReverseForm(),
        },
    )


@login_required
@require_POST
def entry_reverse(request, pk: int, entry_id: int):
    desa = _village(request, pk)
    entry = get_object_or_404(Entry, pk=entry_id, desa_adat=desa)
    if not permissions.can_reverse_entry(request.user, entry):
        raise PermissionDenied
    form = ReverseForm(request.POST)
    form.is_valid()
    try:
        reversal = services.entry_reverse(
            actor=request.user, entry=entry, reason=form.cleaned_data.get("reason", "")
        )
    except DomainError as error:
        messages.error(request, "; ".join(sum(error.fields.values(), [])) or error.message)
        return redirect("villagefinance:entry", pk=desa.pk, entry_id=entry.pk)
    messages.success(request, _("Cancelled by entry %(number)s.") % {"number": reversal.number})
    return redirect("villagefinance:entry", pk=desa.pk, entry_id=reversal.pk)


@login_required
@require_POST
def entry_verify(request, pk: int, entry_id: int):
    desa = _village(request, pk)
    entry = get_object_or_404(Entry, pk=entry_id, desa_adat=desa)
    if not permissions.can_verify_entry(request.user, entry):
        raise PermissionDenied
    try:
        services.entry_verify(actor=request.user, entry=entry)
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("Verified."))
    return redirect("villagefinance:entry", pk=desa.pk, entry_id=entry.pk)


@login_required
def receipt_file(request, receipt_id: int):
    """The receipt photo, only for those who may see its village. Never cached publicly."""
    receipt = get_object_or_404(Receipt.objects.select_related("desa_adat__agency"), pk=receipt_id)
    if not permissions.can_view_receipt(request.user, receipt):
        raise Http404
    try:
        handle = services.receipt_open(receipt)
    except OSError as error:
        raise Http404 from error
    response = FileResponse(handle, content_type=receipt.content_type)
    response["Cache-Control"] = "private, max-age=3600"
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Disposition"] = "inline"
    return response


# --- books and reports ---------------------------------------------------------------------


@login_required
def cash_book(request, pk: int):
    """Buku Kas Umum (both funds), or the bank or cash book with ?dana=bank|cash."""
    desa = _village(request, pk)
    fund = request.GET.get("dana") if request.GET.get("dana") in ("cash", "bank") else None
    today = timezone.localdate()
    # This month by default: light on a phone; the year is one tap on the dates away.
    start = _parse_date(request.GET.get("dari")) or today.replace(day=1)
    end = _parse_date(request.GET.get("sampai")) or today
    book = selectors.cash_book(desa, fund=fund, start=start, end=end)
    title = {
        None: _("Cash book (Buku Kas Umum)"),
        "bank": _("Bank book"),
        "cash": _("Cash-in-hand book"),
    }[fund]
    output = request.GET.get("format")
    if output in ("csv", "xlsx"):
        header = [
            _("Date"),
            _("Number"),
            _("Description"),
            _("Account"),
            pgettext("money", "In"),
            pgettext("money", "Out"),
            _("Balance"),
        ]
        rows = [[_("Opening balance"), "", "", "", "", "", book.opening]] + [
            [
                r.date.isoformat(),
                r.number,
                r.description,
                r.account,
                r.money_in,
                r.money_out,
                r.balance,
            ]
            for r in book.rows
        ]
        name = f"bku-{desa.agency.slug}-{start}-{end}"
        return _download(output, name, title, header, rows)
    return render(
        request,
        "villagefinance/cash_book.html",
        {
            "desa": desa,
            "book": book,
            "fund": fund,
            "start": start,
            "end": end,
            "title": title,
            # One reverse() for the page, not one per row.
            "entry_base": reverse("villagefinance:entry", args=[desa.pk, 0])[:-2],
        },
    )


@login_required
def realisation(request, pk: int):
    desa = _village(request, pk)
    year = _year(request)
    result = selectors.realisation(desa, year, english=_english())
    output = request.GET.get("format")
    if output in ("csv", "xlsx"):
        header = [_("Code"), _("Account"), _("Budget"), _("Actual"), _("Remaining"), _("%")]
        rows = []
        for group in result.groups:
            rows.append(
                [group.code, group.name, group.budget, group.actual, group.remaining, group.percent]
            )
            for line in group.lines:
                rows.append(
                    [line.code, line.name, line.budget, line.actual, line.remaining, line.percent]
                )
        return _download(
            output, f"realisasi-{desa.agency.slug}-{year}", _("Realisation report"), header, rows
        )
    income = result.total("income")
    spending = result.total("spending")
    return render(
        request,
        "villagefinance/realisation.html",
        {
            "desa": desa,
            "year": year,
            "result": result,
            "income": income,
            "spending": spending,
            "years": [year - 1, year, year + 1],
        },
    )


def _download(kind: str, name: str, title: str, header: list, rows: list) -> HttpResponse:
    if kind == "csv":
        out = io.StringIO()
        writer = csv.writer(out)
        writer.writerow(header)
        writer.writerows(rows)
        response = HttpResponse(out.getvalue().encode("utf-8-sig"), content_type="text/csv")
        response["Content-Disposition"] = f'attachment; filename="{name}.csv"'
        return response
    from openpyxl import Workbook

    book = Workbook(write_only=True)
    sheet = book.create_sheet(title=str(title)[:31])
    sheet.append(header)
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    response = HttpResponse(
        out.getvalue(),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    response["Content-Disposition"] = f'attachment; filename="{name}.xlsx"'
    return response


@login_required
@require_http_methods(["GET", "POST"])
def budget(request, pk: int):
    desa = _village(request, pk)
    year = _year(request)
    services.chart_load(year=year)
    accounts = list(
        Account.objects.filter(year=year, is_active=True)
        .exclude(kind=Kind.ASSET)
        .order_by("position")
    )
    can_edit = permissions.can_manage_budget(request.user, desa)
    form = BudgetForm(request.POST or None, accounts=accounts)
    if request.method == "POST":
        if not can_edit:
            raise PermissionDenied
        if form.is_valid():
            account = next(a for a in accounts if a.code == form.cleaned_data["account"])
            try:
                services.budget_set(
                    actor=request.user,
                    desa=desa,
                    account=account,
                    amount=form.cleaned_data["amount"],
                    reason=form.cleaned_data["reason"],
                )
            except DomainError as error:
                apply_error(form, error)
            else:
                messages.success(request, _("Budget saved."))
                return redirect(reverse("villagefinance:budget", args=[desa.pk]) + f"?tahun={year}")
    lines = BudgetLine.objects.filter(desa_adat=desa, year=year).select_related("account")
    return render(
        request,
        "villagefinance/budget.html",
        {"desa": desa, "year": year, "lines": lines, "form": form, "can_edit": can_edit},
        status=400 if form.errors else 200,
    )


@login_required
@require_http_methods(["GET", "POST"])
def months(request, pk: int):
    """Monthly reports: the treasurer submits a finished month, the Bendesa approves it
    (which closes the month)."""
    desa = _village(request, pk)
    if request.method == "POST":
        action = request.POST.get("action")
        try:
            if action == "submit":
                if not permissions.can_submit_month(request.user, desa):
                    raise PermissionDenied
                raw = request.POST.get("month", "")
                year_text, _sep, month_text = raw.partition("-")
                if not (year_text.isdigit() and month_text.isdigit()):
                    raise services.ValidationError.for_field("month", _("Choose a month."))
                services.month_submit(
                    actor=request.user, desa=desa, year=int(year_text), month=int(month_text)
                )
                messages.success(request, _("Sent to the Bendesa for approval."))
            elif action == "approve":
                if not permissions.can_approve_month(request.user, desa):
                    raise PermissionDenied
                report = get_object_or_404(
                    MonthReport, pk=request.POST.get("report") or 0, desa_adat=desa
                )
                services.month_approve(actor=request.user, report=report)
                messages.success(request, _("Approved. The month is closed."))
        except DomainError as error:
            messages.error(request, "; ".join(sum(error.fields.values(), [])) or error.message)
        return redirect("villagefinance:months", pk=desa.pk)
    today = timezone.localdate()
    choices = []
    cursor = today.replace(day=1)
    for _i in range(12):
        cursor = (cursor - timedelta(days=1)).replace(day=1)
        choices.append(
            (f"{cursor.year}-{cursor.month}", f"{MONTH_NAMES[cursor.month]} {cursor.year}")
        )
    reports = list(MonthReport.objects.filter(desa_adat=desa).order_by("-year", "-month")[:24])
    for report in reports:
        report.label = f"{MONTH_NAMES[report.month]} {report.year}"
        report.badge = "badge-ok" if report.status == MonthReport.Status.APPROVED else "badge-warn"
    return render(
        request,
        "villagefinance/months.html",
        {
            "desa": desa,
            "reports": reports,
            "choices": choices,
            "can_submit": permissions.can_submit_month(request.user, desa),
            "can_approve": permissions.can_approve_month(request.user, desa),
        },
    )


@login_required
def grants(request, pk: int):
    desa = _village(request, pk)
    items = list(desa.grants.select_related("grantor", "account").prefetch_related("stages").all())
    for grant in items:
        grant.stage_rows = []
        for stage in grant.stages.all():
            stage.used = services.grant_stage_used(stage)
            stage.badge = STATUS_BADGE.get(stage.status, "badge-neutral")
            grant.stage_rows.append(stage)
    return render(
        request,
        "villagefinance/grants.html",
        {
            "desa": desa,
            "grants": items,
            "can_manage": permissions.can_manage_grants(request.user, desa),
            "can_receive": permissions.can_receive_grant(request.user, desa),
            "report_form": StageReportForm(),
            "today": timezone.localdate(),
        },
    )


@login_required
@require_POST
def grant_stage_action(request, pk: int, stage_id: int, action: str):
    desa = _village(request, pk)
    stage = get_object_or_404(
        GrantStage.objects.select_related("grant"), pk=stage_id, grant__desa_adat=desa
    )
    try:
        if action == "kirim":
            if not permissions.can_manage_grants(request.user, desa):
                raise PermissionDenied
            services.grant_stage_disburse(actor=request.user, stage=stage)
            messages.success(request, _("Stage sent. The village confirms when it arrives."))
        elif action == "terima":
            if not permissions.can_receive_grant(request.user, desa):
                raise PermissionDenied
            day = _parse_date(request.POST.get("date")) or timezone.localdate()
            services.grant_stage_receive(actor=request.user, stage=stage, date=day)
            messages.success(request, _("Received and recorded as income in the bank."))
        elif action == "lapor":
            if not permissions.can_receive_grant(request.user, desa):
                raise PermissionDenied
            services.grant_stage_account(
                actor=request.user, stage=stage, note=request.POST.get("note", "")
            )
            messages.success(request, _("Report sent. The next stage can now be released."))
        else:
            raise Http404
    except DomainError as error:
        messages.error(request, "; ".join(sum(error.fields.values(), [])) or error.message)
    return redirect("villagefinance:grants", pk=desa.pk)


# --- public ------------------------------------------------------------------------------


def public(request, pk: int):
    """Transparency: budget and realisation of a desa adat, no personal data."""
    desa = get_object_or_404(
        DesaAdat.objects.select_related("agency", "regency"), pk=pk, is_published=True
    )
    year = _year(request)
    result = selectors.realisation(desa, year, english=_english())
    income = result.total("income")
    spending = result.total("spending")
    months_data = selectors.monthly_totals(desa, year)
    peak = max([m["money_in"] for m in months_data] + [m["money_out"] for m in months_data] + [1])
    for row in months_data:
        row["label"] = MONTH_NAMES[row["month"]][:3]
        row["in_pct"] = round(row["money_in"] * 100 / peak)
        row["out_pct"] = round(row["money_out"] * 100 / peak)
        row["x_in"] = (row["month"] - 1) * 20 + 3
        row["x_out"] = row["x_in"] + 7
        row["y_in"] = 100 - row["in_pct"]
        row["y_out"] = 100 - row["out_pct"]
    return render(
        request,
        "villagefinance/public.html",
        {
            "desa": desa,
            "year": year,
            "result": result,
            "income": income,
            "spending": spending,
            "months": months_data,
        },
    )
