"""Notification use cases: register applications and keys, keep templates, accept
messages (idempotent, within quota), deliver them with retries, keep the suppression list.

Other modules send through ``send(...)``; outside applications through the API, which
calls the same ``message_send``.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import json
import logging
import secrets
import uuid
from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.db import IntegrityError, connection, transaction
from django.db.models import Count, Q
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from onedata.core import audit, bearer, ratelimit
from onedata.core.errors import Conflict, NotFound, RateLimited, ValidationError
from onedata.core.models import Agency, User
from onedata.notifications import backoff, delivery, templating, webhooks
from onedata.notifications.addresses import AddressError, normalise
from onedata.notifications.models import (
    Application,
    ApplicationKey,
    Attachment,
    Message,
    MessageEvent,
    Suppression,
    Template,
    VerifiedSender,
    WebhookDelivery,
    WebhookEndpoint,
)

logger = logging.getLogger("onedata.notifications")

KEY_PREFIX = "odn_"  # noqa: S105 - a public marker, not a secret
MAX_RECIPIENTS = 50
MAX_TAGS = 10
MAX_BULK = 500
CLAIM_SECONDS = 120
CLAIM_LOCK_KEY = 7_351_001  # pg_advisory_xact_lock key of messages_claim
Status = Message.Status


# --- applications and keys ---------------------------------------------------------------


def application_create(
    *,
    actor,
    agency: Agency,
    name: str,
    is_internal: bool = False,
    rate_per_second: int = 10,
    rate_per_day: int = 10_000,
) -> Application:
    name = (name or "").strip()
    if not name:
        raise ValidationError.for_field("name", _("Give the application a name."))
    base = slugify(name)[:60] or "app"
    slug, n = base, 1
    while Application.objects.filter(slug=slug).exists():
        n += 1
        slug = f"{base}-{n}"
    with transaction.atomic():
        application = Application.objects.create(
            agency=agency,
            name=name[:120],
            slug=slug,
            is_internal=is_internal,
            rate_per_second=rate_per_second,
            rate_per_day=rate_per_day,
            created_by=actor if getattr(actor, "is_authenticated", False) else None,
        )
        audit.record(
            actor=actor,
            action="notifications.application.create",
            obj=application,
            after={"name": application.name, "agency": agency.pk},
        )
    return application


@dataclass(frozen=True)
class IssuedKey:
    key: ApplicationKey
    plaintext: str


def application_key_create(*, actor, application: Application, name: str) -> IssuedKey:
    name = (name or "").strip()[:100]
    if not name:
        raise ValidationError.for_field("name", _("Give the key a name."))
    secret = bearer.issue(KEY_PREFIX)
    prefix, plaintext = secret.prefix, secret.plaintext
    with transaction.atomic():
        key = ApplicationKey.objects.create(
            application=application, name=name, prefix=prefix, key_hash=secret.digest
        )
        audit.record(
            actor=actor,
            action="notifications.key.create",
            obj=key,
            after={"application": application.pk, "prefix": prefix},
        )
    return IssuedKey(key=key, plaintext=plaintext)


def application_key_revoke(*, actor, key: ApplicationKey) -> ApplicationKey:
    with transaction.atomic():
        key = ApplicationKey.objects.select_for_update().get(pk=key.pk)
        if key.revoked_at is None:
            key.revoked_at = timezone.now()
            key.save(update_fields=["revoked_at"])
            audit.record(actor=actor, action="notifications.key.revoke", obj=key)
    return key


def application_key_authenticate(plaintext: str) -> Application | None:
    prefix = bearer.prefix_of(plaintext, KEY_PREFIX)
    if prefix is None:
        return None
    key = ApplicationKey.objects.select_related("application__agency").filter(prefix=prefix).first()
    if key is None or key.revoked_at is not None or not key.application.is_active:
        return None
    if not bearer.matches(key.key_hash, plaintext):
        return None
    now = timezone.now()
    if key.last_used_at is None or now - key.last_used_at > timedelta(minutes=1):
        ApplicationKey.objects.filter(pk=key.pk).update(last_used_at=now)
    return key.application


def internal_application(slug: str, *, name: str | None = None) -> Application:
    """The application a platform module sends as (created on first use)."""
    application = Application.objects.filter(slug=slug).first()
    if application is None:
        agency = Agency.objects.order_by("region__code", "pk").first()
        if agency is None:
            raise NotFound(_("No agency exists yet to own the platform's notifications."))
        application, _created = Application.objects.get_or_create(
            slug=slug,
            defaults={
                "agency": agency,
                "name": name or slug,
                "is_internal": True,
                "rate_per_second": 1000,
                "rate_per_day": 10_000_000,
            },
        )
    return application


# --- templates ---------------------------------------------------------------------------


def template_save(
    *,
    actor,
    application: Application,
    name: str,
    language: str,
    subject: str,
    text: str,
    html: str = "",
) -> Template:
    """Save a new version of a template (earlier versions stay, for messages sent with them)."""
    fields: dict[str, list[str]] = {}
    name = slugify(name or "")[:80]
    if not name:
        fields["name"] = [_("Give the template a name (letters, digits, dashes).")]
    if language not in Template.Language.values:
        fields["language"] = [_("Choose id or en.")]
    if not (subject or "").strip():
        fields["subject"] = [_("A subject is required.")]
    if not (text or "").strip():
        fields["text"] = [_("A text part is required (for mail readers without HTML).")]
    for part, source, is_html in (
        ("subject", subject, False),
        ("text", text, False),
        ("html", html, True),
    ):
        try:
            templating.check_syntax(source or "", part=part, html=is_html)
        except templating.RenderError as error:
            fields.setdefault(part, []).append(error.problem)
    if fields:
        raise ValidationError(_("The template has errors."), fields=fields)
    with transaction.atomic():
        latest = (
            Template.objects.select_for_update()
            .filter(application=application, name=name, language=language)
            .order_by("-version")
            .first()
        )
        template = Template.objects.create(
            application=application,
            name=name,
            language=language,
            version=(latest.version + 1) if latest else 1,
            subject=subject.strip(),
            text=text,
            html=html or "",
            created_by=actor if getattr(actor, "is_authenticated", False) else None,
        )
        audit.record(
            actor=actor,
            action="notifications.template.save",
            obj=template,
            after={"name": name, "language": language, "version": template.version},
        )
    return template


def template_latest(application: Application, name: str, language: str) -> Template | None:
    templates = Template.objects.filter(application=application, name=name)
    return (
        templates.filter(language=language).order_by("-version").first()
        or templates.filter(language="id").order_by("-version").first()
    )


# --- accepting messages ------------------------------------------------------------------


@dataclass(frozen=True)
class AttachmentIn:
    filename: str
    content_type: str
    content_base64: str


def _addresses(values, field: str, fields: dict) -> list[str]:
    cleaned = []
    for index, raw in enumerate(values or []):
        try:
            cleaned.append(normalise(str(raw)))
        except AddressError:
            fields.setdefault(f"{field}[{index}]", []).append(
                _("%(value)s is not a valid email address.") % {"value": str(raw)[:100]}
            )
    return list(dict.fromkeys(cleaned))  # each address once, order kept


def _phones(values, fields: dict) -> list[str]:
    from onedata.notifications.sms import PhoneError, normalise_phone

    cleaned = []
    for index, raw in enumerate(values or []):
        try:
            cleaned.append(normalise_phone(str(raw)))
        except PhoneError:
            fields.setdefault(f"to[{index}]", []).append(
                _("%(value)s is not a phone number (e.g. 081234567890).") % {"value": str(raw)[:40]}
            )
    return list(dict.fromkeys(cleaned))


def _request_hash(payload: dict) -> str:
    return hashlib.sha256(json.dumps(payload, sort_keys=True, default=str).encode()).hexdigest()


def _check_quota(application: Application, count: int) -> None:
    for suffix, limit, period in (
        ("s", application.rate_per_second, 1),
        ("d", application.rate_per_day, 86_400),
    ):
        decision = ratelimit.hit(
            f"notify:{application.pk}:{suffix}", limit=limit, period=period, cost=count
        )
        if not decision.allowed:
            raise RateLimited(
                _("Quota reached: at most %(limit)d messages per %(period)s.")
                % {"limit": limit, "period": _("second") if suffix == "s" else _("day")},
                retry_after=decision.retry_after,
            )


def message_send(
    *,
    application: Application,
    to: list[str],
    cc: list[str] | None = None,
    bcc: list[str] | None = None,
    from_email: str = "",
    reply_to: str = "",
    subject: str = "",
    text: str = "",
    html: str = "",
    template: str = "",
    data: dict | None = None,
    language: str = "id",
    attachments: list[AttachmentIn] | None = None,
    tags: list[str] | None = None,
    channel: str = Message.Channel.EMAIL,
    idempotency_key: str = "",
    check_quota: bool = True,
) -> tuple[Message, bool]:
    """Validate and queue one message. Returns (message, created); with an idempotency key
    already used for the same request, the earlier message and False."""
    payload = {
        "to": to,
        "cc": cc,
        "bcc": bcc,
        "from": from_email,
        "reply_to": reply_to,
        "subject": subject,
        "text": text,
        "html": html,
        "template": template,
        "data": data,
        "language": language,
        "tags": tags,
        "channel": channel,
        "attachments": [a.__dict__ for a in attachments or []],
    }
    request_hash = _request_hash(payload)
    idempotency_key = (idempotency_key or "").strip()[:200]
    if idempotency_key:
        earlier = Message.objects.filter(
            application=application, idempotency_key=idempotency_key
        ).first()
        if earlier is not None:
            return _same_request(earlier, request_hash), False
    draft, files = _validate(
        application=application,
        to=to,
        cc=cc,
        bcc=bcc,
        from_email=from_email,
        reply_to=reply_to,
        subject=subject,
        text=text,
        html=html,
        template=template,
        data=data or {},
        language=language,
        attachments=attachments or [],
        tags=tags or [],
        channel=channel,
    )
    if check_quota:
        _check_quota(application, 1)
    try:
        with transaction.atomic():
            message = _store(application, draft, files, idempotency_key, request_hash)
    except IntegrityError:
        earlier = Message.objects.filter(
            application=application, idempotency_key=idempotency_key
        ).first()
        if earlier is None:
            raise
        return _same_request(earlier, request_hash), False
    return message, True


def _same_request(earlier: Message, request_hash: str) -> Message:
    if earlier.request_hash != request_hash:
        raise Conflict(
            _("This idempotency key was used for a different message."),
            fields={"idempotency_key": [_("Already used with other content.")]},
        )
    return earlier


def _validate(
    *,
    application,
    to,
    cc,
    bcc,
    from_email,
    reply_to,
    subject,
    text,
    html,
    template,
    data,
    language,
    attachments,
    tags,
    channel,
):
    fields: dict[str, list[str]] = {}
    draft: dict = {"channel": channel, "tags": [], "template": None, "recipient_user": None}
    if channel not in Message.Channel.values:
        fields["channel"] = [_("Choose email, inapp or sms.")]
    elif channel == Message.Channel.SMS and not settings.NOTIFY_SMS_URL:
        fields["channel"] = [_("SMS is not configured on this platform.")]
    if not isinstance(data, dict):
        fields["data"] = [_("data must be an object of names to values.")]
        data = {}
    if channel == Message.Channel.INAPP:
        usernames = [str(value).strip() for value in to or []]
        if len(usernames) != 1:
            fields["to"] = [_("An in-app message goes to exactly one user (username).")]
        else:
            user = User.objects.filter(
                Q(username=usernames[0]) | Q(email=usernames[0]), is_active=True
            ).first()
            if user is None:
                fields["to[0]"] = [_("No user %(name)s.") % {"name": usernames[0][:100]}]
            draft["recipient_user"] = user
        draft.update(to=usernames, cc=[], bcc=[])
    elif channel == Message.Channel.SMS:
        draft.update(to=_phones(to, fields), cc=[], bcc=[])
        if not to:
            fields.setdefault("to", []).append(_("At least one phone number is required."))
        if len(text or "") > 1600:
            fields["text"] = [_("An SMS may have at most 1600 characters.")]
    else:
        draft["to"] = _addresses(to, "to", fields)
        draft["cc"] = _addresses(cc, "cc", fields)
        draft["bcc"] = _addresses(bcc, "bcc", fields)
        if not to:
            fields.setdefault("to", []).append(_("At least one recipient is required."))
        if len(draft["to"]) + len(draft["cc"]) + len(draft["bcc"]) > MAX_RECIPIENTS:
            fields.setdefault("to", []).append(
                _("At most %(n)d recipients in all; use the bulk endpoint for more.")
                % {"n": MAX_RECIPIENTS}
            )
    draft["from_email"] = ""
    if from_email:
        try:
            sender = normalise(from_email)
        except AddressError:
            fields["from"] = [_("Not a valid email address.")]
        else:
            if not VerifiedSender.objects.filter(
                agency=application.agency, email=sender, verified_at__isnull=False
            ).exists():
                fields["from"] = [
                    _("%(address)s is not a verified sender of your agency.") % {"address": sender}
                ]
            draft["from_email"] = sender
    draft["reply_to"] = ""
    if reply_to:
        try:
            draft["reply_to"] = normalise(reply_to)
        except AddressError:
            fields["reply_to"] = [_("Not a valid email address.")]
    if template:
        found = template_latest(application, slugify(template), language)
        if found is None:
            fields["template"] = [_("No template named %(name)s.") % {"name": template[:80]}]
        else:
            try:
                rendered = templating.render(found.subject, found.text, found.html, data)
            except templating.RenderError as error:
                fields.setdefault("data", []).append(f"{error.part}: {error.problem}")
            else:
                subject, text, html = rendered.subject, rendered.text, rendered.html
            draft["template"] = found
    elif not (subject or "").strip() and channel != Message.Channel.SMS:
        fields["subject"] = [_("A subject (or a template) is required.")]
    if not template and not (text or html):
        fields["text"] = [_("A text or HTML body (or a template) is required.")]
    if subject and ("\n" in subject or "\r" in subject):
        fields["subject"] = [_("The subject may not contain a line break.")]
    if len(subject or "") > 300:
        fields["subject"] = [_("At most 300 characters.")]
    draft.update(subject=(subject or "").strip(), text=text or "", html=html or "")
    if len(tags) > MAX_TAGS or any(not isinstance(t, str) or not 0 < len(t) <= 50 for t in tags):
        fields["tags"] = [_("At most %(n)d tags of 1 to 50 characters.") % {"n": MAX_TAGS}]
    else:
        draft["tags"] = tags
    files = _attachments(attachments, fields)
    if fields:
        raise ValidationError(_("The message was not accepted."), fields=fields)
    return draft, files


def _attachments(attachments: list[AttachmentIn], fields: dict) -> list[dict]:
    from onedata.core import uploads

    files, total = [], 0
    for index, item in enumerate(attachments):
        field = f"attachments[{index}]"
        try:
            content = base64.b64decode(item.content_base64, validate=True)
        except (binascii.Error, ValueError):
            fields[field] = [_("content_base64 is not valid base64.")]
            continue
        total += len(content)
        if total > settings.NOTIFY_MAX_ATTACHMENT_BYTES:
            fields[field] = [
                _("Attachments may total at most %(mb)d MB.")
                % {"mb": settings.NOTIFY_MAX_ATTACHMENT_BYTES // 1_000_000}
            ]
            break
        try:
            checked = uploads.check_upload(content, uploads.ATTACHMENT, field=field)
        except ValidationError as error:
            fields.update(error.fields)
            continue
        files.append(
            {
                "filename": uploads.original_display_name(item.filename)
                or f"attachment{checked.extension}",
                "content_type": checked.content_type,
                "content": checked.open().read(),
                "size": checked.size,
            }
        )
    return files


def _store(application, draft, files, idempotency_key, request_hash) -> Message:
    now = timezone.now()
    recipients = draft["to"] + draft["cc"] + draft["bcc"]
    message = Message(
        application=application,
        idempotency_key=idempotency_key,
        request_hash=request_hash,
        created_at=now,
        next_attempt_at=now,
        **draft,
    )
    message.domain = recipient_domain(message.channel, recipients)
    if message.channel == Message.Channel.INAPP:
        message.status, message.finished_at = Status.DELIVERED, now
    elif Suppression.objects.filter(email__in=recipients).count() == len(recipients):
        message.status, message.finished_at = Status.SUPPRESSED, now
    message.save()
    for file in files:
        Attachment.objects.create(message=message, **file)
    MessageEvent.objects.create(message=message, kind="queued")
    if message.status == Status.SUPPRESSED:
        event = MessageEvent.objects.create(
            message=message,
            kind="suppressed",
            detail=_("Every recipient is on the suppression list."),
        )
        _emit_webhooks(message, [event])
    elif message.status == Status.DELIVERED:
        MessageEvent.objects.create(
            message=message, kind="delivered", detail=_("In the user's inbox.")
        )
    else:
        transaction.on_commit(_wake_workers)
    return message


def _wake_workers() -> None:
    from onedata.notifications import tasks

    try:
        tasks.wake()
    except Exception:  # the message is safe in the table; a later run delivers it
        logger.exception("could not enqueue delivery")


def recipients_verified(message: Message) -> list[tuple[str, bool]]:
    """Each to/cc recipient, and whether a platform user has confirmed that address (or
    phone number, for SMS)."""
    recipients = message.to + message.cc
    if message.channel == Message.Channel.SMS:
        confirmed = User.objects.filter(phone__in=recipients, phone_verified_at__isnull=False)
        verified = set(confirmed.values_list("phone", flat=True))
    else:
        confirmed = User.objects.filter(email__in=recipients, email_verified_at__isnull=False)
        verified = set(confirmed.values_list("email", flat=True))
    return [(address, address in verified) for address in recipients]


def sms_available() -> bool:
    """Whether text messages can be sent here (an SMS provider is configured)."""
    return bool(settings.NOTIFY_SMS_URL)


def send(*, module: str, to: list[str], **fields) -> Message:
    """For the platform's own modules: ``send(module="clinics", to=[...], template=...)``."""
    message, _created = message_send(
        application=internal_application(module), to=to, check_quota=False, **fields
    )
    return message


@dataclass(frozen=True)
class BulkResult:
    index: int
    id: int | None
    status: str
    error: dict | None = None


def message_send_bulk(*, application: Application, entries: list[dict]) -> list[BulkResult]:
    """Up to 500 messages; each is accepted or refused on its own (like SES SendBulkEmail)."""
    if not entries:
        raise ValidationError.for_field("messages", _("Send at least one message."))
    if len(entries) > MAX_BULK:
        raise ValidationError.for_field(
            "messages", _("At most %(n)d messages in one request.") % {"n": MAX_BULK}
        )
    _check_quota(application, len(entries))
    results = []
    for index, entry in enumerate(entries):
        try:
            message, _created = message_send(application=application, check_quota=False, **entry)
        except (ValidationError, Conflict) as error:
            results.append(
                BulkResult(
                    index=index,
                    id=None,
                    status="rejected",
                    error={"code": error.code, "message": error.message, "fields": error.fields},
                )
            )
        else:
            results.append(BulkResult(index=index, id=message.pk, status=message.status))
    return results


# --- delivering --------------------------------------------------------------------------


def recipient_domain(channel: str, recipients: list[str]) -> str:
    """The domain whose concurrency limit a message counts against: its first recipient's."""
    if channel == Message.Channel.SMS:
        return "sms"
    return recipients[0].rpartition("@")[2].lower() if recipients else ""


def domain_limit(domain: str) -> int:
    return settings.NOTIFY_DOMAIN_LIMITS.get(domain, settings.NOTIFY_DOMAIN_CONCURRENCY)


def _serialise_claims() -> None:
    """Claims are taken one at a time, so two workers cannot both see a domain as free.
    SQLite already runs write transactions one at a time (IMMEDIATE); PostgreSQL takes a
    transaction-level advisory lock. A claim is three short queries."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [CLAIM_LOCK_KEY])


def _full_domains(worker: str, now) -> list[str]:
    """Domains where other workers already hold as many live claims as the domain allows."""
    busy = (
        Message.objects.filter(status=Status.SENDING, claimed_until__gte=now)
        .exclude(claimed_by=worker)
        .values("domain")
        .annotate(workers=Count("claimed_by", distinct=True))
    )
    return [row["domain"] for row in busy if row["workers"] >= domain_limit(row["domain"])]


def messages_claim(*, worker: str, limit: int = 50, now=None) -> list[int]:
    """Take up to ``limit`` due email and SMS messages for this worker.

    A claim lasts CLAIM_SECONDS: a worker that dies mid-send leaves its claim to expire,
    and the next worker takes the message up again (at-least-once delivery). Messages to a
    domain that already has its limit of workers sending to it wait for a later claim.
    """
    now = now or timezone.now()
    with transaction.atomic():
        _serialise_claims()
        due = (
            Message.objects.filter(
                channel__in=[Message.Channel.EMAIL, Message.Channel.SMS],
                status__in=[Status.QUEUED, Status.DEFERRED, Status.SENDING],
                next_attempt_at__lte=now,
            )
            .filter(Q(claimed_until__isnull=True) | Q(claimed_until__lt=now))
            .exclude(domain__in=_full_domains(worker, now))
            .order_by("next_attempt_at", "id")
        )
        ids = list(due.values_list("id", flat=True)[:limit])
        if ids:
            Message.objects.filter(id__in=ids).update(
                status=Status.SENDING,
                claimed_by=worker,
                claimed_until=now + timedelta(seconds=CLAIM_SECONDS),
            )
    return ids


RECORD_EVERY = 10  # outcomes written per transaction; the most a dead worker sends twice


def message_deliver(
    *, message_id: int, worker: str, now=None, relay: delivery.Relay | None = None
) -> Message | None:
    """One attempt for one claimed message; None when it is not this worker's (any more)."""
    delivered = messages_deliver(message_ids=[message_id], worker=worker, now=now, relay=relay)
    return delivered[0] if delivered else None


def messages_deliver(
    *, message_ids: list[int], worker: str, now=None, relay: delivery.Relay | None = None
) -> list[Message]:
    """One attempt for each of this worker's claimed messages, over one relay connection.

    The messages, their attachments and the suppressed addresses are read in three
    queries; outcomes are written RECORD_EVERY messages at a time in one transaction (a
    worker killed mid-group sends at most that many messages a second time)."""
    messages = list(
        Message.objects.filter(pk__in=message_ids, claimed_by=worker, status=Status.SENDING)
        .prefetch_related("attachments")
        .order_by("id")
    )
    if not messages:
        return []
    everyone = {r for message in messages for r in message.to + message.cc + message.bcc}
    suppressed_anywhere = set(
        Suppression.objects.filter(email__in=everyone).values_list("email", flat=True)
    )
    recorded: list[Message] = []
    pending: list[tuple[Message, delivery.Outcome, set]] = []
    for message in messages:
        recipients = message.to + message.cc + message.bcc
        suppressed = {r for r in recipients if r in suppressed_anywhere}
        remaining = [r for r in recipients if r not in suppressed]
        pending.append((message, _attempt(message, remaining, relay), suppressed))
        if len(pending) == RECORD_EVERY:
            recorded += _record_outcomes(pending, worker, now or timezone.now())
            pending = []
    if pending:
        recorded += _record_outcomes(pending, worker, now or timezone.now())
    return recorded


def _attempt(message: Message, recipients: list[str], relay) -> delivery.Outcome:
    if not recipients:
        return delivery.Outcome()
    if message.channel == Message.Channel.SMS:
        from onedata.notifications import sms

        return sms.send(message, recipients)
    return delivery.send(message, recipients, relay)


OUTCOME_FIELDS = [
    "status",
    "attempts",
    "claimed_by",
    "claimed_until",
    "last_error",
    "next_attempt_at",
    "finished_at",
]


def _record_outcomes(results: list[tuple[Message, delivery.Outcome, set]], worker, now):
    """Write a group of outcomes: messages whose claim another worker took over (it
    expired) are left to that worker."""
    with transaction.atomic():
        still_ours = set(
            Message.objects.select_for_update()
            .filter(pk__in=[m.pk for m, _o, _s in results], claimed_by=worker)
            .filter(status=Status.SENDING)
            .values_list("pk", flat=True)
        )
        endpoints = _endpoints_by_application({m.application_id for m, _o, _s in results})
        changed, events, deliveries = [], [], []
        for message, outcome, suppressed in results:
            if message.pk not in still_ours:
                continue
            new_events = _apply_outcome(message, outcome, suppressed, message.attempts + 1, now)
            changed.append(message)
            events.extend(new_events)
            deliveries.extend(
                _webhook_deliveries(message, new_events, endpoints.get(message.application_id))
            )
        if changed:
            Message.objects.bulk_update(changed, OUTCOME_FIELDS)
            MessageEvent.objects.bulk_create(events)
        if deliveries:
            WebhookDelivery.objects.bulk_create(deliveries)
            transaction.on_commit(_wake_workers)
    return changed


def _apply_outcome(message: Message, outcome, suppressed: set, attempt: int, now) -> list:
    """Set the message's new state from one attempt's outcome; returns its new events."""
    events = [
        MessageEvent(
            message=message,
            kind="attempt",
            detail=_("Attempt %(n)d") % {"n": attempt},
            created_at=now,
        )
    ]
    for address in sorted(suppressed):
        events.append(
            MessageEvent(message=message, kind="suppressed", detail=address, created_at=now)
        )
    message.attempts = attempt
    message.claimed_by, message.claimed_until = "", None
    if outcome.is_temporary:
        message.last_error = outcome.temporary_error[:2000]
        if backoff.should_give_up(attempt):
            message.status, message.finished_at = Status.FAILED, now
            events.append(
                MessageEvent(
                    message=message, kind="failed", detail=outcome.temporary_error, created_at=now
                )
            )
        else:
            delay = backoff.retry_delay(attempt)
            message.status = Status.DEFERRED
            message.next_attempt_at = now + timedelta(seconds=delay)
            events.append(
                MessageEvent(
                    message=message,
                    kind="deferred",
                    created_at=now,
                    detail=f"{outcome.temporary_error} — {_('next try in %(s)d s') % {'s': delay}}",
                )
            )
            transaction.on_commit(lambda: _wake_workers_at(message.next_attempt_at))
    else:
        for address, reply in outcome.bounced.items():
            events.append(
                MessageEvent(
                    message=message, kind="bounced", detail=f"{address}: {reply}", created_at=now
                )
            )
            if message.channel == Message.Channel.EMAIL:  # the list holds mail addresses
                Suppression.objects.get_or_create(
                    email=address,
                    defaults={"reason": Suppression.Reason.BOUNCE, "detail": reply[:2000]},
                )
        if outcome.delivered:
            message.status = Status.DELIVERED
            events.append(
                MessageEvent(
                    message=message,
                    kind="delivered",
                    detail=", ".join(outcome.delivered),
                    created_at=now,
                )
            )
        elif outcome.bounced:
            message.status = Status.BOUNCED
            message.last_error = next(iter(outcome.bounced.values()))[:2000]
        else:
            message.status = Status.SUPPRESSED
        message.finished_at = now
    return events


def _wake_workers_at(when) -> None:
    from onedata.notifications.tasks import deliver_due

    backend = deliver_due.get_backend()
    if getattr(backend, "supports_defer", False):
        deliver_due.using(run_after=when).enqueue()


def deliver_due(
    *,
    worker: str | None = None,
    limit: int = 50,
    max_batches: int = 100,
    on_full_batch=None,
) -> int:
    """Claim and deliver due messages until none are left; returns how many were tried.

    ``on_full_batch`` is called after each claim that took ``limit`` messages (more are
    probably waiting): the delivery task uses it to wake another worker."""
    worker = worker or uuid.uuid4().hex[:16]
    tried = 0
    for _batch in range(max_batches):
        ids = messages_claim(worker=worker, limit=limit)
        if not ids:
            break
        # If this worker dies now, a later run must find the expired claims.
        _wake_workers_at(timezone.now() + timedelta(seconds=CLAIM_SECONDS + 1))
        if on_full_batch is not None and len(ids) == limit:
            on_full_batch()
        with delivery.Relay() as relay:
            messages_deliver(message_ids=ids, worker=worker, relay=relay)
        tried += len(ids)
    for _batch in range(max_batches):
        if not webhooks_deliver_due(limit=limit):
            break
    return tried


# --- event webhooks ----------------------------------------------------------------------


@dataclass(frozen=True)
class CreatedWebhook:
    endpoint: WebhookEndpoint
    secret: str


def webhook_create(
    *, actor, application: Application, url: str, events: list[str] | None = None
) -> CreatedWebhook:
    events = list(events or WebhookEndpoint.EVENTS)
    fields: dict[str, list[str]] = {}
    unknown = sorted(set(events) - set(WebhookEndpoint.EVENTS))
    if unknown:
        fields["events"] = [
            _("Choose among: %(events)s.") % {"events": ", ".join(WebhookEndpoint.EVENTS)}
        ]
    try:
        webhooks.check_url(url, allow_private=settings.NOTIFY_WEBHOOK_ALLOW_PRIVATE)
    except webhooks.UnsafeURL as error:
        fields["url"] = [str(error)]
    if fields:
        raise ValidationError(_("The webhook was not saved."), fields=fields)
    secret = "whsec_" + secrets.token_urlsafe(32)
    with transaction.atomic():
        endpoint = WebhookEndpoint.objects.create(
            application=application, url=url, secret=secret, events=events
        )
        audit.record(
            actor=actor,
            action="notifications.webhook.create",
            obj=endpoint,
            after={"url": url, "events": events},
        )
    return CreatedWebhook(endpoint=endpoint, secret=secret)


def webhook_delete(*, actor, endpoint: WebhookEndpoint) -> None:
    with transaction.atomic():
        audit.record(
            actor=actor,
            action="notifications.webhook.delete",
            obj=endpoint,
            before={"url": endpoint.url},
        )
        endpoint.delete()


def _endpoints_by_application(application_ids) -> dict[int, list[WebhookEndpoint]]:
    endpoints: dict[int, list[WebhookEndpoint]] = {}
    active = WebhookEndpoint.objects.filter(application_id__in=application_ids, is_active=True)
    for endpoint in active:
        endpoints.setdefault(endpoint.application_id, []).append(endpoint)
    return endpoints


def _webhook_deliveries(message: Message, events, endpoints) -> list[WebhookDelivery]:
    return [
        WebhookDelivery(
            endpoint=endpoint,
            event=event.kind,
            payload={
                "event": event.kind,
                "message_id": message.pk,
                "status": message.status,
                "to": message.to,
                "tags": message.tags,
                "detail": event.detail,
                "at": event.created_at.isoformat(),
            },
        )
        for event in events
        for endpoint in endpoints or ()
        if event.kind in endpoint.events
    ]


def _emit_webhooks(message: Message, events: list[MessageEvent]) -> None:
    if not events:
        return
    endpoints = _endpoints_by_application([message.application_id])
    deliveries = _webhook_deliveries(message, events, endpoints.get(message.application_id))
    if deliveries:
        WebhookDelivery.objects.bulk_create(deliveries)
        transaction.on_commit(_wake_workers)


def webhooks_deliver_due(*, limit: int = 50, now=None) -> int:
    """Post due webhook events; a claim keeps two workers from posting the same one."""
    now = now or timezone.now()
    with transaction.atomic():
        due = (
            WebhookDelivery.objects.filter(
                status=WebhookDelivery.Status.PENDING, next_attempt_at__lte=now
            )
            .filter(Q(claimed_until__isnull=True) | Q(claimed_until__lt=now))
            .order_by("next_attempt_at", "id")
        )
        if connection.features.has_select_for_update_skip_locked:
            due = due.select_for_update(skip_locked=True)
        ids = list(due.values_list("id", flat=True)[:limit])
        WebhookDelivery.objects.filter(id__in=ids).update(
            claimed_until=now + timedelta(seconds=CLAIM_SECONDS)
        )
    for item in WebhookDelivery.objects.filter(id__in=ids).select_related("endpoint"):
        result = webhooks.post(item.endpoint.url, item.endpoint.secret, item.payload)
        item.attempts += 1
        item.claimed_until = None
        item.last_status_code, item.last_error = result.status, result.error[:2000]
        if result.ok:
            item.status = WebhookDelivery.Status.DELIVERED
        elif backoff.should_give_up(item.attempts):
            item.status = WebhookDelivery.Status.FAILED
        else:
            item.next_attempt_at = timezone.now() + timedelta(
                seconds=backoff.retry_delay(item.attempts)
            )
            _wake_workers_at(item.next_attempt_at)
        item.save(
            update_fields=[
                "attempts",
                "claimed_until",
                "last_status_code",
                "last_error",
                "status",
                "next_attempt_at",
            ]
        )
    return len(ids)


# --- verified senders --------------------------------------------------------------------

SENDER_SALT = "onedata.notifications.sender"
SENDER_MAX_AGE = 3 * 24 * 3600


def sender_request(*, actor, application: Application, email: str) -> VerifiedSender:
    """Ask to send from an address of the application's agency: a link is mailed to it, and
    only a person who can read that mailbox can confirm it."""
    from django.core import signing
    from django.urls import reverse

    try:
        email = normalise(email)
    except AddressError:
        raise ValidationError.for_field("email", _("Not a valid email address.")) from None
    with transaction.atomic():
        sender, created = VerifiedSender.objects.get_or_create(
            agency=application.agency, email=email
        )
        if created:
            audit.record(
                actor=actor,
                action="notifications.sender.request",
                obj=sender,
                after={"email": email, "agency": application.agency_id},
            )
    if sender.verified_at is None:
        token = signing.dumps({"s": sender.pk, "e": email}, salt=SENDER_SALT)
        link = settings.SITE_URL + reverse("notifications:sender_confirm", args=[token])
        send(
            module="notifications",
            to=[email],
            subject=_("Confirm a sender address"),
            text=_(
                "%(agency)s asked to send notifications from %(email)s through Bali One "
                "Data.\n\nIf that is right, open this link within 3 days:\n%(link)s\n\n"
                "If not, ignore this mail: nothing will be sent from this address."
            )
            % {"agency": application.agency.name, "email": email, "link": link},
        )
    return sender


def sender_confirm(*, token: str) -> VerifiedSender:
    from django.core import signing

    try:
        data = signing.loads(token, salt=SENDER_SALT, max_age=SENDER_MAX_AGE)
    except signing.BadSignature:
        raise ValidationError.for_field("token", _("This link is invalid or expired.")) from None
    with transaction.atomic():
        sender = (
            VerifiedSender.objects.select_for_update()
            .filter(pk=data.get("s"), email=data.get("e"))
            .first()
        )
        if sender is None:
            raise ValidationError.for_field("token", _("This link is invalid or expired."))
        if sender.verified_at is None:
            sender.verified_at = timezone.now()
            sender.save(update_fields=["verified_at"])
            audit.record(actor=sender.email, action="notifications.sender.confirm", obj=sender)
    return sender


# --- suppression and inbox ---------------------------------------------------------------


def suppression_add(*, actor, email: str, detail: str = "") -> Suppression:
    try:
        email = normalise(email)
    except AddressError:
        raise ValidationError.for_field("email", _("Not a valid email address.")) from None
    with transaction.atomic():
        entry, created = Suppression.objects.get_or_create(
            email=email, defaults={"reason": Suppression.Reason.MANUAL, "detail": detail[:2000]}
        )
        if created:
            audit.record(actor=actor, action="notifications.suppression.add", obj=entry)
    return entry


def suppression_remove(*, actor, entry: Suppression) -> None:
    with transaction.atomic():
        audit.record(
            actor=actor,
            action="notifications.suppression.remove",
            obj=entry,
            before={"email": entry.email, "reason": entry.reason},
        )
        entry.delete()


def inbox_mark_read(*, user, message: Message) -> Message:
    if message.recipient_user_id != user.pk:
        raise NotFound(_("No such message."))
    if message.read_at is None:
        message.read_at = timezone.now()
        message.save(update_fields=["read_at"])
    return message


def inbox_unread_count(user) -> int:
    return Message.objects.filter(
        recipient_user=user, channel=Message.Channel.INAPP, read_at__isnull=True
    ).count()
