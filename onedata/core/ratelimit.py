"""Fixed-window counters for rate limits and login lock-out.

Two adapters behind one function: Redis (``INCR`` through the cache) when REDIS_URL is
set, so that every app server shares the count; otherwise a database row updated with
``count = count + 1``, which stays correct across processes on one machine. While Redis
is unreachable the Redis adapter falls back to the database row (every host still sees
the same count; the window's earlier Redis count is not carried over).
"""

from __future__ import annotations

import random
import time
from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.core.cache import cache
from django.db import connection
from django.utils import timezone

from onedata.core.health import CacheUnavailable, _redis_errors
from onedata.core.models import RateCounter


def _redis_down() -> tuple[type[BaseException], ...]:
    return (CacheUnavailable, *_redis_errors())


@dataclass(frozen=True)
class Decision:
    allowed: bool
    count: int
    limit: int
    retry_after: int  # seconds until the window resets


def clock() -> float:
    """Seconds since the epoch; one name so tests can hold time still inside a window."""
    return time.time()


def _window(period: int, now: float) -> tuple[int, int]:
    window = int(now // period)
    reset_in = int((window + 1) * period - now) + 1
    return window, reset_in


def hit(key: str, *, limit: int, period: int, now: float | None = None, cost: int = 1) -> Decision:
    """Count ``cost`` events for ``key`` (a bulk request counts each of its entries, in one
    round trip); allowed while the count stays within ``limit``."""
    now = clock() if now is None else now
    window, reset_in = _window(period, now)
    count = _increment(key, window, period, cost)
    return Decision(allowed=count <= limit, count=count, limit=limit, retry_after=reset_in)


def peek(key: str, *, period: int, now: float | None = None) -> int:
    now = clock() if now is None else now
    window, _ = _window(period, now)
    if settings.REDIS_URL:
        try:
            value = cache.get(f"rl:{key}:{window}")
        except _redis_down():
            value = None
        if value is not None:
            return int(value)
    row = RateCounter.objects.filter(key=key, window=window).values_list("count", flat=True)
    return row[0] if row else 0


def reset(key: str, *, period: int, now: float | None = None) -> None:
    now = clock() if now is None else now
    window, _ = _window(period, now)
    if settings.REDIS_URL:
        try:
            cache.delete(f"rl:{key}:{window}")
        except _redis_down():
            pass
    RateCounter.objects.filter(key=key, window=window).delete()


def prune(now=None) -> int:
    """Delete expired database counters; a periodic task calls it."""
    deleted, _ = RateCounter.objects.filter(expires_at__lt=now or timezone.now()).delete()
    return deleted


def _increment(key: str, window: int, period: int, cost: int) -> int:
    if settings.REDIS_URL:
        cache_key = f"rl:{key}:{window}"
        try:
            try:
                return int(cache.incr(cache_key, cost))
            except ValueError:  # the window's first hit (or its key expired just now)
                if cache.add(cache_key, cost, timeout=period + 1):
                    return cost
                return int(cache.incr(cache_key, cost))
        except _redis_down():
            pass  # Redis is down: count in the database until it is back
    return _increment_in_database(key[:200], window, period, cost)


# One statement, so it is atomic on its own and holds the row lock for no extra round trip
# (PostgreSQL and SQLite >= 3.35 both speak INSERT … ON CONFLICT … RETURNING).
UPSERT = (
    'INSERT INTO core_ratecounter ("key", "window", "count", "expires_at") '
    "VALUES (%s, %s, %s, %s) "
    'ON CONFLICT ("key", "window") DO UPDATE SET "count" = core_ratecounter."count" + %s '
    'RETURNING "count"'
)
PRUNE_EVERY = 500  # new windows between two clean-ups of expired counters


def _increment_in_database(key: str, window: int, period: int, cost: int) -> int:
    expires_at = timezone.now() + timedelta(seconds=period + 1)
    with connection.cursor() as cursor:
        cursor.execute(UPSERT, [key, window, cost, expires_at, cost])
        count = cursor.fetchone()[0]
    if count == cost and random.randrange(PRUNE_EVERY) == 0:
        prune()  # no scheduler needed: the table cleans itself as windows turn over
    return count
