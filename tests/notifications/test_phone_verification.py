"""Platform users confirm their phone number with a code texted through the notification
service's SMS channel, to a fake SMS provider on loopback."""

from __future__ import annotations

import json
import re

import pytest
from django.conf import settings

from onedata.core import ratelimit
from onedata.core.models import AuditEvent, PhoneChallenge
from onedata.core.phone import mask_phone
from onedata.notifications import services
from onedata.notifications.models import Message
from tests.conftest import login_client, make_user
from tests.notifications.test_webhooks import Receiver

SECRET = "s" * 40
API = "/api/v1/core/me/phone"


@pytest.fixture
def provider(settings):
    server = Receiver()
    settings.NOTIFY_SMS_URL, settings.NOTIFY_SMS_SECRET = server.url, SECRET
    yield server
    server.close()


@pytest.fixture
def person(agencies):
    user = make_user("luh")
    user.phone = "+6281234567890"
    user.save(update_fields=["phone"])
    return user


@pytest.fixture
def person_client(person):
    client = login_client(person)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


def texted_code(provider) -> str:
    services.deliver_due(worker="w")
    _headers, body = provider.posts[-1]
    text = json.loads(body)["text"]
    return re.search(r"\b(\d{6})\b", text).group(1)


def test_code_texted_and_confirmed_through_the_api(person, person_client, provider):
    answer = person_client.post(f"{API}/code")
    assert answer.status_code == 202, answer.content
    assert answer.json()["phone"] == "+6281234567890"
    code = texted_code(provider)
    assert json.loads(provider.posts[-1][1])["to"] == "+6281234567890"
    # The code itself is not stored, only its keyed hash.
    assert code not in PhoneChallenge.objects.get(user=person).code_hash

    wrong = "000000" if code != "000000" else "111111"
    refused = person_client.post(f"{API}/verify", {"code": wrong}, content_type="application/json")
    assert refused.status_code == 422
    assert refused.json()["error"]["fields"] == {"code": ["That code is not right."]}
    assert PhoneChallenge.objects.get(user=person).attempts == 1  # kept despite the error

    confirmed = person_client.post(f"{API}/verify", {"code": code}, content_type="application/json")
    assert confirmed.status_code == 200
    assert confirmed.json()["phone_verified"] is True
    person.refresh_from_db()
    assert person.phone_verified_at is not None
    assert not PhoneChallenge.objects.filter(user=person).exists()
    assert AuditEvent.objects.filter(action="user.verify_phone", object_id=str(person.pk)).exists()


def test_five_wrong_codes_use_up_the_code(person, provider):
    from onedata.core import services as core

    core.phone_verification_send(user=person)
    code = texted_code(provider)
    wrong = "000000" if code != "000000" else "111111"
    for _ in range(5):
        with pytest.raises(core.ValidationError):
            core.phone_verify(user=person, code=wrong)
    with pytest.raises(core.ValidationError) as refused:
        core.phone_verify(user=person, code=code)  # right, but too late
    assert "expired" in refused.value.fields["code"][0]


def test_at_most_three_codes_an_hour(person, person_client, provider, fresh_cache):
    now = ratelimit.clock()
    ratelimit.reset(f"phone-code:{person.pk}", period=3600, now=now)
    statuses = [person_client.post(f"{API}/code").status_code for _ in range(4)]
    assert statuses == [202, 202, 202, 429]


def test_without_sms_provider_the_code_cannot_be_sent(person, person_client, settings):
    settings.NOTIFY_SMS_URL = ""
    answer = person_client.post(f"{API}/code")
    assert answer.status_code == 409
    page = person_client.get("/akun/").content.decode()
    assert "text messages, which are not set up here yet" in page


def test_changing_the_phone_number_needs_a_new_confirmation(person, provider):
    from onedata.core import services as core

    core.phone_verification_send(user=person)
    core.phone_verify(user=person, code=texted_code(provider))
    core.user_update_profile(
        actor=person, user=person, name="Luh", email=person.email, phone="0813 1111 2222", nik=None
    )
    person.refresh_from_db()
    assert person.phone == "+6281311112222"  # stored in one form, E.164
    assert person.phone_verified_at is None


def test_account_page_sends_and_checks_the_code(person, person_client, provider):
    page = person_client.get("/akun/").content.decode()
    assert "Text me a code" in page
    person_client.post("/akun/", {"form": "phone_send"})
    code = texted_code(provider)
    wrong = person_client.post("/akun/", {"form": "phone_verify", "code": "12"})
    assert wrong.status_code == 400
    assert "That code is not right." in wrong.content.decode()
    done = person_client.post("/akun/", {"form": "phone_verify", "code": code}, follow=True)
    assert "Your phone number is confirmed." in done.content.decode()
    person.refresh_from_db()
    assert person.phone_verified_at is not None


def test_sms_message_log_shows_which_numbers_are_confirmed(person, provider, application):
    from onedata.core import services as core

    core.phone_verification_send(user=person)
    core.phone_verify(user=person, code=texted_code(provider))
    message, _ = services.message_send(
        application=application,
        channel="sms",
        to=["0812-3456-7890", "0899 0000 1111"],
        text="Nomor antrean A-012",
    )
    assert services.recipients_verified(message) == [
        ("+6281234567890", True),
        ("+6289900001111", False),
    ]
    assert Message.objects.get(pk=message.pk).domain == "sms"


def test_phone_numbers_are_masked_for_display():
    assert mask_phone("+6281234567890") == "+62812••••••90"
