"""Mail throughput of the notification service, against a bare SMTP client.

5,000 messages go through the HTTP API (``POST /api/v1/notify/messages`` with an
application key) into a local SMTP sink, delivered by two task workers
(``python -m django db_worker``, what ``onedata worker`` runs without Redis). Then the
same through the bulk endpoint (500 messages a request). The baseline, measured in the
same run just before each figure, is a bare ``smtplib`` loop: one connection,
``sendmail`` 5,000 times, a message of the same size, to the same sink.

Figures per engine (SQLite; PostgreSQL when reachable), in messages a second:

- ``<engine>.api.accept``: 5,000 single POSTs, from the first POST to the last 202
- ``<engine>.api.delivery``: from the first POST until the sink has all 5,000
- ``<engine>.bulk.accept`` / ``<engine>.bulk.delivery``: the same with the bulk endpoint
- ``<engine>.workers.delivery``: the two workers alone: 5,000 messages queued while they
  are stopped, then started; from the first mail at the sink to the last

Knobs: BENCH_MESSAGES (5000), BENCH_CONCURRENCY (8 client connections),
BENCH_TIMEOUT (300 s for each wait), BENCH_NOTIFY_POSTGRES_URL (a database whose name
starts with "bench": it is dropped and created again). About 6 minutes on 2 cores.
"""

from __future__ import annotations

import http.client
import itertools
import json
import logging
import multiprocessing
import os
import smtplib
import sys
import tempfile
import threading
import time
from pathlib import Path
from urllib.parse import urlsplit

from _harness import (
    LOOPBACK,
    Server,
    django_env,
    emit,
    env_number,
    free_port,
    note,
    postgres_ready,
    run_django,
)

BENCH = "notifications"
APP = "onedata.wsgi:application"
PING = "/api/v1/core/ping"
SEND = "/api/v1/notify/messages"
SEND_BULK = "/api/v1/notify/messages/bulk"
MESSAGES = int(env_number("BENCH_MESSAGES", 5000))
CONCURRENCY = int(env_number("BENCH_CONCURRENCY", 8))
TIMEOUT = env_number("BENCH_TIMEOUT", 300)
BULK_SIZE = 500
WORKERS = 2
POSTGRES_URL = os.environ.get(
    "BENCH_NOTIFY_POSTGRES_URL", "postgres://postgres@127.0.0.1:5432/bench_notifications"
)
TEXT = (
    "Om Swastyastu. Nomor antrean Anda di Puskesmas Kuta I sudah terdaftar. "
    "Datang pukul 09.00 WITA dan bawa KTP serta kartu BPJS. "
) * 4

SETUP = """\
from onedata.core.models import Agency, Region
from onedata.notifications import services

region, _ = Region.objects.get_or_create(
    code="51", defaults={"name": "Bali", "level": "province"}
)
agency, _ = Agency.objects.get_or_create(
    slug="bench-notify", defaults={"name": "Bench", "kind": "dinas", "region": region}
)
application = services.application_create(
    actor="bench", agency=agency, name="Bench", rate_per_second=10**9, rate_per_day=10**9
)
print(services.application_key_create(actor="bench", application=application, name="b").plaintext)
"""

STATE = """\
import json
from django.db.models import Count
from django_tasks_db.models import DBTaskResult
from onedata.notifications.models import Message

def counts(queryset):
    return dict(queryset.order_by().values_list("status").annotate(n=Count("id")))

print(json.dumps({
    "messages": counts(Message.objects.all()),
    "tasks": counts(DBTaskResult.objects.all()),
}))
"""

# One process that polls, rather than one Django start-up a second on two busy cores.
WAIT_IDLE = """\
import json, time
from django_tasks_db.models import DBTaskResult

ready = DBTaskResult.objects.ready()
began, left = time.monotonic(), ready.count()
first = left
while left and time.monotonic() - began < %(timeout)f:
    time.sleep(0.2)
    left = ready.count()
print(json.dumps({"ready": first, "left": left, "seconds": time.monotonic() - began}))
"""


class Deadline(RuntimeError):
    pass


def deadline(seconds: float, what: str):
    """A function that raises once ``seconds`` have passed, naming what it waited for."""
    end = time.monotonic() + seconds

    def check(detail: str = "") -> None:
        if time.monotonic() > end:
            raise Deadline(f"gave up after {seconds:.0f} s waiting for {what} {detail}".strip())

    return check


# --------------------------------------------------------------------------- the sink


def _sink_main(port, received, size, start, target, first, reached, ready, parent_pid) -> None:
    """An aiosmtpd server that accepts everything and counts; in its own process so that
    the load generator in the bench process does not slow it down."""
    from aiosmtpd.controller import Controller

    logging.getLogger("mail.log").setLevel(logging.WARNING)

    class Counting:
        async def handle_DATA(self, server, session, envelope):  # noqa: N802 - aiosmtpd's
            with received.get_lock():
                received.value += 1
                size.value += len(envelope.original_content or envelope.content)
                if received.value == start.value:
                    first.value = time.monotonic()
                if received.value == target.value:
                    reached.value = time.monotonic()
            return "250 Message accepted"

    controller = Controller(Counting(), hostname=LOOPBACK, port=port)
    controller.start()
    ready.set()
    try:
        while os.getppid() == parent_pid:  # the bench process died: stop too
            time.sleep(0.5)
    finally:
        controller.stop()


class Sink:
    def __init__(self):
        context = multiprocessing.get_context("spawn")
        self.port = free_port()
        self.received = context.Value("q", 0)
        self.size = context.Value("q", 0)
        self.start = context.Value("q", -1)
        self.target = context.Value("q", -1)
        self.first = context.Value("d", 0.0)
        self.reached = context.Value("d", 0.0)
        ready = context.Event()
        self.process = context.Process(
            target=_sink_main,
            args=(
                self.port,
                self.received,
                self.size,
                self.start,
                self.target,
                self.first,
                self.reached,
                ready,
                os.getpid(),
            ),
            daemon=True,
        )
        self.process.start()
        if not ready.wait(30):
            self.stop()
            raise RuntimeError("the SMTP sink did not start in 30 s")

    def count(self) -> int:
        return self.received.value

    def expect(self, more: int) -> int:
        """Note when the first and the last of the next ``more`` messages arrive."""
        with self.received.get_lock():
            self.first.value = self.reached.value = 0.0
            self.start.value = self.received.value + 1
            self.target.value = self.received.value + more
            return self.target.value

    def wait(self, target: int, what: str) -> float:
        """Wait until ``target`` messages in all; returns when (time.monotonic) it was reached."""
        check = deadline(TIMEOUT, what)
        while self.received.value < target:
            check(f"(the sink has {self.received.value} of {target})")
            time.sleep(0.01)
        return self.reached.value

    def mean_size(self) -> int:
        return self.size.value // max(1, self.received.value)

    def stop(self) -> None:
        if self.process.is_alive():
            self.process.terminate()
            self.process.join(10)


def smtp_baseline(sink: Sink, size: int, count: int) -> float:
    """A bare smtplib loop: one connection, ``count`` sendmail calls; messages a second."""
    head = (
        b"From: Bali One Data <noreply@onedata.local>\r\nTo: warga@example.id\r\n"
        b"Subject: Nomor antrean A-00001\r\nX-OneData-Message-ID: 0\r\n"
        b"Content-Type: text/plain; charset=utf-8\r\n\r\n"
    )
    body = (TEXT.encode() * (size // len(TEXT) + 1))[: max(0, size - len(head) - 2)]
    mail = head + body + b"\r\n"
    target = sink.expect(count)
    with smtplib.SMTP(LOOPBACK, sink.port, timeout=30) as client:
        began = time.monotonic()
        for n in range(count):
            client.sendmail("noreply@onedata.local", [f"warga{n}@example.id"], mail)
        ended = sink.wait(target, "the baseline's mail")
    rate = count / (ended - began)
    note(f"  baseline: bare smtplib, one connection, {count} x {len(mail)} bytes: {rate:.0f}/s")
    return rate


# --------------------------------------------------------------------------- the app


class Worker(Server):
    """``python -m django db_worker`` (what ``onedata worker`` runs without Redis), with the
    harness's process-group clean-up. ``app`` is the worker id."""

    def argv(self) -> list[str]:
        return [sys.executable, "-m", "django", "db_worker", "--no-startup-delay"]

    def wait_ready(self) -> int:
        time.sleep(0.5)
        if self.process.poll() is not None:
            raise RuntimeError(f"worker {self.app} exited at once:\n{self.log()}")
        return 0


def message(n: int) -> dict:
    return {"to": [f"warga{n}@example.id"], "subject": f"Nomor antrean A-{n:05d}", "text": TEXT}


def chunks(items, size: int):
    items = list(items)
    return [items[start : start + size] for start in range(0, len(items), size)]


def post_all(port: int, key: str, requests: list[tuple[str, bytes, int]]) -> tuple[float, float]:
    """POST every (path, body, expected status) over CONCURRENCY keep-alive connections;
    returns (start of the first POST, end of the last answer) in time.monotonic."""
    headers = {"Authorization": f"Bearer {key}", "Content-Type": "application/json"}
    tickets = itertools.count()
    problems: list[str] = []
    times: list[tuple[float, float]] = []
    lock = threading.Lock()
    check = deadline(TIMEOUT, f"{len(requests)} API requests")

    def client() -> None:
        connection = http.client.HTTPConnection(LOOPBACK, port, timeout=60)
        first = last = None
        try:
            while not problems:
                index = next(tickets)
                if index >= len(requests):
                    break
                check()
                path, body, expected = requests[index]
                began = time.monotonic()
                connection.request("POST", path, body=body, headers=headers)
                response = connection.getresponse()
                answer = response.read()
                last = time.monotonic()
                first = first or began
                if response.status != expected or b'"rejected"' in answer:
                    problems.append(f"POST {path} answered {response.status}: {answer[:300]!r}")
        except (OSError, http.client.HTTPException, Deadline) as error:
            problems.append(f"{type(error).__name__}: {error}")
        finally:
            connection.close()
            if first is not None:
                with lock:
                    times.append((first, last))

    threads = [threading.Thread(target=client, daemon=True) for _ in range(CONCURRENCY)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    if problems:
        raise RuntimeError(problems[0])
    return min(t[0] for t in times), max(t[1] for t in times)


def state(env: dict[str, str]) -> dict:
    return json.loads(run_django(env, "shell", "-c", STATE).strip().splitlines()[-1])


def wait_for_idle_queue(env: dict[str, str]) -> None:
    """Let the workers finish the delivery tasks left over (each send enqueues one)."""
    script = WAIT_IDLE % {"timeout": TIMEOUT}
    answer = run_django(env, "shell", "-c", script, timeout=TIMEOUT + 60)
    idle = json.loads(answer.strip().splitlines()[-1])
    if idle["left"]:
        raise Deadline(f"{idle['left']} tasks still ready after {TIMEOUT:.0f} s")
    if idle["ready"]:
        note(
            f"  task queue: {idle['ready']} tasks were still ready after the last delivery; "
            f"the workers ran them in {idle['seconds']:.1f} s"
        )


def check_delivered(env: dict[str, str], sink: Sink, target: int) -> None:
    now = state(env)
    note(f"  messages by status: {now['messages']}; tasks by status: {now['tasks']}")
    undelivered = {s: n for s, n in now["messages"].items() if s != "delivered"}
    if undelivered:
        raise RuntimeError(f"messages not delivered after the sink had them all: {undelivered}")
    if sink.count() != target:
        note(f"  the sink received {sink.count() - target} messages twice")


def measure(engine, env, server, sink, key, scenario, requests, count, baseline) -> None:
    """Send through the API while the workers deliver: acceptance and delivery rates."""
    target = sink.expect(count)
    first, last = post_all(server.port, key, requests)
    accepted = count / (last - first)
    note(f"  {scenario}: {len(requests)} requests accepted {count} messages at {accepted:.0f}/s")
    delivered_at = sink.wait(target, f"delivery of the {scenario} messages")
    delivery = count / (delivered_at - first)
    note(f"  {scenario}: all {count} at the sink {delivered_at - first:.1f} s after the first POST")
    emit(BENCH, f"{engine}.{scenario}.accept", accepted, baseline, "msg/s")
    emit(BENCH, f"{engine}.{scenario}.delivery", delivery, baseline, "msg/s")
    check_delivered(env, sink, target)


def measure_workers(engine, env, server, sink, key, requests, count, baseline) -> None:
    """Queue with the workers stopped, then start them: the delivery rate on its own."""
    target = sink.expect(count)
    post_all(server.port, key, requests)
    workers = [Worker(f"w{n}", env=env) for n in range(WORKERS)]
    try:
        for worker in workers:
            worker.start()
        sink.wait(target, "delivery of the queued messages")
        delivery = (count - 1) / (sink.reached.value - sink.first.value)
        note(f"  workers: {count} queued messages delivered at {delivery:.0f}/s")
        emit(BENCH, f"{engine}.workers.delivery", delivery, baseline, "msg/s")
        check_delivered(env, sink, target)
    except BaseException:
        for worker in workers:
            note(f"worker {worker.app} log:\n{worker.log()}")
        raise
    finally:
        for worker in workers:
            worker.stop()


def run_engine(engine: str, database_url: str, var_dir: Path, sink: Sink) -> None:
    env = django_env(var_dir, database_url, EMAIL_URL=f"smtp://{LOOPBACK}:{sink.port}")
    note(f"{engine}: migrate, create an application and its key")
    run_django(env, "migrate", "--no-input", "-v", "0")
    key = run_django(env, "shell", "-c", SETUP).strip().splitlines()[-1]
    singles = [(SEND, json.dumps(message(n)).encode(), 202) for n in range(MESSAGES)]
    bulks = [
        (SEND_BULK, json.dumps({"messages": [message(n) for n in chunk]}).encode(), 200)
        for chunk in chunks(range(MESSAGES), BULK_SIZE)
    ]
    with Server(APP, env=env, ready_path=PING) as server:
        workers = [Worker(f"w{n}", env=env).start() for n in range(WORKERS)]
        try:
            # Warm-up: one message end to end; it also gives the size of the app's mails.
            target = sink.expect(1)
            post_all(server.port, key, [(SEND, json.dumps(message(0)).encode(), 202)])
            sink.wait(target, "the warm-up message (are the workers running?)")
            size = sink.mean_size()
            wait_for_idle_queue(env)

            baseline = smtp_baseline(sink, size, MESSAGES)
            measure(engine, env, server, sink, key, "api", singles, MESSAGES, baseline)
            wait_for_idle_queue(env)

            baseline = smtp_baseline(sink, size, MESSAGES)
            measure(engine, env, server, sink, key, "bulk", bulks, MESSAGES, baseline)
            # No wait for the left-over tasks here: the workers stop, and when they start
            # again the first task they take delivers everything that is due.
        except BaseException:
            for worker in workers:
                note(f"worker {worker.app} log:\n{worker.log()}")
            note(f"server log:\n{server.log()}")
            raise
        finally:
            for worker in workers:
                worker.stop()
        baseline = smtp_baseline(sink, size, MESSAGES)
        measure_workers(engine, env, server, sink, key, bulks, MESSAGES, baseline)


def fresh_postgres(url: str) -> bool:
    """Drop the benchmark's own database (left-over tasks would run in this run) and
    create it again; False when PostgreSQL cannot be reached."""
    parts = urlsplit(url)
    name = parts.path.lstrip("/")
    if not name.startswith("bench"):
        raise ValueError(f"this benchmark drops its database: name it bench…, not {name!r}")
    if not postgres_ready(url):
        return False
    import psycopg
    from psycopg import sql

    with psycopg.connect(
        host=parts.hostname,
        port=parts.port or 5432,
        user=parts.username or "postgres",
        password=parts.password or None,
        dbname="postgres",
        autocommit=True,
    ) as connection:
        connection.execute(
            sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name))
        )
    return postgres_ready(url)


def main() -> int:
    note(
        f"{MESSAGES} messages, {CONCURRENCY} client connections, gunicorn 2 workers x 4 "
        f"threads, {WORKERS} db_worker processes; load average before start: "
        f"{os.getloadavg()[0]:.2f}"
    )
    sink = Sink()
    try:
        with tempfile.TemporaryDirectory(prefix="onedata-bench-") as tmp:
            tmpdir = Path(tmp)
            run_engine("sqlite", f"sqlite:///{tmpdir}/bench.sqlite3", tmpdir / "sqlite", sink)
            if fresh_postgres(POSTGRES_URL):
                run_engine("postgres", POSTGRES_URL, tmpdir / "postgres", sink)
            else:
                note("PostgreSQL unreachable: skipping the postgres figures")
    finally:
        sink.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
