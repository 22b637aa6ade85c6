"""Forms of the tax book and bank statement pages. They only parse; services check."""

from __future__ import annotations

import re

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from onedata.villagefinance.forms import parse_rupiah
from onedata.villagefinance.models import Fund
from onedata.villagefinance.services import rupiah


def _rupiah_field(label, **kwargs) -> forms.CharField:
    return forms.CharField(
        label=label,
        max_length=25,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
        **kwargs,
    )


def _clean_rupiah(raw: str, *, required: bool = True):
    if not (raw or "").strip():
        if required:
            raise forms.ValidationError(_("Write the amount."))
        return None
    value = parse_rupiah(raw)
    if value is None:
        raise forms.ValidationError(_("Write the amount as a whole number of rupiah, e.g. 150000."))
    return value


class TaxDepositForm(forms.Form):
    tax = forms.ChoiceField(label=_("Which tax"))
    amount = _rupiah_field(_("Amount deposited (Rp)"))
    date = forms.DateField(
        label=_("Date of the deposit"),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        error_messages={"required": _("Write the date."), "invalid": _("Write a valid date.")},
    )
    fund = forms.ChoiceField(
        label=_("Paid with"), choices=Fund.choices, initial=Fund.BANK, widget=forms.RadioSelect
    )
    billing_code = forms.CharField(
        label=_("Billing code (optional)"),
        max_length=30,
        required=False,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
        help_text=_("15 digits, from the e-Billing."),
    )
    ntpn = forms.CharField(
        label=_("NTPN (optional)"),
        max_length=30,
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "off", "autocapitalize": "characters"}),
        help_text=_("16 letters and digits on the proof of deposit (BPN)."),
    )

    def __init__(self, *args, rates, owed, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["tax"].choices = [
            (
                rate.code,
                _("%(tax)s · owed %(amount)s")
                % {"tax": rate.label, "amount": rupiah(owed.get(rate.account_code, 0))},
            )
            for rate in rates
        ]
        self.fields["date"].initial = timezone.localdate()

    def clean_amount(self):
        return _clean_rupiah(self.cleaned_data.get("amount", ""))


class TaxRateForm(forms.Form):
    code = forms.ChoiceField(label=_("Tax"))
    rate = forms.CharField(
        label=_("Rate (%)"),
        max_length=8,
        help_text=_("For example 2 or 1,5"),
        widget=forms.TextInput(attrs={"inputmode": "decimal", "autocomplete": "off"}),
    )
    year_from = forms.IntegerField(label=_("From year"), min_value=2000, max_value=2100)
    year_to = forms.IntegerField(
        label=_("Until year (optional)"), min_value=2000, max_value=2100, required=False
    )

    def __init__(self, *args, codes, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["code"].choices = codes
        self.fields["year_from"].initial = timezone.localdate().year + 1

    def clean_rate(self):
        """``1,5`` or ``1.5`` percent -> 150 hundredths of a percent."""
        raw = (self.cleaned_data.get("rate") or "").strip().replace("%", "").replace(",", ".")
        if not re.fullmatch(r"\d{1,3}(\.\d{1,2})?", raw):
            raise forms.ValidationError(_("Write a rate between 0 and 100%, e.g. 1,5."))
        whole, _dot, fraction = raw.partition(".")
        return int(whole) * 100 + int((fraction + "00")[:2])


class StatementUploadForm(forms.Form):
    file = forms.FileField(
        label=_("Bank statement file (CSV or Excel)"),
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,.xlsx,text/csv"}),
        help_text=_("Columns: date, description, debit, credit, balance. Download the template."),
        error_messages={"required": _("Choose the bank statement file (CSV or XLSX).")},
    )


class MonthCompleteForm(forms.Form):
    statement_balance = _rupiah_field(
        _("Balance on the statement at the end of the month (Rp)"), required=False
    )

    def clean_statement_balance(self):
        return _clean_rupiah(self.cleaned_data.get("statement_balance", ""), required=False)
