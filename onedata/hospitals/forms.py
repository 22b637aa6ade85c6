"""The report form: one column, prefilled from the last report, errors beside fields."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from onedata.hospitals import services
from onedata.hospitals.models import BedType, Report, Severity

NUMBER = {"inputmode": "decimal", "autocomplete": "off"}
COUNT = {"inputmode": "numeric", "autocomplete": "off", "min": "0"}


class ReportForm(forms.Form):
    reported_at = forms.DateTimeField(
        label=_("Time of the reading"),
        required=False,
        help_text=_("Leave empty for now."),
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
    )
    liquid_value = forms.FloatField(
        label=_("Liquid oxygen level"), initial=0, widget=forms.NumberInput(attrs=NUMBER)
    )
    liquid_unit = forms.ChoiceField(
        label=_("Unit"), choices=Report.LiquidUnit.choices, initial="percent"
    )
    delivered_liquid_litres = forms.FloatField(
        label=_("Liquid oxygen received since the last report (litres)"),
        initial=0,
        required=False,
        widget=forms.NumberInput(attrs=NUMBER),
    )

    def __init__(self, *args, bed_types_first=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.cylinder_types = services.cylinder_types_all()
        for cylinder in self.cylinder_types:
            for part, label in (
                ("full", _("full")),
                ("empty", _("empty")),
                ("delivered", _("received")),
            ):
                self.fields[f"cyl_{cylinder.code}_{part}"] = forms.IntegerField(
                    label=label,
                    initial=0,
                    min_value=0,
                    required=False,
                    widget=forms.NumberInput(attrs=COUNT),
                )
        for severity in Severity:
            self.fields[f"patients_{severity.value}"] = forms.IntegerField(
                label=severity.label,
                initial=0,
                min_value=0,
                required=False,
                widget=forms.NumberInput(attrs=COUNT),
            )
        first = [t for t in BedType.values if t in bed_types_first]
        self.bed_types = first + [t for t in BedType.values if t not in first]
        self.bed_types_first = first
        for bed_type in self.bed_types:
            for part, label in (("total", _("total")), ("occupied", _("occupied"))):
                self.fields[f"bed_{bed_type}_{part}"] = forms.IntegerField(
                    label=f"{BedType(bed_type).label}: {label}",
                    required=False,
                    min_value=0,
                    widget=forms.NumberInput(attrs=COUNT),
                )

    # Groups for the template -------------------------------------------------------

    def cylinder_rows(self):
        return [
            (c, [self[f"cyl_{c.code}_{p}"] for p in ("full", "empty", "delivered")])
            for c in self.cylinder_types
        ]

    def patient_fields(self):
        return [self[f"patients_{s.value}"] for s in Severity]

    def _bed_rows(self, types):
        return [
            (BedType(t).label, self[f"bed_{t}_total"], self[f"bed_{t}_occupied"]) for t in types
        ]

    def bed_rows_first(self):
        return self._bed_rows(self.bed_types_first)

    def bed_rows_other(self):
        return self._bed_rows(self.bed_types[len(self.bed_types_first) :])

    # To and from the service ----------------------------------------------------------

    @staticmethod
    def initial_from(data: services.ReportInput) -> dict:
        initial = {
            "liquid_value": data.liquid_value,
            "liquid_unit": data.liquid_unit,
            "delivered_liquid_litres": 0,
        }
        for code, count in data.cylinders.items():
            initial[f"cyl_{code}_full"] = count.full
            initial[f"cyl_{code}_empty"] = count.empty
        for severity, number in data.patients.items():
            initial[f"patients_{severity}"] = number
        for bed_type, beds in data.beds.items():
            initial[f"bed_{bed_type}_total"] = beds.total
            initial[f"bed_{bed_type}_occupied"] = beds.occupied
        return initial

    def to_input(self) -> services.ReportInput:
        data = self.cleaned_data
        beds = {}
        for bed_type in self.bed_types:
            total = data.get(f"bed_{bed_type}_total")
            occupied = data.get(f"bed_{bed_type}_occupied")
            if total is None and occupied is None:
                continue
            beds[bed_type] = services.BedCount(total=total or 0, occupied=occupied or 0)
        return services.ReportInput(
            reported_at=data.get("reported_at"),
            liquid_value=data["liquid_value"],
            liquid_unit=data["liquid_unit"],
            delivered_liquid_litres=data.get("delivered_liquid_litres") or 0,
            cylinders={
                c.code: services.CylinderCount(
                    full=data.get(f"cyl_{c.code}_full") or 0,
                    empty=data.get(f"cyl_{c.code}_empty") or 0,
                    delivered=data.get(f"cyl_{c.code}_delivered") or 0,
                )
                for c in self.cylinder_types
            },
            patients={s.value: data.get(f"patients_{s.value}") or 0 for s in Severity},
            beds=beds,
        )

    def add_service_errors(self, fields: dict[str, list[str]]) -> None:
        """The service names fields as in the API (``beds.hcu.occupied``): map them."""
        for name, messages in fields.items():
            parts = name.split(".")
            target = None
            if parts[0] == "cylinders" and len(parts) == 3:
                target = f"cyl_{parts[1]}_{parts[2]}"
            elif parts[0] == "beds" and len(parts) == 3:
                target = f"bed_{parts[1]}_{parts[2]}"
            elif parts[0] == "patients" and len(parts) == 2:
                target = f"patients_{parts[1]}"
            elif name in self.fields:
                target = name
            for message in messages:
                self.add_error(target if target in self.fields else None, message)


LOT_ROWS = 4


class PlanForm(forms.Form):
    supply_m3 = forms.FloatField(
        label=_("Oxygen to distribute now (m3 of gas)"),
        min_value=0,
        required=False,
        help_text=_("Or give the supply by source and day below."),
        widget=forms.NumberInput(attrs=NUMBER),
    )
    horizon_days = forms.IntegerField(
        label=_("Horizon (days)"),
        initial=7,
        min_value=1,
        max_value=30,
        widget=forms.NumberInput(attrs=COUNT),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for k in range(1, LOT_ROWS + 1):
            self.fields[f"lot_source_{k}"] = forms.CharField(
                label=_("Source"),
                max_length=120,
                required=False,
                widget=forms.TextInput(attrs={"placeholder": _("e.g. PT Samator Denpasar")}),
            )
            self.fields[f"lot_day_{k}"] = forms.IntegerField(
                label=_("Day (0 = today)"),
                min_value=0,
                max_value=29,
                required=False,
                widget=forms.NumberInput(attrs=COUNT),
            )
            self.fields[f"lot_amount_{k}"] = forms.FloatField(
                label=_("m3 of gas"),
                min_value=0,
                required=False,
                widget=forms.NumberInput(attrs=NUMBER),
            )

    @property
    def main_fields(self):
        return [self["supply_m3"], self["horizon_days"]]

    @property
    def lot_rows(self):
        return [
            (k, self[f"lot_source_{k}"], self[f"lot_day_{k}"], self[f"lot_amount_{k}"])
            for k in range(1, LOT_ROWS + 1)
        ]

    def clean(self):
        data = super().clean()
        lots = []
        for k in range(1, LOT_ROWS + 1):
            source = (data.get(f"lot_source_{k}") or "").strip()
            day = data.get(f"lot_day_{k}")
            amount = data.get(f"lot_amount_{k}")
            if not source and day is None and amount is None:
                continue
            if not source:
                self.add_error(f"lot_source_{k}", _("Name the source."))
            if amount is None:
                self.add_error(f"lot_amount_{k}", _("Enter a number."))
            lots.append(services.LotInput(source, day or 0, amount))
        data["lots"] = lots or None
        if not lots and data.get("supply_m3") is None and "supply_m3" not in self.errors:
            self.add_error("supply_m3", _("Enter the supply, or the supply by source and day."))
        return data

    def add_service_errors(self, fields: dict) -> None:
        """Errors from the service (sources[0].day...) beside the fields they name."""
        import re

        for name, problems in fields.items():
            match = re.fullmatch(r"sources\[(\d+)\]\.(source|day|amount_m3)", name)
            if match:
                part = {"source": "source", "day": "day", "amount_m3": "amount"}[match[2]]
                target = f"lot_{part}_{int(match[1]) + 1}"
            else:
                target = name if name in self.fields else None
            for problem in problems:
                self.add_error(target, problem)


class BedsFilterForm(forms.Form):
    bed_type = forms.ChoiceField(
        label=_("Bed type"), required=False, choices=[("", _("All types")), *BedType.choices]
    )
    regency = forms.ChoiceField(label=_("Regency / city"), required=False, choices=[])

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        from onedata.core.models import Region

        regencies = Region.objects.filter(level=Region.Level.REGENCY, code__startswith="51.")
        self.fields["regency"].choices = [("", _("All of Bali"))] + [
            (r.code, r.name) for r in regencies
        ]


class CompareForm(forms.Form):
    """What-if: two supplies (and, for B, other flow rates) side by side."""

    supply_a = forms.FloatField(label=_("Supply A (m3)"), min_value=0, max_value=10**9)
    supply_b = forms.FloatField(label=_("Supply B (m3)"), min_value=0, max_value=10**9)
    horizon_days = forms.IntegerField(
        label=_("Horizon (days)"), initial=7, min_value=1, max_value=30
    )
    severe_b = forms.FloatField(
        label=_("B: flow for a severe patient (L/min)"),
        initial=10,
        min_value=0,
        max_value=100,
        required=False,
    )
    critical_b = forms.FloatField(
        label=_("B: flow for a critical patient (L/min)"),
        initial=30,
        min_value=0,
        max_value=100,
        required=False,
    )


class ImportForm(forms.Form):
    file = forms.FileField(
        label=_("CSV file"),
        help_text=_("One row per report. Download the template to see the columns."),
    )
