"""The Arrow load path (``columnar``) gives the same answers as the Python reference in
``tabular``: the same stripped cells, the same column types, the same rows read from a
file, and COPY lines and SQLite rows that hold every cell as it is. Pure functions and
files: no database."""

from __future__ import annotations

import csv
from pathlib import Path

import pyarrow as pa
from hypothesis import given, settings
from hypothesis import strategies as st

from onedata.datahub import columnar, tabular
from tests.datahub.test_ingest_types import (
    TRICKY,
    assert_copy_lines_carry,
    assert_sqlite_rows_carry,
    value_by_value,
)

SPACES = st.text(alphabet=" \t\n\r\x0b\x0c\x1c\x1f\xa0\u2003\u3000x\xe9", max_size=6)


def arrow(values: list[str]) -> columnar.Batch:
    return columnar.Batch([pa.array(values, pa.string())])


def by_arrow_batches(values: list[str], size: int) -> str | None:
    state = [tabular.NULL]
    for start in range(0, len(values), size):
        batch = columnar.strip_all(arrow(values[start : start + size]))
        columnar.infer_batch(state, batch)
    return state[0]


@settings(max_examples=400, deadline=None)
@given(st.lists(TRICKY, max_size=25), st.integers(min_value=1, max_value=8))
def test_arrow_checks_agree_with_the_value_by_value_patterns(values, size):
    assert by_arrow_batches(values, size) == value_by_value(values)


@settings(max_examples=300, deadline=None)
@given(st.lists(st.one_of(TRICKY, SPACES), max_size=20))
def test_strip_is_pythons_strip(values):
    stripped = columnar.strip(pa.array(values, pa.string())).to_pylist()
    assert stripped == [v.strip() for v in values]


def test_a_stripped_slice_keeps_its_own_values():
    column = pa.array([" a", "b ", "c", " d "], pa.string()).slice(1, 2)
    assert columnar.strip(column).to_pylist() == ["b", "c"]


def encoded_batch(values: list[str]):
    batch = columnar.strip_all(columnar.Batch([pa.array(values, pa.string())] * 2))
    state = [tabular.NULL, tabular.STRING]
    columnar.infer_batch(state, batch)
    types = [state[0] or tabular.STRING, tabular.STRING]
    return batch, types, columnar.encode(batch, types)


@settings(max_examples=300, deadline=None)
@given(st.lists(TRICKY, min_size=1, max_size=25))
def test_copy_payload_carries_every_cell_as_it_is(values):
    """Fields in ``copy_columns`` order: the cells, the search text, then ``_id``; put
    back in the order of the Python reference's lines, they hold the same."""
    batch, types, encoded = encoded_batch(values)
    assert columnar.copy_columns(2) == ["c0", "c1", "_search", "_id"]
    lines = bytes(columnar.copy_payload(encoded, types, 7)).decode().split("\n")
    reordered = (
        "".join(
            "\t".join([line.rsplit("\t", 1)[1], line.rsplit("\t", 1)[0]]) + "\n"
            for line in lines[:-1]
        )
        + lines[-1]
    )
    assert_copy_lines_carry(values, types[0], reordered, 7)


@settings(max_examples=200, deadline=None)
@given(st.lists(TRICKY, min_size=1, max_size=25))
def test_sqlite_rows_carry_every_cell_as_it_is(values):
    batch, types, encoded = encoded_batch(values)
    rows = list(columnar.sqlite_rows(batch, encoded, types, 1))
    assert_sqlite_rows_carry(values, types[0], rows)


@settings(max_examples=300, deadline=None)
@given(st.lists(st.tuples(TRICKY, TRICKY), min_size=1, max_size=12))
def test_rows_have_the_same_key_exactly_when_their_cells_are_the_same(rows):
    batch = columnar.Batch([pa.array(list(c), pa.string()) for c in zip(*rows, strict=True)])
    keys = columnar.encode(batch, [tabular.STRING] * 2).keys.to_pylist()
    for i, a in enumerate(rows):
        for j, b in enumerate(rows):
            # PostgreSQL text cannot hold NUL: cells that differ only by one are the same.
            same = list(map(stored, a)) == list(map(stored, b))
            assert (keys[i] == keys[j]) == same


def stored(cell: str) -> str | None:
    return None if cell == "" else cell.replace("\x00", "")


# --- reading files ------------------------------------------------------------------------


def arrow_rows(path: Path) -> tuple[list[list[str]], list]:
    """The rows of a CSV as the load path reads them, and the Python rows of batches that
    Python's reader gave (None for Arrow's)."""
    table = tabular.open_csv(path)
    width = len(table.header)
    rows, python = [], []
    for batch in columnar.batches(table, path, "CSV", width):
        rows += [list(r) for r in columnar.python_rows(batch)]
        python.append(batch.rows)
    return rows, python


def python_reference(path: Path) -> list[list[str]]:
    with path.open(encoding="utf-8-sig", newline="") as fp:
        reader = csv.reader(fp, delimiter=tabular.open_csv(path).delimiter)
        header = next(reader)
        return [(r + [""] * len(header))[: len(header)] for r in reader]


def test_csv_rows_are_read_by_arrow_as_pythons_reader_reads_them(tmp_path):
    path = tmp_path / "a.csv"
    path.write_text(
        '\ufeffnama;catatan;nilai\n"Badung";"dua\nbaris";1\nGianyar;"kutip ""ya""";\nBangli;;3\n',
        encoding="utf-8",
    )
    rows, python = arrow_rows(path)
    assert rows == python_reference(path)
    assert rows[0] == ["Badung", "dua\nbaris", "1"]
    assert python == [None]  # no row needed Python's reader


def test_a_ragged_row_hands_the_rest_of_the_file_to_pythons_reader(tmp_path, monkeypatch):
    monkeypatch.setattr(tabular, "BATCH", 2)
    path = tmp_path / "a.csv"
    lines = ["a,b"] + [f"{i},x{i}" for i in range(7)] + ["7"] + ["", "8,x8,extra", "9,x9"]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    rows, python = arrow_rows(path)
    assert rows == python_reference(path)
    assert [r[0] for r in rows] == [str(i) for i in range(8)] + ["", "8", "9"]
    # Python's rows keep their cell counts, for the report.
    assert [len(r) for batch in python if batch for r in batch][-4:] == [1, 0, 3, 2]


def test_a_cell_larger_than_pythons_reader_allows_fails_with_its_row(tmp_path):
    """Arrow's reader has no such limit; the load keeps the reference's."""
    path = tmp_path / "a.csv"
    path.write_text("a,b\n1,x\n2," + "y" * (csv.field_size_limit() + 1) + "\n3,z\n")
    try:
        arrow_rows(path)
    except tabular.TableError as error:
        assert error.row == 3 and "field larger than field limit" in error.message
    else:  # pragma: no cover
        raise AssertionError("a cell over the limit must be refused")


# --- duplicate rows -------------------------------------------------------------------------


def test_duplicate_rows_are_reported_against_their_first_row_in_row_order():
    report = tabular.Report()
    checker = tabular.RowChecker(["a"], [tabular.FieldRule("a", type="any")], [], report)
    checker.duplicates([5, 6, 5], [True, True, True], 2)
    checker.duplicates([7, 6, 0, 0, 5], [True, True, False, False, True], 5)
    checker.finish()
    assert [e["message"] for e in report.errors] == [
        "Row 4 is the same as row 2.",
        "Row 6 is the same as row 3.",
        "Row 9 is the same as row 2.",
    ]
