"""Forms of the clinic queue pages. They only parse; services check the rules and their
errors go beside the fields (``onedata.core.forms.apply_error``)."""

from __future__ import annotations

import uuid
from datetime import timedelta

from django import forms
from django.utils import formats
from django.utils.translation import gettext_lazy as _

from onedata.clinics import services
from onedata.clinics.models import Service


class SearchForm(forms.Form):
    service = forms.ChoiceField(label=_("Service"), required=False)
    regency = forms.ChoiceField(label=_("Regency / city"), required=False)
    near = forms.CharField(required=False, widget=forms.HiddenInput, max_length=60)

    def __init__(self, *args, regencies, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["service"].choices = [("", _("All services"))] + list(Service.Kind.choices)
        self.fields["regency"].choices = [("", _("All of Bali"))] + [
            (r.code, r.name) for r in regencies
        ]


class BookingForm(forms.Form):
    service = forms.ChoiceField(label=_("Service"))
    date = forms.ChoiceField(label=_("Day"))
    session = forms.ChoiceField(label=_("Session"), required=False)
    nik = forms.CharField(
        label=_("NIK"),
        max_length=40,
        required=False,
        help_text=_("16 digits, as on the identity card (KTP) or family card (KK)."),
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
    )
    name = forms.CharField(
        label=_("Patient's name"),
        max_length=300,
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
    )
    phone = forms.CharField(
        label=_("Mobile number"),
        max_length=40,
        required=False,
        widget=forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "tel"}),
    )
    email = forms.CharField(
        label=_("Email (optional)"),
        max_length=320,
        required=False,
        help_text=_("We send the ticket and a reminder there."),
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )
    bpjs_number = forms.CharField(
        label=_("BPJS card number (optional)"),
        max_length=40,
        required=False,
        help_text=_("13 digits, for JKN patients."),
        widget=forms.TextInput(attrs={"inputmode": "numeric"}),
    )
    idempotency_key = forms.CharField(widget=forms.HiddenInput, required=False, max_length=100)

    def __init__(self, *args, clinic, **kwargs):
        super().__init__(*args, **kwargs)
        kinds = [s for s in clinic.services.filter(is_active=True).order_by("kind")]
        self.fields["service"].choices = [(s.kind, s.get_kind_display()) for s in kinds]
        today = services.today_wita()
        days = [today + timedelta(days=n) for n in range(clinic.booking_days_ahead + 1)]
        self.fields["date"].choices = [
            (d.isoformat(), formats.date_format(d, "l, j F Y")) for d in days
        ]
        sessions = {}
        for service in kinds:
            for session in service.sessions.all():
                sessions.setdefault(session.label, session.pk)
        self.fields["session"].choices = [("", _("The first with a free number"))] + [
            (label, label) for label in sorted(sessions)
        ]
        if not self.is_bound:
            self.initial.setdefault("idempotency_key", uuid.uuid4().hex)


class CodeForm(forms.Form):
    code = forms.CharField(
        label=_("Booking code"),
        max_length=20,
        widget=forms.TextInput(attrs={"autocapitalize": "characters", "autocomplete": "off"}),
    )
