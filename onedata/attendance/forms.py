"""Forms of the attendance pages. Services do the real checks; forms shape the input."""

from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from onedata.attendance.models import DayCorrection, Holiday, LeaveType, Schedule


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


WEEKDAYS = [
    ("0", _("Monday")),
    ("1", _("Tuesday")),
    ("2", _("Wednesday")),
    ("3", _("Thursday")),
    ("4", _("Friday")),
    ("5", _("Saturday")),
    ("6", _("Sunday")),
]


def _time(label, **kwargs):
    return forms.TimeField(label=label, widget=forms.TimeInput(attrs={"type": "time"}), **kwargs)


class ScheduleForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=100)
    code = forms.CharField(
        label=_("Shift code"),
        max_length=10,
        required=False,
        help_text=_("Short code used in roster files, e.g. P, S, M."),
    )
    start = _time(_("Start"))
    end = _time(_("End"), help_text=_("Before the start for a night shift (e.g. 22:00-07:00)."))
    end_friday = _time(_("End on Friday"), required=False, help_text=_("Empty: same as above."))
    workdays = forms.MultipleChoiceField(
        label=_("Working days"), choices=WEEKDAYS, widget=forms.CheckboxSelectMultiple
    )
    late_grace = forms.IntegerField(label=_("Late grace (minutes)"), min_value=0, initial=0)
    early_grace = forms.IntegerField(
        label=_("Early-leave grace (minutes)"), min_value=0, initial=30
    )
    works_on_holidays = forms.BooleanField(
        label=_("Works on holidays (24-hour services)"), required=False
    )
    ramadan_hours = forms.BooleanField(
        label=_("Ramadan hours 08:00-15:00 (Friday 15:30)"), required=False, initial=True
    )
    make_default = forms.BooleanField(label=_("Use for this office"), required=False)

    def clean_code(self) -> str:
        code = self.cleaned_data["code"].strip().upper()
        if code and Schedule.objects.filter(code__iexact=code).exists():
            raise forms.ValidationError(_("Another schedule has this code."))
        if code.lower() in ("l", "off", "libur", "-", "x"):
            raise forms.ValidationError(_("This code means a day off in roster files."))
        return code

    def service_fields(self) -> dict:
        data = self.cleaned_data
        fields = {
            "name": data["name"],
            "code": data.get("code", ""),
            "start": data["start"],
            "end": data["end"],
            "end_friday": data["end_friday"] or data["end"],
            "workdays": "".join(sorted(data["workdays"])),
            "late_grace": data["late_grace"],
            "early_grace": data["early_grace"],
            "works_on_holidays": data["works_on_holidays"],
        }
        if not data["ramadan_hours"]:
            fields |= {"ramadan_start": None, "ramadan_end": None, "ramadan_end_friday": None}
        return fields


class ShiftForm(forms.Form):
    employee = forms.ModelChoiceField(label=_("Employee"), queryset=None, empty_label=None)
    schedule = forms.ModelChoiceField(
        label=_("Shift"),
        queryset=Schedule.objects.all(),
        required=False,
        empty_label=_("Day off"),
    )
    start = forms.DateField(label=_("First day"), widget=forms.DateInput(attrs={"type": "date"}))
    end = forms.DateField(label=_("Last day"), widget=forms.DateInput(attrs={"type": "date"}))

    def __init__(self, *args, employees=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["employee"].queryset = employees


class HolidayForm(forms.Form):
    date = forms.DateField(label=_("Date"), widget=forms.DateInput(attrs={"type": "date"}))
    name = forms.CharField(label=_("Name"), max_length=120)
    kind = forms.ChoiceField(label=_("Kind"), choices=Holiday.Kind.choices)


class RamadanForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=100, initial="Ramadan")
    start = forms.DateField(label=_("First day"), widget=forms.DateInput(attrs={"type": "date"}))
    end = forms.DateField(label=_("Last day"), widget=forms.DateInput(attrs={"type": "date"}))


class AdjustmentForm(forms.Form):
    employee = forms.ModelChoiceField(label=_("Employee"), queryset=None, empty_label=None)
    amount = forms.IntegerField(
        label=_("Amount (rupiah)"),
        help_text=_("Positive: paid in addition; negative: taken back."),
    )
    reason = forms.CharField(label=_("Reason"), max_length=500)

    def __init__(self, *args, employees=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["employee"].queryset = employees


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


# --- offices, rosters, reminders ----------------------------------------------------------


def _policy_form_fields(model) -> dict:
    """Form fields for the model's policy fields (e.g. liveness), whatever they are named."""
    from django.forms.models import fields_for_model

    from onedata.attendance.offices import policy_fields

    names = policy_fields(model)
    return dict(fields_for_model(model, fields=names)) if names else {}


class OfficeForm(forms.Form):
    agency = forms.ModelChoiceField(label=_("Agency"), queryset=None, empty_label=None)
    name = forms.CharField(label=_("Office name"), max_length=200)
    schedule = forms.ModelChoiceField(
        label=_("Default schedule"),
        queryset=Schedule.objects.all(),
        required=False,
        empty_label=_("Standard (07:30-16:00, Friday 16:30)"),
        help_text=_("Employees follow it unless they have their own schedule or a shift."),
    )

    def __init__(self, *args, agencies=None, editing=False, **kwargs):
        super().__init__(*args, **kwargs)
        if editing:
            del self.fields["agency"]
        else:
            self.fields["agency"].queryset = agencies
        from onedata.attendance.models import Office

        self.fields.update(_policy_form_fields(Office))

    def policy(self) -> dict:
        from onedata.attendance.models import Office
        from onedata.attendance.offices import policy_fields

        return {k: self.cleaned_data[k] for k in policy_fields(Office) if k in self.cleaned_data}


class LocationForm(forms.Form):
    name = forms.CharField(
        label=_("Location name"),
        max_length=200,
        widget=forms.TextInput(attrs={"placeholder": _("e.g. Main building")}),
    )
    latitude = forms.FloatField(
        label=_("Latitude"),
        min_value=-90,
        max_value=90,
        widget=forms.TextInput(attrs={"inputmode": "decimal", "placeholder": "-8.6726"}),
        help_text=_("South of the equator is negative: Bali is about -8."),
    )
    longitude = forms.FloatField(
        label=_("Longitude"),
        min_value=-180,
        max_value=180,
        widget=forms.TextInput(attrs={"inputmode": "decimal", "placeholder": "115.2330"}),
        help_text=_("Bali is about 115."),
    )
    radius_m = forms.IntegerField(
        label=_("Radius (m)"),
        min_value=10,
        max_value=5000,
        initial=100,
        help_text=_("Check-ins within this distance count as at the office."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        from onedata.attendance.models import OfficeLocation

        self.fields.update(_policy_form_fields(OfficeLocation))

    def policy(self) -> dict:
        from onedata.attendance.models import OfficeLocation
        from onedata.attendance.offices import policy_fields

        return {
            k: self.cleaned_data[k] for k in policy_fields(OfficeLocation) if k in self.cleaned_data
        }


class RosterImportForm(forms.Form):
    file = forms.FileField(
        label=_("Roster file (CSV or XLSX)"),
        help_text=_(
            "Either columns nip, tanggal, kode_shift; or a grid: nip, nama, then one column "
            "per day with the shift code in each cell (L: day off, empty: no change)."
        ),
    )
    mode = forms.ChoiceField(
        label=_("If some rows have problems"),
        choices=[
            ("all", _("Import nothing: I fix the file and upload it again")),
            ("valid", _("Import the good rows and list the skipped ones")),
        ],
        initial="all",
        widget=forms.RadioSelect,
    )
    month = forms.DateField(
        label=_("Month of the grid"),
        required=False,
        input_formats=["%Y-%m", "%Y-%m-%d"],
        widget=forms.DateInput(attrs={"type": "month"}, format="%Y-%m"),
        help_text=_("Only needed when the day columns are numbers (1-31)."),
    )


class ReminderForm(forms.Form):
    checkin = forms.BooleanField(required=False)
    checkout = forms.BooleanField(required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        from onedata.attendance import reminders

        words = {
            "in": int(reminders.checkin_after().total_seconds() // 60),
            "out": int(reminders.checkout_after().total_seconds() // 60),
        }
        self.fields["checkin"].label = (
            _("Remind me when I have not checked in %(in)d minutes after my start") % words
        )
        self.fields["checkout"].label = (
            _("Remind me when I have not checked out %(out)d minutes after my end") % words
        )
