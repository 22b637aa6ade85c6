"""Bearer secrets (API tokens, application keys): ``<marker><prefix>_<secret>``.

Pure functions. The prefix is stored in clear to find the row; the whole secret only as a
SHA-256 hash (a 256-bit random secret needs no slow hash), compared in constant time.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from dataclasses import dataclass


@dataclass(frozen=True)
class NewSecret:
    prefix: str
    plaintext: str  # shown once, never stored
    digest: str


def digest(plaintext: str) -> str:
    return hashlib.sha256(plaintext.encode()).hexdigest()


def issue(marker: str) -> NewSecret:
    prefix = secrets.token_hex(6)
    plaintext = f"{marker}{prefix}_{secrets.token_urlsafe(32)}"
    return NewSecret(prefix=prefix, plaintext=plaintext, digest=digest(plaintext))


def prefix_of(plaintext: str, marker: str) -> str | None:
    """The lookup prefix of a presented secret, or None when it is not one of ours."""
    if not plaintext.startswith(marker):
        return None
    return plaintext[len(marker) :].split("_", 1)[0] or None


def matches(stored_digest: str, plaintext: str) -> bool:
    return hmac.compare_digest(stored_digest, digest(plaintext))
