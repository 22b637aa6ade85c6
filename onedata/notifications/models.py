"""The notification service: applications that send, their keys, templates, messages,
their delivery events, the suppression list and the in-app inbox."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from onedata.core.models import Agency


class Application(models.Model):
    """A government application (or a module of this platform) that sends through us."""

    agency = models.ForeignKey(
        Agency,
        verbose_name=_("agency"),
        on_delete=models.PROTECT,
        related_name="notification_applications",
    )
    name = models.CharField(_("name"), max_length=120)
    slug = models.SlugField(_("slug"), max_length=80, unique=True)
    rate_per_second = models.PositiveIntegerField(_("messages per second"), default=10)
    rate_per_day = models.PositiveIntegerField(_("messages per day"), default=10_000)
    is_internal = models.BooleanField(
        _("platform module"),
        default=False,
        help_text=_("A module of this platform, sending in-process rather than by API key."),
    )
    is_active = models.BooleanField(_("active"), default=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("application")
        verbose_name_plural = _("applications")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class ApplicationKey(models.Model):
    """A sending key of an application. Only a SHA-256 hash of the secret is stored."""

    application = models.ForeignKey(
        Application, verbose_name=_("application"), on_delete=models.CASCADE, related_name="keys"
    )
    name = models.CharField(_("name"), max_length=100)
    prefix = models.CharField(_("prefix"), max_length=16, unique=True, editable=False)
    key_hash = models.CharField(_("key hash"), max_length=64, editable=False)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    last_used_at = models.DateTimeField(_("last used at"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)

    class Meta:
        verbose_name = _("application key")
        verbose_name_plural = _("application keys")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.application} · {self.name} ({self.prefix}…)"


class Template(models.Model):
    """One version of a named template in one language. A new edit is a new version."""

    class Language(models.TextChoices):
        ID = "id", _("Bahasa Indonesia")
        EN = "en", _("English")

    application = models.ForeignKey(
        Application,
        verbose_name=_("application"),
        on_delete=models.CASCADE,
        related_name="templates",
    )
    name = models.SlugField(_("name"), max_length=80)
    language = models.CharField(
        _("language"), max_length=5, choices=Language.choices, default=Language.ID
    )
    version = models.PositiveIntegerField(_("version"))
    subject = models.CharField(_("subject"), max_length=300)
    text = models.TextField(_("text part"))
    html = models.TextField(_("HTML part"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("template")
        verbose_name_plural = _("templates")
        ordering = ["application", "name", "language", "-version"]
        constraints = [
            models.UniqueConstraint(
                fields=["application", "name", "language", "version"],
                name="template_version_unique",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} v{self.version} ({self.language})"


class Message(models.Model):
    """One message to one or more recipients on one channel, and its delivery state."""

    class Channel(models.TextChoices):
        EMAIL = "email", _("Email")
        INAPP = "inapp", _("In-app")
        SMS = "sms", _("SMS")

    class Status(models.TextChoices):
        QUEUED = "queued", _("Queued")
        SENDING = "sending", _("Sending")
        DELIVERED = "delivered", _("Delivered")
        DEFERRED = "deferred", _("Deferred (will retry)")
        BOUNCED = "bounced", _("Bounced")
        FAILED = "failed", _("Failed")
        SUPPRESSED = "suppressed", _("Suppressed")
        REJECTED = "rejected", _("Rejected")

    FINAL = (Status.DELIVERED, Status.BOUNCED, Status.FAILED, Status.SUPPRESSED, Status.REJECTED)

    application = models.ForeignKey(
        Application,
        verbose_name=_("application"),
        on_delete=models.PROTECT,
        related_name="messages",
    )
    channel = models.CharField(
        _("channel"), max_length=10, choices=Channel.choices, default=Channel.EMAIL
    )
    status = models.CharField(
        _("status"), max_length=12, choices=Status.choices, default=Status.QUEUED, db_index=True
    )
    from_email = models.CharField(_("from"), max_length=320, blank=True)
    reply_to = models.CharField(_("reply to"), max_length=320, blank=True)
    to = models.JSONField(_("to"), default=list)
    cc = models.JSONField(_("cc"), default=list, blank=True)
    bcc = models.JSONField(_("bcc"), default=list, blank=True)
    recipient_user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recipient"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    subject = models.CharField(_("subject"), max_length=300, blank=True)
    text = models.TextField(_("text"), blank=True)
    html = models.TextField(_("HTML"), blank=True)
    template = models.ForeignKey(
        Template,
        verbose_name=_("template"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    tags = models.JSONField(_("tags"), default=list, blank=True)
    idempotency_key = models.CharField(_("idempotency key"), max_length=200, blank=True)
    request_hash = models.CharField(_("request hash"), max_length=64, blank=True)
    attempts = models.PositiveIntegerField(_("attempts"), default=0)
    next_attempt_at = models.DateTimeField(_("next attempt at"), default=timezone.now)
    claimed_until = models.DateTimeField(_("claimed until"), null=True, blank=True)
    claimed_by = models.CharField(_("claimed by"), max_length=64, blank=True)
    # The first recipient's mail domain ("sms" for SMS): workers limit how many of them
    # send to one domain at once (NOTIFY_DOMAIN_CONCURRENCY).
    domain = models.CharField(_("recipient domain"), max_length=255, blank=True)
    last_error = models.TextField(_("last error"), blank=True)
    created_at = models.DateTimeField(_("created at"), default=timezone.now, db_index=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)
    read_at = models.DateTimeField(_("read at"), null=True, blank=True)

    class Meta:
        verbose_name = _("message")
        verbose_name_plural = _("messages")
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["status", "next_attempt_at"], name="message_due"),
            models.Index(fields=["recipient_user", "channel", "read_at"], name="message_inbox"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["application", "idempotency_key"],
                condition=~Q(idempotency_key=""),
                name="message_idempotency_unique",
            ),
        ]

    def __str__(self) -> str:
        return f"#{self.pk} {self.subject[:60]} → {', '.join(self.to)[:60]}"

    @property
    def is_final(self) -> bool:
        return self.status in self.FINAL


class Attachment(models.Model):
    message = models.ForeignKey(
        Message, verbose_name=_("message"), on_delete=models.CASCADE, related_name="attachments"
    )
    filename = models.CharField(_("file name"), max_length=200)
    content_type = models.CharField(_("content type"), max_length=100)
    content = models.BinaryField(_("content"))
    size = models.PositiveIntegerField(_("size"))

    class Meta:
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")
        ordering = ["id"]

    def __str__(self) -> str:
        return self.filename


class MessageEvent(models.Model):
    """What happened to a message: queued, attempt, deferred, delivered, bounced…"""

    message = models.ForeignKey(
        Message, verbose_name=_("message"), on_delete=models.CASCADE, related_name="events"
    )
    kind = models.CharField(_("kind"), max_length=20)
    detail = models.TextField(_("detail"), blank=True)
    created_at = models.DateTimeField(_("time"), default=timezone.now)

    class Meta:
        verbose_name = _("message event")
        verbose_name_plural = _("message events")
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return f"{self.kind} {self.created_at:%Y-%m-%d %H:%M:%S}"


class Suppression(models.Model):
    """An address we no longer send to: it bounced permanently, or was added by hand."""

    class Reason(models.TextChoices):
        BOUNCE = "bounce", _("Permanent bounce")
        COMPLAINT = "complaint", _("Complaint")
        MANUAL = "manual", _("Added by hand")

    email = models.EmailField(_("email"), max_length=320, unique=True)
    reason = models.CharField(_("reason"), max_length=20, choices=Reason.choices)
    detail = models.TextField(_("detail"), blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("suppressed address")
        verbose_name_plural = _("suppressed addresses")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return self.email


class VerifiedSender(models.Model):
    """An address of an agency that its applications may send from, once confirmed."""

    agency = models.ForeignKey(
        Agency, verbose_name=_("agency"), on_delete=models.CASCADE, related_name="verified_senders"
    )
    email = models.EmailField(_("email"), max_length=320)
    verified_at = models.DateTimeField(_("verified at"), null=True, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("sender address")
        verbose_name_plural = _("sender addresses")
        ordering = ["email"]
        constraints = [
            models.UniqueConstraint(fields=["agency", "email"], name="sender_unique"),
        ]

    def __str__(self) -> str:
        return self.email


class WebhookEndpoint(models.Model):
    """A URL of an application that receives its messages' delivery events, signed."""

    EVENTS = ("delivered", "bounced", "failed", "deferred", "suppressed")

    application = models.ForeignKey(
        Application,
        verbose_name=_("application"),
        on_delete=models.CASCADE,
        related_name="webhooks",
    )
    url = models.URLField(_("URL"), max_length=500)
    secret = models.CharField(_("signing secret"), max_length=80, editable=False)
    events = models.JSONField(_("events"), default=list)
    is_active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("webhook endpoint")
        verbose_name_plural = _("webhook endpoints")
        ordering = ["created_at"]

    def __str__(self) -> str:
        return self.url


class WebhookDelivery(models.Model):
    """One event to one endpoint, retried with backoff until it is answered with 2xx."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Pending")
        DELIVERED = "delivered", _("Delivered")
        FAILED = "failed", _("Failed")

    endpoint = models.ForeignKey(
        WebhookEndpoint,
        verbose_name=_("endpoint"),
        on_delete=models.CASCADE,
        related_name="deliveries",
    )
    event = models.CharField(_("event"), max_length=20)
    payload = models.JSONField(_("payload"))
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.PENDING
    )
    attempts = models.PositiveIntegerField(_("attempts"), default=0)
    next_attempt_at = models.DateTimeField(_("next attempt at"), default=timezone.now)
    claimed_until = models.DateTimeField(_("claimed until"), null=True, blank=True)
    last_status_code = models.PositiveIntegerField(_("last HTTP status"), null=True, blank=True)
    last_error = models.TextField(_("last error"), blank=True)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)

    class Meta:
        verbose_name = _("webhook delivery")
        verbose_name_plural = _("webhook deliveries")
        ordering = ["created_at", "id"]
        indexes = [models.Index(fields=["status", "next_attempt_at"], name="webhook_due")]

    def __str__(self) -> str:
        return f"{self.event} → {self.endpoint}"
