"""Liveness, readiness and the task queue's state, for load balancers and monitoring; and
the Redis cache backend that turns itself off while Redis is down."""

from __future__ import annotations

import hmac
import logging
import threading
import time

from django.conf import settings
from django.core.cache import cache
from django.core.cache.backends.base import DEFAULT_TIMEOUT
from django.core.cache.backends.redis import RedisCache
from django.db import connection
from django.http import HttpResponse, JsonResponse
from django.views.decorators.cache import never_cache

from onedata.core import metrics

logger = logging.getLogger("onedata.health")


def task_queue_counts() -> dict[str, dict[str, int]]:
    """Waiting and failed tasks per queue, from whichever backend is configured."""
    if settings.REDIS_URL:
        import django_rq
        from rq.registry import FailedJobRegistry

        counts = {}
        for name in settings.RQ_QUEUES:
            queue = django_rq.get_queue(name)
            counts[name] = {"waiting": queue.count, "failed": FailedJobRegistry(queue=queue).count}
        return counts
    from django.db.models import Count, Q
    from django_tasks import TaskResultStatus
    from django_tasks_db.models import DBTaskResult

    rows = DBTaskResult.objects.values("queue_name").annotate(
        waiting=Count("id", filter=Q(status=TaskResultStatus.READY)),
        failed=Count("id", filter=Q(status=TaskResultStatus.FAILED)),
    )
    counts = {"default": {"waiting": 0, "failed": 0}}
    for row in rows:
        counts[row["queue_name"]] = {"waiting": row["waiting"], "failed": row["failed"]}
    return counts


def _check_database() -> None:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        cursor.fetchone()


def _check_cache() -> None:
    key = "readyz-probe"
    cache.set(key, "ok", 10)
    if cache.get(key) != "ok":
        raise RuntimeError("cache did not return what was stored")


def _check_task_queue() -> None:
    task_queue_counts()


CHECKS = {"database": _check_database, "cache": _check_cache, "task_queue": _check_task_queue}


def api_index(request):
    """/api/v1/ points a developer to the documentation."""
    return JsonResponse(
        {
            "name": "Bali One Data API",
            "version": "1",
            "docs": request.build_absolute_uri("/api/v1/docs"),
            "openapi": request.build_absolute_uri("/api/v1/openapi.json"),
        }
    )


@never_cache
def healthz(request):
    """The process is up and answering. No dependency is touched."""
    return JsonResponse({"status": "ok"})


@never_cache
def readyz(request):
    """Ready to serve: database, cache and task queue reachable. 503 names what is not."""
    results, ready = {}, True
    for name, check in CHECKS.items():
        started = time.perf_counter()
        try:
            check()
        except Exception as error:  # any failure means not ready; say which and why
            ready = False
            results[name] = {"ok": False, "error": type(error).__name__}
            logger.warning("readiness check %s failed: %s", name, error)
        else:
            results[name] = {"ok": True, "ms": round((time.perf_counter() - started) * 1000, 1)}
    return JsonResponse(
        {"status": "ready" if ready else "not ready", "checks": results},
        status=200 if ready else 503,
    )


def _metrics_caller_allowed(request) -> bool:
    # Imported here: this module is also the cache backend's, loaded before the models.
    from onedata.core import permissions, services

    auth = request.headers.get("Authorization", "")
    if auth.lower().startswith("bearer "):
        secret = auth[7:].strip()
        if settings.METRICS_TOKEN and hmac.compare_digest(secret, settings.METRICS_TOKEN):
            return True
        user = services.api_token_authenticate(secret)
        return user is not None and permissions.can_view_metrics(user)
    return permissions.can_view_metrics(request.user)


@never_cache
def metrics_view(request):
    """Prometheus metrics, for the platform's monitoring only (not the public)."""
    if not _metrics_caller_allowed(request):
        return JsonResponse(
            {"error": {"code": "forbidden", "message": "Not allowed.", "fields": {}}}, status=403
        )
    body, content_type = metrics.render()
    return HttpResponse(body, content_type=content_type)


# --- Redis down: the cache turns itself off ----------------------------------------------


REDIS_RETRY_SECONDS = 2.0  # after a failure, skip Redis this long before trying again
PENDING_LIMIT = 10_000  # keys to invalidate when Redis is back (per process)
_redis_state = {"down_until": 0.0, "warned": False}
_pending_deletes: set[str] = set()
_state_lock = threading.Lock()


class CacheUnavailable(Exception):
    """Redis did not answer; callers that need an exact answer (counters) fall back."""


def _redis_errors() -> tuple[type[BaseException], ...]:
    import redis

    return (redis.exceptions.ConnectionError, redis.exceptions.TimeoutError, OSError)


class DegradingRedisCache(RedisCache):
    """Django's Redis cache that degrades instead of failing when Redis is unreachable:
    reads miss, writes are dropped, ``incr`` raises :class:`CacheUnavailable` (the rate
    limiter then counts in the database). After a failure Redis is left alone for
    ``REDIS_RETRY_SECONDS`` so requests do not each wait for a connection. Keys written or
    deleted while Redis was away are deleted when it answers again, so a session changed
    (or ended) meanwhile is not shadowed by its older cached copy."""

    def _call(self, operation, *args, fallback=None, keys=(), strict=False):
        now = time.monotonic()
        if now < _redis_state["down_until"]:
            self._remember(keys)
            if strict:
                raise CacheUnavailable("Redis is unavailable")
            return fallback
        try:
            if _pending_deletes:
                self._flush_pending()
            result = operation(*args)
        except _redis_errors() as error:
            with _state_lock:
                _redis_state["down_until"] = time.monotonic() + REDIS_RETRY_SECONDS
                warn = not _redis_state["warned"]
                _redis_state["warned"] = True
            if warn:
                logger.warning("Redis unavailable, cache off until it answers: %s", error)
            self._remember(keys)
            if strict:
                raise CacheUnavailable(str(error)) from error
            return fallback
        if _redis_state["warned"]:
            with _state_lock:
                _redis_state["warned"] = False
            logger.warning("Redis answers again, cache on")
        return result

    @staticmethod
    def _remember(keys) -> None:
        with _state_lock:
            for key in keys:
                if len(_pending_deletes) < PENDING_LIMIT:
                    _pending_deletes.add(key)

    def _flush_pending(self) -> None:
        with _state_lock:
            keys = list(_pending_deletes)
            _pending_deletes.clear()
        try:
            self._cache.delete_many(keys)
        except Exception:
            self._remember(keys)
            raise

    def add(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        made = self.make_and_validate_key(key, version=version)
        timeout = self.get_backend_timeout(timeout)
        return self._call(self._cache.add, made, value, timeout, fallback=False, keys=[made])

    def get(self, key, default=None, version=None):
        made = self.make_and_validate_key(key, version=version)
        return self._call(self._cache.get, made, default, fallback=default)

    def set(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        made = self.make_and_validate_key(key, version=version)
        timeout = self.get_backend_timeout(timeout)
        self._call(self._cache.set, made, value, timeout, keys=[made])

    def touch(self, key, timeout=DEFAULT_TIMEOUT, version=None):
        made = self.make_and_validate_key(key, version=version)
        timeout = self.get_backend_timeout(timeout)
        return self._call(self._cache.touch, made, timeout, fallback=False)

    def delete(self, key, version=None):
        made = self.make_and_validate_key(key, version=version)
        return self._call(self._cache.delete, made, fallback=False, keys=[made])

    def get_many(self, keys, version=None):
        key_map = {self.make_and_validate_key(key, version=version): key for key in keys}
        found = self._call(self._cache.get_many, key_map.keys(), fallback={})
        return {key_map[k]: v for k, v in found.items()}

    def has_key(self, key, version=None):
        made = self.make_and_validate_key(key, version=version)
        return self._call(self._cache.has_key, made, fallback=False)

    def incr(self, key, delta=1, version=None):
        made = self.make_and_validate_key(key, version=version)
        return self._call(self._cache.incr, made, delta, strict=True)

    def set_many(self, data, timeout=DEFAULT_TIMEOUT, version=None):
        if not data:
            return []
        safe = {self.make_and_validate_key(key, version=version): v for key, v in data.items()}
        timeout = self.get_backend_timeout(timeout)
        self._call(self._cache.set_many, safe, timeout, keys=list(safe))
        return []

    def delete_many(self, keys, version=None):
        if not keys:
            return
        safe = [self.make_and_validate_key(key, version=version) for key in keys]
        self._call(self._cache.delete_many, safe, keys=safe)

    def clear(self):
        return self._call(self._cache.clear, fallback=False)
