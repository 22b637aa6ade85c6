"""Event webhooks: signed with HMAC-SHA256 over timestamp and body, retried with backoff."""

import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from django.utils import timezone

from onedata.notifications import services, webhooks
from onedata.notifications.models import WebhookDelivery


class Receiver:
    """A real HTTP server on loopback; answers 500 to the first N posts, then 204."""

    def __init__(self, failures: int = 0):
        self.failures = failures
        self.posts = []
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):  # noqa: N802 - http.server's name
                body = self.rfile.read(int(self.headers["Content-Length"]))
                receiver.posts.append((dict(self.headers), body))
                failing = len(receiver.posts) <= receiver.failures
                self.send_response(500 if failing else 204)
                self.end_headers()

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/hook"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def close(self):
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def receiver():
    created = []

    def make(failures=0):
        created.append(Receiver(failures))
        return created[-1]

    yield make
    for item in created:
        item.close()


def send_and_deliver(application):
    message, _created = services.message_send(
        application=application, to=["luh@example.id"], subject="s", text="t", tags=["antrean"]
    )
    services.deliver_due(worker="w")
    return message


def test_delivered_event_is_posted_signed(application, smtp_server, receiver):
    hook = receiver()
    created = services.webhook_create(actor="t", application=application, url=hook.url)
    message = send_and_deliver(application)
    headers, body = hook.posts[0]
    payload = json.loads(body)
    assert payload["event"] == "delivered" and payload["message_id"] == message.pk
    assert payload["tags"] == ["antrean"]
    assert webhooks.verify(
        created.secret, headers["X-Onedata-Timestamp"], body, headers["X-Onedata-Signature"]
    )
    assert not webhooks.verify(
        "whsec_wrong", headers["X-Onedata-Timestamp"], body, headers["X-Onedata-Signature"]
    )


def test_bounce_event_goes_only_to_endpoints_that_asked_for_it(application, smtp_server, receiver):
    bounces, deliveries = receiver(), receiver()
    services.webhook_create(actor="t", application=application, url=bounces.url, events=["bounced"])
    services.webhook_create(
        actor="t", application=application, url=deliveries.url, events=["delivered"]
    )
    services.message_send(application=application, to=["bounce@example.id"], subject="s", text="t")
    services.deliver_due(worker="w")
    assert [json.loads(b)["event"] for _h, b in bounces.posts] == ["bounced"]
    assert deliveries.posts == []


def test_failed_webhook_post_is_retried_later(application, smtp_server, receiver):
    hook = receiver(failures=1)
    services.webhook_create(actor="t", application=application, url=hook.url)
    send_and_deliver(application)
    item = WebhookDelivery.objects.get()
    assert item.status == WebhookDelivery.Status.PENDING
    assert item.last_status_code == 500
    assert item.next_attempt_at > timezone.now()
    WebhookDelivery.objects.filter(pk=item.pk).update(next_attempt_at=timezone.now())
    services.deliver_due(worker="w")
    item.refresh_from_db()
    assert item.status == WebhookDelivery.Status.DELIVERED
    assert len(hook.posts) == 2


def test_signature_older_than_five_minutes_is_refused():
    body = b'{"event":"delivered"}'
    signature = webhooks.sign("whsec_x", 1_000_000, body)
    assert webhooks.verify("whsec_x", "1000000", body, signature, now=1_000_100)
    assert not webhooks.verify("whsec_x", "1000000", body, signature, now=1_000_400)


def test_private_address_is_refused_in_production(application, settings):
    settings.NOTIFY_WEBHOOK_ALLOW_PRIVATE = False
    from onedata.core.errors import ValidationError

    for url in ("http://127.0.0.1:8000/x", "http://10.1.2.3/x", "ftp://example.id/x"):
        with pytest.raises(ValidationError) as caught:
            services.webhook_create(actor="t", application=application, url=url)
        assert "url" in caught.value.fields


def test_webhook_api_shows_the_secret_once(client, app_key, receiver):
    hook = receiver()
    auth = {"HTTP_AUTHORIZATION": f"Bearer {app_key}"}
    created = client.post(
        "/api/v1/notify/webhooks", {"url": hook.url}, content_type="application/json", **auth
    )
    assert created.status_code == 201
    assert created.json()["secret"].startswith("whsec_")
    listed = client.get("/api/v1/notify/webhooks", **auth).json()
    assert "secret" not in listed[0]
    deleted = client.delete(f"/api/v1/notify/webhooks/{created.json()['id']}", **auth)
    assert deleted.status_code == 204
