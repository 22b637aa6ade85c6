"""Forms of the application owners' screens. They only parse; services check the rules
(a name is required, template syntax, addresses) and their errors go beside the fields
through ``onedata.core.forms.apply_error``."""

from __future__ import annotations

import json

from django import forms
from django.utils.translation import gettext_lazy as _

from onedata.core.errors import DomainError
from onedata.core.forms import apply_error
from onedata.notifications.models import Message, Template


def apply_service_error(form: forms.Form, error: DomainError) -> None:
    """Like ``apply_error``, but a list item's error (``to[0]``) goes beside its field."""
    fields: dict[str, list[str]] = {}
    for field, messages in error.fields.items():
        fields.setdefault(field.split("[", 1)[0], []).extend(messages)
    apply_error(form, DomainError(error.message, fields=fields))


class AgencyChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, agency):
        return f"{agency.name} ({agency.region.name})"


class ApplicationForm(forms.Form):
    agency = AgencyChoiceField(
        label=_("Agency"),
        queryset=None,
        empty_label=_("Choose an agency"),
        error_messages={"required": _("Choose the agency that owns the application.")},
    )
    name = forms.CharField(
        label=_("Application name"),
        max_length=120,
        required=False,  # the service says so, in the same words as the API
        help_text=_("As citizens and staff know it, e.g. 'Clinic queue of Badung'."),
    )

    def __init__(self, *args, agencies, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["agency"].queryset = agencies
        first_two = list(agencies[:2])
        if len(first_two) == 1:  # the usual case: no choice to make
            self.fields["agency"].initial = first_two[0].pk


class KeyForm(forms.Form):
    name = forms.CharField(
        label=_("Key name"),
        max_length=100,
        required=False,
        help_text=_("What will use it, e.g. 'production server'."),
    )


class TemplateForm(forms.Form):
    name = forms.CharField(
        label=_("Template name"),
        max_length=80,
        required=False,
        help_text=_("Letters, digits and dashes, e.g. 'booking-reminder'. Same name: new version."),
    )
    language = forms.ChoiceField(
        label=_("Language"), choices=Template.Language.choices, initial=Template.Language.ID
    )
    subject = forms.CharField(
        label=_("Subject"),
        max_length=300,
        required=False,
        help_text=_("Variables in double braces: {{ name }}."),
    )
    text = forms.CharField(
        label=_("Text part"),
        required=False,
        strip=False,
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text=_("Shown by every mail reader. Required."),
    )
    html = forms.CharField(
        label=_("HTML part (optional)"),
        required=False,
        strip=False,
        widget=forms.Textarea(attrs={"rows": 6}),
    )
    data = forms.CharField(
        label=_("Sample data for the preview (JSON)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4, "spellcheck": "false"}),
        help_text=_('Only for the preview, not saved. Example: {"name": "Luh", "time": "09.00"}'),
    )

    def __init__(self, *args, preview: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.preview = preview

    def clean_data(self) -> dict:
        raw = self.cleaned_data.get("data", "").strip()
        if not self.preview or not raw:
            return {}
        try:
            value = json.loads(raw)
        except json.JSONDecodeError as error:
            raise forms.ValidationError(
                _("Not valid JSON (line %(line)d, column %(column)d): %(problem)s"),
                params={"line": error.lineno, "column": error.colno, "problem": error.msg},
            ) from None
        if not isinstance(value, dict):
            raise forms.ValidationError(_('Write an object of names and values: {"name": "Luh"}'))
        return value

    def template_fields(self) -> dict:
        return {k: self.cleaned_data[k] for k in ("name", "language", "subject", "text", "html")}


class MessageSearchForm(forms.Form):
    status = forms.ChoiceField(
        label=_("Status"),
        required=False,
        choices=[("", _("Every status")), *Message.Status.choices],
    )
    to = forms.CharField(label=_("Recipient (part of the address)"), required=False, max_length=320)
    tag = forms.CharField(label=_("Tag"), required=False, max_length=50)
    since = forms.DateTimeField(
        label=_("Since (WITA)"),
        required=False,
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}),
    )


class TrialSendForm(forms.Form):
    to = forms.CharField(
        label=_("To (email address)"),
        required=False,
        max_length=320,
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )
    subject = forms.CharField(label=_("Subject"), required=False, max_length=300)
    text = forms.CharField(
        label=_("Text"), required=False, strip=False, widget=forms.Textarea(attrs={"rows": 5})
    )
