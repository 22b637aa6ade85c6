"""Background load for the fault tests: threads posting bookings (and, optionally, other
requests) through nginx, recording every answer with the time it was sent."""

from __future__ import annotations

import itertools
import threading
import time
from dataclasses import dataclass, field

import httpx

_niks = itertools.count(1)


def nik() -> str:
    """A valid, new NIK (Denpasar Selatan, born in January 1990) for each booking."""
    n = next(_niks)
    return f"517101{1 + n // 10000 % 28:02d}0190{n % 10000:04d}"


@dataclass
class Answer:
    op: str
    sent: float  # time.monotonic() when the request was sent
    status: int | str  # HTTP status, or the name of the transport error
    code: str = ""  # the error envelope's code
    body: dict = field(default_factory=dict)


class Load:
    """``clients`` threads, each sending ``make(n)`` requests back to back until stopped."""

    def __init__(self, base: str, ops: dict[str, tuple[int, object]]):
        self.base = base
        self.ops = ops  # name -> (clients, make(n) -> request kwargs)
        self.answers: list[Answer] = []
        self.lock = threading.Lock()
        self.stopping = threading.Event()
        self.threads: list[threading.Thread] = []
        self.counter = itertools.count()

    def _client(self, op: str, make) -> None:
        with httpx.Client(base_url=self.base, timeout=30) as http:
            while not self.stopping.is_set():
                n = next(self.counter)
                sent = time.monotonic()
                try:
                    response = http.request(**make(n))
                    status, body = response.status_code, {}
                    try:
                        body = response.json()
                    except ValueError:
                        body = {}
                    code = ""
                    if isinstance(body, dict) and isinstance(body.get("error"), dict):
                        code = body["error"].get("code", "")
                except httpx.HTTPError as error:
                    status, body, code = type(error).__name__, {}, ""
                    time.sleep(0.05)
                with self.lock:
                    self.answers.append(Answer(op, sent, status, code, body))

    def start(self) -> Load:
        for op, (clients, make) in self.ops.items():
            for _ in range(clients):
                thread = threading.Thread(target=self._client, args=(op, make), daemon=True)
                thread.start()
                self.threads.append(thread)
        return self

    def stop(self) -> list[Answer]:
        self.stopping.set()
        for thread in self.threads:
            thread.join(60)
        return self.answers

    def __enter__(self) -> Load:
        return self.start()

    def __exit__(self, *exc) -> None:
        self.stop()


def booking(data: dict):
    def make(n: int) -> dict:
        return {
            "method": "POST",
            "url": "/api/v1/clinics/bookings",
            "json": {
                "clinic_id": data["clinics"][n % len(data["clinics"])],
                "service": "umum",
                "date": data["date"],
                "nik": nik(),
                "name": f"Pasien {n}",
                "phone": "081234567890",
            },
        }

    return make


def acknowledged_bookings(answers: list[Answer]) -> list[str]:
    return [a.body["code"] for a in answers if a.op == "booking" and a.status == 201]
