"""Email addresses: parse, validate, normalise. Pure functions, no Django."""

from __future__ import annotations

import re
from email.utils import parseaddr

# Deliberately simple: RFC 5322 allows more, but government mail systems do not.
LOCAL = r"[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]+"
DOMAIN = r"(?:[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?\.)+[A-Za-z]{2,63}"
ADDRESS = re.compile(rf"^{LOCAL}@{DOMAIN}$")


class AddressError(ValueError):
    pass


def normalise(raw: str) -> str:
    """``"Ni Luh <Luh@Example.ID>"`` -> ``luh@example.id``; raises AddressError."""
    _name, address = parseaddr(raw or "")
    address = address.strip()
    if not address or len(address) > 254 or not ADDRESS.match(address):
        raise AddressError(f"{raw!r} is not a valid email address")
    local, domain = address.rsplit("@", 1)
    if local.startswith(".") or local.endswith(".") or ".." in local:
        raise AddressError(f"{raw!r} is not a valid email address")
    # Lower case whole: mail systems treat local parts case-insensitively in practice, and
    # the suppression list must match "Luh@" and "luh@" as one person.
    return f"{local}@{domain}".lower()


def domain_of(address: str) -> str:
    return address.rsplit("@", 1)[1].lower()
