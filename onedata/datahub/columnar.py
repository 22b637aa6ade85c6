"""A file's rows as Apache Arrow columns, for loading into the DataStore.

A load touches every value of every column several times: stripped, type-checked,
compared with every earlier row, encoded for the database. Done one Python object per
value, that is most of a load's time (a million rows of twelve columns are twelve million
objects). Here each batch of rows is a list of Arrow string arrays, and each of those steps
is a handful of vectorised kernels (``pyarrow.compute``, which releases the GIL) over a
whole column: the CSV is parsed by Arrow's reader in its own threads, and the encoded batch
goes to PostgreSQL as one buffer, so the database stores one batch while the next is read.

``tabular`` keeps the reference: ``classify`` and the Python checks say what each type
accepts, and ``tests/datahub/test_columnar.py`` holds the two to the same answers. Files
Arrow's reader cannot take as they are (a row with too many or too few cells, a blank
line) are read by Python's ``csv`` module from that row on, and XLSX rows come from
openpyxl; both are turned into the same Arrow columns.
"""

from __future__ import annotations

import csv
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pa_csv

from onedata.datahub import tabular
from onedata.datahub.tabular import BOOLEAN, DATE, INTEGER, NULL, NUMBER, STRING

BLOCK_BYTES = 1 << 20  # about 10,000 rows of a typical file per batch


@dataclass
class Batch:
    """``columns``: one Arrow string array per column, ``width`` of them, no nulls.
    ``rows``: the same rows as Python lists when they were read by Python (their cell
    counts are still as in the file, for the report), else None."""

    columns: list[pa.Array]
    rows: list[list[str]] | None = None

    def __len__(self) -> int:
        return len(self.columns[0]) if self.columns else 0


def from_rows(rows: list[list[str]], width: int) -> Batch:
    """A batch of Python rows (cells as text), ragged rows padded or cut to ``width``."""
    if set(map(len, rows)) != {width}:
        fitted = [r if len(r) == width else (r + [""] * (width - len(r)))[:width] for r in rows]
    else:
        fitted = rows
    columns = [pa.array(values, pa.string()) for values in zip(*fitted, strict=True)]
    return Batch(columns or [pa.array([], pa.string())] * width, rows)


# --- reading --------------------------------------------------------------------------------


def csv_batches(table: tabular.Table, path: Path, width: int) -> Iterator[Batch]:
    """The rows of a UTF-8 CSV after its header, as batches in file order.

    Python's ``csv`` reader is the reference; Arrow's is its accelerator. From the first
    row Arrow's reader refuses (a cell count that is not the header's, a blank line, which
    it reads as a row of one cell, text that is not UTF-8), or the first batch with a cell
    larger than Python's reader allows, Python's reader reads the rest: the report names
    each ragged row, and an unreadable row fails the load with its number, as before."""
    done = 0
    limit = csv.field_size_limit()
    try:
        reader = pa_csv.open_csv(
            path,
            read_options=pa_csv.ReadOptions(
                block_size=BLOCK_BYTES,
                skip_rows=1,
                column_names=[f"c{i}" for i in range(width)],
            ),
            parse_options=pa_csv.ParseOptions(
                delimiter=table.delimiter,
                newlines_in_values=True,
                ignore_empty_lines=False,
                invalid_row_handler=lambda row: "error",
            ),
            convert_options=pa_csv.ConvertOptions(
                column_types={f"c{i}": pa.string() for i in range(width)},
                strings_can_be_null=False,
                quoted_strings_can_be_null=False,
            ),
        )
        for record_batch in reader:
            if any(pc.max(pc.binary_length(c)).as_py() > limit for c in record_batch.columns):
                break
            for start in range(0, record_batch.num_rows, tabular.BATCH):
                piece = record_batch.slice(start, tabular.BATCH)
                done += piece.num_rows
                yield Batch(list(piece.columns))
        else:
            return
    except pa.ArrowInvalid:
        pass
    rows = table.rows()
    for _ in range(done):
        next(rows)
    for batch in tabular.batches(rows):
        yield from_rows(batch, width)


def batches(table: tabular.Table, path: Path, fmt: str, width: int) -> Iterator[Batch]:
    if fmt.upper() != "XLSX" and table.delimiter:
        return csv_batches(table, path, width)
    return (from_rows(rows, width) for rows in table.batches())


# --- cells ----------------------------------------------------------------------------------

# Bytes that may begin or end a value that needs stripping: ASCII white space (with the
# separators \x1c-\x1f that Python's str.strip also removes) and any non-ASCII byte, which
# may be part of a Unicode space.
_MAY_BE_SPACE = np.zeros(256, dtype=bool)
_MAY_BE_SPACE[[9, 10, 11, 12, 13, 28, 29, 30, 31, 32]] = True
_MAY_BE_SPACE[128:] = True


def _offsets(column: pa.Array) -> np.ndarray:
    return np.frombuffer(
        column.buffers()[1], dtype=np.int32, count=len(column) + 1, offset=column.offset * 4
    )


def strip(column: pa.Array) -> pa.Array:
    """``column`` with white space stripped from each value's ends, as ``str.strip``. The
    first and last byte of every value are looked at once (numpy; an empty value reads a
    neighbour's byte, which can only make the check more careful); only a column where one
    of them may be white space is stripped, in Python when the column is not all ASCII."""
    data = column.buffers()[2]
    if data is None or not len(column):
        return column
    offsets = _offsets(column)
    raw = np.frombuffer(data, dtype=np.uint8)
    if not len(raw):
        return column
    first = raw.take(offsets[:-1], mode="clip")
    last = raw.take(offsets[1:] - 1, mode="clip")
    if not (_MAY_BE_SPACE[first].any() or _MAY_BE_SPACE[last].any()):
        return column
    if (raw < 128).all():  # ASCII: no other white space can hide behind what is trimmed
        return pc.utf8_trim(column, " \t\n\x0b\x0c\r\x1c\x1d\x1e\x1f")
    return pa.array([value.strip() for value in column.to_pylist()], pa.string())


def strip_all(batch: Batch) -> Batch:
    return Batch([strip(c) for c in batch.columns], batch.rows)


def python_rows(batch: Batch) -> list[tuple]:
    return list(zip(*(c.to_pylist() for c in batch.columns), strict=True))


# --- types ----------------------------------------------------------------------------------

_REGEX = {kind: "^" + pattern + "$" for kind, pattern in tabular.PATTERNS.items()}
_TRUE = pa.array(["true", "TRUE", "True"])
_FALSE = pa.array(["false", "FALSE", "False"])
_BOOLEANS = pa.array(["", "true", "TRUE", "True", "false", "FALSE", "False"])


def _has_empty(column: pa.Array) -> bool:
    return bool(len(column)) and pc.min(pc.binary_length(column)).as_py() == 0


def _filled(column: pa.Array) -> pa.Array:
    return pc.filter(column, pc.not_equal(column, "")) if _has_empty(column) else column


def _all(mask) -> bool:
    return bool(pc.all(mask).as_py()) if len(mask) else True


def fits(kind: str | None, column: pa.Array) -> bool:
    """Every non-empty value of ``column`` is a value of ``kind`` (``tabular.classify``)."""
    if kind in (STRING, NULL):
        return True
    if kind == BOOLEAN:
        return _all(pc.is_in(column, value_set=_BOOLEANS))
    column = _filled(column)
    if not len(column):
        return True
    if kind == INTEGER and not pc.any(pc.starts_with(column, "-")).as_py():
        # Digits only, at most 18 of them, no leading zero: a few kernels, no regex.
        if pc.max(pc.binary_length(column)).as_py() > 18 or not _all(pc.ascii_is_decimal(column)):
            return False
        zero = pc.starts_with(column, "0")
        return not pc.any(zero).as_py() or _all(
            pc.equal(pc.binary_length(pc.filter(column, zero)), 1)
        )
    if kind == DATE:
        # Arrow's date parser takes exactly YYYY-MM-DD, a real day of years 1 to 9999
        # (as Python's date): it refuses 2024-02-30, month 13 and year 0.
        lengths = pc.min_max(pc.binary_length(column)).as_py()
        if lengths != {"min": 10, "max": 10}:
            return False
        try:
            pc.cast(column, pa.date32())
        except pa.ArrowInvalid:
            return False
        return True
    return _all(pc.match_substring_regex(column, _REGEX[kind]))


def batch_type(column: pa.Array) -> str | None:
    """The narrowest type holding every value of the column (NULL: all empty)."""
    if not len(_filled(column)):
        return NULL
    for kind in (INTEGER, NUMBER, DATE, BOOLEAN):
        if fits(kind, column):
            return kind
    return STRING


def infer_batch(state: list[str | None], batch: Batch) -> None:
    """Widen ``state`` (one type per column) with a batch, as ``tabular.infer_batch``: the
    current candidate is checked over the whole column; only when it fails is the batch's
    own narrowest type found."""
    for index, column in enumerate(batch.columns):
        current = state[index]
        if current == STRING or (current is not NULL and fits(current, column)):
            continue
        state[index] = tabular.widen(current, batch_type(column))


# --- encoding -------------------------------------------------------------------------------

# COPY's text format: backslash escapes; tab, newline and carriage return end a field or a
# row. PostgreSQL text cannot hold NUL at all; it is left out (as ``typed_tables``).
_ESCAPES = (("\\", "\\\\"), ("\t", "\\t"), ("\n", "\\n"), ("\r", "\\r"), ("\x00", ""))
_ESCAPED_BYTES = (b"\\", b"\t", b"\n", b"\r", b"\x00")


def escaped(column: pa.Array) -> pa.Array:
    data = column.buffers()[2]
    if data is None:
        return column
    raw = data.to_pybytes()  # a copy, and then memchr: far faster than a numpy mask
    if not any(map(raw.__contains__, _ESCAPED_BYTES)):
        return column
    for old, new in _ESCAPES:
        column = pc.replace_substring(column, old, new)
    return column


def _copy_cell(column: pa.Array) -> pa.Array:
    """Escaped, and ``\\N`` (NULL) for an empty cell (a cell of only NUL is not empty)."""
    text = escaped(column)
    if _has_empty(column):
        return pc.if_else(pc.equal(column, ""), "\\N", text)
    return text


@dataclass
class Encoded:
    """A batch in COPY's text format, per column (empty cells as ``\\N``); each row's
    search text (its string and date cells, lower-cased); and the row keys that find
    duplicate rows: each row's escaped cells joined by tabs, which no escaped cell holds,
    so two rows have the same key exactly when their cells are the same."""

    cells: list[pa.Array]
    words: pa.Array
    keys: pa.Array


def encode(batch: Batch, types: list[str]) -> Encoded:
    cells = [_copy_cell(c) for c in batch.columns]
    keys = pc.binary_join_element_wise(*cells, "\t")
    words = [c for c, kind in zip(batch.columns, types, strict=True) if kind in (DATE, STRING)]
    if words:
        search = pc.utf8_lower(pc.binary_join_element_wise(*words, " "))
    else:
        search = pa.array([""] * len(batch), pa.string())
    return Encoded(cells, search, keys)


# The order of a line's fields in ``copy_payload`` (COPY takes a column list): the row's
# key comes first as it is, so the line needs one join.
def row_hashes(encoded: Encoded) -> tuple[np.ndarray, np.ndarray]:
    """Each row's 64-bit hash (of its key), and whether it has a non-empty cell (empty
    rows are not reported as duplicates of each other)."""
    keys = encoded.keys.to_pylist()
    hashes = np.fromiter(map(hash, keys), np.int64, len(keys))
    blank = "\t".join(["\\N"] * len(encoded.cells))
    return hashes, pc.not_equal(encoded.keys, blank).to_numpy(zero_copy_only=False)


def copy_columns(width: int) -> list[str]:
    return [f"c{i}" for i in range(width)] + ["_search", "_id"]


def copy_payload(encoded: Encoded, types: list[str], first_id: int) -> memoryview:
    """The rows as COPY text lines ``cells…, _search, _id`` (``copy_columns``), in one
    contiguous buffer."""
    count = len(encoded.keys)
    ids = pc.cast(pa.array(np.arange(first_id, first_id + count, dtype=np.int64)), pa.string())
    ids = pc.binary_join_element_wise(ids, "", "\n")  # "7\n": the line's end
    if BOOLEAN in types:
        cells = [
            _copy_boolean(c) if kind == BOOLEAN else c
            for c, kind in zip(encoded.cells, types, strict=True)
        ]
        line_cells = pc.binary_join_element_wise(*cells, "\t")
    else:
        line_cells = encoded.keys
    lines = pc.binary_join_element_wise(line_cells, escaped(encoded.words), ids, "\t")
    offsets = _offsets(lines)
    return memoryview(lines.buffers()[2])[offsets[0] : offsets[-1]]


def _copy_boolean(column: pa.Array) -> pa.Array:
    true = pc.is_in(column, value_set=_TRUE)
    false = pc.is_in(column, value_set=_FALSE)
    return pc.if_else(true, "t", pc.if_else(false, "f", "\\N"))


_SQLITE_BOOLEAN = {"": None, "true": 1, "TRUE": 1, "True": 1, "false": 0, "FALSE": 0, "False": 0}
_NONE_FOR_EMPTY = {"": None}.get


def sqlite_rows(batch: Batch, encoded: Encoded, types: list[str], first_id: int):
    """The rows as parameter tuples ``_id, cells…, _search`` (empty cells as NULL)."""
    cells: list = [range(first_id, first_id + len(batch))]
    for kind, column in zip(types, batch.columns, strict=True):
        values = column.to_pylist()
        if kind == BOOLEAN:
            cells.append(map(_SQLITE_BOOLEAN.__getitem__, values))
        else:
            cells.append(map(_NONE_FOR_EMPTY, values, values) if "" in values else values)
    cells.append(encoded.words.to_pylist())
    return zip(*cells, strict=True)


def row_bytes(batch: Batch) -> float:
    """About how many bytes of the file one row of ``batch`` took (for the progress bar)."""
    cells = sum(c.nbytes - 4 * (len(c) + 1) for c in batch.columns)
    return max(1.0, cells / max(len(batch), 1) + len(batch.columns))
