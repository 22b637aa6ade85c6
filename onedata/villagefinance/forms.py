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
    grant_stage = forms.ChoiceField(
        label=_("Paid from a grant stage (optional)"),
        required=False,
        help_text=_("Choose it when this spending is part of a grant's use report."),
    )

    def __init__(self, *args, accounts, stages=(), tax_rates=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["account"].choices = [("", _("Choose…"))] + [
            (a.code, f"{a.code} {a.label}") for a in accounts
        ]
        self.fields["date"].initial = timezone.localdate()
        if stages:
            self.fields["grant_stage"].choices = [("", _("No"))] + [
                (
                    str(s.pk),
                    _("%(grant)s, stage %(number)s") % {"grant": s.grant.name, "number": s.number},
                )
                for s in stages
            ]
        else:
            del self.fields["grant_stage"]
        self.tax_rates = list(tax_rates)
        if self.tax_rates:
            self.fields["tax_base"] = forms.CharField(
                label=_("Taxed amount (DPP), when not the whole amount"),
                max_length=25,
                required=False,
                widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
            )
        for rate in self.tax_rates:
            self.fields[f"tax_{rate.code}"] = forms.BooleanField(
                label=f"{rate.label} {rate.percent}%",
                required=False,
                widget=forms.CheckboxInput(attrs={"data-rate-bp": rate.rate_bp}),
            )
            self.fields[f"tax_{rate.code}_amount"] = forms.CharField(
                label=_("%(tax)s withheld (Rp)") % {"tax": rate.label},
                max_length=25,
                required=False,
                widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
            )

    def tax_rows(self):
        """(checkbox, amount) bound fields of each tax, for the template."""
        return [(self[f"tax_{r.code}"], self[f"tax_{r.code}_amount"]) for r in self.tax_rates]

    def withholdings(self) -> list:
        """The taxes ticked, with what the treasurer typed or, when left empty, the tax
        computed from the taxed amount (``taxes.compute_tax``: rounded down)."""
        from onedata.villagefinance import tax_services

        data = self.cleaned_data
        base = data.get("tax_base") or data.get("amount")
        if not isinstance(base, int):
            return []
        return [
            tax_services.withholding_for(rate, base, data.get(f"tax_{rate.code}_amount"))
            for rate in self.tax_rates
            if data.get(f"tax_{rate.code}")
        ]

    def clean(self):
        cleaned = super().clean()
        for name in ["tax_base"] + [f"tax_{r.code}_amount" for r in self.tax_rates]:
            if name not in self.fields:
                continue
            raw = (cleaned.get(name) or "").strip()
            if not raw:
                cleaned[name] = None
                continue
            value = parse_rupiah(raw)
            if value is None or value <= 0:
                self.add_error(name, _("Write a whole number of rupiah above zero."))
            else:
                cleaned[name] = value
        return cleaned

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


class AccountCreateForm(forms.Form):
    """A new account of the year's chart: the group decides its kind."""

    group_code = forms.ChoiceField(label=_("Group"))
    code = forms.CharField(
        label=_("Code"),
        max_length=12,
        required=False,
        widget=forms.TextInput(attrs={"inputmode": "decimal", "autocomplete": "off"}),
        help_text=_("Starts with the group's code, e.g. 5.1.4"),
    )
    name = forms.CharField(label=_("Name"), max_length=150, required=False)
    name_en = forms.CharField(label=_("Name in English (optional)"), max_length=150, required=False)

    def __init__(self, *args, groups, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["group_code"].choices = [("", _("Choose…"))] + [
            (code, f"{code} {name}") for code, name in groups
        ]


class AccountEditForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=150, required=False)
    name_en = forms.CharField(label=_("Name in English (optional)"), max_length=150, required=False)
    is_active = forms.BooleanField(label=_("In use"), required=False)


class GrantForm(forms.Form):
    """A grant (e.g. the yearly BKK of the province) to one desa adat, in up to four
    stages. Amounts are typed like every other amount: 100.000.000 or 100000000."""

    STAGES = 4

    name = forms.CharField(
        label=_("Name"),
        max_length=150,
        required=False,
        help_text=_("For example: BKK Provinsi Bali 2026"),
    )
    grantor = forms.ChoiceField(label=_("Given by"))
    year = forms.IntegerField(label=_("Year"), min_value=2000, max_value=2100)
    account = forms.ChoiceField(label=_("Income account"))

    def __init__(self, *args, grantors, accounts, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["grantor"].choices = [(str(a.pk), a.name) for a in grantors]
        self.fields["account"].choices = [(a.code, f"{a.code} {a.label}") for a in accounts]
        for number in range(1, self.STAGES + 1):
            self.fields[f"stage_{number}"] = forms.CharField(
                label=_("Stage %(number)s (Rp)") % {"number": number},
                max_length=25,
                required=False,
                widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
                help_text=_("Leave empty when there are fewer stages.") if number > 1 else "",
            )

    def clean(self):
        cleaned = super().clean()
        stages = []
        for number in range(1, self.STAGES + 1):
            name = f"stage_{number}"
            raw = (cleaned.get(name) or "").strip()
            if not raw:
                continue
            value = parse_rupiah(raw)
            if value is None:
                self.add_error(name, _("Write the amount as a whole number of rupiah."))
                continue
            stages.append(value)
        if not stages and not self.errors:
            self.add_error("stage_1", _("Write the amount of the first stage."))
        cleaned["stages"] = stages
        return cleaned


class ReconciliationForm(forms.Form):
    date = forms.DateField(
        label=_("Date of the bank statement"),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        error_messages={"required": _("Write the date."), "invalid": _("Write a valid date.")},
    )
    statement_balance = forms.CharField(
        label=_("Balance on the statement (Rp)"),
        max_length=25,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
    )
    note = forms.CharField(
        label=_("Explanation of a difference (optional)"),
        max_length=300,
        required=False,
        help_text=_("For example: bank fee of March not yet recorded."),
    )

    def clean_statement_balance(self):
        value = parse_rupiah(self.cleaned_data.get("statement_balance", ""))
        if value is None:
            raise forms.ValidationError(
                _("Write the amount as a whole number of rupiah, e.g. 150000.")
            )
        return value
