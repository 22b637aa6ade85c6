"""Phone numbers in one form, E.164 (``+628123456789``), so a number typed as
``0812-3456-7890`` on a profile and as ``62812…`` by an application is the same number.
Pure: no Django."""

from __future__ import annotations

import re

PHONE = re.compile(r"^\+[1-9]\d{7,14}$")


class PhoneError(ValueError):
    pass


def normalise_phone(raw: str) -> str:
    """``0812-3456-7890`` and ``62812…`` -> ``+628123456789`` (E.164); Indonesia by default."""
    digits = re.sub(r"[\s().-]", "", raw or "")
    if digits.startswith("0"):
        digits = "+62" + digits[1:]
    elif digits.startswith("62"):
        digits = "+" + digits
    if not PHONE.match(digits):
        raise PhoneError(f"{raw!r} is not a phone number")
    return digits


def mask_phone(number: str) -> str:
    """``+628123456789`` -> ``+62812•••••89``: enough to recognise one's own number."""
    if len(number) < 8:
        return number
    return number[:6] + "•" * (len(number) - 8) + number[-2:]
