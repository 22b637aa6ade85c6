"""Forms of the registry pages (desa adat and officers). They only parse; the services in
``registry`` check the rules."""

from __future__ import annotations

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from onedata.core.models import Region
from onedata.villagefinance.models import Officer

BANKS = ["BPD Bali", "BRI", "BNI", "Bank Mandiri", "BCA", "BSI", "BTN", "LPD"]


class VillageForm(forms.Form):
    """One column: name, regency, then the districts and villages of that regency (the
    region picker), then the bank account."""

    name = forms.CharField(
        label=_("Name of the desa adat"),
        max_length=200,
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
    )
    regency = forms.ChoiceField(label=_("Regency / city"), required=False)
    districts = forms.MultipleChoiceField(
        label=_("Districts (kecamatan)"), required=False, widget=forms.CheckboxSelectMultiple
    )
    villages = forms.MultipleChoiceField(
        label=_("Administrative villages (desa/kelurahan) it overlaps"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    bank_name = forms.CharField(
        label=_("Bank"),
        max_length=80,
        required=False,
        widget=forms.TextInput(attrs={"list": "vf-banks", "autocomplete": "off"}),
    )
    bank_account_number = forms.CharField(
        label=_("Account number"),
        max_length=40,
        required=False,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
        help_text=_("Digits only; spaces and dashes are ignored."),
    )
    bank_account_holder = forms.CharField(
        label=_("Name on the account"), max_length=120, required=False
    )
    is_sample = forms.BooleanField(
        label=_("Sample data (for training or the demo, not a real desa adat)"), required=False
    )

    def __init__(self, *args, regencies: list[Region], regency: Region | None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["regency"].choices = [("", _("Choose…"))] + [
            (r.code, r.name) for r in regencies
        ]
        self.districts = []
        self.villages = []
        if regency is not None:
            self.districts = list(
                Region.objects.filter(level=Region.Level.DISTRICT, parent=regency).order_by("name")
            )
            self.villages = list(
                Region.objects.filter(level=Region.Level.VILLAGE, parent__parent=regency)
                .select_related("parent")
                .order_by("parent__name", "name")
            )
        self.fields["districts"].choices = [(d.code, d.name) for d in self.districts]
        self.fields["villages"].choices = [(v.code, v.name) for v in self.villages]

    def picker_groups(self) -> list[dict]:
        """The villages grouped by district, with what is ticked (what was sent, or the
        saved value), for the region picker."""
        chosen_districts = set(self._values("districts"))
        chosen_villages = set(self._values("villages"))
        groups: dict[str, dict] = {}
        for district in self.districts:
            groups[district.code] = {
                "district": district,
                "checked": district.code in chosen_districts,
                "villages": [],
            }
        for village in self.villages:
            group = groups.get(village.parent.code)
            if group is not None:
                group["villages"].append(
                    {"region": village, "checked": village.code in chosen_villages}
                )
        return list(groups.values())

    def _values(self, name: str) -> list[str]:
        if self.is_bound:
            return self.data.getlist(name) if hasattr(self.data, "getlist") else []
        return list(self.initial.get(name, []))


class OfficerForm(forms.Form):
    position = forms.ChoiceField(
        label=_("Position"), choices=Officer.Position.choices, widget=forms.RadioSelect
    )
    account = forms.ChoiceField(
        label=_("Login"),
        choices=[
            ("new", _("Make a new account")),
            ("existing", _("Link an existing account")),
            ("none", _("No login (recorded only)")),
        ],
        initial="new",
        widget=forms.RadioSelect,
    )
    name = forms.CharField(
        label=_("Full name"),
        max_length=150,
        required=False,
        help_text=_("Left empty for a linked account: the account's name is used."),
    )
    username = forms.CharField(
        label=_("Username (or the email of an existing account)"),
        max_length=150,
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "off", "autocapitalize": "none"}),
    )
    password = forms.CharField(
        label=_("Password for the new account"),
        required=False,
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}, render_value=True),
        help_text=_("At least 8 characters. Give it to the officer in person."),
    )
    email = forms.EmailField(label=_("Email (optional)"), required=False)
    phone = forms.CharField(
        label=_("Phone (optional)"),
        max_length=20,
        required=False,
        widget=forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "off"}),
    )
    since = forms.DateField(
        label=_("In office since"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        error_messages={"invalid": _("Write a valid date.")},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["since"].initial = timezone.localdate()


class OfficerEndForm(forms.Form):
    ended_on = forms.DateField(
        label=_("Last day in office"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        error_messages={"invalid": _("Write a valid date.")},
    )
