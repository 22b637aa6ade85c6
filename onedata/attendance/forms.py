"""Forms of the attendance pages. Services do the real checks; forms shape the input."""

from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from onedata.attendance.models import DayCorrection, LeaveType


class CheckInForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("What"),
        choices=[
            ("in", pgettext_lazy("attendance", "Check in")),
            ("out", pgettext_lazy("attendance", "Check out")),
        ],
        widget=forms.RadioSelect,
    )
    photo = forms.FileField(
        label=_("Selfie"),
        required=False,
        widget=forms.ClearableFileInput(attrs={"accept": "image/*", "capture": "user"}),
        help_text=_("If the camera does not open above, take a selfie here."),
    )
    lat = forms.CharField(required=False, widget=forms.HiddenInput)
    lon = forms.CharField(required=False, widget=forms.HiddenInput)
    accuracy_m = forms.CharField(required=False, widget=forms.HiddenInput)
    note = forms.CharField(
        label=_("Reason, if you are not at the office"),
        required=False,
        max_length=500,
        widget=forms.TextInput(attrs={"placeholder": _("e.g. meeting at Bappeda")}),
    )


class EnrolForm(forms.Form):
    photo = forms.FileField(
        label=_("Face photo"),
        widget=forms.ClearableFileInput(attrs={"accept": "image/*", "capture": "user"}),
        help_text=_("Face the camera in good light, without a mask or dark glasses."),
    )


class LeaveForm(forms.Form):
    leave_type = forms.ModelChoiceField(
        label=_("Leave type"), queryset=LeaveType.objects.all(), empty_label=None
    )
    start = forms.DateField(label=_("First day"), widget=forms.DateInput(attrs={"type": "date"}))
    end = forms.DateField(label=_("Last day"), widget=forms.DateInput(attrs={"type": "date"}))
    half_day = forms.BooleanField(label=_("Half day only"), required=False)
    reason = forms.CharField(label=_("Reason"), max_length=500)


class DecisionForm(forms.Form):
    note = forms.CharField(label=_("Note"), required=False, max_length=500)


class CorrectionForm(forms.Form):
    date = forms.DateField(label=_("Date"), widget=forms.DateInput(attrs={"type": "date"}))
    kind = forms.ChoiceField(
        label=_("Set the day to"), choices=DayCorrection._meta.get_field("kind").choices
    )
    reason = forms.CharField(label=_("Reason"), max_length=500)


class ImportForm(forms.Form):
    file = forms.FileField(
        label=_("Employee file (CSV or XLSX)"),
        help_text=_(
            "Columns: nip, nama, email, jabatan, golongan, jenis (pns, pppk, kontrak), "
            "nip_atasan, tpp."
        ),
    )


def add_errors(form: forms.Form, error) -> None:
    """Put a DomainError's field messages beside the fields (or on top)."""
    fields = getattr(error, "fields", {}) or {}
    placed = False
    for name, messages in fields.items():
        target = name if name in form.fields else None
        for message in messages:
            form.add_error(target, message)
            placed = True
    if not placed:
        form.add_error(None, error.message)
