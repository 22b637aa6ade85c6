"""NIK (Nomor Induk Kependudukan): the 16-digit national identity number.

Pure functions, no Django. Digits 1-6 are the region code of the district where the
NIK was issued (province 2, regency 2, district 2), 7-12 the birth date (day + 40 for
women), 13-16 a serial number.
"""

from __future__ import annotations

import re
from collections.abc import Container

NIK_PATTERN = re.compile(r"^\d{16}$")


def gettext_noop(message: str) -> str:
    """Marks a message for the translation catalogue; callers translate it when shown.
    (Same name as Django's, so makemessages finds it, without importing Django here.)"""
    return message


class NikError(ValueError):
    """The NIK is not 16 digits, or its region code is unknown."""


def district_code_of(nik: str) -> str:
    """``5171011234560001`` -> ``51.71.01`` (the Kemendagri dotted district code)."""
    return f"{nik[0:2]}.{nik[2:4]}.{nik[4:6]}"


def validate_nik(nik: str, known_district_codes: Container[str]) -> str:
    """Return the NIK cleaned of spaces, or raise NikError with a sentence a citizen understands."""
    cleaned = re.sub(r"[\s.-]", "", nik or "")
    if not NIK_PATTERN.match(cleaned):
        raise NikError(gettext_noop("NIK must be exactly 16 digits."))
    if district_code_of(cleaned) not in known_district_codes:
        raise NikError(gettext_noop("The first 6 digits of the NIK are not a known region code."))
    day = int(cleaned[6:8])
    month = int(cleaned[8:10])
    if not (1 <= day <= 31 or 41 <= day <= 71) or not 1 <= month <= 12:
        raise NikError(gettext_noop("Digits 7 to 12 of the NIK are not a valid birth date."))
    return cleaned


def mask_nik(nik: str | None) -> str:
    """Show the region and the serial, hide the birth date: ``5171********0001``."""
    if not nik:
        return ""
    if len(nik) != 16:
        return "*" * len(nik)
    return nik[:4] + "*" * 8 + nik[12:]
