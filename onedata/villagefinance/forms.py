"""Forms of the SIKUAT pages. They only parse; services check the rules."""

from __future__ import annotations

import re

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from onedata.villagefinance.models import Fund


def parse_rupiah(text: str) -> int | None:
    """``Rp 1.250.000`` / ``1250000`` / ``1,250,000`` -> 1250000; None when not a number.
    A minus sign is kept, so the service can say "more than zero"."""
    cleaned = re.sub(r"(?i)^\s*rp\.?\s*", "", text or "").strip()
    negative = cleaned.startswith("-")
    cleaned = cleaned.lstrip("-").strip()
    cleaned = re.sub(r",00$", "", cleaned)
    cleaned = cleaned.replace(".", "").replace(",", "").replace(" ", "")
    if not cleaned.isdigit() or len(cleaned) > 15:
        return None
    value = int(cleaned)
    return -value if negative else value


class EntryForm(forms.Form):
    date = forms.DateField(
        label=_("Date"),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        error_messages={"required": _("Write the date."), "invalid": _("Write a valid date.")},
    )
    amount = forms.CharField(
        label=_("Amount (Rp)"),
        max_length=25,
        required=False,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
        help_text=_("Whole rupiah, e.g. 150000 or 150.000"),
    )
    account = forms.ChoiceField(label=_("For what"), required=False)
    fund = forms.ChoiceField(
        label=_("Paid with"),
        choices=Fund.choices,
        initial=Fund.CASH,
        widget=forms.RadioSelect,
    )
    description = forms.CharField(
        label=_("Description"),
        max_length=300,
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
    )
    counterparty = forms.CharField(
        label=_("Paid to / received from (optional)"), max_length=150, required=False
    )
    receipt = forms.FileField(
        label=_("Receipt photo"),
        required=False,
        widget=forms.ClearableFileInput(
            attrs={"accept": "image/*", "capture": "environment", "class": "vf-photo-input"}
        ),
        help_text=_("Take a photo of the receipt (kuitansi) or choose one."),
    )
    receipt_id = forms.IntegerField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args, accounts, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["account"].choices = [("", _("Choose…"))] + [
            (a.code, f"{a.code} {a.label}") for a in accounts
        ]
        self.fields["date"].initial = timezone.localdate()

    def clean_amount(self):
        raw = self.cleaned_data.get("amount", "")
        if not raw.strip():
            raise forms.ValidationError(_("Write the amount."))
        value = parse_rupiah(raw)
        if value is None:
            raise forms.ValidationError(
                _("Write the amount as a whole number of rupiah, e.g. 150000.")
            )
        return value


class ReverseForm(forms.Form):
    reason = forms.CharField(label=_("Why cancel it?"), max_length=300, required=False)


class BudgetForm(forms.Form):
    account = forms.ChoiceField(label=_("Account"))
    amount = forms.CharField(
        label=_("Budget (Rp)"),
        max_length=25,
        widget=forms.TextInput(attrs={"inputmode": "numeric"}),
    )
    reason = forms.CharField(
        label=_("Reason for a change (e.g. paruman decision)"), max_length=300, required=False
    )

    def __init__(self, *args, accounts, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["account"].choices = [(a.code, f"{a.code} {a.label}") for a in accounts]

    def clean_amount(self):
        value = parse_rupiah(self.cleaned_data.get("amount", ""))
        if value is None or value < 0:
            raise forms.ValidationError(_("Write the budget as a whole number of rupiah."))
        return value


class StageReportForm(forms.Form):
    note = forms.CharField(
        label=_("What was the money used for?"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
    )
