"""The whole-batch type checks agree with the value-by-value patterns, and every row they
let through goes to the database (COPY text, SQLite parameters) holding the same values.
Pure functions: no database."""

from __future__ import annotations

import re

from hypothesis import given, settings
from hypothesis import strategies as st

from onedata.datahub import tabular, typed_tables

TRICKY = st.one_of(
    st.text(alphabet="0123456789-+.eE", max_size=6),
    st.text(alphabet='019- \t\n\x00"\\', max_size=5),
    st.sampled_from(
        [
            "",
            "0",
            "-0",
            "01",
            "-01",
            "1.",
            ".5",
            "-.5",
            "1e5",
            "1E+05",
            "5.e3",
            "+1",
            "--1",
            "-",
            "1-",
            "2024-02-29",
            "2023-02-29",
            "2024-13-01",
            "2024-1-01",
            "2024-W01-1",
            "20240101",
            "true",
            "False",
            "TRUE ",
            " 12",
            "12\n34",
            "1\x002",
            "1234567890123456789",
            "-123456789012345678",
            "١٢",
            "1_000",
            "inf",
        ]
    ),
    st.dates().map(str),
    st.integers(min_value=-(10**20), max_value=10**20).map(str),
    st.floats(allow_nan=False, allow_infinity=False).map(repr),
)


def value_by_value(values: list[str]) -> str | None:
    state = tabular.NULL
    for value in values:
        state = tabular.widen(state, tabular.classify(value.strip()))
    return state


def by_batches(values: list[str], size: int) -> str | None:
    state = [tabular.NULL]
    for start in range(0, len(values), size):
        tabular.infer_batch(state, [values[start : start + size]])
    return state[0]


@settings(max_examples=400, deadline=None)
@given(st.lists(TRICKY, max_size=25), st.integers(min_value=1, max_value=8))
def test_batch_checks_agree_with_the_value_by_value_patterns(values, size):
    assert by_batches(values, size) == value_by_value(values)


_COPY_UNESCAPES = {"\\\\": "\\", "\\t": "\t", "\\n": "\n", "\\r": "\r"}


def copy_fields(line: str) -> list[str | None]:
    """One line of COPY text back to its fields, as PostgreSQL reads it."""
    fields = []
    for raw in line.split("\t"):
        if raw == "\\N":
            fields.append(None)
            continue
        fields.append(re.sub(r"\\[\\tnr]", lambda m: _COPY_UNESCAPES[m.group()], raw))
    return fields


def assert_copy_lines_carry(values: list[str], kind: str, text: str, first_id: int) -> None:
    """Every line holds its row's cells as they are: typed cells as they are (the types
    were inferred from these very values), text escaped, empty cells as NULL, and the row
    in the search text. Fields: ``_id, typed, plain, search``."""
    lines = text.split("\n")
    assert lines.pop() == ""
    assert len(lines) == len(values)
    for number, (value, line) in enumerate(zip(values, lines, strict=True), start=first_id):
        row_id, typed, plain, search = copy_fields(line)
        cell = value.strip()
        assert row_id == str(number)
        # PostgreSQL text cannot hold NUL: it is left out of the cell.
        assert plain == (cell.replace("\x00", "") if cell else None)
        if kind == tabular.BOOLEAN and cell:
            assert typed == ("t" if cell.lower() == "true" else "f")
        else:
            assert typed == (cell.replace("\x00", "") if cell else None)
        assert cell.replace("\x00", "").lower() in search


def assert_sqlite_rows_carry(values: list[str], kind: str, rows: list[tuple]) -> None:
    """Rows ``_id, typed, plain, search``, numbered from 1."""
    for number, (value, row) in enumerate(zip(values, rows, strict=True), start=1):
        cell = value.strip()
        assert row[0] == number and row[2] == (cell or None)
        if kind == tabular.BOOLEAN and cell:
            assert row[1] == (cell.lower() == "true")
        else:
            assert row[1] == (cell or None)
        assert cell.lower() in row[3]


def typed_pair(values: list[str]) -> tuple[list[tabular.Column], str]:
    """Each value twice in a row: a column of the type inferred from the values, and a
    text column."""
    columns = tabular.columns_of([[v, v] for v in values], 2)
    state = [tabular.NULL, tabular.STRING]
    tabular.infer_batch(state, columns)
    return columns, state[0] or tabular.STRING


@settings(max_examples=300, deadline=None)
@given(st.lists(TRICKY, min_size=1, max_size=25))
def test_copy_text_carries_every_cell_as_it_is(values):
    columns, kind = typed_pair(values)
    text = typed_tables.copy_text(columns, [kind, tabular.STRING], 7)
    assert_copy_lines_carry(values, kind, text, 7)


@settings(max_examples=200, deadline=None)
@given(st.lists(TRICKY, min_size=1, max_size=25))
def test_sqlite_rows_carry_every_cell_as_it_is(values):
    columns, kind = typed_pair(values)
    rows = list(typed_tables.sqlite_rows(columns, [kind, tabular.STRING], 1))
    assert_sqlite_rows_carry(values, kind, rows)


def test_a_value_holding_the_separator_is_classified_alone():
    assert by_batches(["12\x0034", "5"], 10) == "string"
    assert by_batches(["12\n34"], 10) == "string"


def test_cells_are_stripped_before_their_type_is_checked():
    columns = tabular.columns_of([[" 12 "], ["7\t"], [""]], 1)
    assert list(columns[0].values) == ["12", "7", ""]
    state = [tabular.NULL]
    tabular.infer_batch(state, columns)
    assert state == ["integer"]


def test_an_integer_column_with_a_decimal_later_becomes_number_not_text():
    values = [str(n) for n in range(100)] + ["2.5"] + [str(n) for n in range(50)]
    assert by_batches(values, 30) == "number"
