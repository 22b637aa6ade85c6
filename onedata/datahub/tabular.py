"""Reading tabular files, inferring column types from every value, and validating against
a Table Schema. Pure Python: no Django.

Type inference looks at *every* value of a column, not a sample: a ``0164A`` on the last
row makes the column text, it never fails the load. Each column keeps one candidate type;
a batch of values is checked against it at once with C-level string operations over the
joined batch, and only the batch where a column changes type is walked value by value.
"""

from __future__ import annotations

import codecs
import csv
import io
import json
import re
from collections import deque
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date, datetime
from itertools import islice
from pathlib import Path

import numpy as np

BATCH = 20_000
# Type names are Frictionless Table Schema's.
INTEGER, NUMBER, BOOLEAN, DATE, STRING = "integer", "number", "boolean", "date", "string"
TYPES = (INTEGER, NUMBER, BOOLEAN, DATE, STRING)
NULL = None  # a column with only empty cells so far

# A value matching a pattern goes to the database as it is: PostgreSQL's bigint, numeric,
# date and boolean input and SQLite's NUMERIC affinity all read it exactly (an integer has
# at most 18 digits, so it fits 64 bits). No leading zeros (``0164`` is a code, not a
# number) and no "+" sign.
_INT = r"-?(?:0|[1-9][0-9]{0,17})"
_NUM = r"-?(?:0|[1-9][0-9]*)(?:\.[0-9]+)?(?:[eE][+-]?[0-9]+)?"
_DATE = r"[0-9]{4}-(?:0[1-9]|1[0-2])-(?:0[1-9]|[12][0-9]|3[01])"
_BOOL = r"(?:true|false|TRUE|FALSE|True|False)"
PATTERNS = {INTEGER: _INT, NUMBER: _NUM, DATE: _DATE, BOOLEAN: _BOOL}
_SINGLE = {name: re.compile(p) for name, p in PATTERNS.items()}
_ORDER = (INTEGER, NUMBER, DATE, BOOLEAN)


class TableError(Exception):
    """The file cannot be read as a table; ``row`` (1 = header) and ``column`` say where."""

    def __init__(self, message: str, *, row: int | None = None, column: str | None = None):
        super().__init__(message)
        self.message = message
        self.row = row
        self.column = column


def classify(value: str) -> str | None:
    """The narrowest type of one value (None for an empty cell)."""
    if value == "":
        return NULL
    for name in _ORDER:
        if _SINGLE[name].fullmatch(value):
            if name == DATE and not _real_date(value):
                continue
            return name
    return STRING


def _real_date(value: str) -> bool:
    try:
        date.fromisoformat(value)
    except ValueError:
        return False
    return True


def widen(current: str | None, new: str | None) -> str | None:
    """The narrowest type holding both."""
    if new is NULL or current == new:
        return current
    if current is NULL:
        return new
    if {current, new} == {INTEGER, NUMBER}:
        return NUMBER
    return STRING


# --- whole-column checks ------------------------------------------------------------------
#
# A batch's column is checked against its candidate type with a handful of C-level string
# operations on the column's values joined by NUL (``Column.joined``), not one Python call
# per value: 1,000,000 rows x 12 columns would otherwise cost seconds. Each check accepts
# exactly what the single-value pattern accepts; when it refuses, ``infer_column`` walks
# the values one by one (only for the batch where the column changes type).

SEP = "\x00"
_EDGE_SPACE = re.compile("\x00\\s")  # a value starting with white space (after a SEP)
_LEADING_ZERO = re.compile("\x000[0-9]")
_DELETE = {
    INTEGER: str.maketrans("", "", "0123456789-" + SEP),
    NUMBER: str.maketrans("", "", "0123456789-+.eE" + SEP),
    DATE: str.maketrans("", "", "0123456789-" + SEP),
}
_BOOLEANS = frozenset({"", "true", "TRUE", "True", "false", "FALSE", "False"})


class Column:
    """One column of a batch: stripped values, and the same values joined by ``SEP`` with a
    ``SEP`` at both ends (None when a value itself holds a NUL)."""

    __slots__ = ("values", "joined")

    def __init__(self, values):
        joined = _joined(values)
        if joined is None or _EDGE_SPACE.search(joined) or _EDGE_SPACE.search(joined[::-1]):
            values = list(map(str.strip, values))
            joined = _joined(values)
        self.values = values
        self.joined = joined


def _joined(values) -> str | None:
    text = SEP + SEP.join(values) + SEP
    return text if text.count(SEP) == len(values) + 1 else None


def _all_integers(column: Column) -> bool:
    text = column.joined
    if text is None or not text.isascii() or text.translate(_DELETE[INTEGER]):
        return False
    if "-" in text:
        # A minus only as a value's first character, followed by a digit.
        if text.count("-") != text.count(SEP + "-") or "-" + SEP in text:
            return False
        text = text.replace(SEP + "-", SEP)
    if _LEADING_ZERO.search(text):
        return False
    return max(map(len, column.values)) <= 18 or all(
        _SINGLE[INTEGER].fullmatch(v) for v in column.values if len(v) > 18
    )


def _all_numbers(column: Column) -> bool:
    text = column.joined
    if text is None or not text.isascii() or text.translate(_DELETE[NUMBER]):
        return False
    # What float() accepts but JSON does not: "+1", ".5", "-.5", "5.", "5.e3", "01".
    for bad in (SEP + "+", SEP + ".", "-.", "." + SEP, ".e", ".E"):
        if bad in text:
            return False
    if _LEADING_ZERO.search(text.replace(SEP + "-", SEP)):
        return False
    try:
        deque(map(float, filter(None, column.values)), maxlen=0)
    except ValueError:
        return False
    return True


def _all_dates(column: Column) -> bool:
    filled = list(filter(None, column.values))
    if not filled:
        return True
    text = SEP.join(filled)
    count = len(filled)
    if set(map(len, filled)) != {10} or text.count(SEP) != count - 1:
        return False
    if not text.isascii() or text.translate(_DELETE[DATE]):
        return False
    if text[4::11] != "-" * count or text[7::11] != "-" * count:
        return False
    try:  # YYYY-MM-DD is certain now; this refuses 2024-02-30 and month 13
        deque(map(date.fromisoformat, filled), maxlen=0)
    except ValueError:
        return False
    return True


def _all_booleans(column: Column) -> bool:
    return set(column.values) <= _BOOLEANS


_CHECKS = {INTEGER: _all_integers, NUMBER: _all_numbers, DATE: _all_dates, BOOLEAN: _all_booleans}


def infer_column(current: str | None, column: Column) -> str | None:
    """The column's type after this batch: the current candidate is checked over the whole
    batch at once; only when it fails are the values classified one by one."""
    if current == STRING:
        return STRING
    values = column.values
    if current is NULL:
        first = next(filter(None, values), "")
        if not first:
            return NULL
        current = classify(first)
        if current == STRING:
            return STRING
    if _CHECKS[current](column):
        return current
    if current == INTEGER and _all_numbers(column):
        return NUMBER
    for value in values:
        current = widen(current, classify(value))
        if current == STRING:
            break
    return current


def infer_batch(state: list[str | None], columns) -> None:
    """Widen ``state`` (one type per column) with a batch of values, column by column."""
    for index, column in enumerate(columns):
        if not isinstance(column, Column):
            column = Column(list(column))
        state[index] = infer_column(state[index], column)


# --- reading ------------------------------------------------------------------------------


def sniff_delimiter(sample: str) -> str:
    try:
        return csv.Sniffer().sniff(sample, delimiters=",;\t|").delimiter
    except csv.Error:
        counts = {d: sample.split("\n", 1)[0].count(d) for d in ",;\t|"}
        best = max(counts, key=counts.get)
        return best if counts[best] else ","


def to_utf8(raw: bytes) -> tuple[bytes, str]:
    """Text in any common encoding as UTF-8, with the encoding found (charset-normalizer)."""
    try:
        raw.decode("utf-8")
        return raw, "utf-8"
    except UnicodeDecodeError:
        pass
    from charset_normalizer import from_bytes

    best = from_bytes(raw).best()
    if best is None:
        raise TableError("The text encoding of the file could not be recognised.")
    return str(best).encode("utf-8"), best.encoding


def stream_to_utf8(source: Path, target: Path, *, sample_bytes: int = 1 << 20) -> str:
    """Re-encode a text file to UTF-8 in pieces; the encoding is judged on a sample."""
    with source.open("rb") as fp:
        sample = fp.read(sample_bytes)
    try:
        sample.decode("utf-8")
        encoding = "utf-8"
    except UnicodeDecodeError as exc:
        if exc.start < len(sample) - 4:  # not just a character cut at the sample's end
            from charset_normalizer import from_bytes

            best = from_bytes(sample).best()
            if best is None:
                raise TableError("The text encoding of the file could not be recognised.") from exc
            encoding = best.encoding
        else:
            encoding = "utf-8"
    decoder = codecs.getincrementaldecoder(encoding)("strict")
    line = 1
    with source.open("rb") as fp, target.open("wb") as out:
        while chunk := fp.read(1 << 20):
            try:
                text = decoder.decode(chunk)
            except UnicodeDecodeError as exc:
                at = line + chunk.count(b"\n", 0, exc.start)
                raise TableError(f"Line {at} cannot be read as {encoding} text.", row=at) from exc
            line += chunk.count(b"\n")
            out.write(text.encode("utf-8"))
        out.write(decoder.decode(b"", final=True).encode("utf-8"))
    return encoding


@dataclass
class Table:
    """A header and a way to walk the rows again (two passes: infer, then load)."""

    header: list[str]
    _rows: callable = field(repr=False)
    _batches: callable = field(default=None, repr=False)
    delimiter: str | None = None  # a CSV's

    def rows(self) -> Iterator[list[str]]:
        return self._rows()

    def batches(self, size: int | None = None) -> Iterator[list[list[str]]]:
        """Rows a list at a time (the CSV reader fills each list in C)."""
        size = size or BATCH
        return self._batches(size) if self._batches else batches(self.rows(), size)


def open_csv(path: Path) -> Table:
    with path.open("r", encoding="utf-8-sig", newline="") as fp:
        sample = fp.read(64 * 1024)
    if not sample.strip():
        raise TableError("The file is empty.", row=1)
    delimiter = sniff_delimiter(sample)

    def read(size: int | None) -> Iterator[list[list[str]]]:
        with path.open("r", encoding="utf-8-sig", newline="") as fp:
            reader = csv.reader(fp, delimiter=delimiter)
            try:
                next(reader, None)
                if size is None:
                    yield from reader
                    return
                while batch := list(islice(reader, size)):
                    yield batch
            except csv.Error as exc:
                raise TableError(f"Row {reader.line_num}: {exc}", row=reader.line_num) from exc
            except UnicodeDecodeError as exc:
                raise TableError(
                    "The file is not UTF-8 text after the row shown.", row=reader.line_num
                ) from exc

    with path.open("r", encoding="utf-8-sig", newline="") as fp:
        try:
            header = next(csv.reader(fp, delimiter=delimiter), [])
        except csv.Error as exc:
            raise TableError(f"The header cannot be read: {exc}", row=1) from exc
    if not any(h.strip() for h in header):
        raise TableError("The first row (the header) is empty.", row=1)
    return Table([h.strip() for h in header], lambda: read(None), read, delimiter)


def _cell_text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, datetime):
        if value.hour == value.minute == value.second == value.microsecond == 0:
            return value.date().isoformat()
        return value.isoformat(sep=" ")
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() and abs(value) < 1e15 else repr(value)
    return str(value).strip()


def open_xlsx(path: Path) -> Table:
    from openpyxl import load_workbook

    def sheet_rows():
        workbook = load_workbook(path, read_only=True, data_only=True)
        try:
            sheet = workbook.worksheets[0]
            for row in sheet.iter_rows(values_only=True):
                yield [_cell_text(v) for v in row]
        finally:
            workbook.close()

    try:
        first = next(sheet_rows(), None)
    except Exception as exc:  # openpyxl raises many kinds on damaged workbooks
        raise TableError("The workbook cannot be read.", row=1) from exc
    if not first or not any(first):
        raise TableError("The first row (the header) is empty.", row=1)
    width = max((i + 1 for i, v in enumerate(first) if v), default=0)

    def rows():
        iterator = sheet_rows()
        next(iterator, None)
        for row in iterator:
            while len(row) > width and row[-1] == "":
                row.pop()
            if any(row):
                yield row

    return Table(first[:width], rows)


def open_table(path: Path, fmt: str) -> Table:
    return open_xlsx(path) if fmt.upper() == "XLSX" else open_csv(path)


def batches(rows: Iterable[list[str]], size: int | None = None) -> Iterator[list[list[str]]]:
    rows = iter(rows)
    while batch := list(islice(rows, size or BATCH)):
        yield batch


def columns_of(batch: list[list[str]], width: int) -> list[Column]:
    """Transpose a batch, cells stripped, ragged rows padded or cut to ``width``."""
    if not batch:
        return []
    if set(map(len, batch)) != {width}:
        batch = [r if len(r) == width else (r + [""] * (width - len(r)))[:width] for r in batch]
    return [Column(values) for values in zip(*batch, strict=True)]


# --- names ------------------------------------------------------------------------------

# Columns named like codes keep their text: "51.10" is a regency code, not 51.1.
CODE_NAME = re.compile(
    r"(?:^|[_\s-])(?:kode|code|kd|id|nik|nip|nomor|no|kodepos)(?:$|[_\s-])", re.I
)


def code_columns(names: list[str]) -> set[int]:
    return {i for i, n in enumerate(names) if CODE_NAME.search(n)}


def column_names(header: list[str]) -> list[str]:
    """Usable, unique column names: a blank header becomes ``column_3``, a repeated one
    ``name_2``."""
    names: list[str] = []
    seen: set[str] = set()
    for index, raw in enumerate(header, start=1):
        name = raw.strip()[:63] or f"column_{index}"
        base, n = name, 2
        while name.lower() in seen or name.startswith("_"):
            name = f"{base.lstrip('_') or 'column'}_{n}"
            n += 1
        seen.add(name.lower())
        names.append(name)
    return names


# --- validation -------------------------------------------------------------------------

MAX_LISTED = 100


@dataclass
class Report:
    """A Frictionless-style validation report."""

    errors: list[dict] = field(default_factory=list)
    count: int = 0
    rows: int = 0

    def add(self, kind: str, message: str, *, row: int | None = None, column: str | None = None):
        self.count += 1
        if len(self.errors) < MAX_LISTED:
            self.errors.append({"type": kind, "row": row, "column": column, "message": message})

    def as_dict(self) -> dict:
        counts: dict[str, int] = {}
        for error in self.errors:
            counts[error["type"]] = counts.get(error["type"], 0) + 1
        return {
            "valid": self.count == 0,
            "error_count": self.count,
            "rows": self.rows,
            "errors": self.errors,
            "types": counts,
        }


def check_header(header: list[str], report: Report) -> None:
    seen: dict[str, int] = {}
    for index, name in enumerate(header, start=1):
        label = name.strip()
        if not label:
            report.add("blank-header", f"Column {index} has no name.", row=1, column=str(index))
        elif label.lower() in seen:
            report.add(
                "duplicate-header",
                f'Column {index} repeats the name "{label}" of column {seen[label.lower()]}.',
                row=1,
                column=label,
            )
        else:
            seen[label.lower()] = index


@dataclass
class FieldRule:
    name: str
    type: str = STRING
    required: bool = False
    unique: bool = False


def rules_from_schema(schema: dict | None, names: list[str]) -> tuple[list[FieldRule], list[str]]:
    """Per-column rules from a Table Schema (``fields``, ``primaryKey``); unknown columns
    get no rule."""
    if not schema:
        return [FieldRule(n, type="any") for n in names], []
    by_name = {f.get("name"): f for f in schema.get("fields", []) if isinstance(f, dict)}
    rules = []
    for n in names:
        spec = by_name.get(n, {})
        constraints = spec.get("constraints") or {}
        kind = spec.get("type", "any")
        rules.append(
            FieldRule(
                n,
                type=kind if kind in TYPES else "any",
                required=bool(constraints.get("required")),
                unique=bool(constraints.get("unique")),
            )
        )
    key = schema.get("primaryKey") or []
    if isinstance(key, str):
        key = [key]
    return rules, [k for k in key if k in names]


class RowChecker:
    """Checks rows one batch at a time: cell counts, types, required, unique, primary key
    and duplicate rows. Row numbers count the header as row 1, like a spreadsheet.

    Without a steward's rules, only cell counts and duplicate rows are checked, both over
    the whole batch in C (lengths as a set, rows hashed by ``map``); a row at a time in
    Python only where a batch has a ragged row or a repeated row."""

    def __init__(self, names: list[str], rules: list[FieldRule], key: list[str], report: Report):
        self.names = names
        self.width = len(names)
        self.rules = rules
        self.key_index = [names.index(k) for k in key]
        self.report = report
        self.unique_seen = {i: {} for i, r in enumerate(rules) if r.unique}
        self.key_seen: dict[tuple, int] = {}
        self._hashes: list = []
        self._numbers: list = []
        self.typed = [
            (i, r) for i, r in enumerate(rules) if r.type not in ("any", STRING) or r.required
        ]

    def check(self, batch: list[list[str]], first_row: int, columns=None) -> None:
        """Every check of one batch of Python rows, its duplicate rows reported at once
        (a load checks batch by batch: ``cell_counts``, ``check_rules``, ``duplicates``,
        then ``finish``). ``columns``: the batch as ``columns_of`` gives it."""
        if not batch:
            return
        if set(map(len, batch)) != {self.width}:
            self._cell_counts(batch, first_row)
        if columns is None:
            columns = columns_of(batch, self.width)
        rows = list(zip(*(c.values for c in columns), strict=True))
        if self.needs_rows:
            self._rules(rows, first_row)
        self.duplicates(list(map(hash, rows)), [any(r) for r in rows], first_row)
        self.finish()

    @property
    def needs_rows(self) -> bool:
        """Whether the steward's rules need the rows' values one by one."""
        return bool(self.typed or self.unique_seen or self.key_index)

    def cell_counts(self, batch: list[list[str]], first_row: int) -> None:
        if set(map(len, batch)) != {self.width}:
            self._cell_counts(batch, first_row)

    def check_rules(self, rows: list[tuple], first_row: int) -> None:
        self._rules(rows, first_row)

    def _cell_counts(self, batch, first_row: int) -> None:
        for offset, row in enumerate(batch):
            number = first_row + offset
            if len(row) > self.width:
                self.report.add(
                    "extra-cell",
                    f"Row {number} has {len(row)} cells; the header has {self.width}.",
                    row=number,
                )
            elif len(row) < self.width:
                self.report.add(
                    "missing-cell",
                    f"Row {number} has {len(row)} cells; the header has {self.width}.",
                    row=number,
                    column=self.names[len(row)],
                )

    def duplicates(self, hashes, filled, first_row: int) -> None:
        """Note each row's hash (of all its cells; ``filled``: per row, whether it has a
        non-empty cell, as numpy booleans); ``finish`` reports the rows seen before."""
        hashes = np.asarray(hashes, dtype=np.int64)
        numbers = np.arange(first_row, first_row + len(hashes), dtype=np.int64)
        filled = np.asarray(filled, dtype=bool)
        self._hashes.append(hashes[filled])
        self._numbers.append(numbers[filled])

    def finish(self) -> None:
        """Report every non-empty row that repeats an earlier one, in row order. The rows'
        hashes are sorted once (stable, so the first of equal rows comes first): a million
        rows cost a sort of a million integers, not a million Python dict entries."""
        if not self._hashes:
            return
        hashes = np.concatenate(self._hashes)
        numbers = np.concatenate(self._numbers)
        self._hashes, self._numbers = [], []
        order = np.argsort(hashes, kind="stable")
        ordered = hashes[order]
        repeated = np.flatnonzero(ordered[1:] == ordered[:-1]) + 1
        if not len(repeated):
            return
        # The first row of each run of equal hashes: the nearest run start at or before.
        starts = np.flatnonzero(np.concatenate(([True], ordered[1:] != ordered[:-1])))
        first = starts[np.searchsorted(starts, repeated, side="right") - 1]
        later, earlier = numbers[order[repeated]], numbers[order[first]]
        for number, seen in sorted(zip(later.tolist(), earlier.tolist(), strict=True)):
            self.report.add("duplicate-row", f"Row {number} is the same as row {seen}.", row=number)

    def _rules(self, rows: list[tuple], first_row: int) -> None:
        report = self.report
        for offset, cells in enumerate(rows):
            number = first_row + offset
            for index, rule in self.typed:
                value = cells[index]
                if value == "":
                    if rule.required:
                        report.add(
                            "constraint-error",
                            f'Row {number}, column "{rule.name}": a value is required.',
                            row=number,
                            column=rule.name,
                        )
                    continue
                if rule.type in _SINGLE and widen(rule.type, classify(value)) != rule.type:
                    report.add(
                        "type-error",
                        f'Row {number}, column "{rule.name}": "{value[:40]}" is not {rule.type}.',
                        row=number,
                        column=rule.name,
                    )
            for index, seen in self.unique_seen.items():
                value = cells[index]
                if value == "":
                    continue
                if value in seen:
                    report.add(
                        "unique-error",
                        f'Row {number}, column "{self.names[index]}": "{value[:40]}" '
                        f"already appears in row {seen[value]}.",
                        row=number,
                        column=self.names[index],
                    )
                else:
                    seen[value] = number
            if self.key_index:
                key = tuple(cells[i] for i in self.key_index)
                if key in self.key_seen:
                    report.add(
                        "primary-key-error",
                        f"Row {number} repeats the primary key of row {self.key_seen[key]}.",
                        row=number,
                    )
                else:
                    self.key_seen[key] = number


# --- fitting and casting ---------------------------------------------------------------


def first_misfit(kind: str, column: Column) -> int | None:
    """The index of the first non-empty value of ``column`` that ``kind`` cannot hold."""
    if kind == STRING or _CHECKS[kind](column):
        return None
    pattern = _SINGLE[kind]
    for index, value in enumerate(column.values):
        if value and not (pattern.fullmatch(value) and (kind != DATE or _real_date(value))):
            return index
    return None


def cast(value, kind: str):
    """A stored value converted to another column type, or ValueError."""
    if value is None:
        return None
    text = value if isinstance(value, str) else json.dumps(value)
    if kind == STRING:
        if isinstance(value, bool):
            return "true" if value else "false"
        return text
    if kind == INTEGER:
        if isinstance(value, bool):
            raise ValueError(text)
        if isinstance(value, int):
            return value
        if isinstance(value, float) and value.is_integer():
            return int(value)
        if _SINGLE[INTEGER].fullmatch(text):
            return int(text)
        raise ValueError(text)
    if kind == NUMBER:
        if isinstance(value, bool):
            raise ValueError(text)
        if isinstance(value, int | float):
            return value
        if _SINGLE[NUMBER].fullmatch(text):
            number = float(text)
            return int(number) if number.is_integer() and "." not in text else number
        raise ValueError(text)
    if kind == BOOLEAN:
        if isinstance(value, bool):
            return value
        if _SINGLE[BOOLEAN].fullmatch(text):
            return text.lower() == "true"
        raise ValueError(text)
    if kind == DATE:
        if isinstance(value, str) and _SINGLE[DATE].fullmatch(value) and _real_date(value):
            return value
        raise ValueError(text)
    raise ValueError(kind)


# --- exports ----------------------------------------------------------------------------

_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value):
    """A cell for a CSV or XLSX export: text that a spreadsheet would run as a formula gets
    a leading apostrophe. Numbers stay numbers."""
    if isinstance(value, str) and value.startswith(_FORMULA_START):
        return "'" + value
    return value


def csv_text(names: list[str], records: Iterable[dict]) -> str:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow([safe_cell(n) for n in names])
    for record in records:
        writer.writerow([_export_value(record.get(n)) for n in names])
    return out.getvalue()


def _export_value(value):
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    return safe_cell(value)
