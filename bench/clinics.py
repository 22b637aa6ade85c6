"""Booking surge on the clinic queue, beside the framework floor measured in the same run.

Many clinics, three services each, one session tomorrow with an online quota of
``BENCH_CLINIC_QUOTA``. ``BENCH_CONCURRENCY`` keep-alive clients POST
``/api/v1/clinics/bookings`` (each with its own NIK and its own client address, as a
crowd behind one proxy) spread over every clinic and service until every quota is full,
plus 20 % more requests that must all answer 409 ``quota_full``. Then the database is
checked: no service-day above its quota, no queue number twice, numbers 1..n without gaps.

Figures per engine (SQLite; PostgreSQL when reachable):

- ``<engine>.booking.rate``: bookings (201) a second, from the first POST to the last
  answer; baseline: ``GET /api/v1/core/ping`` requests a second on the same server, just
  before (the framework floor), same client count
- ``<engine>.booking.p50`` / ``.p95``: latency of the booking POSTs in ms; baseline: the
  ping's p50 / p95
- ``<engine>.booking.overbooked``: bookings above a quota plus repeated numbers (must be
  0); baseline 0

Knobs: BENCH_CLINICS (20), BENCH_CLINIC_QUOTA (40), BENCH_CONCURRENCY (16),
BENCH_SECONDS (5, the floor's length), BENCH_CLINICS_POSTGRES_URL (a database whose name
starts with "bench": dropped and created again at every run).
"""

from __future__ import annotations

import http.client
import itertools
import json
import os
import random
import sys
import tempfile
import threading
import time
from collections import Counter
from pathlib import Path
from urllib.parse import urlsplit

from _harness import (
    LOOPBACK,
    Server,
    django_env,
    emit,
    env_number,
    load,
    note,
    postgres_ready,
    run_django,
)

BENCH = "clinics"
APP = "onedata.wsgi:application"
PING = "/api/v1/core/ping"
BOOK = "/api/v1/clinics/bookings"
CLINICS = int(env_number("BENCH_CLINICS", 20))
QUOTA = int(env_number("BENCH_CLINIC_QUOTA", 40))
CONCURRENCY = int(env_number("BENCH_CONCURRENCY", 16))
SECONDS = env_number("BENCH_SECONDS", 5.0)
KINDS = ("general", "dental", "kia")
POSTGRES_URL = os.environ.get(
    "BENCH_CLINICS_POSTGRES_URL", "postgres://postgres@127.0.0.1:5432/bench_clinics"
)

SETUP = """
import json
from datetime import time, timedelta
from onedata.core.regions import regions_load
from onedata.core.models import Agency, Region
from onedata.clinics import services
from onedata.clinics.models import Clinic, Service, Session
regions_load()
district = Region.objects.get(code="51.71.01")
ids = []
for n in range({clinics}):
    agency = Agency.objects.create(
        slug=f"bench-puskesmas-{{n}}", name=f"Puskesmas Bench {{n}}",
        kind=Agency.Kind.PUSKESMAS, region=district)
    clinic = services.clinic_create(actor="bench", agency=agency,
        kind=Clinic.Kind.PUSKESMAS, latitude=-8.68 + n / 1000, longitude=115.2)
    for kind in {kinds!r}:
        service = Service.objects.create(clinic=clinic, kind=kind, prefix=kind[0].upper())
        for weekday in range(7):
            Session.objects.create(service=service, weekday=weekday, starts_at=time(7),
                ends_at=time(20), quota_online={quota}, quota_walkin=0)
    ids.append(clinic.pk)
print(json.dumps({{"clinics": ids, "date": str(services.today_wita() + timedelta(days=1))}}))
"""

CHECK = """
import json
from django.db.models import Count, Max
from onedata.clinics.models import Booking
rows = (Booking.objects.exclude(status="cancelled").values("service_id", "date")
        .annotate(n=Count("pk"), distinct=Count("queue_number", distinct=True),
                  top=Max("queue_number")))
over = sum(max(0, r["n"] - {quota}) for r in rows)
repeats = sum(r["n"] - r["distinct"] for r in rows)
gaps = sum(1 for r in rows if r["top"] != r["n"])
print(json.dumps({{"bookings": sum(r["n"] for r in rows), "over": over,
                  "repeats": repeats, "gaps": gaps}}))
"""


def nik(n: int) -> str:
    """A valid NIK (Denpasar Selatan, a birth date in January 1990) per request."""
    return f"517101{1 + n // 10000:02d}0190{n % 10000:04d}"


def surge(port: int, setup: dict) -> tuple[float, Counter, list[float], Counter]:
    """POST every booking from CONCURRENCY keep-alive connections; returns the seconds,
    the statuses, the latencies (ms) and the error codes of the refusals."""
    targets = [(c, k) for c in setup["clinics"] for k in KINDS]
    total = int(len(targets) * QUOTA * 1.2)
    plan = [targets[i % len(targets)] for i in range(total)]
    random.Random(7).shuffle(plan)
    tickets = itertools.count()
    statuses: Counter = Counter()
    codes: Counter = Counter()
    latencies: list[float] = []
    lock = threading.Lock()
    start = threading.Barrier(CONCURRENCY + 1)

    def client() -> None:
        connection = http.client.HTTPConnection(LOOPBACK, port, timeout=60)
        mine_status: Counter = Counter()
        mine_codes: Counter = Counter()
        mine_latency: list[float] = []
        start.wait()
        try:
            while (n := next(tickets)) < total:
                clinic, kind = plan[n]
                body = json.dumps(
                    {
                        "clinic_id": clinic,
                        "service": kind,
                        "date": setup["date"],
                        "nik": nik(n),
                        "name": f"Pasien {n}",
                        "phone": "081234567890",
                    }
                )
                headers = {
                    "Content-Type": "application/json",
                    "X-Forwarded-For": f"10.{n // 65536 % 256}.{n // 256 % 256}.{n % 256}",
                }
                began = time.perf_counter()
                try:
                    connection.request("POST", BOOK, body=body, headers=headers)
                    response = connection.getresponse()
                    payload = response.read()
                except (OSError, http.client.HTTPException):
                    mine_status["socket-error"] += 1
                    connection.close()
                    connection = http.client.HTTPConnection(LOOPBACK, port, timeout=60)
                    continue
                mine_latency.append((time.perf_counter() - began) * 1000)
                mine_status[response.status] += 1
                if response.status != 201:
                    try:
                        mine_codes[json.loads(payload)["error"]["code"]] += 1
                    except (ValueError, KeyError, TypeError):
                        mine_codes["unreadable"] += 1
        finally:
            connection.close()
            with lock:
                statuses.update(mine_status)
                codes.update(mine_codes)
                latencies.extend(mine_latency)

    threads = [threading.Thread(target=client, daemon=True) for _ in range(CONCURRENCY)]
    for thread in threads:
        thread.start()
    start.wait()
    began = time.perf_counter()
    for thread in threads:
        thread.join()
    return time.perf_counter() - began, statuses, latencies, codes


def percentile(values: list[float], fraction: float) -> float:
    if not values:
        return 0.0
    ordered = sorted(values)
    return ordered[max(0, min(len(ordered) - 1, int(round(fraction * len(ordered))) - 1))]


def run_engine(engine: str, database_url: str, var_dir: Path) -> bool:
    env = django_env(var_dir, database_url, TRUSTED_PROXY_COUNT="1")
    note(f"{engine}: migrating and creating {CLINICS} clinics x {len(KINDS)} services")
    run_django(env, "migrate", "--no-input", "-v", "0")
    setup = json.loads(
        run_django(env, "shell", "-c", SETUP.format(clinics=CLINICS, kinds=KINDS, quota=QUOTA))
        .strip()
        .splitlines()[-1]
    )
    capacity = len(setup["clinics"]) * len(KINDS) * QUOTA
    with Server(APP, env=env, ready_path=PING) as server:
        floor = load(server.port, PING, seconds=SECONDS, concurrency=CONCURRENCY)
        note(f"{engine}: floor {floor.summary()}")
        seconds, statuses, latencies, codes = surge(server.port, setup)
    check = json.loads(
        run_django(env, "shell", "-c", CHECK.format(quota=QUOTA)).strip().splitlines()[-1]
    )
    booked = statuses.get(201, 0)
    note(
        f"{engine}: {sum(statuses.values())} POSTs in {seconds:.2f} s; statuses "
        f"{dict(statuses)}; refusals {dict(codes)}; capacity {capacity}; database {check}"
    )
    emit(BENCH, f"{engine}.booking.rate", booked / seconds, floor.rps, "requests/s")
    emit(BENCH, f"{engine}.booking.p50", percentile(latencies, 0.5), floor.p50, "ms")
    emit(BENCH, f"{engine}.booking.p95", percentile(latencies, 0.95), floor.percentile(0.95), "ms")
    overbooked = check["over"] + check["repeats"]
    emit(BENCH, f"{engine}.booking.overbooked", overbooked, 0, "bookings")
    ok = (
        overbooked == 0
        and check["gaps"] == 0
        and booked == capacity == check["bookings"]
        and set(codes) <= {"quota_full"}
    )
    if not ok:
        note(f"{engine}: FAILED: expected {capacity} bookings, no overbooking, no gaps")
    return ok


def fresh_postgres(url: str) -> bool:
    """Drop and create the benchmark's own database (its name must start with "bench")."""
    parts = urlsplit(url)
    name = parts.path.lstrip("/")
    if not name.startswith("bench"):
        raise ValueError(f"refusing to drop {name!r}: benchmark databases start with 'bench'")
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
    ok = True
    with tempfile.TemporaryDirectory(prefix="bench-clinics-") as folder:
        var_dir = Path(folder) / "sqlite"
        var_dir.mkdir()
        ok &= run_engine("sqlite", f"sqlite:///{var_dir / 'onedata.sqlite3'}", var_dir)
        if fresh_postgres(POSTGRES_URL):
            pg_dir = Path(folder) / "postgres"
            pg_dir.mkdir()
            ok &= run_engine("postgres", POSTGRES_URL, pg_dir)
        else:
            note("postgres: skipped (not reachable)")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
