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


# --- the timetable page (clinic staff) -------------------------------------------------------

TIME_INPUT = forms.TimeInput(attrs={"type": "time"}, format="%H:%M")
NUMBER_INPUT = forms.NumberInput(attrs={"inputmode": "numeric", "min": 0})


class SettingsForm(forms.Form):
    booking_days_ahead = forms.IntegerField(
        label=_("Booking window (days ahead)"),
        min_value=0,
        max_value=90,
        help_text=_("0 means today only."),
        widget=NUMBER_INPUT,
    )
    booking_cutoff_minutes = forms.IntegerField(
        label=_("Booking closes (minutes before the session ends)"),
        min_value=0,
        max_value=600,
        widget=NUMBER_INPUT,
    )
    is_active = forms.BooleanField(label=_("Taking online bookings"), required=False)


class HoursForm(forms.Form):
    """One row per weekday; both times empty means closed that day."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        from onedata.clinics.models import Weekday

        for day, label in Weekday.choices:
            self.fields[f"opens_{day}"] = forms.TimeField(
                label=_("%(day)s opens") % {"day": label}, required=False, widget=TIME_INPUT
            )
            self.fields[f"closes_{day}"] = forms.TimeField(
                label=_("%(day)s closes") % {"day": label}, required=False, widget=TIME_INPUT
            )

    def rows(self):
        from onedata.clinics.models import Weekday

        return [
            (label, self[f"opens_{day}"], self[f"closes_{day}"], f"hours_{day}")
            for day, label in Weekday.choices
        ]

    def hours(self) -> dict:
        data = self.cleaned_data
        return {day: (data.get(f"opens_{day}"), data.get(f"closes_{day}")) for day in range(7)}


class SessionForm(forms.Form):
    """A session's times and quotas (editing one session)."""

    starts_at = forms.TimeField(label=_("Starts"), required=False, widget=TIME_INPUT)
    ends_at = forms.TimeField(label=_("Ends"), required=False, widget=TIME_INPUT)
    quota_online = forms.IntegerField(
        label=_("Online quota"), required=False, min_value=0, widget=NUMBER_INPUT
    )
    quota_walkin = forms.IntegerField(
        label=_("Walk-in quota"), required=False, min_value=0, widget=NUMBER_INPUT
    )
    quota_jkn = forms.IntegerField(
        label=_("Of which JKN (optional)"),
        required=False,
        min_value=0,
        help_text=_("Empty: JKN and non-JKN patients share the online quota."),
        widget=NUMBER_INPUT,
    )

    def session_input(self):
        from onedata.clinics.timetable import SessionInput

        data = self.cleaned_data
        return SessionInput(
            starts_at=data.get("starts_at"),
            ends_at=data.get("ends_at"),
            quota_online=data.get("quota_online"),
            quota_walkin=data.get("quota_walkin"),
            quota_jkn=data.get("quota_jkn"),
        )


class SessionAddForm(SessionForm):
    service = forms.ChoiceField(label=_("Service"))
    weekdays = forms.TypedMultipleChoiceField(
        label=_("Days"),
        coerce=int,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    field_order = ["service", "weekdays", "starts_at", "ends_at", "quota_online"]

    def __init__(self, *args, clinic, **kwargs):
        super().__init__(*args, **kwargs)
        from onedata.clinics.models import Weekday

        self.fields["service"].choices = [
            (s.pk, s.get_kind_display()) for s in clinic.services.order_by("kind")
        ]
        self.fields["weekdays"].choices = Weekday.choices


class ClosureForm(forms.Form):
    date = forms.DateField(label=_("Date"), widget=forms.DateInput(attrs={"type": "date"}))
    service = forms.ChoiceField(label=_("What closes"), required=False)
    reason = forms.CharField(
        label=_("Reason"),
        max_length=300,
        required=False,
        help_text=_("Shown to citizens, e.g. Galungan holiday."),
    )

    def __init__(self, *args, clinic, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["service"].choices = [("", _("The whole clinic"))] + [
            (s.pk, s.get_kind_display()) for s in clinic.services.order_by("kind")
        ]
