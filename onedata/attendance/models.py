"""Attendance tables: offices and their locations, employees, schedules, holidays, face
templates, check-ins, day corrections, leave, allowance months."""

from __future__ import annotations

from datetime import time

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from onedata.core.models import Agency


class Schedule(models.Model):
    """Working hours. Default: the national 37.5-hour week (Mon-Thu 07:30-16:00, Fri
    07:30-16:30, breaks excluded); late after ``start + late_grace``, early before
    ``end - early_grace`` (Bali's rule: after 07:30 late, before 15:30 early)."""

    name = models.CharField(_("name"), max_length=100, unique=True)
    code = models.CharField(
        _("code"),
        max_length=10,
        blank=True,
        help_text=_("Short code used in roster files, e.g. P, S, M."),
    )
    start = models.TimeField(_("start"), default=time(7, 30))
    end = models.TimeField(_("end (Monday-Thursday)"), default=time(16, 0))
    end_friday = models.TimeField(_("end (Friday)"), default=time(16, 30))
    workdays = models.CharField(
        _("working days"),
        max_length=7,
        default="01234",
        help_text=_("Weekday numbers, 0 = Monday … 6 = Sunday."),
    )
    late_grace = models.PositiveSmallIntegerField(_("late grace (minutes)"), default=0)
    early_grace = models.PositiveSmallIntegerField(_("early-leave grace (minutes)"), default=30)
    works_on_holidays = models.BooleanField(
        _("works on holidays"),
        default=False,
        help_text=_("For shifts of hospitals and other 24-hour offices."),
    )
    ramadan_start = models.TimeField(
        _("start during Ramadan"),
        null=True,
        blank=True,
        default=time(8, 0),
        help_text=_("Leave empty to keep the usual hours during Ramadan."),
    )
    ramadan_end = models.TimeField(
        _("end during Ramadan (Monday-Thursday)"), null=True, blank=True, default=time(15, 0)
    )
    ramadan_end_friday = models.TimeField(
        _("end during Ramadan (Friday)"), null=True, blank=True, default=time(15, 30)
    )

    class Meta:
        verbose_name = _("work schedule")
        verbose_name_plural = _("work schedules")
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(workdays__regex=r"^[0-6]{0,7}$"), name="att_schedule_workdays"
            ),
            models.CheckConstraint(
                condition=~Q(start=models.F("end")), name="att_schedule_not_empty"
            ),
            models.UniqueConstraint(
                fields=["code"], condition=~Q(code=""), name="att_schedule_code_unique"
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def overnight(self) -> bool:
        """A night shift: it ends on the next calendar day (e.g. 22:00-07:00)."""
        return self.end < self.start

    def end_on(self, weekday: int) -> time:
        if self.overnight:
            return self.end
        return self.end_friday if weekday == 4 else self.end

    def hours_on(self, weekday: int, *, ramadan: bool = False) -> tuple[time, time]:
        """Start and end of a working day, with Ramadan hours where the schedule has them."""
        if ramadan and self.ramadan_start and self.ramadan_end:
            end = self.ramadan_end
            if weekday == 4 and self.ramadan_end_friday:
                end = self.ramadan_end_friday
            return self.ramadan_start, end
        return self.start, self.end_on(weekday)

    def works_on(self, weekday: int) -> bool:
        return str(weekday) in self.workdays


class RamadanPeriod(models.Model):
    """The days of Ramadan in a year: schedules with Ramadan hours follow them."""

    name = models.CharField(_("name"), max_length=100)
    start = models.DateField(_("first day"))
    end = models.DateField(_("last day"))

    class Meta:
        verbose_name = _("Ramadan period")
        verbose_name_plural = _("Ramadan periods")
        ordering = ["-start"]
        constraints = [
            models.CheckConstraint(
                condition=Q(end__gte=models.F("start")), name="att_ramadan_order"
            )
        ]

    def __str__(self) -> str:
        return self.name


class LivenessPolicy(models.TextChoices):
    OFF = "off", _("Off")
    REQUIRED = "required", _("Required (blink)")


class Office(models.Model):
    """An office where employees check in: one agency may have several."""

    agency = models.ForeignKey(
        Agency, verbose_name=_("agency"), on_delete=models.PROTECT, related_name="att_offices"
    )
    name = models.CharField(_("name"), max_length=200)
    schedule = models.ForeignKey(
        Schedule, verbose_name=_("schedule"), null=True, blank=True, on_delete=models.SET_NULL
    )
    tpp_attendance_share = models.PositiveIntegerField(
        _("attendance part of TPP (basis points)"), default=4000
    )
    liveness_policy = models.CharField(
        _("liveness check"),
        max_length=10,
        choices=LivenessPolicy.choices,
        default=LivenessPolicy.OFF,
        help_text=_(
            "Required: the check-in page films a short burst in which the employee blinks, "
            "so a printed photo is refused."
        ),
    )

    class Meta:
        verbose_name = _("office")
        verbose_name_plural = _("offices")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["agency", "name"], name="att_office_unique_name"),
            models.CheckConstraint(
                condition=Q(tpp_attendance_share__lte=10000), name="att_office_share_max"
            ),
        ]

    def __str__(self) -> str:
        return self.name


class ActiveLocationManager(models.Manager):
    def get_queryset(self):
        return super().get_queryset().filter(active=True)


class OfficeLocation(models.Model):
    """A point and a radius: check-ins inside it count as at the office."""

    office = models.ForeignKey(
        Office, verbose_name=_("office"), on_delete=models.CASCADE, related_name="locations"
    )
    name = models.CharField(_("name"), max_length=200)
    latitude = models.FloatField(_("latitude"))
    longitude = models.FloatField(_("longitude"))
    radius_m = models.PositiveIntegerField(_("radius (m)"), default=100)
    active = models.BooleanField(
        _("in use"),
        default=True,
        help_text=_("A location no longer in use keeps its past check-ins but takes no new ones."),
    )

    # The default manager (also behind ``office.locations``) shows only locations in use,
    # so every geofence check ignores deactivated ones; the HR pages use ``all_objects``.
    objects = ActiveLocationManager()
    all_objects = models.Manager()  # noqa: DJ012 (a second manager, not a field)

    class Meta:
        verbose_name = _("office location")
        verbose_name_plural = _("office locations")
        ordering = ["office", "name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(latitude__gte=-90, latitude__lte=90), name="att_location_lat"
            ),
            models.CheckConstraint(
                condition=Q(longitude__gte=-180, longitude__lte=180), name="att_location_lon"
            ),
            models.CheckConstraint(
                condition=Q(radius_m__gte=10, radius_m__lte=5000), name="att_location_radius"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.office} · {self.name}"


class Employee(models.Model):
    class Type(models.TextChoices):
        PNS = "pns", _("Civil servant (PNS)")
        PPPK = "pppk", _("Contract civil servant (PPPK)")
        CONTRACT = "contract", _("Contract staff")

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.PROTECT,
        related_name="employee",
    )
    # NULL for staff without a NIP; unique where present.
    nip = models.CharField(_("NIP"), max_length=18, null=True, blank=True)  # noqa: DJ001
    name = models.CharField(_("name"), max_length=150)
    employment_type = models.CharField(
        _("employment type"), max_length=10, choices=Type.choices, default=Type.PNS
    )
    position = models.CharField(_("position"), max_length=200, blank=True)
    grade = models.CharField(_("grade"), max_length=20, blank=True)
    office = models.ForeignKey(
        Office, verbose_name=_("office"), on_delete=models.PROTECT, related_name="employees"
    )
    supervisor = models.ForeignKey(
        "self",
        verbose_name=_("supervisor"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="team",
    )
    schedule = models.ForeignKey(
        Schedule,
        verbose_name=_("own schedule"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        help_text=_("Leave empty to follow the office's schedule."),
    )
    tpp_base = models.PositiveBigIntegerField(_("TPP base (rupiah)"), default=0)
    active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("employee")
        verbose_name_plural = _("employees")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                fields=["nip"], condition=Q(nip__isnull=False), name="att_employee_nip_unique"
            ),
            models.CheckConstraint(
                condition=Q(nip__isnull=True) | Q(nip__regex=r"^[0-9]{18}$"),
                name="att_employee_nip_digits",
            ),
            models.CheckConstraint(
                condition=~Q(employment_type="pns") | Q(nip__isnull=False),
                name="att_employee_pns_has_nip",
            ),
        ]

    def __str__(self) -> str:
        return self.name


class Holiday(models.Model):
    class Kind(models.TextChoices):
        NATIONAL = "national", _("National holiday")
        BALINESE = "balinese", _("Balinese holiday")
        COLLECTIVE = "collective", _("Collective leave")

    date = models.DateField(_("date"), unique=True)
    name = models.CharField(_("name"), max_length=120)
    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices)

    class Meta:
        verbose_name = _("holiday")
        verbose_name_plural = _("holidays")
        ordering = ["date"]

    def __str__(self) -> str:
        return f"{self.date:%Y-%m-%d} {self.name}"


class ShiftAssignment(models.Model):
    """The roster: on this date the employee works this shift (no shift: a day off). It
    overrides the employee's and the office's schedule for that one date."""

    employee = models.ForeignKey(
        Employee, verbose_name=_("employee"), on_delete=models.CASCADE, related_name="shifts"
    )
    date = models.DateField(_("date"))
    schedule = models.ForeignKey(
        Schedule,
        verbose_name=_("shift"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        help_text=_("Empty: a day off."),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("set by"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        verbose_name = _("shift assignment")
        verbose_name_plural = _("shift assignments")
        ordering = ["date", "employee"]
        constraints = [
            models.UniqueConstraint(fields=["employee", "date"], name="att_shift_one_per_day")
        ]

    def __str__(self) -> str:
        return f"{self.employee} {self.date} {self.schedule or '-'}"


class FaceTemplate(models.Model):
    """A reference photo's face descriptor, encrypted (see crypto.py)."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting for HR")
        APPROVED = "approved", _("Approved")

    employee = models.ForeignKey(
        Employee, verbose_name=_("employee"), on_delete=models.CASCADE, related_name="faces"
    )
    descriptor = models.BinaryField(_("descriptor (encrypted)"))
    photo_name = models.CharField(_("photo file (encrypted)"), max_length=200, blank=True)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices)
    face_width = models.PositiveIntegerField(_("face width (px)"), default=0)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("taken by"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("approved by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("face template")
        verbose_name_plural = _("face templates")
        ordering = ["employee", "created_at"]

    def __str__(self) -> str:
        return f"{self.employee} #{self.pk}"


class CheckIn(models.Model):
    class Kind(models.TextChoices):
        IN = "in", pgettext_lazy("attendance", "Check in")
        OUT = "out", pgettext_lazy("attendance", "Check out")

    class Status(models.TextChoices):
        ACCEPTED = "accepted", _("Accepted")
        REJECTED = "rejected", _("Rejected")
        PENDING = "pending", _("Waiting for approval")

    employee = models.ForeignKey(
        Employee, verbose_name=_("employee"), on_delete=models.CASCADE, related_name="checkins"
    )
    kind = models.CharField(_("kind"), max_length=3, choices=Kind.choices)
    recorded_at = models.DateTimeField(_("received at"), db_index=True)
    work_date = models.DateField(_("work date"))
    latitude = models.FloatField(_("latitude"), null=True)
    longitude = models.FloatField(_("longitude"), null=True)
    accuracy_m = models.FloatField(_("accuracy (m)"), null=True)
    location = models.ForeignKey(
        OfficeLocation,
        verbose_name=_("office location"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
    )
    distance_m = models.FloatField(_("distance to the office (m)"), null=True)
    inside_geofence = models.BooleanField(_("inside the office radius"), default=False)
    face_distance = models.FloatField(_("face distance"), null=True)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices)
    reasons = models.JSONField(_("reasons"), default=list)
    note = models.CharField(_("reason given"), max_length=500, blank=True)
    selfie_name = models.CharField(_("selfie file (encrypted)"), max_length=200, blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("reviewed by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    reviewed_at = models.DateTimeField(_("reviewed at"), null=True, blank=True)

    class Meta:
        verbose_name = _("check-in")
        verbose_name_plural = _("check-ins")
        ordering = ["-recorded_at"]
        indexes = [models.Index(fields=["employee", "work_date"])]

    def __str__(self) -> str:
        return f"{self.employee} {self.kind} {self.recorded_at:%Y-%m-%d %H:%M}"


class DayCorrection(models.Model):
    """A day set by a supervisor or HR over the check-ins (WFH, travel, present…)."""

    employee = models.ForeignKey(
        Employee, verbose_name=_("employee"), on_delete=models.CASCADE, related_name="corrections"
    )
    date = models.DateField(_("date"))
    kind = models.CharField(
        _("set to"),
        max_length=10,
        choices=[
            ("present", _("Present")),
            ("absent", _("Absent")),
            ("wfh", _("Work from home")),
            ("travel", _("Official travel")),
            ("sick", _("Sick")),
        ],
    )
    reason = models.CharField(_("reason"), max_length=500)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("set by"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("day correction")
        verbose_name_plural = _("day corrections")
        ordering = ["-date"]
        constraints = [
            models.UniqueConstraint(fields=["employee", "date"], name="att_correction_one_per_day")
        ]

    def __str__(self) -> str:
        return f"{self.employee} {self.date} {self.kind}"


class LeaveType(models.Model):
    code = models.SlugField(_("code"), max_length=20, unique=True)
    name = models.CharField(_("name"), max_length=100)
    days_per_year = models.PositiveSmallIntegerField(_("days per year"), default=0)
    counts_as = models.CharField(
        _("day shown as"),
        max_length=5,
        choices=[("leave", _("Leave")), ("sick", _("Sick"))],
        default="leave",
    )
    needs_balance = models.BooleanField(_("limited by a balance"), default=True)
    half_days = models.BooleanField(_("half days allowed"), default=False)
    carry_forward_days = models.PositiveSmallIntegerField(_("days carried forward"), default=0)

    class Meta:
        verbose_name = _("leave type")
        verbose_name_plural = _("leave types")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class LeaveBalance(models.Model):
    """One employee's allocation of one leave type for one year, in half-days."""

    employee = models.ForeignKey(
        Employee, verbose_name=_("employee"), on_delete=models.CASCADE, related_name="balances"
    )
    leave_type = models.ForeignKey(
        LeaveType, verbose_name=_("leave type"), on_delete=models.PROTECT
    )
    year = models.PositiveSmallIntegerField(_("year"))
    allocated = models.PositiveIntegerField(_("allocated (half-days)"), default=0)
    carried = models.PositiveIntegerField(_("carried over (half-days)"), default=0)
    used = models.PositiveIntegerField(_("used (half-days)"), default=0)

    class Meta:
        verbose_name = _("leave balance")
        verbose_name_plural = _("leave balances")
        ordering = ["-year", "leave_type"]
        constraints = [
            models.UniqueConstraint(
                fields=["employee", "leave_type", "year"], name="att_balance_unique"
            ),
            models.CheckConstraint(
                condition=Q(used__lte=models.F("allocated") + models.F("carried")),
                name="att_balance_never_negative",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.employee} {self.leave_type} {self.year}"

    @property
    def available(self) -> int:
        return self.allocated + self.carried - self.used


class LeaveRequest(models.Model):
    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting for the supervisor")
        VERIFIED = "verified", _("Approved by the supervisor, waiting for HR")
        APPROVED = "approved", _("Approved")
        REJECTED = "rejected", _("Rejected")
        CANCELLED = "cancelled", _("Cancelled")

    OPEN_STATUSES = (Status.PENDING, Status.VERIFIED, Status.APPROVED)
    WAITING_STATUSES = (Status.PENDING, Status.VERIFIED)

    employee = models.ForeignKey(
        Employee, verbose_name=_("employee"), on_delete=models.CASCADE, related_name="leaves"
    )
    leave_type = models.ForeignKey(
        LeaveType, verbose_name=_("leave type"), on_delete=models.PROTECT
    )
    start = models.DateField(_("first day"))
    end = models.DateField(_("last day"))
    half_day = models.BooleanField(_("half day"), default=False)
    halfdays = models.PositiveIntegerField(_("length (half-days)"))
    reason = models.CharField(_("reason"), max_length=500)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.PENDING
    )
    verified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("approved by the supervisor"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    verified_at = models.DateTimeField(_("supervisor decided at"), null=True, blank=True)
    verified_note = models.CharField(_("supervisor's note"), max_length=500, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("decided by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    decision_note = models.CharField(_("note"), max_length=500, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("leave request")
        verbose_name_plural = _("leave requests")
        ordering = ["-start"]
        constraints = [
            models.CheckConstraint(condition=Q(end__gte=models.F("start")), name="att_leave_order")
        ]

    def __str__(self) -> str:
        return f"{self.employee} {self.leave_type} {self.start}"


class AllowanceMonth(models.Model):
    """A finalised month of an office: its TPP figures no longer change."""

    office = models.ForeignKey(Office, verbose_name=_("office"), on_delete=models.CASCADE)
    month = models.DateField(_("month"))
    finalised_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("finalised by"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    finalised_at = models.DateTimeField(_("finalised at"), auto_now_add=True)
    figures = models.JSONField(_("figures"), default=list)

    class Meta:
        verbose_name = _("finalised allowance month")
        verbose_name_plural = _("finalised allowance months")
        ordering = ["-month"]
        constraints = [
            models.UniqueConstraint(fields=["office", "month"], name="att_allowance_month_once")
        ]

    def __str__(self) -> str:
        return f"{self.office} {self.month:%Y-%m}"


class ImportJob(models.Model):
    """An employee import running in the background, with its progress and report."""

    class Status(models.TextChoices):
        QUEUED = "queued", _("Waiting to start")
        RUNNING = "running", _("Running")
        DONE = "done", _("Imported")
        FAILED = "failed", _("Not imported")

    office = models.ForeignKey(
        Office, verbose_name=_("office"), on_delete=models.CASCADE, related_name="imports"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("uploaded by"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    file_name = models.CharField(_("stored file"), max_length=200, blank=True)
    original_name = models.CharField(_("file name"), max_length=200)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.QUEUED
    )
    total = models.PositiveIntegerField(_("rows"), default=0)
    processed = models.PositiveIntegerField(_("rows checked"), default=0)
    created = models.PositiveIntegerField(_("employees created"), default=0)
    errors = models.JSONField(_("errors"), default=list)
    message = models.CharField(_("message"), max_length=500, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)

    class Meta:
        verbose_name = _("employee import")
        verbose_name_plural = _("employee imports")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.office} {self.original_name}"

    @property
    def percent(self) -> int:
        if self.status in (self.Status.DONE, self.Status.FAILED):
            return 100
        if not self.total:
            return 0
        return min(99, self.processed * 100 // self.total)

    @property
    def finished(self) -> bool:
        return self.status in (self.Status.DONE, self.Status.FAILED)


class AllowanceAdjustment(models.Model):
    """A correction to a finalised month: an explicit amount with a reason, paid (or taken
    back) with the next payroll. The finalised figures themselves never change."""

    office = models.ForeignKey(Office, verbose_name=_("office"), on_delete=models.CASCADE)
    employee = models.ForeignKey(
        Employee,
        verbose_name=_("employee"),
        on_delete=models.CASCADE,
        related_name="allowance_adjustments",
    )
    month = models.DateField(_("month corrected"))
    amount = models.BigIntegerField(
        _("amount (rupiah)"), help_text=_("Positive: paid in addition; negative: taken back.")
    )
    reason = models.CharField(_("reason"), max_length=500)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recorded by"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("allowance adjustment")
        verbose_name_plural = _("allowance adjustments")
        ordering = ["-month", "employee"]
        constraints = [
            models.CheckConstraint(condition=~Q(amount=0), name="att_adjustment_not_zero")
        ]

    def __str__(self) -> str:
        return f"{self.employee} {self.month:%Y-%m} {self.amount}"


class RosterImport(models.Model):
    """A roster file (NIP, date, shift code; or a grid of NIP × day) checked and written in
    the background, with its progress and per-row report."""

    class Status(models.TextChoices):
        QUEUED = "queued", _("Waiting to start")
        RUNNING = "running", _("Running")
        DONE = "done", _("Imported")
        FAILED = "failed", _("Not imported")

    class Mode(models.TextChoices):
        ALL = "all", _("All or nothing: any bad row stops the whole file")
        VALID = "valid", _("Valid rows only: bad rows are skipped and listed")

    office = models.ForeignKey(
        Office, verbose_name=_("office"), on_delete=models.CASCADE, related_name="roster_imports"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("uploaded by"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    file_name = models.CharField(_("stored file"), max_length=200, blank=True)
    original_name = models.CharField(_("file name"), max_length=200)
    mode = models.CharField(_("mode"), max_length=5, choices=Mode.choices, default=Mode.ALL)
    month = models.DateField(
        _("month of a day-number grid"),
        null=True,
        blank=True,
        help_text=_("Only for a grid whose columns are day numbers (1-31)."),
    )
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.QUEUED
    )
    total = models.PositiveIntegerField(_("entries"), default=0)
    processed = models.PositiveIntegerField(_("entries checked"), default=0)
    saved = models.PositiveIntegerField(_("days saved"), default=0)
    skipped = models.PositiveIntegerField(_("entries skipped"), default=0)
    errors = models.JSONField(_("errors"), default=list)
    message = models.CharField(_("message"), max_length=500, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)

    class Meta:
        verbose_name = _("roster import")
        verbose_name_plural = _("roster imports")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.office} {self.original_name}"

    @property
    def percent(self) -> int:
        if self.finished:
            return 100
        if not self.total:
            return 0
        return min(99, self.processed * 100 // self.total)

    @property
    def finished(self) -> bool:
        return self.status in (self.Status.DONE, self.Status.FAILED)


class ReminderPreference(models.Model):
    """An employee's choice about check-in/check-out reminders; no row: both on."""

    employee = models.OneToOneField(
        Employee,
        verbose_name=_("employee"),
        on_delete=models.CASCADE,
        related_name="reminder_preference",
    )
    checkin = models.BooleanField(_("remind me to check in"), default=True)
    checkout = models.BooleanField(_("remind me to check out"), default=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("reminder preference")
        verbose_name_plural = _("reminder preferences")

    def __str__(self) -> str:
        return str(self.employee)


class ReminderSent(models.Model):
    """One reminder sent: the unique (employee, date, kind) makes sending idempotent, even
    with two schedulers running the same sweep."""

    class Kind(models.TextChoices):
        CHECKIN = "in", _("Check-in reminder")
        CHECKOUT = "out", _("Check-out reminder")

    employee = models.ForeignKey(
        Employee, verbose_name=_("employee"), on_delete=models.CASCADE, related_name="reminders"
    )
    date = models.DateField(_("work date"))
    kind = models.CharField(_("kind"), max_length=3, choices=Kind.choices)
    sent_at = models.DateTimeField(_("sent at"))

    class Meta:
        verbose_name = _("reminder sent")
        verbose_name_plural = _("reminders sent")
        ordering = ["-sent_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["employee", "date", "kind"], name="att_reminder_once_a_day"
            )
        ]

    def __str__(self) -> str:
        return f"{self.employee} {self.date} {self.kind}"
