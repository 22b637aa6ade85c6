"""Liveness, readiness and the task queue's state, for load balancers and monitoring."""

from __future__ import annotations

import hmac
import logging
import time

from django.conf import settings
from django.core.cache import cache
from django.db import connection
from django.http import HttpResponse, JsonResponse
from django.views.decorators.cache import never_cache

from onedata.core import metrics, permissions, services

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
