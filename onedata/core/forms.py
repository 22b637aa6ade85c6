"""HTML forms. They only parse; services validate rules and save."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from onedata.core.errors import DomainError


def apply_error(form: forms.Form, error: DomainError) -> None:
    """Put a service's field errors beside the fields; the rest in the summary."""
    if not error.fields:
        form.add_error(None, error.message)
    for field, messages in error.fields.items():
        target = field if field in form.fields else None
        for message in messages:
            form.add_error(target, message)


class LoginForm(forms.Form):
    username = forms.CharField(
        label=_("Username or email"),
        max_length=150,
        widget=forms.TextInput(attrs={"autocomplete": "username"}),
    )
    password = forms.CharField(
        label=_("Password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )


class RegisterForm(forms.Form):
    """Parses only: every rule (required, email, NIK, password strength) is checked by
    services.user_register, which reports all mistakes at once."""

    name = forms.CharField(
        label=_("Full name"),
        max_length=150,
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
    )
    username = forms.CharField(
        label=_("Username"),
        max_length=150,
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "username"}),
    )
    email = forms.CharField(
        label=_("Email"),
        max_length=254,
        required=False,
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )
    phone = forms.CharField(
        label=_("Phone (optional)"),
        max_length=20,
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "tel", "inputmode": "tel"}),
    )
    nik = forms.CharField(
        label=_("NIK (optional)"),
        max_length=20,
        required=False,
        help_text=_("16 digits, as on your identity card (KTP)."),
        widget=forms.TextInput(attrs={"inputmode": "numeric"}),
    )
    password = forms.CharField(
        label=_("Password"),
        strip=False,
        required=False,
        help_text=_("At least 8 characters, not only numbers."),
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )


class ProfileForm(forms.Form):
    name = forms.CharField(label=_("Full name"), max_length=150, required=False)
    email = forms.EmailField(label=_("Email"), required=False)
    phone = forms.CharField(
        label=_("Phone"),
        max_length=20,
        required=False,
        widget=forms.TextInput(attrs={"inputmode": "tel"}),
    )
    nik = forms.CharField(
        label=_("NIK"),
        max_length=20,
        required=False,
        help_text=_("16 digits. Shown masked to everyone but you."),
        widget=forms.TextInput(attrs={"inputmode": "numeric"}),
    )


class TokenForm(forms.Form):
    name = forms.CharField(
        label=_("Token name"),
        max_length=100,
        help_text=_("What will use it, e.g. 'hospital sync script'."),
    )
    days = forms.IntegerField(label=_("Valid for (days)"), min_value=1, max_value=730, initial=90)


class AuditSearchForm(forms.Form):
    action = forms.CharField(label=_("Action"), required=False)
    actor = forms.CharField(label=_("Actor"), required=False)
    object_type = forms.CharField(label=_("Object type"), required=False)
    since = forms.DateTimeField(
        label=_("From"),
        required=False,
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}),
    )
    until = forms.DateTimeField(
        label=_("Until"),
        required=False,
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}),
    )
