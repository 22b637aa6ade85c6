"""Forms of the fact check pages. They only parse; services check and decide."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from onedata.core.errors import DomainError
from onedata.core.models import Region
from onedata.factcheck.models import Channel, Topic, Verdict
from onedata.factcheck.services import MAX_TEXT


def apply_error(form: forms.Form, error: DomainError) -> None:
    """A service's error beside its field (or at the top when it names none)."""
    placed = False
    for field, messages in error.fields.items():
        name = field.split("[", 1)[0]
        if name in form.fields:
            for message in messages:
                form.add_error(name, message)
            placed = True
    if not placed:
        form.add_error(None, error.message)


class SearchForm(forms.Form):
    q = forms.CharField(
        label=_("Paste the message you received"),
        max_length=MAX_TEXT,
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
    )


def regency_choices():
    regencies = Region.objects.filter(level=Region.Level.REGENCY).order_by("name")
    return [("", _("I don't know / outside Bali"))] + [(r.code, r.name) for r in regencies]


class ReportForm(forms.Form):
    text = forms.CharField(
        label=_("The message or rumour"),
        help_text=_("Paste it as you received it. At most 5,000 characters."),
        widget=forms.Textarea(attrs={"rows": 6}),
        error_messages={"required": _("Write or paste the message you want us to check.")},
    )
    link = forms.CharField(
        label=_("Link (if any)"),
        required=False,
        max_length=500,
        widget=forms.URLInput(attrs={"placeholder": "https://", "inputmode": "url"}),
    )
    screenshot = forms.FileField(
        label=_("Screenshot (if any)"),
        help_text=_("A JPEG, PNG or WebP image, at most 5 MB."),
        required=False,
        widget=forms.ClearableFileInput(attrs={"accept": "image/jpeg,image/png,image/webp"}),
    )
    channel = forms.ChoiceField(
        label=_("Where did you see it?"),
        choices=[("", _("Choose"))] + list(Channel.choices),
        error_messages={"required": _("Choose where you saw the message.")},
    )
    regency = forms.ChoiceField(label=_("Regency or city"), required=False)
    place = forms.CharField(
        label=_("Group or place (optional)"),
        help_text=_("For example: a banjar WhatsApp group, a school, a market."),
        required=False,
        max_length=120,
    )
    contact_email = forms.CharField(
        label=_("Your email, to be told the verdict (optional)"),
        required=False,
        max_length=254,
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )
    wants_verdict = forms.BooleanField(
        label=_("Tell me when the verdict is published"), required=False, initial=True
    )
    # A field people never see: bots fill it in.
    website = forms.CharField(
        required=False,
        label=_("Leave this empty"),
        widget=forms.TextInput(attrs={"tabindex": "-1", "autocomplete": "off"}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["regency"].choices = regency_choices()


class AssignForm(forms.Form):
    assignee = forms.ChoiceField(label=_("Assign to"), required=False)

    def __init__(self, *args, checkers=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["assignee"].choices = [("", _("Nobody"))] + [
            (str(u.pk), u.display_name) for u in checkers
        ]


class NoteForm(forms.Form):
    text = forms.CharField(label=_("Note"), widget=forms.Textarea(attrs={"rows": 3}))
    evidence_url = forms.CharField(label=_("Evidence link"), required=False, max_length=500)


class ReviewForm(forms.Form):
    claim_text = forms.CharField(
        label=_("Claim as it will be published"),
        widget=forms.Textarea(attrs={"rows": 2}),
        max_length=1000,
    )
    claim_text_en = forms.CharField(
        label=_("Claim in English"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    topic = forms.ModelChoiceField(
        label=_("Topic"), queryset=Topic.objects.all(), required=False, empty_label=_("No topic")
    )
    verdict = forms.ChoiceField(
        label=_("Verdict"),
        choices=[("", _("Choose"))] + list(Verdict.choices),
        error_messages={"required": _("Choose a verdict.")},
    )
    summary = forms.CharField(
        label=_("Short explanation"), max_length=400, widget=forms.Textarea(attrs={"rows": 2})
    )
    summary_en = forms.CharField(
        label=_("Short explanation in English"),
        max_length=400,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    explanation = forms.CharField(label=_("Explanation"), widget=forms.Textarea(attrs={"rows": 6}))
    explanation_en = forms.CharField(
        label=_("Explanation in English"), required=False, widget=forms.Textarea(attrs={"rows": 4})
    )
    sources = forms.CharField(
        label=_("Sources"),
        help_text=_("One per line: title | https://address"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class MergeForm(forms.Form):
    duplicate = forms.IntegerField(
        label=_("Number of the duplicate claim to fold into this one"), min_value=1
    )


class ArticleForm(forms.Form):
    agency = forms.ModelChoiceField(label=_("Agency"), queryset=None, empty_label=_("Choose"))
    topic = forms.ModelChoiceField(
        label=_("Topic"), queryset=Topic.objects.all(), empty_label=_("Choose")
    )
    title = forms.CharField(label=_("Title"), max_length=200)
    title_en = forms.CharField(label=_("Title in English"), max_length=200, required=False)
    summary = forms.CharField(
        label=_("Summary"), max_length=400, widget=forms.Textarea(attrs={"rows": 2})
    )
    summary_en = forms.CharField(
        label=_("Summary in English"),
        max_length=400,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    body = forms.CharField(label=_("Text"), widget=forms.Textarea(attrs={"rows": 10}))
    body_en = forms.CharField(
        label=_("Text in English"), required=False, widget=forms.Textarea(attrs={"rows": 8})
    )
    sources = forms.CharField(
        label=_("Sources"),
        help_text=_("One per line: title | https://address"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    correction = forms.BooleanField(label=_("This change corrects an error"), required=False)
    note = forms.CharField(
        label=_("What changed"),
        help_text=_("Shown in the public history. Required for a correction."),
        required=False,
        max_length=500,
    )

    def __init__(self, *args, agencies=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["agency"].queryset = agencies
