"""Bank statements (rekening koran): reading the files banks give out, and matching their
lines to the bank book. Pure Python (openpyxl for XLSX), no Django.

Files come in many shapes: CSV with ``,`` ``;`` or tab, XLSX, a few title rows above the
header, Indonesian or English column names, thousands separators (``1.500.000`` or
``1,500,000``), decimals (``1.500.000,00``), dates as ``dd/mm/yyyy`` (or ``dd-mm-yy``,
``2026-03-05``, ``05 Mar 2026``), either debit and credit columns or one signed amount
(or an amount marked ``DB``/``CR``). Every problem is reported with its row and column.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

MAX_ROWS = 5_000

COLUMNS = {
    "date": (
        "tanggal",
        "tgl",
        "date",
        "tanggal transaksi",
        "tgl transaksi",
        "tgl. transaksi",
        "transaction date",
        "posting date",
        "tanggal posting",
    ),
    "description": (
        "keterangan",
        "uraian",
        "description",
        "deskripsi",
        "remark",
        "remarks",
        "berita",
        "transaksi",
        "narasi",
    ),
    "debit": (
        "debit",
        "debet",
        "mutasi debet",
        "mutasi debit",
        "db",
        "keluar",
        "withdrawal",
        "penarikan",
    ),
    "credit": ("kredit", "credit", "mutasi kredit", "cr", "masuk", "deposit", "setoran"),
    "amount": ("jumlah", "amount", "nominal", "mutasi", "nilai"),
    "balance": ("saldo", "balance", "saldo akhir", "running balance"),
}
MONTHS = {
    "jan": 1,
    "januari": 1,
    "january": 1,
    "feb": 2,
    "februari": 2,
    "february": 2,
    "peb": 2,
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
    "oct": 10,
    "oktober": 10,
    "october": 10,
    "nov": 11,
    "nopember": 11,
    "november": 11,
    "des": 12,
    "dec": 12,
    "desember": 12,
    "december": 12,
}
TEMPLATE = (
    "Tanggal;Keterangan;Debit;Kredit;Saldo\n"
    "01/03/2026;Saldo awal;;;10.000.000\n"
    "05/03/2026;Transfer BKK tahap 1;;100.000.000;110.000.000\n"
    "12/03/2026;Pembayaran upakara;1.500.000;;108.500.000\n"
    "31/03/2026;Biaya administrasi;10.000;;108.490.000\n"
    "31/03/2026;Bunga;;25.000;108.515.000\n"
)


@dataclass(frozen=True)
class Line:
    row: int  # 1-based row in the file, as a spreadsheet shows it
    date: date
    description: str
    amount: int  # + money into the account (credit), - money out (debit)
    balance: int | None


class Code:
    """What is wrong with a cell or the file (the service words it for the user)."""

    NO_HEADER = "no_header"
    NO_LINES = "no_lines"
    TOO_MANY = "too_many_rows"
    UNREADABLE = "unreadable"
    NOT_A_NUMBER = "not_a_number"
    NEGATIVE = "negative"
    BOTH_SIDES = "both_sides"
    NOT_A_DATE = "not_a_date"


@dataclass(frozen=True)
class Problem:
    row: int  # 1-based, as a spreadsheet shows it
    column: str  # a key of COLUMNS, or "" for the whole row or file
    code: str
    value: str = ""


class StatementError(ValueError):
    def __init__(self, problems: list[Problem]):
        super().__init__("; ".join(f"{p.row}:{p.column}:{p.code}" for p in problems))
        self.problems = problems


# --- cells -----------------------------------------------------------------------------------


def parse_amount(text) -> int | None:
    """A rupiah amount as banks print it -> whole rupiah (None when empty).

    ``1.500.000`` and ``1,500,000`` are thousands; ``1.500.000,00`` and ``1,500,000.50``
    have decimals (the last separator is the decimal one when both appear); a single
    separator followed by exactly three digits is a thousands separator. Cents are
    rounded half up to the rupiah (the book keeps whole rupiah). ``(50.000)``, ``-50.000``
    and ``50.000 DB`` are money out; ``CR`` marks money in. Raises ValueError."""
    if text is None:
        return None
    if isinstance(text, bool):
        raise ValueError("not a number")
    if isinstance(text, int):
        return text
    if isinstance(text, float):
        return int(Decimal(str(text)).quantize(Decimal(1), rounding=ROUND_HALF_UP))
    cleaned = str(text).strip().upper().replace("\u00a0", " ")
    if cleaned in ("", "-"):
        return None
    sign = 1
    if cleaned.endswith(("DB", "D")) and re.search(r"\d\s*(DB|D)$", cleaned):
        sign, cleaned = -1, re.sub(r"\s*(DB|D)$", "", cleaned)
    elif re.search(r"\d\s*(CR|K)$", cleaned):
        cleaned = re.sub(r"\s*(CR|K)$", "", cleaned)
    if cleaned.startswith("(") and cleaned.endswith(")"):
        sign, cleaned = -sign, cleaned[1:-1]
    cleaned = re.sub(r"^RP\.?\s*", "", cleaned.strip())
    if cleaned.startswith("-"):
        sign, cleaned = -sign, cleaned[1:]
    elif cleaned.startswith("+"):
        cleaned = cleaned[1:]
    cleaned = cleaned.replace(" ", "").replace("'", "")
    if not re.fullmatch(r"[\d.,]+", cleaned) or not re.search(r"\d", cleaned):
        raise ValueError("not a number")
    number = _normalise_separators(cleaned)
    try:
        value = Decimal(number)
    except InvalidOperation as error:  # pragma: no cover - the regex keeps it a number
        raise ValueError("not a number") from error
    return sign * int(value.quantize(Decimal(1), rounding=ROUND_HALF_UP))


def _normalise_separators(text: str) -> str:
    dots, commas = text.count("."), text.count(",")
    if dots and commas:
        decimal_sep = "." if text.rfind(".") > text.rfind(",") else ","
        thousands = "," if decimal_sep == "." else "."
        if text.count(decimal_sep) > 1:
            raise ValueError("not a number")
        return text.replace(thousands, "").replace(decimal_sep, ".")
    separator = "." if dots else "," if commas else ""
    if not separator:
        return text
    parts = text.split(separator)
    if len(parts) > 2 or len(parts[-1]) == 3:
        if any(len(p) != 3 for p in parts[1:]) or not parts[0]:
            raise ValueError("not a number")
        return "".join(parts)
    return parts[0] + "." + parts[1]


def parse_date(value) -> date:
    """``dd/mm/yyyy`` (also with ``-`` or ``.``, and two-digit years), ``yyyy-mm-dd``,
    ``05 Mar 2026`` / ``05-Mei-26``; a spreadsheet date cell as it is. Raises ValueError."""
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    text = str(value or "").strip()
    text = re.sub(r"\s+\d{1,2}:\d{2}(:\d{2})?$", "", text)  # a time after the date
    match = re.fullmatch(r"(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})", text)
    if match:
        year, month, day = (int(g) for g in match.groups())
        return date(year, month, day)
    match = re.fullmatch(r"(\d{1,2})[-/.](\d{1,2})[-/.](\d{2}|\d{4})", text)
    if match:
        day, month, year = (int(g) for g in match.groups())
        return date(_full_year(year), month, day)
    match = re.fullmatch(r"(\d{1,2})[-/. ]+([A-Za-z]+)[-/. ]+(\d{2}|\d{4})", text)
    if match and match.group(2).lower() in MONTHS:
        return date(
            _full_year(int(match.group(3))), MONTHS[match.group(2).lower()], int(match.group(1))
        )
    raise ValueError("not a date")


def _full_year(year: int) -> int:
    return year + 2000 if year < 100 else year


# --- files -----------------------------------------------------------------------------------


def read_rows(content: bytes, file_name: str) -> list[list]:
    """The cells of a CSV or XLSX file, row by row."""
    if content[:2] == b"PK" or file_name.lower().endswith((".xlsx", ".xlsm")):
        return _xlsx_rows(content)
    text = _decode(content)
    sample = text[:4096]
    try:
        dialect = csv.Sniffer().sniff(sample, delimiters=";,\t|")
        delimiter = dialect.delimiter
    except csv.Error:
        delimiter = ";" if sample.count(";") > sample.count(",") else ","
    return [row for row in csv.reader(io.StringIO(text), delimiter=delimiter)]


def _decode(content: bytes) -> str:
    for encoding in ("utf-8-sig", "cp1252"):
        try:
            return content.decode(encoding)
        except UnicodeDecodeError:
            continue
    return content.decode("latin-1")  # pragma: no cover - latin-1 decodes every byte


def _xlsx_rows(content: bytes) -> list[list]:
    from openpyxl import load_workbook

    try:
        book = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except Exception as error:  # openpyxl raises many kinds on a broken file
        raise StatementError([Problem(1, "", Code.UNREADABLE)]) from error
    sheet = book.worksheets[0]
    rows = [list(row) for row in sheet.iter_rows(values_only=True, max_row=MAX_ROWS + 50)]
    book.close()
    return rows


def _norm(cell) -> str:
    return re.sub(r"[\s_]+", " ", str(cell or "").strip().lower()).strip(" .:")


def find_header(rows: list[list]) -> tuple[int, dict[str, int]]:
    """The header row (0-based) and column index of each known column."""
    for index, row in enumerate(rows[:30]):
        columns: dict[str, int] = {}
        for position, cell in enumerate(row):
            name = _norm(cell)
            for key, aliases in COLUMNS.items():
                if key not in columns and name in aliases:
                    columns[key] = position
                    break
        if "date" in columns and ("amount" in columns or {"debit", "credit"} <= columns.keys()):
            return index, columns
    raise StatementError([Problem(1, "", Code.NO_HEADER)])


def parse(content: bytes, file_name: str = "statement.csv") -> list[Line]:
    """Statement lines of a file; raises StatementError listing every bad cell."""
    rows = read_rows(content, file_name)
    header, columns = find_header(rows)
    lines: list[Line] = []
    problems: list[Problem] = []
    for index in range(header + 1, len(rows)):
        row = rows[index]
        number = index + 1
        if not any(str(c or "").strip() for c in row):
            continue
        if len(lines) >= MAX_ROWS:
            problems.append(Problem(number, "", Code.TOO_MANY, str(MAX_ROWS)))
            break
        line = _parse_row(row, number, columns, problems)
        if line is not None:
            lines.append(line)
    if problems:
        raise StatementError(problems[:50])
    if not lines:
        raise StatementError([Problem(header + 1, "", Code.NO_LINES)])
    return lines


def _cell(row: list, columns: dict[str, int], key: str):
    position = columns.get(key)
    if position is None or position >= len(row):
        return None
    return row[position]


def _parse_row(row, number: int, columns, problems: list[Problem]) -> Line | None:
    description = str(_cell(row, columns, "description") or "").strip()
    values = {}
    for key in ("debit", "credit", "amount", "balance"):
        try:
            values[key] = parse_amount(_cell(row, columns, key))
        except ValueError:
            raw = _cell(row, columns, key)
            problems.append(Problem(number, key, Code.NOT_A_NUMBER, str(raw)[:40]))
            return None
    if "amount" in columns and values["amount"] is not None:
        amount = values["amount"]
    else:
        debit, credit = values["debit"] or 0, values["credit"] or 0
        if debit < 0 or credit < 0:
            problems.append(Problem(number, "debit" if debit < 0 else "credit", Code.NEGATIVE))
            return None
        if debit and credit:
            problems.append(Problem(number, "debit", Code.BOTH_SIDES))
            return None
        amount = credit - debit
    raw_date = _cell(row, columns, "date")
    if not amount:
        # Opening/closing balance rows ("Saldo awal") and empty amounts carry no movement.
        return None
    try:
        day = parse_date(raw_date)
    except ValueError:
        problems.append(Problem(number, "date", Code.NOT_A_DATE, str(raw_date or "")[:40]))
        return None
    return Line(number, day, description[:300], amount, values["balance"])


# --- matching --------------------------------------------------------------------------------


@dataclass(frozen=True)
class Candidate:
    id: int
    date: date
    amount: int  # signed as on the statement: + money in, - money out


def match(
    lines: Iterable[Candidate], entries: Iterable[Candidate], *, days: int = 3
) -> list[tuple[int, int]]:
    """One-to-one pairs (line id, entry id) of the same signed amount at most ``days``
    apart. Deterministic whatever the input order: every possible pair is ranked by
    (days apart, line date, line id, entry id) and taken when both sides are still free,
    so the closest dates win and ties go to the earliest ids."""
    by_amount: dict[int, list[Candidate]] = {}
    for entry in entries:
        by_amount.setdefault(entry.amount, []).append(entry)
    pairs = []
    for line in lines:
        for entry in by_amount.get(line.amount, ()):
            apart = abs((line.date - entry.date).days)
            if apart <= days:
                pairs.append((apart, line.date, line.id, entry.id))
    pairs.sort()
    used_lines: set[int] = set()
    used_entries: set[int] = set()
    matched = []
    for _apart, _day, line_id, entry_id in pairs:
        if line_id in used_lines or entry_id in used_entries:
            continue
        used_lines.add(line_id)
        used_entries.add(entry_id)
        matched.append((line_id, entry_id))
    return sorted(matched)
