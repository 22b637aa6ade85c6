"""Prometheus metrics: requests by route and status, latency, task queue depth and failures.

With several gunicorn workers, set PROMETHEUS_MULTIPROC_DIR (``onedata serve`` does) so
that /metrics adds up every worker's counts.
"""

from __future__ import annotations

import os
import time

from prometheus_client import (
    CONTENT_TYPE_LATEST,
    CollectorRegistry,
    Counter,
    Histogram,
    generate_latest,
    multiprocess,
)
from prometheus_client.core import REGISTRY, GaugeMetricFamily

REQUESTS = Counter(
    "onedata_http_requests_total",
    "HTTP requests by route, method and status",
    ["route", "method", "status"],
)
LATENCY = Histogram(
    "onedata_http_request_duration_seconds",
    "Time to answer a request, by route",
    ["route"],
    buckets=(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10),
)


def route_of(request) -> str:
    """The URL pattern, not the path: /api/v1/core/regions/{code}, never one row per id."""
    match = getattr(request, "resolver_match", None)
    if match is None:
        return "unmatched"
    return match.route or match.view_name or "unknown"


def observe(request, status: int, started: float) -> None:
    route = route_of(request)
    REQUESTS.labels(route=route, method=request.method, status=str(status)).inc()
    LATENCY.labels(route=route).observe(time.perf_counter() - started)


class TaskQueueCollector:
    """Reads the queue at scrape time, so every worker host is counted, not just this one."""

    def collect(self):
        from onedata.core.health import task_queue_counts

        depth = GaugeMetricFamily(
            "onedata_task_queue_depth", "Tasks waiting to run", labels=["queue"]
        )
        failed = GaugeMetricFamily(
            "onedata_tasks_failed", "Tasks recorded as failed", labels=["queue"]
        )
        for queue, counts in task_queue_counts().items():
            depth.add_metric([queue], counts["waiting"])
            failed.add_metric([queue], counts["failed"])
        yield depth
        yield failed


def render() -> tuple[bytes, str]:
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        registry = CollectorRegistry()
        multiprocess.MultiProcessCollector(registry)
    else:
        registry = REGISTRY
    tasks = CollectorRegistry()
    tasks.register(TaskQueueCollector())
    return generate_latest(registry) + generate_latest(tasks), CONTENT_TYPE_LATEST
