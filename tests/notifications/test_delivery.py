"""Delivery over real SMTP: delivered, retried after 451, bounced and suppressed on 550."""

from datetime import timedelta

from django.utils import timezone

from onedata.notifications import services
from onedata.notifications.models import Message, Suppression


def send(application, **fields):
    fields.setdefault("subject", "Nomor antrean Anda A-012")
    fields.setdefault("text", "Datang pukul 09.00.")
    message, _created = services.message_send(application=application, **fields)
    return message


def test_message_is_delivered_to_the_smtp_server(application, smtp_server):
    message = send(
        application,
        to=["Luh@Example.ID"],
        cc=["kadek@example.id"],
        html="<p>Datang pukul 09.00.</p>",
        tags=["antrean"],
    )
    assert services.deliver_due(worker="w1") == 1
    message.refresh_from_db()
    assert message.status == Message.Status.DELIVERED
    recipients, mail = smtp_server.received[0]
    assert sorted(recipients) == ["kadek@example.id", "luh@example.id"]
    assert mail["Subject"] == "Nomor antrean Anda A-012"
    assert mail["X-OneData-Message-ID"] == str(message.pk)
    assert [event.kind for event in message.events.all()] == ["queued", "attempt", "delivered"]


def test_temporary_failure_is_retried_later_and_delivered_once(application, smtp_server):
    message = send(application, to=["flaky@example.id"])
    services.deliver_due(worker="w1")
    message.refresh_from_db()
    assert message.status == Message.Status.DEFERRED
    assert "451" in message.last_error
    assert message.next_attempt_at > timezone.now()
    # Not due yet: nothing is tried.
    assert services.deliver_due(worker="w1") == 0
    Message.objects.filter(pk=message.pk).update(next_attempt_at=timezone.now())
    services.deliver_due(worker="w1")
    message.refresh_from_db()
    assert message.status == Message.Status.DELIVERED
    assert message.attempts == 2
    assert len(smtp_server.received) == 1  # delivered exactly once


def test_permanent_failure_bounces_and_suppresses_the_address(application, smtp_server):
    message = send(application, to=["bounce@example.id"])
    services.deliver_due(worker="w1")
    message.refresh_from_db()
    assert message.status == Message.Status.BOUNCED
    assert "550" in message.last_error
    assert Suppression.objects.filter(
        email="bounce@example.id", reason=Suppression.Reason.BOUNCE
    ).exists()
    later = send(application, to=["bounce@example.id"])
    assert later.status == Message.Status.SUPPRESSED
    services.deliver_due(worker="w1")
    assert len(smtp_server.received) == 0


def test_one_bad_address_does_not_stop_the_others(application, smtp_server):
    message = send(application, to=["ok@example.id", "bounce2@example.id"])
    services.deliver_due(worker="w1")
    message.refresh_from_db()
    assert message.status == Message.Status.DELIVERED
    assert smtp_server.received[0][0] == ["ok@example.id"]
    assert Suppression.objects.filter(email="bounce2@example.id").exists()


def test_relay_that_keeps_refusing_ends_in_failed(application, smtp_server):
    message = send(application, to=["down@example.id"])
    for _attempt in range(8):
        Message.objects.filter(pk=message.pk).update(next_attempt_at=timezone.now())
        services.deliver_due(worker="w1")
    message.refresh_from_db()
    assert message.status == Message.Status.FAILED
    assert message.attempts == 8


def test_relay_that_is_down_defers_the_message(application, settings, db):
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", 1  # nothing listens there
    message = send(application, to=["luh@example.id"])
    services.deliver_due(worker="w1")
    message.refresh_from_db()
    assert message.status == Message.Status.DEFERRED
    assert "connection" in message.last_error


def test_claim_of_a_dead_worker_expires_and_another_worker_delivers(application, smtp_server):
    message = send(application, to=["luh@example.id"])
    assert services.messages_claim(worker="dies") == [message.pk]
    # The worker died before sending. Another worker sees nothing while the claim holds…
    assert services.messages_claim(worker="w2") == []
    # …and takes the message once it has expired.
    later = timezone.now() + timedelta(seconds=services.CLAIM_SECONDS + 1)
    assert services.messages_claim(worker="w2", now=later) == [message.pk]
    services.message_deliver(message_id=message.pk, worker="w2")
    message.refresh_from_db()
    assert message.status == Message.Status.DELIVERED
    # The dead worker, had it woken up, may no longer record anything.
    assert services.message_deliver(message_id=message.pk, worker="dies") is None


def test_domain_takes_no_more_workers_than_its_limit(application, settings, db):
    settings.NOTIFY_DOMAIN_CONCURRENCY = 1
    settings.NOTIFY_DOMAIN_LIMITS = {"gmail.com": 2}
    busy = [send(application, to=[f"warga{i}@example.id"]).pk for i in range(3)]
    other = send(application, to=["Kadek@Other.ID"]).pk
    gmail = [send(application, to=[f"g{i}@gmail.com"]).pk for i in range(2)]

    first = services.messages_claim(worker="w1", limit=3)
    assert first == busy  # the oldest three, all to example.id
    # example.id has its one worker (w1): w2 gets the other domains' mail only.
    assert services.messages_claim(worker="w2", limit=10) == [other, *gmail]
    assert Message.objects.get(pk=other).domain == "other.id"
    # gmail.com allows two workers; example.id still one.
    more = [send(application, to=[f"h{i}@gmail.com"]).pk for i in range(2)]
    more_busy = send(application, to=["putu@example.id"]).pk
    assert services.messages_claim(worker="w3", limit=10) == more
    assert services.messages_claim(worker="w4", limit=10) == []
    # w1 may take more of the domain it already sends to.
    assert services.messages_claim(worker="w1", limit=10) == [more_busy]


def test_expired_claims_do_not_count_against_the_domain(application, settings, db):
    settings.NOTIFY_DOMAIN_CONCURRENCY = 1
    first = send(application, to=["luh@example.id"]).pk
    second = send(application, to=["made@example.id"]).pk
    assert services.messages_claim(worker="dies", limit=1) == [first]
    later = timezone.now() + timedelta(seconds=services.CLAIM_SECONDS + 1)
    assert services.messages_claim(worker="w2", limit=10, now=later) == [first, second]


def test_bad_domain_limits_setting_names_the_variable():
    import pytest

    from onedata.config import ConfigError, env_int_mapping

    assert env_int_mapping({"X": "gmail.com=5, Yahoo.co.id=2"}, "X") == {
        "gmail.com": 5,
        "yahoo.co.id": 2,
    }
    with pytest.raises(ConfigError, match="X"):
        env_int_mapping({"X": "gmail.com"}, "X")
    with pytest.raises(ConfigError, match="X"):
        env_int_mapping({"X": "gmail.com=0"}, "X")
