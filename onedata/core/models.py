"""Core tables: regions, agencies, people and their roles, API tokens, audit log."""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from onedata.core.nik import mask_nik
from onedata.core.roles import Role


class Region(models.Model):
    """An administrative region with its Kemendagri code (``51.71.01.1001``)."""

    class Level(models.TextChoices):
        PROVINCE = "province", _("Province")
        REGENCY = "regency", _("Regency / city")
        DISTRICT = "district", _("District")
        VILLAGE = "village", _("Village")

    code = models.CharField(_("code"), max_length=20, unique=True)
    name = models.CharField(_("name"), max_length=120)
    level = models.CharField(_("level"), max_length=10, choices=Level.choices)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("parent region"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )

    class Meta:
        verbose_name = _("region")
        verbose_name_plural = _("regions")
        ordering = ["code"]
        indexes = [models.Index(fields=["level", "code"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(level__in=["province", "regency", "district", "village"]),
                name="region_level_valid",
            ),
            models.CheckConstraint(
                condition=Q(level="province") | Q(parent__isnull=False),
                name="region_parent_required_below_province",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.code})"

    def covers(self, other: Region) -> bool:
        """True when ``other`` is this region or lies inside it."""
        return other.code == self.code or other.code.startswith(self.code + ".")


class Agency(models.Model):
    """An organisation unit: a provincial office, a regency government, a hospital…"""

    class Kind(models.TextChoices):
        GOVERNMENT = "government", _("Regional government")
        DINAS = "dinas", _("Agency (dinas/badan)")
        HOSPITAL = "hospital", _("Hospital")
        PUSKESMAS = "puskesmas", _("Community health centre")
        CLINIC = "clinic", _("Clinic")
        OFFICE = "office", _("Office")
        SCHOOL = "school", _("School")
        DESA_ADAT = "desa_adat", _("Customary village")
        OTHER = "other", _("Other")

    name = models.CharField(_("name"), max_length=200)
    short_name = models.CharField(_("short name"), max_length=60, blank=True)
    slug = models.SlugField(_("slug"), max_length=80, unique=True)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    region = models.ForeignKey(
        Region, verbose_name=_("region"), on_delete=models.PROTECT, related_name="agencies"
    )
    parent = models.ForeignKey(
        "self",
        verbose_name=_("parent agency"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    email = models.EmailField(_("email"), blank=True)
    website = models.URLField(_("website"), blank=True)
    is_sample = models.BooleanField(
        _("sample data"), default=False, help_text=_("Generated for the demo, not a real body.")
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("agency")
        verbose_name_plural = _("agencies")
        ordering = ["region__code", "name"]

    def __str__(self) -> str:
        return self.name

    @property
    def level(self) -> str:
        return self.region.level


class User(AbstractUser):
    """A person: citizen, civil servant, health worker or developer."""

    name = models.CharField(_("full name"), max_length=150, blank=True)
    email = models.EmailField(_("email address"), blank=True)
    phone = models.CharField(_("phone"), max_length=20, blank=True)
    # NULL, not "", for "no NIK": the unique constraint must allow many people without one.
    nik = models.CharField(  # noqa: DJ001
        _("NIK"), max_length=16, null=True, blank=True, help_text=_("16-digit identity number")
    )
    email_verified_at = models.DateTimeField(_("email verified at"), null=True, blank=True)
    phone_verified_at = models.DateTimeField(_("phone verified at"), null=True, blank=True)

    class Meta(AbstractUser.Meta):
        verbose_name = _("user")
        verbose_name_plural = _("users")
        ordering = ["username"]
        constraints = [
            models.UniqueConstraint(
                fields=["nik"], condition=Q(nik__isnull=False), name="user_nik_unique"
            ),
            models.UniqueConstraint(
                fields=["email"], condition=~Q(email=""), name="user_email_unique"
            ),
            models.CheckConstraint(
                condition=Q(nik__isnull=True) | Q(nik__regex=r"^[0-9]{16}$"),
                name="user_nik_sixteen_digits",
            ),
        ]

    def __str__(self) -> str:
        return self.name or self.username

    @property
    def display_name(self) -> str:
        return self.name or self.username

    @property
    def nik_masked(self) -> str:
        return mask_nik(self.nik)

    @property
    def email_verified(self) -> bool:
        return self.email_verified_at is not None


class Membership(models.Model):
    """A user holds a role at an agency; the role covers the agency's region."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.CASCADE,
        related_name="memberships",
    )
    agency = models.ForeignKey(
        Agency, verbose_name=_("agency"), on_delete=models.CASCADE, related_name="memberships"
    )
    role = models.CharField(_("role"), max_length=30, choices=Role.choices)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        ordering = ["agency__name", "role"]
        constraints = [
            models.UniqueConstraint(fields=["user", "agency", "role"], name="membership_unique"),
            models.CheckConstraint(condition=Q(role__in=Role.values), name="membership_role_valid"),
        ]

    def __str__(self) -> str:
        return f"{self.user} · {self.get_role_display()} · {self.agency}"


class ApiToken(models.Model):
    """A bearer token for programs. Only a SHA-256 hash of the secret is stored."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.CASCADE,
        related_name="api_tokens",
    )
    name = models.CharField(_("name"), max_length=100)
    prefix = models.CharField(_("prefix"), max_length=16, unique=True, editable=False)
    token_hash = models.CharField(_("token hash"), max_length=64, editable=False)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    expires_at = models.DateTimeField(_("expires at"), null=True, blank=True)
    last_used_at = models.DateTimeField(_("last used at"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)

    class Meta:
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"

    def is_usable(self, now=None) -> bool:
        now = now or timezone.now()
        if self.revoked_at is not None:
            return False
        return self.expires_at is None or self.expires_at > now


class AuditEventQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise TypeError("Audit events are append-only")

    def delete(self):
        raise TypeError("Audit events are append-only")


class AuditEvent(models.Model):
    """Who did what to which object, when and from where. Append-only."""

    created_at = models.DateTimeField(_("time"), default=timezone.now, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("actor"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    actor_label = models.CharField(_("actor name"), max_length=150, blank=True)
    action = models.CharField(_("action"), max_length=80, db_index=True)
    object_type = models.CharField(_("object type"), max_length=80, blank=True, db_index=True)
    object_id = models.CharField(_("object id"), max_length=64, blank=True)
    object_repr = models.CharField(_("object"), max_length=200, blank=True)
    before = models.JSONField(_("before"), null=True, blank=True)
    after = models.JSONField(_("after"), null=True, blank=True)
    ip = models.GenericIPAddressField(_("IP address"), null=True, blank=True)
    request_id = models.CharField(_("request id"), max_length=64, blank=True)

    objects = AuditEventQuerySet.as_manager()

    class Meta:
        verbose_name = _("audit event")
        verbose_name_plural = _("audit events")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["object_type", "object_id"])]

    def __str__(self) -> str:
        return f"{self.created_at:%Y-%m-%d %H:%M} {self.actor_label} {self.action}"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise TypeError("Audit events are append-only")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise TypeError("Audit events are append-only")


class RateCounter(models.Model):
    """A counter per key and time window, for rate limits when no Redis is configured."""

    key = models.CharField(_("key"), max_length=200)
    window = models.BigIntegerField(_("window"))
    count = models.PositiveIntegerField(_("count"), default=0)
    expires_at = models.DateTimeField(_("expires at"), db_index=True)

    class Meta:
        verbose_name = _("rate counter")
        verbose_name_plural = _("rate counters")
        constraints = [
            models.UniqueConstraint(fields=["key", "window"], name="ratecounter_key_window")
        ]

    def __str__(self) -> str:
        return f"{self.key}@{self.window}={self.count}"


class PhoneChallenge(models.Model):
    """The code texted to a user to confirm their phone number: only its keyed hash is kept."""

    user = models.OneToOneField(
        User, verbose_name=_("user"), on_delete=models.CASCADE, related_name="phone_challenge"
    )
    phone = models.CharField(_("phone"), max_length=20)
    code_hash = models.CharField(_("code hash"), max_length=64)
    attempts = models.PositiveSmallIntegerField(_("wrong tries"), default=0)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    expires_at = models.DateTimeField(_("expires at"))

    class Meta:
        verbose_name = _("phone confirmation code")
        verbose_name_plural = _("phone confirmation codes")

    def __str__(self) -> str:
        return f"{self.user} {self.phone}"


class PeriodicRun(models.Model):
    """One due run of a periodic task: the unique (name, slot) lets many schedulers run
    at once (one per host) while each due run is enqueued exactly once."""

    name = models.CharField(_("task"), max_length=100)
    slot = models.DateTimeField(_("due at"))
    enqueued_at = models.DateTimeField(_("enqueued at"), default=timezone.now)

    class Meta:
        verbose_name = _("periodic run")
        verbose_name_plural = _("periodic runs")
        ordering = ["-slot"]
        constraints = [
            models.UniqueConstraint(fields=["name", "slot"], name="periodicrun_name_slot")
        ]

    def __str__(self) -> str:
        return f"{self.name}@{self.slot:%Y-%m-%d %H:%M}"
