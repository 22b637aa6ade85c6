"""SMS and WhatsApp through providers. One interface, one implementation: an HTTP
webhook provider (the gateway of the province, or a commercial one behind an adapter),
called with a signed JSON request.

Request: POST NOTIFY_SMS_URL with ``{"to": "+62812…", "text": "…", "message_id": 12}``,
headers ``X-OneData-Timestamp`` and ``X-OneData-Signature`` (as for event webhooks, with
NOTIFY_SMS_SECRET). Answer 2xx: accepted; 4xx: refused for good (bad number); 5xx or no
answer: try again later.
"""

from __future__ import annotations

import re
from typing import Protocol

from django.conf import settings

from onedata.notifications import webhooks
from onedata.notifications.delivery import Outcome

PHONE = re.compile(r"^\+[1-9]\d{7,14}$")


class PhoneError(ValueError):
    pass


def normalise_phone(raw: str) -> str:
    """``0812-3456-7890`` and ``62812…`` -> ``+628123456789`` (E.164). Pure."""
    digits = re.sub(r"[\s().-]", "", raw or "")
    if digits.startswith("0"):
        digits = "+62" + digits[1:]
    elif digits.startswith("62"):
        digits = "+" + digits
    if not PHONE.match(digits):
        raise PhoneError(f"{raw!r} is not a phone number")
    return digits


class SmsProvider(Protocol):
    def send(self, *, to: str, text: str, message_id: int) -> Outcome: ...


class HttpWebhookProvider:
    def __init__(self, url: str, secret: str):
        self.url, self.secret = url, secret

    def send(self, *, to: str, text: str, message_id: int) -> Outcome:
        result = webhooks.post(
            self.url, self.secret, {"to": to, "text": text, "message_id": message_id}
        )
        if result.ok:
            return Outcome(delivered=[to])
        if result.status is not None and 400 <= result.status < 500:
            return Outcome(bounced={to: f"provider refused: HTTP {result.status}"})
        return Outcome(temporary_error=f"provider: {result.error}")


def provider() -> SmsProvider | None:
    if not settings.NOTIFY_SMS_URL:
        return None
    return HttpWebhookProvider(settings.NOTIFY_SMS_URL, settings.NOTIFY_SMS_SECRET)


def send(message, recipients: list[str]) -> Outcome:
    """Send to each number; the outcome adds up the numbers' answers."""
    gateway = provider()
    if gateway is None:
        return Outcome(temporary_error="no SMS provider is configured")
    total = Outcome()
    temporary = []
    for number in recipients:
        outcome = gateway.send(to=number, text=message.text, message_id=message.pk)
        total.delivered += outcome.delivered
        total.bounced.update(outcome.bounced)
        if outcome.is_temporary:
            temporary.append(outcome.temporary_error)
    if temporary and not total.delivered and not total.bounced:
        total.temporary_error = "; ".join(temporary)
    return total
