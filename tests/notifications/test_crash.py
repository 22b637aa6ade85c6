"""A worker killed with SIGKILL in the middle of a batch loses no message.

Real processes, a real SMTP server and the run's own test database (SQLite file or
PostgreSQL): a first worker claims a batch and is killed while it sends; its claims
are left behind in status ``sending``; once they expire a second worker delivers every
message. Delivery is at-least-once, so a message whose SMTP DATA completed just before
the kill may arrive twice, never zero times.
"""

from __future__ import annotations

import asyncio
import logging
import os
import signal
import socket
import subprocess
import sys
import threading
import time
from collections import Counter
from datetime import timedelta
from email import message_from_bytes
from pathlib import Path
from urllib.parse import quote

import pytest
from aiosmtpd.controller import Controller
from django.db import connection
from django.utils import timezone

from onedata.notifications import services
from onedata.notifications.models import Message
from tests.conftest import make_agency

REPO_ROOT = Path(__file__).resolve().parents[2]
MESSAGES = 40
BATCH = 10  # the first worker's claim size: what is "in flight" when it dies
SMTP_DATA_SECONDS = 0.2  # a slow relay, so that the kill lands in the middle of a batch
KILL_AFTER = 4  # messages the sink has accepted before the first worker is killed

WORKER = """\
import sys
import django

django.setup()
from onedata.notifications import services

print(services.deliver_due(worker=sys.argv[1], limit=int(sys.argv[2])), flush=True)
"""


class SlowSink:
    """Accepts every mail, SMTP_DATA_SECONDS after the DATA command, and keeps the
    X-OneData-Message-ID of each mail it accepted (the 250 reply is the acceptance)."""

    def __init__(self):
        self.ids: list[int] = []
        self.lock = threading.Lock()

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 - aiosmtpd's name
        await asyncio.sleep(SMTP_DATA_SECONDS)
        header = message_from_bytes(envelope.content)["X-OneData-Message-ID"]
        with self.lock:
            self.ids.append(int(header))
        return "250 Message accepted"

    def count(self) -> int:
        with self.lock:
            return len(self.ids)


@pytest.fixture
def slow_sink():
    sink = SlowSink()
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    mail_log = logging.getLogger("mail.log")  # aiosmtpd logs every command at INFO
    level = mail_log.level
    mail_log.setLevel(logging.WARNING)
    controller = Controller(sink, hostname="127.0.0.1", port=port)
    controller.start()
    sink.port = port
    yield sink
    controller.stop()
    mail_log.setLevel(level)


def database_url() -> str:
    """The database this test run uses (pytest-django's test database), as a URL."""
    db = connection.settings_dict
    if connection.vendor == "sqlite":
        return "sqlite:///" + str(Path(db["NAME"]).resolve())
    assert connection.vendor == "postgresql", connection.vendor
    user = quote(db.get("USER") or "")
    password = quote(db.get("PASSWORD") or "")
    auth = f"{user}:{password}@" if password else (f"{user}@" if user else "")
    return f"postgres://{auth}{db.get('HOST') or '127.0.0.1'}:{db.get('PORT') or 5432}/{db['NAME']}"


def start_worker(name: str, env: dict[str, str]) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "-c", WORKER, name, str(BATCH)],
        cwd=REPO_ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def wait_until(condition, *, timeout: float, what: str, process: subprocess.Popen) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if process.poll() is not None:
            out, err = process.communicate()
            pytest.fail(f"worker exited ({process.returncode}) before {what}:\n{out}\n{err}")
        if time.monotonic() > deadline:
            process.kill()
            pytest.fail(f"timed out waiting for {what}")
        time.sleep(0.02)


@pytest.mark.django_db(transaction=True)
def test_worker_killed_mid_batch_loses_no_message(regions, settings, slow_sink, tmp_path):
    # Queue without running anything: the test settings' immediate task backend would
    # otherwise deliver in this process, on commit of each send.
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
    application = services.application_create(
        actor="test", agency=make_agency("dinkes-bali", "51"), name="Sistem Antrean"
    )
    ids = []
    for n in range(MESSAGES):
        message, _created = services.message_send(
            application=application,
            to=[f"warga{n}@example.id"],
            subject=f"Nomor antrean A-{n:03d}",
            text="Datang pukul 09.00.",
            check_quota=False,
        )
        ids.append(message.pk)
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "onedata.settings",
        "ONEDATA_MODE": "test",
        "ONEDATA_VAR_DIR": str(tmp_path),
        "SECRET_KEY": settings.SECRET_KEY,
        "DATABASE_URL": database_url(),
        "EMAIL_URL": f"smtp://127.0.0.1:{slow_sink.port}",
        "PYTHONDONTWRITEBYTECODE": "1",
    }
    env.pop("ONEDATA_TEST_REAL_TASKS", None)

    first = start_worker("w1", env)
    wait_until(
        lambda: slow_sink.count() >= KILL_AFTER,
        timeout=30,
        what=f"{KILL_AFTER} messages at the sink",
        process=first,
    )
    os.kill(first.pid, signal.SIGKILL)
    first.communicate(timeout=10)
    assert first.returncode == -signal.SIGKILL

    # The dead worker's claims are left behind, still live: nobody else may take them yet.
    now = timezone.now()
    stranded = Message.objects.filter(status=Message.Status.SENDING)
    assert stranded.exists()
    assert set(stranded.values_list("claimed_by", flat=True)) == {"w1"}
    assert all(until > now for until in stranded.values_list("claimed_until", flat=True))
    assert stranded.count() <= BATCH
    assert Message.objects.filter(status=Message.Status.QUEUED).count() >= MESSAGES - BATCH

    # Let CLAIM_SECONDS pass: moving claimed_until into the past is exactly what time
    # does to the row, and the second worker then runs its real code with the real clock
    # (a `now` in the future would also make messages due that are not, and is a path
    # production never takes).
    stranded.update(claimed_until=now - timedelta(seconds=1))

    second = start_worker("w2", env)
    out, err = second.communicate(timeout=60)
    assert second.returncode == 0, err

    statuses = Counter(Message.objects.values_list("status", flat=True))
    assert statuses == {Message.Status.DELIVERED: MESSAGES}
    received = Counter(slow_sink.ids)
    assert set(received) == set(ids)  # every message reached the sink, nothing lost
    duplicates = sum(count - 1 for count in received.values())
    # At-least-once: a message whose DATA was accepted just before the kill, but whose
    # outcome was not yet recorded, is sent again by the second worker. The worker sends
    # one message at a time, so one duplicate is the most expected; a batch is the bound.
    assert duplicates <= BATCH
    print(
        f"crash test: {len(received)} messages, {duplicates} delivered twice, "
        f"second worker tried {out.strip()}"
    )
