"""Encryption at rest for biometric data (face descriptors, enrolment photos, selfies).

AES-256-GCM (package ``cryptography``). The key comes from the environment through the
setting ``ATTENDANCE_BIOMETRIC_KEY`` (32+ characters); without it, a key derived from
``SECRET_KEY`` with HKDF-SHA256 under a label of its own, so it never equals any other use
of the secret. Stored form: ``b"v1" + 12-byte nonce + ciphertext and tag``. The associated
data names what the bytes are (``b"descriptor:<employee id>"``), so a blob copied onto
another row does not decrypt.
"""

from __future__ import annotations

import os
from functools import lru_cache

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

VERSION = b"v1"
_INFO = b"onedata.attendance.biometric.v1"


class DecryptError(ValueError):
    pass


@lru_cache(maxsize=4)
def _key(secret: str) -> bytes:
    return HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=_INFO).derive(secret.encode())


def _secret() -> str:
    from django.conf import settings

    return getattr(settings, "ATTENDANCE_BIOMETRIC_KEY", "") or settings.SECRET_KEY


def encrypt(plaintext: bytes, *, context: bytes, secret: str | None = None) -> bytes:
    nonce = os.urandom(12)
    sealed = AESGCM(_key(secret or _secret())).encrypt(nonce, plaintext, context)
    return VERSION + nonce + sealed


def decrypt(blob: bytes, *, context: bytes, secret: str | None = None) -> bytes:
    blob = bytes(blob)
    if blob[:2] != VERSION or len(blob) < 2 + 12 + 16:
        raise DecryptError("not an encrypted biometric blob")
    try:
        return AESGCM(_key(secret or _secret())).decrypt(blob[2:14], blob[14:], context)
    except InvalidTag:
        raise DecryptError("wrong key or tampered data") from None
