"""The pieces behind the fault behaviour, in-process, on every engine: a lost database
answers 503 (not 500), the Redis cache degrades instead of failing, rate limits fall
back to database counters. (The tests beside this one do it for real on a cluster.)"""

from __future__ import annotations

import sys
import time

import pytest
from django.core.cache import caches
from django.db import OperationalError
from django.test import RequestFactory

from onedata.core import health, middleware, ratelimit

DEAD_REDIS = "redis://127.0.0.1:1/0"  # nothing listens on port 1


@pytest.fixture
def dead_redis(settings):
    settings.CACHES = {
        "default": {
            "BACKEND": "onedata.core.health.DegradingRedisCache",
            "LOCATION": DEAD_REDIS,
            "OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 1.0},
        }
    }
    health._redis_state.update(down_until=0.0, warned=False)
    health._pending_deletes.clear()
    yield caches["default"]
    health._redis_state.update(down_until=0.0, warned=False)
    health._pending_deletes.clear()


def test_api_answers_503_when_the_database_is_gone(db, client, monkeypatch):
    def lost(*args, **kwargs):
        raise OperationalError("server closed the connection unexpectedly")

    monkeypatch.setattr("onedata.core.services.api_token_authenticate", lost)
    answer = client.get("/api/v1/core/me", HTTP_AUTHORIZATION="Bearer od_x")
    assert answer.status_code == 503
    assert answer.json()["error"]["code"] == "unavailable"
    assert answer["Retry-After"] == "5"


def test_page_view_losing_the_database_answers_503():
    request = RequestFactory().get("/akun/")
    handler = middleware.RequestContextMiddleware(lambda r: None)
    answer = handler.process_exception(request, OperationalError("terminating connection"))
    assert answer.status_code == 503
    assert handler.process_exception(request, ValueError("a bug")) is None


def test_last_resort_500_caused_by_the_database_becomes_503():
    request = RequestFactory().get("/")
    try:
        raise OperationalError("the database system is shutting down")
    except OperationalError:
        middleware._note_database_gone(None, request=request)
    assert request.database_gone is True
    assert sys.exc_info() == (None, None, None)


def test_cache_degrades_when_redis_is_unreachable(dead_redis):
    started = time.monotonic()
    assert dead_redis.get("k", "default") == "default"
    dead_redis.set("k", 1)  # dropped, no error
    assert dead_redis.add("k", 1) is False
    assert dead_redis.get_many(["a", "b"]) == {}
    with pytest.raises(health.CacheUnavailable):
        dead_redis.incr("k")
    # After the first failure Redis is left alone: the rest cost nothing.
    assert time.monotonic() - started < 3
    assert health._pending_deletes  # forgotten writes, deleted when Redis is back


def test_rate_limit_counts_in_the_database_without_redis(db, dead_redis, settings):
    settings.REDIS_URL = DEAD_REDIS
    first = ratelimit.hit("fault:k", limit=2, period=60, now=1000.0)
    second = ratelimit.hit("fault:k", limit=2, period=60, now=1001.0)
    third = ratelimit.hit("fault:k", limit=2, period=60, now=1002.0)
    assert (first.count, second.count, third.count) == (1, 2, 3)
    assert third.allowed is False
    assert ratelimit.peek("fault:k", period=60, now=1003.0) == 3
