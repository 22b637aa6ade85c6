"""Forms of the data hub pages. Services do the real checks; a service error is put back
beside its field, and what was typed stays in the form."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from onedata.core.errors import DomainError
from onedata.datahub.models import Dataset, Group
from onedata.datahub.selectors import LICENSES


class ServiceErrorsMixin:
    def apply(self, error: DomainError) -> None:
        placed = False
        for name, problems in (error.fields or {}).items():
            target = name if name in self.fields else None
            for problem in problems:
                self.add_error(target, problem)
                placed = True
        if not placed:
            self.add_error(None, error.message)


class DatasetForm(ServiceErrorsMixin, forms.Form):
    organization = forms.ModelChoiceField(queryset=None, label=_("Organisation"), required=False)
    name = forms.SlugField(
        label=_("Name in the address"),
        max_length=100,
        required=False,
        help_text=_("Lowercase letters, digits and dashes, e.g. jumlah-penduduk-2024"),
    )
    title = forms.CharField(label=_("Title"), max_length=250)
    notes = forms.CharField(
        label=_("Description"), widget=forms.Textarea(attrs={"rows": 4}), required=False
    )
    tags = forms.CharField(label=_("Tags"), required=False, help_text=_("Separate with commas"))
    groups = forms.MultipleChoiceField(
        label=_("Themes"), required=False, widget=forms.CheckboxSelectMultiple
    )
    access_level = forms.ChoiceField(label=_("Who may see it"), choices=Dataset.Access.choices)
    license_id = forms.ChoiceField(label=_("Licence"), choices=[(k, t) for k, t, _u in LICENSES])
    update_frequency = forms.ChoiceField(
        label=_("Update frequency"), choices=Dataset.Frequency.choices, initial="yearly"
    )
    temporal_start = forms.DateField(
        label=_("Period from"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    temporal_end = forms.DateField(
        label=_("Period to"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    spatial_region = forms.CharField(
        label=_("Area covered (region code)"), required=False, help_text=_("e.g. 51 or 51.03")
    )
    contact_name = forms.CharField(label=_("Contact name"), required=False, max_length=150)
    contact_email = forms.EmailField(label=_("Contact email"), required=False)
    concept = forms.CharField(
        label=_("Concept"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    definition = forms.CharField(
        label=_("Definition"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    classification = forms.CharField(label=_("Classification"), required=False, max_length=200)
    unit = forms.CharField(label=_("Unit of measure"), required=False, max_length=100)
    reference_code = forms.CharField(label=_("Reference code"), required=False, max_length=60)
    is_priority = forms.BooleanField(label=_("Priority data"), required=False)
    require_valid = forms.BooleanField(
        label=_("Require a valid validation report before publishing"), required=False
    )

    def __init__(self, *args, agencies=None, editing: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["groups"].choices = [(g.name, g.title) for g in Group.objects.all()]
        if editing:
            del self.fields["organization"]
            del self.fields["name"]
        else:
            from onedata.core.models import Agency

            ids = [a.pk for a in agencies or []]
            self.fields["organization"].queryset = Agency.objects.filter(pk__in=ids)
            self.fields["organization"].required = True
            self.fields["name"].required = True

    def service_fields(self) -> dict:
        data = dict(self.cleaned_data)
        data.pop("organization", None)
        data.pop("name", None)
        data["tags"] = [t.strip() for t in (data.get("tags") or "").split(",") if t.strip()]
        return data


class ResourceForm(ServiceErrorsMixin, forms.Form):
    name = forms.CharField(label=_("Name"), max_length=250, required=False)
    description = forms.CharField(
        label=_("Description"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    upload = forms.FileField(label=_("File (CSV, XLSX, JSON, GeoJSON or PDF)"), required=False)
    url = forms.URLField(
        label=_("Or a link"), required=False, max_length=1000, assume_scheme="https"
    )

    def clean(self):
        data = super().clean()
        if not data.get("upload") and not data.get("url"):
            raise forms.ValidationError(_("Choose a file or give a link."))
        return data


class ReviewForm(forms.Form):
    decision = forms.ChoiceField(
        label=_("Decision"),
        choices=[("approve", _("Approve and publish")), ("send_back", _("Send back"))],
    )
    comment = forms.CharField(
        label=_("Comment for the producer"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def clean(self):
        data = super().clean()
        if data.get("decision") == "send_back" and not (data.get("comment") or "").strip():
            self.add_error("comment", _("Say what the producer should change."))
        return data


class ResourceViewForm(ServiceErrorsMixin, forms.Form):
    """A saved chart: its title and the chart builder's choices. The service checks the
    choices against the table (``charts.clean``) and its errors come back by field."""

    title = forms.CharField(label=_("Title"), max_length=200)
    description = forms.CharField(
        label=_("Description"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    chart_type = forms.ChoiceField(label=_("Kind of chart"))
    x = forms.ChoiceField(label=_("Labels (x)"), help_text=_("For a map: the region code column"))
    aggregate = forms.ChoiceField(label=_("Combine values"))
    y = forms.ChoiceField(label=_("Values (y)"))
    fcol = forms.ChoiceField(label=_("Only rows where column"), required=False)
    fval = forms.CharField(
        label=_("equals"),
        required=False,
        max_length=200,
        help_text=_("Several values: separate with commas"),
    )

    # Service error fields that sit under another name in this form.
    FIELD_NAMES = {"filters": "fval"}

    def __init__(self, *args, columns: list[dict], **kwargs):
        from onedata.datahub import charts

        super().__init__(*args, **kwargs)
        self.fields["chart_type"].choices = list(charts.KINDS.items())
        self.fields["aggregate"].choices = list(charts.AGGREGATES.items())
        every = [(c["name"], c.get("label") or c["name"]) for c in columns]
        self.fields["x"].choices = every
        self.fields["y"].choices = [
            (c["name"], c.get("label") or c["name"]) for c in columns if c["type"] in charts.NUMERIC
        ]
        self.fields["fcol"].choices = [("", "—"), *every]

    def settings(self) -> dict:
        """The chart settings for ``resource_views`` (filters as column: values)."""
        return self.settings_from(self.cleaned_data)

    @staticmethod
    def settings_from(data) -> dict:
        """Settings from cleaned data, or from what was typed (the preview of a form with
        errors); the filter value may list several values, separated by commas."""
        values = [v.strip() for v in (data.get("fval") or "").split(",") if v.strip()]
        column = data.get("fcol") or ""
        return {
            "chart_type": data.get("chart_type"),
            "x": data.get("x"),
            "y": data.get("y"),
            "aggregate": data.get("aggregate"),
            "filters": {column: values} if column and values else {},
        }

    def apply(self, error: DomainError) -> None:
        fields = {self.FIELD_NAMES.get(k, k): v for k, v in (error.fields or {}).items()}
        super().apply(DomainError(error.message, fields=fields))

    @staticmethod
    def initial_from(config: dict) -> dict:
        filters = config.get("filters") or {}
        column = next(iter(filters), "")
        return {
            "chart_type": config.get("chart_type"),
            "x": config.get("x"),
            "y": config.get("y"),
            "aggregate": config.get("aggregate"),
            "fcol": column,
            "fval": ", ".join(str(v) for v in filters.get(column, [])),
        }
