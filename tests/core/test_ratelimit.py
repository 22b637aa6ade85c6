"""Rate limits: 429 with Retry-After, counted correctly under parallel requests."""

import threading

import pytest
from django.db import connection

from onedata.core import ratelimit, services


def test_counter_allows_up_to_the_limit_then_refuses(db):
    decisions = [ratelimit.hit("k", limit=3, period=60, now=1000.0) for _ in range(4)]
    assert [d.allowed for d in decisions] == [True, True, True, False]
    assert decisions[-1].retry_after == 21  # window 960-1020, reset at 1020, +1 s margin


def test_counter_starts_again_in_the_next_window(db):
    for _ in range(3):
        ratelimit.hit("k", limit=3, period=60, now=1000.0)
    assert ratelimit.hit("k", limit=3, period=60, now=1021.0).allowed


@pytest.fixture
def still_clock(monkeypatch):
    """Mid-window, so that a burst of requests cannot straddle two windows."""
    monkeypatch.setattr(ratelimit, "clock", lambda: 1_800_000_030.0)


def test_api_answers_429_with_retry_after_per_ip(db, client, settings, still_clock):
    settings.API_RATE_PER_MINUTE_IP = 5
    answers = [client.get("/api/v1/core/ping") for _ in range(6)]
    assert [a.status_code for a in answers] == [200] * 5 + [429]
    refused = answers[-1]
    assert 1 <= int(refused["Retry-After"]) <= 61
    assert refused.json()["error"]["code"] == "rate_limited"


def test_api_limits_each_token(people, client, settings, still_clock):
    settings.API_RATE_PER_MINUTE_TOKEN = 3
    issued = services.api_token_create(actor=people["citizen"], user=people["citizen"], name="x")
    header = {"HTTP_AUTHORIZATION": f"Bearer {issued.plaintext}"}
    codes = [client.get("/api/v1/core/me", **header).status_code for _ in range(4)]
    assert codes == [200, 200, 200, 429]
    # Another address with the same token is limited too: the count is per token.
    assert client.get("/api/v1/core/me", REMOTE_ADDR="10.9.9.9", **header).status_code == 429


@pytest.mark.django_db(transaction=True)
def test_parallel_hits_are_all_counted():
    """Eight threads, 25 hits each: the counter ends at exactly 200."""
    errors = []

    def worker():
        try:
            for _ in range(25):
                ratelimit.hit("parallel", limit=10_000, period=3600, now=7200.0)
        except Exception as error:  # pragma: no cover - reported below
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=worker) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert ratelimit.peek("parallel", period=3600, now=7200.0) == 200


def test_client_address_behind_one_trusted_proxy_is_the_one_it_saw(people, client, settings):
    """A client may forge the left part of X-Forwarded-For; only our proxy's entry counts."""
    from onedata.core.models import AuditEvent

    settings.TRUSTED_PROXY_COUNT = 1
    client.post(
        "/masuk/",
        {"username": "warga", "password": "wrong"},
        HTTP_X_FORWARDED_FOR="1.2.3.4, 203.0.113.9",
        REMOTE_ADDR="10.0.0.2",
    )
    assert AuditEvent.objects.get(action="auth.login_failed").ip == "203.0.113.9"


def test_forwarded_header_is_ignored_without_trusted_proxies(people, client, settings):
    from onedata.core.models import AuditEvent

    settings.TRUSTED_PROXY_COUNT = 0
    client.post(
        "/masuk/",
        {"username": "warga", "password": "wrong"},
        HTTP_X_FORWARDED_FOR="1.2.3.4",
        REMOTE_ADDR="10.0.0.2",
    )
    assert AuditEvent.objects.get(action="auth.login_failed").ip == "10.0.0.2"


def test_a_hit_may_count_several_events_at_once(db):
    assert ratelimit.hit("bulk", limit=10, period=60, now=1000.0, cost=7).allowed
    decision = ratelimit.hit("bulk", limit=10, period=60, now=1000.0, cost=4)
    assert (decision.count, decision.allowed) == (11, False)
