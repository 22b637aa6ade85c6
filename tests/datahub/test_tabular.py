"""Type inference over every value, reading odd files, validation reports, exports."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from onedata.datahub import dcat, tabular


def infer(columns):
    state = [tabular.NULL] * len(columns)
    tabular.infer_batch(state, columns)
    return state


def test_types_inferred_from_whole_batch():
    assert infer([["1", "2", ""], ["1.5", "2", "3"], ["2024-01-31", "", "2024-02-29"]]) == [
        "integer",
        "number",
        "date",
    ]


def test_a_code_on_the_last_row_makes_the_column_text_not_an_error():
    values = [str(n) for n in range(1, 50_000)] + ["0164A"]
    assert infer([values]) == ["string"]


def test_leading_zero_is_a_code_and_impossible_dates_are_text():
    assert infer([["0164"], ["2024-02-30"], ["TRUE", "false"]]) == ["string", "string", "boolean"]


@given(st.lists(st.integers(min_value=-(10**17), max_value=10**17), min_size=1, max_size=50))
def test_any_list_of_integers_is_integer(numbers):
    assert infer([[str(n) for n in numbers]]) == ["integer"]


def test_last_row_changes_type_across_batches(tmp_path: Path):
    path = tmp_path / "big.csv"
    lines = ["id_row;nilai"] + [f"{i};{i}" for i in range(25_000)] + ["25000;n/a"]
    path.write_text("\n".join(lines), encoding="utf-8")
    table = tabular.open_csv(path)
    state = [tabular.NULL, tabular.NULL]
    for batch in tabular.batches(table.rows()):
        tabular.infer_batch(state, tabular.columns_of(batch, 2))
    assert table.header == ["id_row", "nilai"]
    assert state == ["integer", "string"]


def test_semicolon_and_tab_delimiters_are_sniffed():
    assert tabular.sniff_delimiter("a;b;c\n1;2;3\n") == ";"
    assert tabular.sniff_delimiter("a\tb\n1\t2\n") == "\t"


def test_latin1_text_is_reencoded_to_utf8(tmp_path: Path):
    source = tmp_path / "in.csv"
    source.write_bytes("nama,kota\nJosé,Négara\n".encode("latin-1") * 20)
    target = tmp_path / "out.csv"
    tabular.stream_to_utf8(source, target)
    assert "Négara" in target.read_text(encoding="utf-8")


def test_empty_file_is_refused_with_a_row(tmp_path: Path):
    path = tmp_path / "e.csv"
    path.write_text("\n\n", encoding="utf-8")
    with pytest.raises(tabular.TableError) as error:
        tabular.open_csv(path)
    assert error.value.row == 1


def test_validation_report_names_rows_and_columns():
    report = tabular.Report()
    tabular.check_header(["kode", "", "kode"], report)
    names = tabular.column_names(["kode", "", "kode"])
    assert names == ["kode", "column_2", "kode_2"]
    schema = {
        "fields": [
            {"name": "kode", "type": "string", "constraints": {"required": True, "unique": True}},
            {"name": "column_2", "type": "integer"},
        ],
        "primaryKey": "kode",
    }
    rules, key = tabular.rules_from_schema(schema, names)
    checker = tabular.RowChecker(names, rules, key, report)
    checker.check([["A", "1", "x"], ["A", "dua", "x"], ["", "3"], ["B", "4", "y", "extra"]], 2)
    kinds = [(e["type"], e["row"], e["column"]) for e in report.as_dict()["errors"]]
    assert ("blank-header", 1, "2") in kinds
    assert ("duplicate-header", 1, "kode") in kinds
    assert ("type-error", 3, "column_2") in kinds
    assert ("unique-error", 3, "kode") in kinds
    assert ("primary-key-error", 3, None) in kinds
    assert ("missing-cell", 4, "kode_2") in kinds
    assert ("constraint-error", 4, "kode") in kinds
    assert ("extra-cell", 5, None) in kinds
    assert report.as_dict()["valid"] is False


def test_duplicate_rows_are_reported():
    report = tabular.Report()
    checker = tabular.RowChecker(["a"], [tabular.FieldRule("a", type="any")], [], report)
    checker.check([["1"], ["1"]], 2)
    assert report.errors[0]["type"] == "duplicate-row"
    assert report.errors[0]["row"] == 3


def test_first_misfit_finds_the_first_value_a_type_cannot_hold():
    column = tabular.Column(["12", "", "1.5", "dua"])
    assert tabular.first_misfit("integer", column) == 2
    assert tabular.first_misfit("number", column) == 3
    assert tabular.first_misfit("string", column) is None
    assert tabular.first_misfit("date", tabular.Column(["2024-02-29", "2023-02-29"])) == 1
    assert tabular.first_misfit("boolean", tabular.Column(["true", "", "False"])) is None


def test_exports_escape_formula_cells():
    text = tabular.csv_text(["a"], [{"a": "=HYPERLINK(1)"}, {"a": -5}, {"a": "@x"}])
    assert text.splitlines() == ["a", "'=HYPERLINK(1)", "-5", "'@x"]


def test_cast_changes_a_column_type_or_refuses():
    assert tabular.cast(12, "string") == "12"
    assert tabular.cast("12", "integer") == 12
    with pytest.raises(ValueError):
        tabular.cast("dua", "integer")


def test_turtle_literals_escape_quotes_and_newlines():
    assert dcat.literal('a "b"\nc') == '"a \\"b\\"\\nc"'
    assert dcat.iri("http://x/a b>") == "<http://x/ab>"


def test_bar_lengths_are_shares_of_the_largest_value():
    from onedata.datahub import charts

    chart = charts.bars(["a", "b", "c"], [200, 50, None])
    assert [i["percent"] for i in chart["items"]] == [100, 25, 0]
