"""Request id, client address and API rate limits."""

from __future__ import annotations

import re
import uuid

from django.conf import settings
from django.http import JsonResponse

from onedata.core import context, ratelimit
from onedata.core.errors import error_body

REQUEST_ID_PATTERN = re.compile(r"^[A-Za-z0-9._-]{1,64}$")


def client_ip(request) -> str | None:
    if getattr(settings, "TRUST_X_FORWARDED_FOR", False):
        forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
        if forwarded:
            return forwarded.split(",")[0].strip()
    return request.META.get("REMOTE_ADDR") or None


class RequestContextMiddleware:
    """Gives every request an id (kept from X-Request-ID when sane) for logs and audit."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        incoming = request.headers.get("X-Request-ID", "")
        request.id = incoming if REQUEST_ID_PATTERN.match(incoming) else uuid.uuid4().hex
        request.client_ip = client_ip(request)
        token = context.bind(context.RequestContext(request_id=request.id, ip=request.client_ip))
        try:
            response = self.get_response(request)
        finally:
            context.unbind(token)
        response["X-Request-ID"] = request.id
        return response


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
            prefix = auth[7:].strip()[:20]
            checks.append((f"api:token:{prefix}", settings.API_RATE_PER_MINUTE_TOKEN))
        for key, limit in checks:
            decision = ratelimit.hit(key, limit=limit, period=self.PERIOD)
            if not decision.allowed:
                response = JsonResponse(
                    error_body(
                        "rate_limited",
                        f"Too many requests: at most {limit} a minute. "
                        f"Try again in {decision.retry_after} s.",
                    ),
                    status=429,
                )
                response["Retry-After"] = str(decision.retry_after)
                return response
        return None
