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
from onedata.villagefinance import permissions, selectors, services, tax_services
from onedata.villagefinance.forms import (
    AccountCreateForm,
    AccountEditForm,
    BudgetForm,
    EntryForm,
    GrantForm,
    ReconciliationForm,
    ReverseForm,
    StageReportForm,
)
from onedata.villagefinance.models import (
    Account,
    BudgetLine,
    DesaAdat,
    Entry,
    EntryDraft,
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
            "can_view_registry": permissions.can_view_registry(user),
            "anomalies": selectors.anomalies(visible, year, limit=10)
            if permissions.can_view_province_dashboard(user)
            else [],
            "tax_overdue": tax_services.overdue_villages(visible, limit=10)
            if permissions.can_view_province_dashboard(user)
            else [],
        }
        return render(request, "villagefinance/dashboard.html", context)
    published = (
        DesaAdat.objects.filter(is_published=True, is_active=True)
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
    drafts = list(EntryDraft.objects.filter(desa_adat=desa).select_related("account")[:20])
    slugs = {value: slug for slug, value in KINDS.items()}
    for item in drafts:
        item.slug = slugs.get(item.kind)
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
            "drafts": [d for d in drafts if d.slug],
            "tax_overdue": tax_services.overdue_labelled(desa),
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
    stages = (
        list(
            GrantStage.objects.filter(
                grant__desa_adat=desa, status=GrantStage.Status.RECEIVED
            ).select_related("grant")
        )
        if entry_kind == Kind.SPENDING
        else []
    )
    draft = _draft(request, desa, entry_kind)
    initial = {}
    if draft is not None and request.method == "GET":
        initial = {
            "date": draft.date,
            "amount": str(draft.amount) if draft.amount is not None else "",
            "account": draft.account.code if draft.account_id else "",
            "fund": draft.fund or "cash",
            "description": draft.description,
            "counterparty": draft.counterparty,
            "receipt_id": draft.receipt_id,
            "grant_stage": str(draft.grant_stage_id or ""),
        }
    form = EntryForm(
        request.POST or None,
        request.FILES or None,
        accounts=accounts,
        stages=stages,
        initial=initial,
        tax_rates=tax_services.rates_for(year) if entry_kind == Kind.SPENDING else (),
    )
    if draft is not None and request.method == "GET" and draft.date is None:
        form.fields["date"].initial = None
    receipt = draft.receipt if draft is not None and request.method == "GET" else None
    if request.method == "POST":
        receipt = _kept_receipt(request, desa, form)
        if request.POST.get("intent") == "draft":
            form.is_valid()  # keep whatever is readable; a draft is not checked
            data = form.cleaned_data
            try:
                draft = services.entry_draft_save(
                    actor=request.user,
                    desa=desa,
                    kind=entry_kind,
                    draft=draft,
                    date=data.get("date"),
                    account=next((a for a in accounts if a.code == data.get("account")), None),
                    fund=data.get("fund") or "",
                    amount=data.get("amount"),
                    description=data.get("description") or "",
                    counterparty=data.get("counterparty") or "",
                    receipt=receipt,
                    grant_stage=next(
                        (st for st in stages if str(st.pk) == data.get("grant_stage")), None
                    ),
                )
            except DomainError as error:
                apply_error(form, error)
            else:
                messages.success(request, _("Saved as a draft. It counts only once you submit it."))
                return redirect("villagefinance:village", pk=desa.pk)
        elif form.is_valid():
            data = form.cleaned_data
            values = {
                "date": data["date"],
                "kind": entry_kind,
                "account": next((a for a in accounts if a.code == data["account"]), None),
                "fund": data["fund"],
                "amount": data["amount"],
                "description": data["description"],
                "counterparty": data["counterparty"],
                "receipt": receipt,
                "grant_stage": next(
                    (st for st in stages if str(st.pk) == data.get("grant_stage")), None
                ),
                "taxes": form.withholdings(),
            }
            try:
                if draft is not None:
                    posted = services.entry_draft_submit(actor=request.user, draft=draft, **values)
                else:
                    posted = services.entry_record(actor=request.user, desa=desa, **values)
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
            "draft": draft,
            "funds": selectors.balances(desa),
            "upload_url": f"/api/v1/villages/{desa.pk}/receipts",
        },
        status=status,
    )


def _draft(request, desa: DesaAdat, kind: str) -> EntryDraft | None:
    """The draft being continued: ``?draf=<id>`` on the way in, ``draft_id`` when posted."""
    raw = request.POST.get("draft_id") if request.method == "POST" else request.GET.get("draf")
    if not (raw or "").isdigit():
        return None
    return (
        EntryDraft.objects.select_related("account", "receipt", "grant_stage__grant")
        .filter(pk=int(raw), desa_adat=desa, kind=kind)
        .first()
    )


@login_required
@require_POST
def draft_delete(request, pk: int, draft_id: int):
    desa = _village(request, pk)
    draft = get_object_or_404(EntryDraft, pk=draft_id, desa_adat=desa)
    if not permissions.can_record_entry(request.user, desa):
        raise PermissionDenied
    services.entry_draft_delete(actor=request.user, draft=draft)
    messages.success(request, _("Draft deleted."))
    return redirect("villagefinance:village", pk=desa.pk)


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
    if output in ("csv", "xlsx", "pdf"):
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
        if output == "pdf":
            pdf_rows = [[start, "", _("Opening balance"), "", "", "", book.opening]]
            pdf_rows += [
                [
                    r.date,
                    r.number,
                    r.description,
                    r.account,
                    r.money_in or "",
                    r.money_out or "",
                    r.balance,
                ]
                for r in book.rows
            ]
            pdf_rows.append(
                [
                    end,
                    "",
                    _("Total and closing balance"),
                    "",
                    book.total_in,
                    book.total_out,
                    book.closing,
                ]
            )
            return _pdf(
                name,
                title=title,
                lines=_report_lines(
                    desa,
                    _("Period: %(start)s to %(end)s")
                    % {"start": start.strftime("%d/%m/%Y"), "end": end.strftime("%d/%m/%Y")},
                ),
                header=header,
                rows=pdf_rows,
                widths=(18, 20, 62, 14, 24, 24, 26),
                numeric=(False, False, False, False, True, True, True),
                bold_rows=(0, len(pdf_rows) - 1),
            )
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
    if output in ("csv", "xlsx", "pdf"):
        header = [_("Code"), _("Account"), _("Budget"), _("Actual"), _("Remaining"), _("%")]
        rows = []
        bold = []
        for group in result.groups:
            bold.append(len(rows))
            rows.append(
                [group.code, group.name, group.budget, group.actual, group.remaining, group.percent]
            )
            for line in group.lines:
                rows.append(
                    [line.code, line.name, line.budget, line.actual, line.remaining, line.percent]
                )
        if output == "pdf":
            income, spending = result.total("income"), result.total("spending")
            return _pdf(
                f"realisasi-{desa.agency.slug}-{year}",
                title=_("Budget realisation report %(year)s") % {"year": year},
                lines=_report_lines(
                    desa,
                    _(
                        "Income: %(actual)s of %(budget)s planned. Spending: %(spent)s of "
                        "%(budgeted)s budgeted."
                    )
                    % {
                        "actual": services.rupiah(income[1]),
                        "budget": services.rupiah(income[0]),
                        "spent": services.rupiah(spending[1]),
                        "budgeted": services.rupiah(spending[0]),
                    },
                ),
                header=header,
                rows=rows,
                widths=(16, 76, 28, 28, 28, 14),
                numeric=(False, False, True, True, True, True),
                bold_rows=bold,
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


def _report_lines(desa: DesaAdat, *extra: str) -> list[str]:
    lines = [
        f"{desa.agency.name} - {desa.regency.name}"
        + (f" ({_('sample data')})" if desa.agency.is_sample else "")
    ]
    lines.extend(extra)
    lines.append(
        _("Printed %(when)s WITA") % {"when": timezone.localtime().strftime("%d/%m/%Y %H:%M")}
    )
    return lines


def _pdf(name: str, **spec) -> HttpResponse:
    from onedata.villagefinance import pdf

    data = pdf.table_report(footer=f"SIKUAT - {spec['title']}", **spec)
    response = HttpResponse(data, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{name}.pdf"'
    return response


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
    # Excel refuses : \ / ? * [ ] in a sheet's name and more than 31 characters.
    safe = "".join(" " if c in ":\\/?*[]" else c for c in str(title)).strip()
    sheet = book.create_sheet(title=safe[:31] or "SIKUAT")
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
        .exclude(kind__in=(Kind.ASSET, Kind.TAX))
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
        previous_done = True
        for stage in grant.stages.all():
            stage.used = services.grant_stage_used(stage)
            stage.badge = STATUS_BADGE.get(stage.status, "badge-neutral")
            # The next stage is sent only after the previous one's use is reported.
            stage.can_send = stage.status == GrantStage.Status.PLANNED and previous_done
            previous_done = stage.status == GrantStage.Status.ACCOUNTED
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


@login_required
def grant_stage_report(request, pk: int, stage_id: int):
    """Grant accountability for one stage (laporan pertanggungjawaban): the money
    received, each spending booked against it, what is left. Page, XLSX or PDF."""
    desa = _village(request, pk)
    if not permissions.can_view_reports(request.user, desa):
        raise PermissionDenied
    stage = get_object_or_404(
        GrantStage.objects.select_related("grant__grantor", "grant__account"),
        pk=stage_id,
        grant__desa_adat=desa,
    )
    report = selectors.grant_stage_report(stage)
    grant = stage.grant
    title = _("Grant accountability: %(grant)s, stage %(number)s") % {
        "grant": grant.name,
        "number": stage.number,
    }
    output = request.GET.get("format")
    if output in ("csv", "xlsx", "pdf"):
        header = [_("Date"), _("Number"), _("Description"), _("Account"), _("Amount")]
        rows = [
            [e.date, e.number, e.description, e.account.code, e.account_amount]
            for e in report["entries"]
        ]
        name = f"lpj-{desa.agency.slug}-{grant.pk}-{stage.number}"
        totals = [
            ["", "", _("Received"), "", report["received"]],
            ["", "", _("Used"), "", report["used"]],
            ["", "", _("Left"), "", report["left"]],
        ]
        if output == "pdf":
            all_rows = rows + totals
            return _pdf(
                name,
                title=title,
                lines=_report_lines(
                    desa,
                    _("Given by %(grantor)s. Stage amount %(amount)s. Status: %(status)s.")
                    % {
                        "grantor": grant.grantor.name,
                        "amount": services.rupiah(stage.amount),
                        "status": stage.get_status_display(),
                    },
                    *(
                        [_("Use reported: %(note)s") % {"note": stage.report_note}]
                        if stage.report_note
                        else []
                    ),
                ),
                header=header,
                rows=all_rows,
                widths=(20, 22, 92, 16, 30),
                numeric=(False, False, False, False, True),
                bold_rows=range(len(rows), len(all_rows)),
            )
        csv_rows = [[r[0].isoformat(), *r[1:]] for r in rows] + totals
        return _download(output, name, title, header, csv_rows)
    return render(
        request,
        "villagefinance/grant_stage_report.html",
        {
            "desa": desa,
            "stage": stage,
            "grant": grant,
            "report": report,
            "title": title,
            "badge": STATUS_BADGE.get(stage.status, "badge-neutral"),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def reconciliation(request, pk: int):
    """Bank reconciliation: the statement's balance beside the bank book's, by date."""
    desa = _village(request, pk)
    can_record = permissions.can_reconcile_bank(request.user, desa)
    form = ReconciliationForm(request.POST or None, initial={"date": timezone.localdate()})
    if request.method == "POST":
        if not can_record:
            raise PermissionDenied
        if form.is_valid():
            try:
                record = services.bank_reconcile(
                    actor=request.user,
                    desa=desa,
                    date=form.cleaned_data["date"],
                    statement_balance=form.cleaned_data["statement_balance"],
                    note=form.cleaned_data["note"],
                )
            except DomainError as error:
                apply_error(form, error)
            else:
                if record.difference:
                    messages.warning(
                        request,
                        _(
                            "The statement differs from the bank book by %(diff)s. Look for a "
                            "bank fee, interest or an entry in the wrong fund."
                        )
                        % {"diff": services.rupiah(record.difference)},
                    )
                else:
                    messages.success(request, _("The bank book matches the statement."))
                return redirect("villagefinance:reconciliation", pk=desa.pk)
    records = list(desa.reconciliations.all()[:24])
    for record in records:
        record.badge = "badge-ok" if record.difference == 0 else "badge-danger"
    return render(
        request,
        "villagefinance/reconciliation.html",
        {
            "desa": desa,
            "form": form,
            "records": records,
            "can_record": can_record,
            "bank_now": selectors.balances(desa)["bank"],
        },
        status=400 if form.errors else 200,
    )


# --- chart of accounts ------------------------------------------------------------------------


def _chart_context(request, year: int, *, create_form=None, edit_forms=None) -> dict:
    groups = selectors.chart(year)
    can_edit = permissions.can_edit_chart(request.user)
    edit_forms = edit_forms or {}
    for group in groups:
        for account in group.accounts:
            account.form = edit_forms.get(account.pk) or AccountEditForm(
                initial={
                    "name": account.name,
                    "name_en": account.name_en,
                    "is_active": account.is_active,
                },
                prefix=f"a{account.pk}",
            )
            account.open = account.pk in edit_forms
    group_choices = [(g.code, g.name) for g in groups if g.kind != Kind.ASSET]
    years = sorted(set(selectors.chart_years()) | {year, timezone.localdate().year})
    return {
        "year": year,
        "groups": groups,
        "can_edit": can_edit,
        "create_form": create_form or AccountCreateForm(groups=group_choices),
        "years": years[-4:] + ([year + 1] if year + 1 not in years else []),
        "next_year": max(years) + 1,
    }


@login_required
@require_http_methods(["GET", "POST"])
def chart(request):
    """The chart of accounts of a year. Provincial staff add, rename, take out of use or
    delete (only when unused) accounts, and start the chart of a new year."""
    if not permissions.can_view_chart(request.user):
        raise PermissionDenied
    year = _year(request)
    create_form = None
    if request.method == "POST":
        if not permissions.can_edit_chart(request.user):
            raise PermissionDenied
        action = request.POST.get("action")
        if action == "load":
            count = services.chart_load(year=year, actor=request.user)
            messages.success(
                request,
                _("The chart of %(year)s is ready with %(count)s accounts.")
                % {"year": year, "count": count},
            )
            return redirect(reverse("villagefinance:chart") + f"?tahun={year}")
        groups = [(g.code, g.name) for g in selectors.chart(year) if g.kind != Kind.ASSET]
        create_form = AccountCreateForm(request.POST, groups=groups)
        if create_form.is_valid():
            data = create_form.cleaned_data
            try:
                account = services.account_create(
                    actor=request.user,
                    year=year,
                    code=data["code"],
                    name=data["name"],
                    name_en=data["name_en"],
                    group_code=data["group_code"],
                )
            except DomainError as error:
                apply_error(create_form, error)
            else:
                messages.success(request, _("Account %(code)s added.") % {"code": account.code})
                return redirect(reverse("villagefinance:chart") + f"?tahun={year}")
    context = _chart_context(request, year, create_form=create_form)
    return render(
        request,
        "villagefinance/chart.html",
        context,
        status=400 if create_form is not None and create_form.errors else 200,
    )


@login_required
@require_POST
def chart_account(request, account_id: int):
    """Change (``action=save``) or delete (``action=delete``) one account of the chart."""
    account = get_object_or_404(Account, pk=account_id)
    if not permissions.can_edit_chart(request.user):
        raise PermissionDenied
    back = reverse("villagefinance:chart") + f"?tahun={account.year}#akun-{account.pk}"
    if request.POST.get("action") == "delete":
        try:
            services.account_delete(actor=request.user, account=account)
        except DomainError as error:
            messages.error(request, error.message)
            return redirect(back)
        messages.success(request, _("Account %(code)s deleted.") % {"code": account.code})
        return redirect(reverse("villagefinance:chart") + f"?tahun={account.year}")
    form = AccountEditForm(request.POST, prefix=f"a{account.pk}")
    if form.is_valid():
        try:
            services.account_update(
                actor=request.user,
                account=account,
                name=form.cleaned_data["name"],
                name_en=form.cleaned_data["name_en"],
                is_active=form.cleaned_data["is_active"],
            )
        except DomainError as error:
            apply_error(form, error)
        else:
            messages.success(request, _("Account %(code)s saved.") % {"code": account.code})
            return redirect(back)
    context = _chart_context(request, account.year, edit_forms={account.pk: form})
    return render(request, "villagefinance/chart.html", context, status=400)


# --- grants: recording ------------------------------------------------------------------------


def _grantors(user, desa: DesaAdat):
    """The agencies in whose name the user may give this village a grant: the province's
    or the regency's agencies where the user is staff (any government agency above the
    village for a platform admin)."""
    from onedata.core import scope
    from onedata.core.models import Agency

    if scope.is_platform_admin(user):
        queryset = Agency.objects.filter(
            region__code__in=[permissions.PROVINCE_CODE, desa.regency.code]
        ).exclude(kind=Agency.Kind.DESA_ADAT)
    else:
        ids = [m.agency_id for m in scope.memberships_of(user) if m.role in permissions.STAFF_ROLES]
        queryset = Agency.objects.filter(pk__in=ids)
    return [
        agency
        for agency in queryset.select_related("region").order_by("region__code", "name")
        if scope.code_covers(agency.region.code, desa.agency.region.code)
    ]


@login_required
@require_http_methods(["GET", "POST"])
def grant_new(request, pk: int):
    """Regency or provincial staff record a grant (BKK or a regency grant) in stages."""
    desa = _village(request, pk)
    if not permissions.can_manage_grants(request.user, desa):
        raise PermissionDenied
    grantors = _grantors(request.user, desa)
    year = timezone.localdate().year
    if request.method == "POST":
        raw = request.POST.get("year", "")
        if raw.isdigit() and 2000 <= int(raw) <= 2100:
            year = int(raw)
    services.chart_load(year=year)
    accounts = _accounts_for(Kind.INCOME, year)
    initial = {"year": year, "account": "4.1.1", "name": f"BKK {year}"}
    form = GrantForm(request.POST or None, initial=initial, grantors=grantors, accounts=accounts)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        grantor = next(a for a in grantors if str(a.pk) == data["grantor"])
        account = next(a for a in accounts if a.code == data["account"])
        try:
            grant = services.grant_create(
                actor=request.user,
                desa=desa,
                grantor=grantor,
                year=data["year"],
                name=data["name"],
                account=account,
                stages=data["stages"],
            )
        except DomainError as error:
            apply_error(form, error)
        else:
            messages.success(
                request,
                _("Grant recorded: %(total)s in %(count)s stages. Send stage 1 when it is paid.")
                % {"total": services.rupiah(grant.total), "count": len(data["stages"])},
            )
            return redirect("villagefinance:grants", pk=desa.pk)
    return render(
        request,
        "villagefinance/grant_form.html",
        {"desa": desa, "form": form, "grantors": grantors},
        status=400 if form.errors else 200,
    )


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
