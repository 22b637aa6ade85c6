"""Signing and posting delivery events to an application's webhook endpoints.

Signature: ``X-OneData-Signature: v1=<hex HMAC-SHA256(secret, "<timestamp>.<body>")>`` with
``X-OneData-Timestamp: <unix seconds>``. Receivers recompute it and refuse timestamps older
than a few minutes (replays). ``verify`` is what a receiver in Python would run.
"""

from __future__ import annotations

import hashlib
import hmac
import ipaddress
import json
import socket
import time
import urllib.error
import urllib.request
from dataclasses import dataclass
from urllib.parse import urlsplit

TIMEOUT_SECONDS = 10
TOLERANCE_SECONDS = 300


def sign(secret: str, timestamp: int, body: bytes) -> str:
    digest = hmac.new(secret.encode(), f"{timestamp}.".encode() + body, hashlib.sha256)
    return "v1=" + digest.hexdigest()


def verify(secret: str, timestamp: str, body: bytes, signature: str, *, now=None) -> bool:
    try:
        moment = int(timestamp)
    except ValueError:
        return False
    if abs((now or time.time()) - moment) > TOLERANCE_SECONDS:
        return False
    return hmac.compare_digest(sign(secret, moment, body), signature)


class UnsafeURL(ValueError):
    pass


def check_url(url: str, *, allow_private: bool) -> str:
    """Only http(s); unless allowed, no address inside our own network (SSRF)."""
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise UnsafeURL("use an http:// or https:// URL")
    if not allow_private:
        try:
            infos = socket.getaddrinfo(parts.hostname, parts.port or 443, proto=socket.IPPROTO_TCP)
        except socket.gaierror as error:
            raise UnsafeURL(f"the host does not resolve: {error}") from None
        for info in infos:
            address = ipaddress.ip_address(info[4][0])
            if not address.is_global:
                raise UnsafeURL("the host is inside a private network")
    return url


@dataclass(frozen=True)
class PostResult:
    ok: bool
    status: int | None
    error: str


def post(url: str, secret: str, payload: dict) -> PostResult:
    body = json.dumps(payload, separators=(",", ":"), sort_keys=True).encode()
    timestamp = int(time.time())
    # Only http(s) URLs are stored (check_url when the endpoint is saved).
    request = urllib.request.Request(  # noqa: S310
        url,
        data=body,
        method="POST",
        headers={
            "Content-Type": "application/json",
            "User-Agent": "BaliOneData-Webhooks/1",
            "X-OneData-Timestamp": str(timestamp),
            "X-OneData-Signature": sign(secret, timestamp, body),
        },
    )
    try:
        with urllib.request.urlopen(request, timeout=TIMEOUT_SECONDS) as response:  # noqa: S310
            return PostResult(ok=200 <= response.status < 300, status=response.status, error="")
    except urllib.error.HTTPError as error:
        return PostResult(ok=False, status=error.code, error=f"HTTP {error.code}")
    except (urllib.error.URLError, OSError) as error:
        return PostResult(ok=False, status=None, error=str(getattr(error, "reason", error)))
