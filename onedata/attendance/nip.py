"""NIP (Nomor Induk Pegawai), the 18-digit number of an Indonesian civil servant.

Its structure (BKN): ``YYYYMMDD`` date of birth, ``YYYYMM`` month of appointment (TMT CPNS),
one digit for sex (1 man, 2 woman), three digits of serial number. Pure Python.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

_PATTERN = re.compile(r"^[0-9]{18}$")


class NipError(ValueError):
    """Why a NIP is not valid (message in English, translated by callers)."""


@dataclass(frozen=True)
class Nip:
    value: str
    birth_date: date
    appointed: tuple[int, int]  # (year, month)
    sex: str  # "M" or "F"
    serial: int


def parse_nip(value: str) -> Nip:
    text = (value or "").replace(" ", "").replace(".", "")
    if not _PATTERN.match(text):
        raise NipError("A NIP has exactly 18 digits.")
    try:
        birth = date(int(text[0:4]), int(text[4:6]), int(text[6:8]))
    except ValueError:
        raise NipError("The first 8 digits must be a date of birth (YYYYMMDD).") from None
    year, month = int(text[8:12]), int(text[12:14])
    if not 1 <= month <= 12:
        raise NipError("Digits 9-14 must be the year and month of appointment (YYYYMM).")
    if birth.year < 1900:
        raise NipError("The first 8 digits must be a date of birth (YYYYMMDD).")
    if year < birth.year + 17 or (year, month) < (birth.year + 17, birth.month):
        raise NipError("The appointment date is before the 17th birthday.")
    if text[14] not in "12":
        raise NipError("Digit 15 must be 1 (man) or 2 (woman).")
    if text[15:18] == "000":
        raise NipError("The last 3 digits (serial number) cannot be 000.")
    return Nip(
        value=text,
        birth_date=birth,
        appointed=(year, month),
        sex="M" if text[14] == "1" else "F",
        serial=int(text[15:18]),
    )


def format_nip(value: str) -> str:
    """``19850317 201001 1 002``: the grouping printed on civil service documents."""
    if not value or len(value) != 18:
        return value or ""
    return f"{value[:8]} {value[8:14]} {value[14]} {value[15:]}"
