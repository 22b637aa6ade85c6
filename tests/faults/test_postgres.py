"""PostgreSQL restarts under load: the app servers recover by themselves, clients get
clean 503s (never a 500) while it is away, and every acknowledged write is stored."""

from __future__ import annotations

import time
from collections import Counter

import httpx

from tests.faults.load import Load, acknowledged_bookings, booking


def test_postgres_restart_during_booking_load(topology):
    load = Load(topology.base, {"booking": (6, booking(topology.data))}).start()
    try:
        time.sleep(3)
        restarted = time.monotonic()
        topology.pg.restart()  # fast shutdown: every connection is cut, then start again
        back = time.monotonic()
        time.sleep(6)
    finally:
        answers = load.stop()
    statuses = Counter(a.status for a in answers)
    codes_seen = Counter((a.status, a.code) for a in answers if a.status != 201)
    print(f"PostgreSQL restart ({back - restarted:.1f} s): {dict(statuses)} {dict(codes_seen)}")
    assert 500 not in statuses and 502 not in statuses, codes_seen
    # While it was away: 503 in the API's envelope, nothing else.
    assert set(codes_seen) <= {(503, "unavailable")}, codes_seen
    # Recovered without restarting anything: the last seconds are all successes.
    late = [a for a in answers if a.sent > back + 2]
    assert late and all(a.status == 201 for a in late), Counter(a.status for a in late)
    assert any(a.sent < restarted and a.status == 201 for a in answers)

    codes = acknowledged_bookings(answers)
    stored = topology.pg.query(
        "SELECT code FROM clinics_booking WHERE code = ANY(string_to_array(:'codes', ','))",
        codes=",".join(codes),
    )
    assert {row[0] for row in stored} == set(codes)
    assert httpx.get(f"{topology.base}/readyz", timeout=10).status_code == 200
