"""SMS through the HTTP webhook provider, against a fake provider server on loopback."""

import json

import pytest

from onedata.notifications import services, webhooks
from onedata.notifications.models import Message
from onedata.notifications.sms import PhoneError, normalise_phone
from tests.notifications.test_webhooks import Receiver

SECRET = "s" * 40


@pytest.fixture
def provider(settings):
    server = Receiver()
    settings.NOTIFY_SMS_URL, settings.NOTIFY_SMS_SECRET = server.url, SECRET
    yield server
    server.close()


@pytest.mark.parametrize(
    "raw, number",
    [
        ("0812-3456-7890", "+6281234567890"),
        ("62 812 3456 7890", "+6281234567890"),
        ("+6281234567890", "+6281234567890"),
    ],
)
def test_indonesian_numbers_become_e164(raw, number):
    assert normalise_phone(raw) == number


@pytest.mark.parametrize("raw", ["", "12", "08abc", "+0812345678"])
def test_bad_numbers_are_refused(raw):
    with pytest.raises(PhoneError):
        normalise_phone(raw)


def test_sms_is_posted_to_the_provider_signed(application, provider):
    message, _ = services.message_send(
        application=application, channel="sms", to=["081234567890"], text="Nomor antrean A-012"
    )
    services.deliver_due(worker="w")
    message.refresh_from_db()
    assert message.status == Message.Status.DELIVERED
    headers, body = provider.posts[0]
    assert json.loads(body) == {
        "to": "+6281234567890",
        "text": "Nomor antrean A-012",
        "message_id": message.pk,
    }
    assert webhooks.verify(
        SECRET, headers["X-Onedata-Timestamp"], body, headers["X-Onedata-Signature"]
    )


def test_provider_error_defers_the_sms(application, provider):
    provider.failures = 1
    message, _ = services.message_send(
        application=application, channel="sms", to=["081234567890"], text="x"
    )
    services.deliver_due(worker="w")
    message.refresh_from_db()
    assert message.status == Message.Status.DEFERRED


def test_sms_without_a_provider_is_refused_naming_the_channel(application, settings):
    settings.NOTIFY_SMS_URL = ""
    from onedata.core.errors import ValidationError

    with pytest.raises(ValidationError) as caught:
        services.message_send(application=application, channel="sms", to=["0812345678"], text="x")
    assert "channel" in caught.value.fields


def test_sms_with_a_bad_number_names_it(application, provider):
    from onedata.core.errors import ValidationError

    with pytest.raises(ValidationError) as caught:
        services.message_send(
            application=application, channel="sms", to=["081234567890", "halo"], text="x"
        )
    assert "to[1]" in caught.value.fields
