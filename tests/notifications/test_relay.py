"""One SMTP connection per batch of messages, and what happens when the relay drops it."""

import asyncio

from onedata.notifications import services
from onedata.notifications.models import Message


def send(application, to):
    message, _created = services.message_send(
        application=application, to=[to], subject="Antrean", text="Datang pukul 09.00."
    )
    return message


def test_a_batch_goes_over_one_connection(application, smtp_server, monkeypatch):
    connections = []
    original = services.delivery._connect

    def counting():
        connections.append(1)
        return original()

    monkeypatch.setattr(services.delivery, "_connect", counting)
    addresses = ["a@example.id", "bounce@example.id", "flaky@example.id", "b@example.id"]
    messages = [send(application, to) for to in addresses]
    assert services.deliver_due(worker="w1") == 4
    statuses = [Message.objects.get(pk=m.pk).status for m in messages]
    assert statuses == ["delivered", "bounced", "deferred", "delivered"]
    assert len(connections) == 1  # refusals answered with RSET keep the connection usable
    assert len(smtp_server.received) == 2


def test_a_connection_the_relay_closes_is_opened_again(application, smtp_server, monkeypatch):
    connections = []
    original = services.delivery._connect

    def counting():
        connections.append(1)
        return original()

    monkeypatch.setattr(services.delivery, "_connect", counting)
    handle_data = type(smtp_server).handle_DATA

    async def close_after_each_mail(self, server, session, envelope):
        answer = await handle_data(self, server, session, envelope)
        asyncio.get_running_loop().call_soon(server.transport.close)  # after the 250
        return answer

    monkeypatch.setattr(type(smtp_server), "handle_DATA", close_after_each_mail)
    messages = [send(application, f"warga{n}@example.id") for n in range(3)]
    services.deliver_due(worker="w1")
    assert [Message.objects.get(pk=m.pk).status for m in messages] == ["delivered"] * 3
    assert len(smtp_server.received) == 3
    assert len(connections) == 3
