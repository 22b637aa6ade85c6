"""Hospitals' oxygen infrastructure, their reports, allocation plans and alert state."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from onedata.core.models import Agency


class BedType(models.TextChoices):
    """The SIRS Online / SIRANAP bed types."""

    ICU_VENT = "icu_vent", _("ICU with ventilator")
    ICU_NO_VENT = "icu_no_vent", _("ICU without ventilator")
    ICU_NEG_VENT = "icu_neg_vent", _("ICU negative pressure with ventilator")
    ICU_NEG_NO_VENT = "icu_neg_no_vent", _("ICU negative pressure without ventilator")
    HCU = "hcu", _("HCU")
    ISOLATION_NEG = "isolation_neg", _("Isolation with negative pressure")
    ISOLATION = "isolation", _("Isolation without negative pressure")
    NICU = "nicu", _("NICU")
    PICU = "picu", _("PICU")
    VIP = "vip", _("VIP / VVIP ward")
    CLASS_1 = "class_1", _("Ward class I")
    CLASS_2 = "class_2", _("Ward class II")
    CLASS_3 = "class_3", _("Ward class III")


class Severity(models.TextChoices):
    MODERATE = "moderate", _("Moderate")
    SEVERE = "severe", _("Severe")
    CRITICAL = "critical", _("Critical / high-flow")
    VENTILATED = "ventilated", _("Ventilated")


DEFAULT_CYLINDER_LABELS = {"small": _("Small"), "medium": _("Medium"), "large": _("Large")}


class Hospital(models.Model):
    """The hospital profile of an agency of kind hospital."""

    class Type(models.TextChoices):
        RSUP = "rsup", _("Central government hospital (RSUP)")
        RSUD = "rsud", _("Regional government hospital (RSUD)")
        MILITARY_POLICE = "military_police", _("Military / police hospital")
        PRIVATE = "private", _("Private hospital")

    agency = models.OneToOneField(
        Agency, verbose_name=_("agency"), on_delete=models.CASCADE, related_name="hospital"
    )
    type = models.CharField(_("type"), max_length=20, choices=Type.choices)
    latitude = models.DecimalField(_("latitude"), max_digits=9, decimal_places=6)
    longitude = models.DecimalField(_("longitude"), max_digits=9, decimal_places=6)
    address = models.CharField(_("address"), max_length=300, blank=True)
    phone = models.CharField(_("phone"), max_length=30, blank=True)
    cylinder_storage_m3 = models.FloatField(
        _("cylinder storage (m3 of gas)"),
        default=0,
        help_text=_("How much gas the hospital's cylinder store holds when full."),
    )

    class Meta:
        verbose_name = _("hospital")
        verbose_name_plural = _("hospitals")
        ordering = ["agency__name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(latitude__gte=-90, latitude__lte=90)
                & Q(longitude__gte=-180, longitude__lte=180),
                name="hospital_location_valid",
            ),
            models.CheckConstraint(
                condition=Q(cylinder_storage_m3__gte=0), name="hospital_storage_not_negative"
            ),
        ]

    def __str__(self) -> str:
        return self.agency.name

    @property
    def name(self) -> str:
        return self.agency.name

    @property
    def region(self):
        return self.agency.region


class LiquidTank(models.Model):
    hospital = models.ForeignKey(
        Hospital, verbose_name=_("hospital"), on_delete=models.CASCADE, related_name="tanks"
    )
    name = models.CharField(_("name"), max_length=80)
    capacity_litres = models.FloatField(_("capacity (litres of liquid)"))

    class Meta:
        verbose_name = _("liquid oxygen tank")
        verbose_name_plural = _("liquid oxygen tanks")
        ordering = ["hospital", "name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(capacity_litres__gt=0), name="tank_capacity_positive"
            )
        ]

    def __str__(self) -> str:
        return f"{self.hospital} · {self.name}"


class CylinderType(models.Model):
    """A cylinder size by the gas it holds. Global defaults: small 1, medium 2, large 6 m3."""

    code = models.SlugField(_("code"), max_length=30, unique=True)
    name = models.CharField(_("name"), max_length=80)
    volume_m3 = models.FloatField(_("gas volume (m3)"))

    class Meta:
        verbose_name = _("cylinder type")
        verbose_name_plural = _("cylinder types")
        ordering = ["volume_m3", "code"]
        constraints = [
            models.CheckConstraint(condition=Q(volume_m3__gt=0), name="cylinder_volume_positive")
        ]

    def __str__(self) -> str:
        return f"{self.label} ({self.volume_m3:g} m3)"

    @property
    def label(self) -> str:
        """The default sizes in the reader's language; other types by their name."""
        return str(DEFAULT_CYLINDER_LABELS.get(self.code, self.name))


class Generator(models.Model):
    hospital = models.ForeignKey(
        Hospital, verbose_name=_("hospital"), on_delete=models.CASCADE, related_name="generators"
    )
    name = models.CharField(_("name"), max_length=80)
    capacity_m3_per_day = models.FloatField(_("production (m3/day)"))

    class Meta:
        verbose_name = _("oxygen generator (PSA)")
        verbose_name_plural = _("oxygen generators (PSA)")
        ordering = ["hospital", "name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(capacity_m3_per_day__gte=0), name="generator_capacity_not_negative"
            )
        ]

    def __str__(self) -> str:
        return f"{self.hospital} · {self.name}"


class Report(models.Model):
    """What a hospital reports: oxygen stock, deliveries, patients on oxygen, beds."""

    class LiquidUnit(models.TextChoices):
        PERCENT = "percent", _("percent of tank")
        KG = "kg", _("kg")
        LITRE = "litre", _("litres of liquid")

    hospital = models.ForeignKey(
        Hospital, verbose_name=_("hospital"), on_delete=models.CASCADE, related_name="reports"
    )
    reported_at = models.DateTimeField(_("reported at"), db_index=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("reported by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    liquid_value = models.FloatField(_("liquid level"), default=0)
    liquid_unit = models.CharField(
        _("liquid unit"), max_length=10, choices=LiquidUnit.choices, default=LiquidUnit.PERCENT
    )
    delivered_liquid_litres = models.FloatField(_("liquid delivered (litres)"), default=0)
    patients_moderate = models.PositiveIntegerField(_("moderate patients"), default=0)
    patients_severe = models.PositiveIntegerField(_("severe patients"), default=0)
    patients_critical = models.PositiveIntegerField(_("critical / high-flow patients"), default=0)
    patients_ventilated = models.PositiveIntegerField(_("ventilated patients"), default=0)
    # Everything in m3 of gas, computed once by units.py when the report is saved.
    liquid_m3 = models.FloatField(_("liquid stock (m3)"), default=0)
    cylinders_m3 = models.FloatField(_("cylinder stock (m3)"), default=0)
    stock_m3 = models.FloatField(_("stock (m3)"), default=0)
    delivered_m3 = models.FloatField(_("delivered since last report (m3)"), default=0)
    source = models.CharField(_("source"), max_length=10, default="form")

    class Meta:
        verbose_name = _("report")
        verbose_name_plural = _("reports")
        ordering = ["-reported_at"]
        indexes = [models.Index(fields=["hospital", "-reported_at"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(liquid_value__gte=0)
                & Q(delivered_liquid_litres__gte=0)
                & Q(stock_m3__gte=0)
                & Q(delivered_m3__gte=0),
                name="report_quantities_not_negative",
            ),
            models.CheckConstraint(
                condition=~Q(liquid_unit="percent") | Q(liquid_value__lte=100),
                name="report_percent_at_most_100",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.hospital} · {self.reported_at:%Y-%m-%d %H:%M}"

    @property
    def patients(self) -> dict[str, int]:
        return {
            "moderate": self.patients_moderate,
            "severe": self.patients_severe,
            "critical": self.patients_critical,
            "ventilated": self.patients_ventilated,
        }


class ReportCylinders(models.Model):
    report = models.ForeignKey(
        Report, verbose_name=_("report"), on_delete=models.CASCADE, related_name="cylinders"
    )
    cylinder_type = models.ForeignKey(
        CylinderType, verbose_name=_("cylinder type"), on_delete=models.PROTECT, related_name="+"
    )
    full = models.PositiveIntegerField(_("full"), default=0)
    empty = models.PositiveIntegerField(_("empty"), default=0)
    delivered = models.PositiveIntegerField(_("full ones delivered since last report"), default=0)

    class Meta:
        verbose_name = _("cylinder count")
        verbose_name_plural = _("cylinder counts")
        ordering = ["report", "cylinder_type__volume_m3"]
        constraints = [
            models.UniqueConstraint(
                fields=["report", "cylinder_type"], name="report_cylinders_once_per_type"
            )
        ]

    def __str__(self) -> str:
        return f"{self.cylinder_type}: {self.full}/{self.empty}"


class ReportBeds(models.Model):
    report = models.ForeignKey(
        Report, verbose_name=_("report"), on_delete=models.CASCADE, related_name="beds"
    )
    bed_type = models.CharField(_("bed type"), max_length=20, choices=BedType.choices)
    total = models.PositiveIntegerField(_("total"))
    occupied = models.PositiveIntegerField(_("occupied"))

    class Meta:
        verbose_name = _("bed count")
        verbose_name_plural = _("bed counts")
        ordering = ["report", "bed_type"]
        constraints = [
            models.UniqueConstraint(
                fields=["report", "bed_type"], name="report_beds_once_per_type"
            ),
            models.CheckConstraint(
                condition=Q(occupied__lte=F("total")), name="report_beds_occupied_at_most_total"
            ),
            models.CheckConstraint(
                condition=Q(bed_type__in=BedType.values), name="report_beds_type_valid"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_bed_type_display()}: {self.occupied}/{self.total}"

    @property
    def available(self) -> int:
        return self.total - self.occupied


class AllocationPlan(models.Model):
    """A proposal of how much oxygen each hospital gets, and its workflow."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        APPROVED = "approved", _("Approved")
        DISPATCHED = "dispatched", _("Dispatched")
        RECEIVED = "received", _("Received")

    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    supply_m3 = models.FloatField(_("supply (m3)"))
    horizon_days = models.PositiveSmallIntegerField(_("horizon (days)"), default=7)
    status = models.CharField(
        _("status"), max_length=12, choices=Status.choices, default=Status.DRAFT
    )
    min_cover_hours = models.FloatField(_("minimum cover (hours)"), null=True, blank=True)
    reserve_m3 = models.FloatField(_("kept in reserve (m3)"), default=0)
    solver_status = models.CharField(_("solver status"), max_length=30)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("approved by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    approved_at = models.DateTimeField(_("approved at"), null=True, blank=True)
    dispatched_at = models.DateTimeField(_("dispatched at"), null=True, blank=True)

    class Meta:
        verbose_name = _("allocation plan")
        verbose_name_plural = _("allocation plans")
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(condition=Q(supply_m3__gte=0), name="plan_supply_not_negative"),
            models.CheckConstraint(
                condition=Q(status__in=["draft", "approved", "dispatched", "received"]),
                name="plan_status_valid",
            ),
        ]

    def __str__(self) -> str:
        return f"#{self.pk} · {self.supply_m3:g} m3 · {self.get_status_display()}"


class AllocationLine(models.Model):
    plan = models.ForeignKey(
        AllocationPlan, verbose_name=_("plan"), on_delete=models.CASCADE, related_name="lines"
    )
    hospital = models.ForeignKey(
        Hospital, verbose_name=_("hospital"), on_delete=models.CASCADE, related_name="+"
    )
    amount_m3 = models.FloatField(_("amount (m3)"))
    cover_hours_before = models.FloatField(_("cover before (hours)"), null=True)
    cover_hours_after = models.FloatField(_("cover after (hours)"), null=True)
    binding = models.CharField(_("what bound it"), max_length=20)
    received_at = models.DateTimeField(_("received at"), null=True, blank=True)

    class Meta:
        verbose_name = _("allocation line")
        verbose_name_plural = _("allocation lines")
        ordering = ["plan", "-amount_m3"]
        constraints = [
            models.CheckConstraint(condition=Q(amount_m3__gte=0), name="line_amount_not_negative"),
            models.UniqueConstraint(fields=["plan", "hospital"], name="line_once_per_hospital"),
        ]

    def __str__(self) -> str:
        return f"{self.hospital}: {self.amount_m3:g} m3"


class AllocationLot(models.Model):
    """Oxygen a plan shares out from one source, arriving on one day of the plan."""

    plan = models.ForeignKey(
        AllocationPlan, verbose_name=_("plan"), on_delete=models.CASCADE, related_name="lots"
    )
    source = models.CharField(_("source"), max_length=120)
    day = models.PositiveSmallIntegerField(
        _("day"), help_text=_("0: the day the plan is made; 1: the next day…")
    )
    amount_m3 = models.FloatField(_("amount (m3)"))

    class Meta:
        verbose_name = _("supply lot")
        verbose_name_plural = _("supply lots")
        ordering = ["plan", "day", "source"]
        constraints = [
            models.CheckConstraint(condition=Q(amount_m3__gte=0), name="lot_amount_not_negative"),
            models.UniqueConstraint(fields=["plan", "source", "day"], name="lot_once_per_day"),
        ]

    def __str__(self) -> str:
        return f"{self.source} · +{self.day} · {self.amount_m3:g} m3"


class AllocationDelivery(models.Model):
    """How much of a lot goes to a hospital (its line of the plan)."""

    line = models.ForeignKey(
        AllocationLine, verbose_name=_("line"), on_delete=models.CASCADE, related_name="deliveries"
    )
    lot = models.ForeignKey(
        AllocationLot, verbose_name=_("lot"), on_delete=models.CASCADE, related_name="deliveries"
    )
    amount_m3 = models.FloatField(_("amount (m3)"))

    class Meta:
        verbose_name = _("delivery")
        verbose_name_plural = _("deliveries")
        ordering = ["lot__day", "lot__source", "-amount_m3"]
        constraints = [
            models.CheckConstraint(
                condition=Q(amount_m3__gte=0), name="delivery_amount_not_negative"
            ),
            models.UniqueConstraint(fields=["line", "lot"], name="delivery_once_per_lot"),
        ]

    def __str__(self) -> str:
        return f"{self.lot} -> {self.line.hospital}: {self.amount_m3:g} m3"


class AlertState(models.Model):
    """The last status a hospital was alerted at: alerts go out once per crossing."""

    hospital = models.OneToOneField(
        Hospital, verbose_name=_("hospital"), on_delete=models.CASCADE, related_name="alert_state"
    )
    level = models.CharField(_("level"), max_length=10, default="safe")
    stale_alerted = models.BooleanField(_("stale alert sent"), default=False)
    changed_at = models.DateTimeField(_("changed at"), auto_now=True)

    class Meta:
        verbose_name = _("alert state")
        verbose_name_plural = _("alert states")
        ordering = ["hospital"]

    def __str__(self) -> str:
        return f"{self.hospital}: {self.level}"
