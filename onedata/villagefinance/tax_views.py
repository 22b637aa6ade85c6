"""Pages of the tax book (Buku Pembantu Pajak): the book with PDF/XLSX, recording a tax
deposit (setoran pajak), and the tax rates provincial staff keep."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from onedata.core.errors import DomainError
from onedata.core.forms import apply_error
from onedata.villagefinance import permissions, selectors, tax_services
from onedata.villagefinance.models import TaxRate
from onedata.villagefinance.tax_forms import TaxDepositForm, TaxRateForm
from onedata.villagefinance.views import _download, _parse_date, _pdf, _report_lines, _village


def _period(request):
    today = timezone.localdate()
    start = _parse_date(request.GET.get("dari")) or today.replace(month=1, day=1)
    end = _parse_date(request.GET.get("sampai")) or today
    return start, end


def _tax_label(names, code: str) -> str:
    rate = names.get(code)
    return rate.label if rate else code


@login_required
def tax_book(request, pk: int):
    """Buku Pembantu Pajak: per tax, withheld, deposited and owed, with a running balance."""
    desa = _village(request, pk)
    if not permissions.can_view_tax_book(request.user, desa):
        raise PermissionDenied
    start, end = _period(request)
    book, names = tax_services.tax_book(desa, start=start, end=end)
    title = _("Tax book (Buku Pembantu Pajak)")
    output = request.GET.get("format")
    if output in ("xlsx", "pdf"):
        return _tax_download(output, desa, book, names, start, end, title)
    totals = [
        {"code": code, "label": _tax_label(names, code), "total": total}
        for code, total in book.totals.items()
        if total.opening or total.withheld or total.deposited
    ]
    return render(
        request,
        "villagefinance/tax_book.html",
        {
            "desa": desa,
            "book": book,
            "totals": totals,
            "rows": [(row, _tax_label(names, row.tax)) for row in book.rows],
            "start": start,
            "end": end,
            "title": title,
            "overdue": tax_services.overdue_labelled(desa),
            "can_deposit": permissions.can_record_tax_deposit(request.user, desa),
            "entry_base": reverse("villagefinance:entry", args=[desa.pk, 0])[:-2],
        },
    )


def _tax_download(output, desa, book, names, start, end, title):
    header = [
        _("Date"),
        _("Number"),
        _("Description"),
        _("Tax"),
        _("Withheld"),
        _("Deposited"),
        _("Owed"),
    ]
    rows = [
        [
            row.date if output == "pdf" else row.date.isoformat(),
            row.number,
            row.description,
            _tax_label(names, row.tax),
            row.withheld or "",
            row.deposited or "",
            row.balance,
        ]
        for row in book.rows
    ]
    summary = [
        [
            end if output == "pdf" else end.isoformat(),
            "",
            _("Total: owed at the start %(opening)s")
            % {"opening": f"{total.opening:,}".replace(",", ".")},
            _tax_label(names, code),
            total.withheld,
            total.deposited,
            total.outstanding,
        ]
        for code, total in book.totals.items()
        if total.opening or total.withheld or total.deposited
    ]
    name = f"buku-pajak-{desa.agency.slug}-{start}-{end}"
    if output == "xlsx":
        return _download("xlsx", name, title, header, rows + summary)
    all_rows = rows + summary
    return _pdf(
        name,
        title=title,
        lines=_report_lines(
            desa,
            _("Period: %(start)s to %(end)s")
            % {"start": start.strftime("%d/%m/%Y"), "end": end.strftime("%d/%m/%Y")},
        ),
        header=header,
        rows=all_rows,
        widths=(18, 20, 58, 22, 24, 24, 24),
        numeric=(False, False, False, False, True, True, True),
        bold_rows=tuple(range(len(rows), len(all_rows))),
    )


@login_required
@require_http_methods(["GET", "POST"])
def tax_deposit_new(request, pk: int):
    """Setor pajak: the treasurer deposits withheld tax and keeps the NTPN."""
    desa = _village(request, pk)
    if not permissions.can_record_tax_deposit(request.user, desa):
        raise PermissionDenied
    rates = tax_services.rates_for(timezone.localdate().year)
    owed = {r.account_code: tax_services.owed(desa, r.account_code) for r in rates}
    first_owed = next((r for r in rates if owed[r.account_code] > 0), None)
    initial = {}
    if first_owed is not None:
        amount = f"{owed[first_owed.account_code]:,}".replace(",", ".")
        initial = {"tax": first_owed.code, "amount": amount}
    form = TaxDepositForm(request.POST or None, rates=rates, owed=owed, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        rate = next(r for r in rates if r.code == data["tax"])
        try:
            posted = tax_services.tax_deposit_record(
                actor=request.user,
                desa=desa,
                tax=rate,
                date=data["date"],
                fund=data["fund"],
                amount=data["amount"],
                billing_code=data["billing_code"],
                ntpn=data["ntpn"],
            )
        except DomainError as error:
            apply_error(form, error)
        else:
            messages.success(
                request,
                _("Deposit saved as number %(number)s. The tax book is updated.")
                % {"number": posted.entry.number},
            )
            return redirect("villagefinance:tax_book", pk=desa.pk)
    return render(
        request,
        "villagefinance/tax_deposit.html",
        {"desa": desa, "form": form, "funds": selectors.balances(desa)},
        status=400 if form.errors else 200,
    )


@login_required
@require_http_methods(["GET", "POST"])
def tax_rates(request):
    """The tax rates by year; provincial staff add a period when a rate changes."""
    can_edit = permissions.can_edit_tax_rates(request.user)
    tax_services.tax_rates_load()  # a tax added to the data file shows up here
    rates = list(TaxRate.objects.all())
    codes = []
    for rate in rates:
        if rate.code not in dict(codes):
            codes.append((rate.code, rate.name))
    form = TaxRateForm(request.POST or None, codes=codes) if can_edit else None
    if request.method == "POST":
        if not can_edit:
            raise PermissionDenied
        if form.is_valid():
            data = form.cleaned_data
            try:
                tax_services.tax_rate_set(
                    actor=request.user,
                    code=data["code"],
                    year_from=data["year_from"],
                    rate_bp=data["rate"],
                    year_to=data["year_to"],
                )
            except DomainError as error:
                apply_error(form, error)
            else:
                messages.success(request, _("The tax rate is saved."))
                return redirect("villagefinance:tax_rates")
    return render(
        request,
        "villagefinance/tax_rates.html",
        {"rates": rates, "form": form, "can_edit": can_edit, "due_day": tax_services.due_day()},
        status=400 if form is not None and form.errors else 200,
    )
