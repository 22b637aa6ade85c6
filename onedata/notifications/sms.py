"""SMS and WhatsApp through providers. One interface, one implementation: an HTTP
webhook provider (the gateway of the province, or a commercial one behind an adapter),
called with a signed JSON request.

Request: POST NOTIFY_SMS_URL with ``{"to": "+62812…", "text": "…", "message_id": 12}``,
headers ``X-OneData-Timestamp`` and ``X-OneData-Signature`` (as for event webhooks, with
NOTIFY_SMS_SECRET). Answer 2xx: accepted; 4xx: refused for good (bad number); 5xx or no
answer: try again later.
"""

from __future__ import annotations

from typing import Protocol

from django.conf import settings

from onedata.core.phone import PhoneError, normalise_phone
from onedata.notifications import webhooks
from onedata.notifications.delivery import Outcome

__all__ = ["PhoneError", "normalise_phone", "provider", "send"]


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
