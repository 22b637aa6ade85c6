"""A real SMTP server on loopback (aiosmtpd) whose answers the tests choose per address."""

from __future__ import annotations

import socket
import threading
from collections import defaultdict
from email import message_from_bytes

import pytest
from aiosmtpd.controller import Controller

from onedata.notifications import services
from tests.conftest import make_agency


class ScriptedHandler:
    """Accepts mail, except: rcpt ``bounce*@`` gets 550; ``flaky*@`` gets 451 on its first
    try, then 250; ``down*@`` gets 451 every time."""

    def __init__(self):
        self.received = []  # (envelope recipients, parsed message)
        self.tries = defaultdict(int)
        self.lock = threading.Lock()

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):  # noqa: N802
        local = address.split("@")[0]
        with self.lock:
            self.tries[address] += 1
            tries = self.tries[address]
        if local.startswith("bounce"):
            return "550 5.1.1 No such user here"
        if local.startswith("down") or (local.startswith("flaky") and tries == 1):
            return "451 4.3.0 Try again later"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):  # noqa: N802
        with self.lock:
            self.received.append((list(envelope.rcpt_tos), message_from_bytes(envelope.content)))
        return "250 Message accepted"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def smtp_server(settings):
    handler = ScriptedHandler()
    port = free_port()
    controller = Controller(handler, hostname="127.0.0.1", port=port)
    controller.start()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", port
    settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
    settings.EMAIL_HOST_USER = settings.EMAIL_HOST_PASSWORD = ""
    yield handler
    controller.stop()


@pytest.fixture
def application(regions):
    agency = make_agency("dinkes-bali", "51")
    return services.application_create(actor="test", agency=agency, name="Sistem Antrean")


@pytest.fixture
def app_key(application):
    return services.application_key_create(
        actor="test", application=application, name="server"
    ).plaintext
