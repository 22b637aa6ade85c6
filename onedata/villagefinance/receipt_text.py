"""Proposing a receipt's date and total from OCR text. Pure Python, no Django.

Indonesian receipts write dates as 12/03/2026, 12-03-26, 12 Maret 2026 or 2026-03-12,
and amounts as Rp 1.250.000, 1.250.000,00, Rp1,250,000 or 125000. The total is the
amount on a line labelled TOTAL / JUMLAH / GRAND TOTAL / TOTAL BAYAR (not SUBTOTAL,
not KEMBALI / TUNAI / CASH, which are the change and the cash handed over); failing
that, the largest amount on the receipt.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

MONTHS = {
    "jan": 1,
    "januari": 1,
    "january": 1,
    "feb": 2,
    "februari": 2,
    "pebruari": 2,
    "february": 2,
    "mar": 3,
    "maret": 3,
    "march": 3,
    "apr": 4,
    "april": 4,
    "mei": 5,
    "may": 5,
    "jun": 6,
    "juni": 6,
    "june": 6,
    "jul": 7,
    "juli": 7,
    "july": 7,
    "agu": 8,
    "agt": 8,
    "ags": 8,
    "agustus": 8,
    "aug": 8,
    "august": 8,
    "sep": 9,
    "sept": 9,
    "september": 9,
    "okt": 10,
    "oktober": 10,
    "oct": 10,
    "october": 10,
    "nov": 11,
    "nopember": 11,
    "november": 11,
    "des": 12,
    "desember": 12,
    "dec": 12,
    "december": 12,
}

_NUMERIC_DATE = re.compile(r"\b(\d{1,2})[/.\-](\d{1,2})[/.\-](\d{4}|\d{2})\b")
_ISO_DATE = re.compile(r"\b(\d{4})[/.\-](\d{1,2})[/.\-](\d{1,2})\b")
_WORD_DATE = re.compile(r"\b(\d{1,2})[\s\-]+([A-Za-z]{3,9})\.?[\s\-,]+(\d{4})\b")
_AMOUNT = re.compile(r"(?:rp\.?\s*)?(\d{1,3}(?:[.,]\d{3})+(?:[.,]\d{2})?|\d{4,12}(?:[.,]\d{2})?)")
_TOTAL_LABEL = re.compile(r"\b(grand\s*total|total\s*bayar|total|jumlah|jml)\b", re.I)
_NOT_TOTAL = re.compile(
    r"\b(sub\s*-?\s*total|kembali|kembalian|tunai|cash|change|diskon|ppn)\b", re.I
)
MAX_AMOUNT = 10_000_000_000


@dataclass(frozen=True)
class Proposal:
    date: date | None
    total: int | None


def _valid(year: int, month: int, day: int) -> date | None:
    if year < 100:
        year += 2000
    try:
        return date(year, month, day)
    except ValueError:
        return None


def find_date(text: str, *, today: date | None = None) -> date | None:
    """The first plausible date (day first, as Indonesia writes it); None if none.
    Dates after ``today`` or before 2000 are skipped (misreads)."""
    candidates: list[tuple[int, date]] = []
    for match in _ISO_DATE.finditer(text):
        found = _valid(int(match[1]), int(match[2]), int(match[3]))
        if found:
            candidates.append((match.start(), found))
    for match in _NUMERIC_DATE.finditer(text):
        found = _valid(int(match[3]), int(match[2]), int(match[1]))
        if found:
            candidates.append((match.start(), found))
    for match in _WORD_DATE.finditer(text):
        month = MONTHS.get(match[2].lower())
        if month:
            found = _valid(int(match[3]), month, int(match[1]))
            if found:
                candidates.append((match.start(), found))
    for _position, found in sorted(candidates, key=lambda item: item[0]):
        if found.year >= 2000 and (today is None or found <= today):
            return found
    return None


def parse_amount(token: str) -> int | None:
    """``1.250.000`` / ``1,250,000`` / ``1.250.000,00`` / ``125000`` -> whole rupiah."""
    token = token.strip()
    cents = re.search(r"[.,](\d{2})$", token)
    if cents and len(re.split(r"[.,]", token)[-1]) == 2:
        token = token[: cents.start()]
    digits = re.sub(r"[.,]", "", token)
    if not digits.isdigit():
        return None
    value = int(digits)
    return value if 0 < value <= MAX_AMOUNT else None


def _amounts(line: str) -> list[int]:
    without_dates = _ISO_DATE.sub(" ", _NUMERIC_DATE.sub(" ", line))
    values = []
    for match in _AMOUNT.finditer(without_dates):
        value = parse_amount(match[1])
        if value is not None:
            values.append(value)
    return values


def find_total(text: str) -> int | None:
    labelled: list[int] = []
    everything: list[int] = []
    lines = text.splitlines()
    for index, line in enumerate(lines):
        amounts = _amounts(line)
        everything.extend(amounts)
        if _TOTAL_LABEL.search(line) and not _NOT_TOTAL.search(line):
            if not amounts and index + 1 < len(lines):
                amounts = _amounts(lines[index + 1])  # the amount on the next line
            labelled.extend(amounts)
    if labelled:
        return labelled[-1] if len(labelled) == 1 else max(labelled)
    return max(everything) if everything else None


def propose(text: str, *, today: date | None = None) -> Proposal:
    return Proposal(date=find_date(text, today=today), total=find_total(text))
