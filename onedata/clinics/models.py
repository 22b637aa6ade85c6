"""Clinic queue tables: clinics (an agency's profile), their services, sessions and
closures, the per-(service, day) counter that hands out queue numbers, bookings and the
timeline of each visit.

Quotas and queue numbers change only in ``locks.py`` / ``services.booking_create``, under
a row lock on ``DayCounter``; the database also refuses two active bookings with the same
number, and two active bookings of one NIK for one service and day.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from onedata.core.models import Agency
from onedata.core.nik import mask_nik
from onedata.core.phone import mask_phone


class Weekday(models.IntegerChoices):
    MONDAY = 0, _("Monday")
    TUESDAY = 1, _("Tuesday")
    WEDNESDAY = 2, _("Wednesday")
    THURSDAY = 3, _("Thursday")
    FRIDAY = 4, _("Friday")
    SATURDAY = 5, _("Saturday")
    SUNDAY = 6, _("Sunday")


class Clinic(models.Model):
    """A place that serves patients: the clinic profile of an agency."""

    class Kind(models.TextChoices):
        PUSKESMAS = "puskesmas", _("Community health centre")
        CLINIC = "clinic", _("Clinic")
        HOSPITAL = "hospital", _("Hospital outpatient clinic")

    agency = models.OneToOneField(
        Agency, verbose_name=_("agency"), on_delete=models.CASCADE, related_name="clinic"
    )
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    address = models.CharField(_("address"), max_length=300, blank=True)
    phone = models.CharField(_("phone"), max_length=30, blank=True)
    latitude = models.DecimalField(_("latitude"), max_digits=9, decimal_places=6)
    longitude = models.DecimalField(_("longitude"), max_digits=9, decimal_places=6)
    booking_days_ahead = models.PositiveSmallIntegerField(
        _("booking window (days)"),
        default=7,
        help_text=_("How many days ahead citizens may book; 0 means today only."),
    )
    booking_cutoff_minutes = models.PositiveSmallIntegerField(
        _("booking cut-off (minutes before the session ends)"), default=30
    )
    is_active = models.BooleanField(_("taking bookings"), default=True)

    class Meta:
        verbose_name = _("clinic")
        verbose_name_plural = _("clinics")
        ordering = ["agency__name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(latitude__gte=-90, latitude__lte=90)
                & Q(longitude__gte=-180, longitude__lte=180),
                name="clinic_coordinates_valid",
            ),
            models.CheckConstraint(
                condition=Q(booking_days_ahead__lte=90), name="clinic_booking_window_at_most_90"
            ),
        ]

    def __str__(self) -> str:
        return self.agency.name

    @property
    def name(self) -> str:
        return self.agency.name


class OpeningHours(models.Model):
    clinic = models.ForeignKey(
        Clinic, verbose_name=_("clinic"), on_delete=models.CASCADE, related_name="hours"
    )
    weekday = models.PositiveSmallIntegerField(_("weekday"), choices=Weekday.choices)
    opens_at = models.TimeField(_("opens at"))
    closes_at = models.TimeField(_("closes at"))

    class Meta:
        verbose_name = _("opening hours")
        verbose_name_plural = _("opening hours")
        ordering = ["clinic", "weekday", "opens_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(closes_at__gt=models.F("opens_at")), name="hours_close_after_open"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_weekday_display()} {self.opens_at:%H:%M}-{self.closes_at:%H:%M}"


class Service(models.Model):
    """A polyclinic or service of a clinic, with its own queue."""

    class Kind(models.TextChoices):
        GENERAL = "general", _("General")
        DENTAL = "dental", _("Dental")
        KIA = "kia", _("Maternal and child health (KIA)")
        IMMUNISATION = "immunisation", _("Immunisation")
        LABORATORY = "laboratory", _("Laboratory")
        FAMILY_PLANNING = "family_planning", _("Family planning (KB)")
        ELDERLY = "elderly", _("Elderly care")

    clinic = models.ForeignKey(
        Clinic, verbose_name=_("clinic"), on_delete=models.CASCADE, related_name="services"
    )
    kind = models.CharField(_("service"), max_length=20, choices=Kind.choices)
    prefix = models.CharField(
        _("number prefix"), max_length=2, help_text=_("Letter before the queue number, e.g. A")
    )
    default_minutes = models.PositiveSmallIntegerField(
        _("usual minutes per patient"),
        default=10,
        help_text=_("Used for the estimated time until the clinic has its own figures."),
    )
    counters = models.PositiveSmallIntegerField(_("counters serving in parallel"), default=1)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("service")
        verbose_name_plural = _("services")
        ordering = ["clinic", "kind"]
        constraints = [
            models.UniqueConstraint(fields=["clinic", "kind"], name="service_kind_once_per_clinic"),
            models.CheckConstraint(
                condition=Q(default_minutes__gte=1) & Q(counters__gte=1),
                name="service_minutes_and_counters_positive",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} · {self.clinic}"


class Session(models.Model):
    """When a service takes patients on a weekday, and how many."""

    service = models.ForeignKey(
        Service, verbose_name=_("service"), on_delete=models.CASCADE, related_name="sessions"
    )
    weekday = models.PositiveSmallIntegerField(_("weekday"), choices=Weekday.choices)
    starts_at = models.TimeField(_("starts at"))
    ends_at = models.TimeField(_("ends at"))
    quota_online = models.PositiveIntegerField(_("online quota"))
    quota_walkin = models.PositiveIntegerField(_("walk-in quota"))
    quota_jkn = models.PositiveIntegerField(
        _("online quota for JKN patients"),
        null=True,
        blank=True,
        help_text=_("Empty: JKN and non-JKN patients share the online quota."),
    )

    class Meta:
        verbose_name = _("session")
        verbose_name_plural = _("sessions")
        ordering = ["service", "weekday", "starts_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__gt=models.F("starts_at")), name="session_ends_after_start"
            ),
            models.CheckConstraint(
                condition=Q(quota_jkn__isnull=True) | Q(quota_jkn__lte=models.F("quota_online")),
                name="session_jkn_within_online_quota",
            ),
        ]

    def __str__(self) -> str:
        return (
            f"{self.service} · {self.get_weekday_display()} "
            f"{self.starts_at:%H:%M}-{self.ends_at:%H:%M}"
        )

    @property
    def label(self) -> str:
        return f"{self.starts_at:%H:%M}–{self.ends_at:%H:%M}"


class Closure(models.Model):
    """A day a clinic (or one service) is closed; no clinic means every clinic (a holiday)."""

    clinic = models.ForeignKey(
        Clinic,
        verbose_name=_("clinic"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="closures",
    )
    service = models.ForeignKey(
        Service,
        verbose_name=_("service"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="closures",
    )
    date = models.DateField(_("date"))
    reason = models.CharField(_("reason"), max_length=200)

    class Meta:
        verbose_name = _("closure")
        verbose_name_plural = _("closures")
        ordering = ["date"]
        indexes = [models.Index(fields=["date"])]

    def __str__(self) -> str:
        return f"{self.date} · {self.reason}"


class DayCounter(models.Model):
    """The lock row of one service on one day: the highest queue number handed out."""

    service = models.ForeignKey(
        Service, verbose_name=_("service"), on_delete=models.CASCADE, related_name="+"
    )
    date = models.DateField(_("date"))
    last_number = models.PositiveIntegerField(_("last number"), default=0)

    class Meta:
        verbose_name = _("day counter")
        verbose_name_plural = _("day counters")
        constraints = [
            models.UniqueConstraint(fields=["service", "date"], name="daycounter_once_per_day")
        ]

    def __str__(self) -> str:
        return f"{self.service} {self.date}: {self.last_number}"


class Booking(models.Model):
    class Status(models.TextChoices):
        BOOKED = "booked", _("Booked")
        CHECKED_IN = "checked_in", _("Checked in")
        CALLED = "called", _("Called")
        SERVING = "serving", _("Being served")
        DONE = "done", _("Done")
        NO_SHOW = "no_show", _("Did not come")
        CANCELLED = "cancelled", _("Cancelled")

    class Channel(models.TextChoices):
        ONLINE = "online", _("Online")
        WALKIN = "walkin", _("Walk-in")

    ACTIVE = (Status.BOOKED, Status.CHECKED_IN, Status.CALLED, Status.SERVING)
    WAITING = (Status.BOOKED, Status.CHECKED_IN, Status.CALLED)

    code = models.CharField(_("booking code"), max_length=12, unique=True)
    clinic = models.ForeignKey(
        Clinic, verbose_name=_("clinic"), on_delete=models.PROTECT, related_name="bookings"
    )
    service = models.ForeignKey(
        Service, verbose_name=_("service"), on_delete=models.PROTECT, related_name="bookings"
    )
    session = models.ForeignKey(
        Session, verbose_name=_("session"), on_delete=models.PROTECT, related_name="bookings"
    )
    date = models.DateField(_("date"))
    queue_number = models.PositiveIntegerField(_("queue number"))
    channel = models.CharField(_("channel"), max_length=10, choices=Channel.choices)
    jkn = models.BooleanField(_("JKN patient"), default=False)
    nik = models.CharField(_("NIK"), max_length=16, blank=True)
    name = models.CharField(_("name"), max_length=150, blank=True)
    phone = models.CharField(_("phone"), max_length=20, blank=True)
    email = models.EmailField(_("email"), blank=True)
    bpjs_number = models.CharField(_("BPJS card number"), max_length=13, blank=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("booked by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="clinic_bookings",
    )
    status = models.CharField(
        _("status"), max_length=12, choices=Status.choices, default=Status.BOOKED
    )
    estimated_service_at = models.DateTimeField(_("estimated service time"))
    desk = models.CharField(_("counter"), max_length=20, blank=True)
    idempotency_key = models.CharField(_("idempotency key"), max_length=100, blank=True)
    request_hash = models.CharField(_("request hash"), max_length=64, blank=True)
    reminder_sent_at = models.DateTimeField(_("reminder sent at"), null=True, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    checked_in_at = models.DateTimeField(_("checked in at"), null=True, blank=True)
    called_at = models.DateTimeField(_("called at"), null=True, blank=True)
    started_at = models.DateTimeField(_("service started at"), null=True, blank=True)
    finished_at = models.DateTimeField(_("service ended at"), null=True, blank=True)
    cancelled_at = models.DateTimeField(_("cancelled at"), null=True, blank=True)

    class Meta:
        verbose_name = _("booking")
        verbose_name_plural = _("bookings")
        ordering = ["date", "service", "queue_number"]
        indexes = [
            models.Index(fields=["service", "date", "status"]),
            models.Index(fields=["clinic", "date"]),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["service", "date", "queue_number"],
                condition=~Q(status="cancelled"),
                name="booking_number_unique_per_service_day",
            ),
            models.UniqueConstraint(
                fields=["service", "date", "nik"],
                condition=Q(status__in=["booked", "checked_in", "called", "serving"]) & ~Q(nik=""),
                name="booking_one_active_per_nik_service_day",
            ),
            models.UniqueConstraint(
                fields=["idempotency_key"],
                condition=~Q(idempotency_key=""),
                name="booking_idempotency_key_unique",
            ),
            models.CheckConstraint(
                condition=Q(queue_number__gte=1), name="booking_number_positive"
            ),
            models.CheckConstraint(
                condition=Q(nik="") | Q(nik__regex=r"^[0-9]{16}$"), name="booking_nik_16_digits"
            ),
            models.CheckConstraint(
                condition=Q(bpjs_number="") | Q(bpjs_number__regex=r"^[0-9]{13}$"),
                name="booking_bpjs_13_digits",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.code} · {self.ticket}"

    @property
    def ticket(self) -> str:
        """The number as called out: ``A-012``."""
        return f"{self.service.prefix}-{self.queue_number:03d}"

    @property
    def nik_masked(self) -> str:
        return mask_nik(self.nik)

    @property
    def phone_masked(self) -> str:
        return mask_phone(self.phone) if self.phone else ""

    @property
    def is_active(self) -> bool:
        return self.status in self.ACTIVE


class VisitEvent(models.Model):
    """One step of a visit, numbered like BPJS Antrean Online's task ids."""

    class Task(models.IntegerChoices):
        WAIT_ADMISSION = 1, _("Waiting for admission")
        ADMISSION = 2, _("Admission")
        WAIT_SERVICE = 3, _("Waiting for the doctor")
        SERVICE_START = 4, _("Service started")
        SERVICE_END = 5, _("Service ended")
        PHARMACY = 6, _("Pharmacy")
        MEDICINE_READY = 7, _("Medicine ready")
        CANCELLED = 99, _("Cancelled or did not come")

    booking = models.ForeignKey(
        Booking, verbose_name=_("booking"), on_delete=models.CASCADE, related_name="events"
    )
    task = models.PositiveSmallIntegerField(_("task"), choices=Task.choices, null=True)
    status = models.CharField(_("status"), max_length=12, choices=Booking.Status.choices)
    at = models.DateTimeField(_("time"))
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        verbose_name = _("visit event")
        verbose_name_plural = _("visit events")
        ordering = ["booking", "at", "pk"]

    def __str__(self) -> str:
        return f"{self.booking_id} {self.status} {self.at:%H:%M}"
