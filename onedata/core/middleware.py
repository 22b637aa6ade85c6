"""Request id, client address, API rate limits, and a clean 503 when the database is gone."""

from __future__ import annotations

import hashlib
import logging
import re
import time
import uuid

from django.conf import settings
from django.core.signals import got_request_exception
from django.db import InterfaceError, OperationalError
from django.http import HttpResponse, JsonResponse
from django.utils.translation import gettext as _

from onedata.core import context, metrics, ratelimit
from onedata.core.errors import error_body

REQUEST_ID_PATTERN = re.compile(r"^[A-Za-z0-9._-]{1,64}$")
request_log = logging.getLogger("onedata.request")
logger = logging.getLogger("onedata.errors")
QUIET_PATHS = ("/healthz", "/readyz", "/metrics")

# The database cannot be reached, or dropped the connection (a restart, a fail-over): the
# request may succeed a moment later. Not a bug of ours: 503 with Retry-After, not 500.
# The same for Redis where a request cannot do without it (enqueueing a task); the cache
# and the rate limits do without it (onedata/core/health.py, ratelimit.py).
try:
    from redis.exceptions import ConnectionError as RedisConnectionError
    from redis.exceptions import TimeoutError as RedisTimeoutError

    BACKEND_GONE = (OperationalError, InterfaceError, RedisConnectionError, RedisTimeoutError)
except ImportError:  # installed without the redis extra
    BACKEND_GONE = (OperationalError, InterfaceError)
RETRY_AFTER_SECONDS = 5
UNAVAILABLE_LOG = "database or Redis unavailable during %s %s: %s"


def database_unavailable(request):
    """503 in the API's envelope (or a short page), telling the client to try again. A write
    that got this answer was usually rolled back with the connection, but not always (the
    connection may drop after COMMIT; a task is enqueued after the commit): clients retry
    writes with an Idempotency-Key where the endpoint takes one."""
    message = _("The service is briefly unavailable. Try again in a few seconds.")
    if request.path.startswith("/api/"):
        response = JsonResponse(error_body("unavailable", message), status=503)
    else:
        response = HttpResponse(message, status=503, content_type="text/plain; charset=utf-8")
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    return response


def api_backend_gone(request, exc):
    """The API's handler for BACKEND_GONE (registered in onedata/api.py): 503, not 500."""
    logger.warning(UNAVAILABLE_LOG, request.method, request.path, exc)
    return database_unavailable(request)


def _note_database_gone(sender, request=None, **kwargs):
    """Django's last-resort handler (an exception from a page or a middleware) is about to
    answer 500; mark the request when the cause is the database, so it becomes a 503."""
    import sys

    if request is not None and isinstance(sys.exc_info()[1], BACKEND_GONE):
        request.database_gone = True


got_request_exception.connect(_note_database_gone, dispatch_uid="onedata-database-gone")


def client_ip(request) -> str | None:
    """The client's address. Behind N trusted proxies (TRUSTED_PROXY_COUNT), the Nth entry
    from the right of X-Forwarded-For: entries further left are written by the client and
    could be forged; the rightmost ones were appended by our own proxies."""
    proxies = settings.TRUSTED_PROXY_COUNT
    if proxies:
        hops = [hop.strip() for hop in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
        hops = [hop for hop in hops if hop]
        if len(hops) >= proxies:
            return hops[-proxies]
    return request.META.get("REMOTE_ADDR") or None


class RequestContextMiddleware:
    """Gives every request an id (kept from X-Request-ID when sane) for logs and audit,
    logs one line per request and counts it for the metrics."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        incoming = request.headers.get("X-Request-ID", "")
        request.id = incoming if REQUEST_ID_PATTERN.match(incoming) else uuid.uuid4().hex
        request.client_ip = client_ip(request)
        token = context.bind(context.RequestContext(request_id=request.id, ip=request.client_ip))
        started = time.perf_counter()
        try:
            response = self.get_response(request)
            if response.status_code == 500 and getattr(request, "database_gone", False):
                response = database_unavailable(request)
            self._observe(request, response.status_code, started)
        finally:
            context.unbind(token)
        response["X-Request-ID"] = request.id
        return response

    def process_exception(self, request, exception):
        """A page whose view lost the database: 503, not the 500 page."""
        if isinstance(exception, BACKEND_GONE):
            logger.warning(UNAVAILABLE_LOG, request.method, request.path, exception)
            return database_unavailable(request)
        return None

    @staticmethod
    def _observe(request, status: int, started: float) -> None:
        metrics.observe(request, status, started)
        if request.path.startswith(QUIET_PATHS):
            return
        user = getattr(request, "user", None)
        request_log.info(
            "%s %s %s",
            request.method,
            request.path,
            status,
            extra={
                "method": request.method,
                "path": request.path,
                "status": status,
                "route": metrics.route_of(request),
                "duration_ms": round((time.perf_counter() - started) * 1000, 1),
                "user_id": getattr(user, "pk", None),
            },
        )


class ApiRateLimitMiddleware:
    """Per-IP and per-token request limits on /api/, answering 429 with Retry-After."""

    PERIOD = 60

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.path.startswith("/api/"):
            limited = self._check(request)
            if limited is not None:
                return limited
        return self.get_response(request)

    def _check(self, request):
        checks = [(f"api:ip:{request.client_ip}", settings.API_RATE_PER_MINUTE_IP)]
        auth = request.headers.get("Authorization", "")
        if auth.lower().startswith("bearer "):
            # A digest, never the token: counter keys are visible to whoever reads Redis.
            digest = hashlib.sha256(auth[7:].strip().encode()).hexdigest()[:32]
            checks.append((f"api:token:{digest}", settings.API_RATE_PER_MINUTE_TOKEN))
        for key, limit in checks:
            decision = ratelimit.hit(key, limit=limit, period=self.PERIOD)
            if not decision.allowed:
                response = JsonResponse(
                    error_body(
                        "rate_limited",
                        _(
                            "Too many requests: at most %(limit)d a minute. "
                            "Try again in %(seconds)d s."
                        )
                        % {"limit": limit, "seconds": decision.retry_after},
                    ),
                    status=429,
                )
                response["Retry-After"] = str(decision.retry_after)
                return response
        return None


class SecurityHeadersMiddleware:
    """Content-Security-Policy with no inline script, and a Permissions-Policy that lets
    only our own pages use the camera and location (attendance selfies, check-in place)."""

    def __init__(self, get_response):
        self.get_response = get_response
        self.policy = content_security_policy(settings.MAP_TILE_URL)

    def __call__(self, request):
        response = self.get_response(request)
        response.setdefault("Content-Security-Policy", self.policy)
        response.setdefault(
            "Permissions-Policy", "camera=(self), geolocation=(self), microphone=()"
        )
        return response


def content_security_policy(tile_url: str) -> str:
    from urllib.parse import urlsplit

    tiles = ""
    if tile_url:
        parts = urlsplit(tile_url.replace("{s}", "a"))
        host = parts.netloc.replace("a.", "*.", 1) if "{s}" in tile_url else parts.netloc
        tiles = f" {parts.scheme}://{host}"
    return "; ".join(
        [
            "default-src 'self'",
            "script-src 'self'",
            "style-src 'self'",
            f"img-src 'self' data: blob:{tiles}",
            "connect-src 'self'",
            "font-src 'self'",
            "object-src 'none'",
            "base-uri 'self'",
            "form-action 'self'",
            "frame-ancestors 'none'",
        ]
    )
