"""Redis goes away: the platform degrades instead of failing. The cache is off, rate
limits count in the database, sessions are read from the database, notifications wait
in their table; no request gets a 500. When Redis is back, everything resumes."""

from __future__ import annotations

import re
import time
from collections import Counter

import httpx

from tests.faults.load import Load, booking


def _log_in(topology) -> httpx.Client:
    http = httpx.Client(base_url=topology.base, timeout=30)
    page = http.get("/masuk/")
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text).group(1)
    answer = http.post(
        "/masuk/",
        data={"csrfmiddlewaretoken": token, "username": "faults", "password": topology.password},
        headers={"Referer": f"{topology.base}/masuk/"},
    )
    assert answer.status_code in (200, 302), answer.status_code
    assert http.get("/akun/").status_code == 200
    return http


def test_redis_down_degrades_without_errors(topology):
    data = topology.data
    session = _log_in(topology)
    subject = f"REDIS-{time.time_ns()}"

    def notify(n: int) -> dict:
        return {
            "method": "POST",
            "url": "/api/v1/notify/messages",
            "headers": {"Authorization": f"Bearer {data['key']}"},
            "json": {"to": [f"warga{n}@example.id"], "subject": f"{subject}-{n}", "text": "x"},
        }

    def search(n: int) -> dict:
        return {"method": "GET", "url": "/api/3/action/package_search", "params": {"q": "x"}}

    counters_before = int(topology.pg.query("SELECT count(*) FROM core_ratecounter")[0][0])
    load = Load(
        topology.base,
        {"booking": (3, booking(data)), "notify": (2, notify), "search": (1, search)},
    )
    try:
        topology.redis.kill()
        down = time.monotonic()
        load.start()
        time.sleep(5)
        ready = httpx.get(f"{topology.base}/readyz", timeout=10)
        account = session.get("/akun/")  # the session is read from the database
    finally:
        answers = load.stop()
        topology.redis.start()
    try:
        statuses = Counter((a.op, a.status) for a in answers)
        print(f"Redis down: {dict(statuses)}, readyz {ready.status_code}")
        assert all(a.sent >= down for a in answers)
        expected = {"booking": 201, "notify": 202, "search": 200}
        wrong = [(a.op, a.status, a.code) for a in answers if a.status != expected[a.op]]
        assert not wrong, (Counter(wrong), statuses)
        assert account.status_code == 200 and "/masuk/" not in str(account.url)
        # Readiness says what is missing (for monitoring), while requests are served.
        assert ready.status_code == 503
        assert ready.json()["checks"]["cache"]["ok"] is False
        assert ready.json()["checks"]["database"]["ok"] is True
        # Rate limits fell back to database counters.
        counters = int(topology.pg.query("SELECT count(*) FROM core_ratecounter")[0][0])
        assert counters > counters_before

        # Redis is back (empty: it kept nothing): workers that lost it are started again,
        # as systemd's Restart=always would, and the messages accepted meanwhile go out.
        topology.revive()
        sent = [a for a in answers if a.op == "notify"]
        assert sent
        wake = httpx.post(
            f"{topology.base}/api/v1/notify/messages",
            headers={"Authorization": f"Bearer {data['key']}"},
            json={"to": ["wake@example.id"], "subject": f"{subject}-wake", "text": "x"},
            timeout=30,
        )
        assert wake.status_code == 202
        left = None
        for _ in range(150):
            left = topology.pg.query(
                "SELECT count(*) FROM notifications_message "
                "WHERE subject LIKE :'like' AND status <> 'delivered'",
                like=f"{subject}-%",
            )[0][0]
            if left == "0":
                break
            time.sleep(0.4)
        assert left == "0", f"{left} messages not delivered after Redis came back"
        assert httpx.get(f"{topology.base}/readyz", timeout=10).status_code == 200
    finally:
        session.close()
