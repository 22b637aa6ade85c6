# ruff: noqa: S608 - SQL text is the input under test
"""The chart builder: pure geometry (bar, line, pie, map), the SQL behind it, the settings
check, and charts drawn from a real DataStore table with hand-computed aggregates."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import AnonymousUser

from onedata.datahub import charts
from tests.datahub.conftest import publish


def test_bar_geometry_scales_to_the_largest_value():
    geometry = charts.bars(["a", "b", "c"], [50, 100, None], width=600, bar=20)
    # label area 240, room 600 - 240 - 70 = 290
    assert [i["length"] for i in geometry["items"]] == [145, 290, 0]
    assert [i["y"] for i in geometry["items"]] == [0, 26, 52]
    assert geometry["height"] == 78


def test_line_geometry_runs_from_zero_to_the_top():
    geometry = charts.line(["2022", "2023", "2024"], [0, 50, 100], width=256, height=252)
    # plot: x from 56 to 244 (step 94), y from 12 (top) to 218 (baseline)
    assert geometry["polyline"] == "56.0,218.0 150.0,115.0 244.0,12.0"
    assert [t["label"] for t in geometry["x_labels"]] == ["2022", "2023", "2024"]


def test_pie_geometry_starts_at_twelve_and_goes_clockwise():
    geometry = charts.pie(["b", "a", "c"], [30, 50, 20], radius=90)
    # Largest first; centre 92. Half the circle: from the top (92, 2) to the bottom
    # (92, 182); then 30 % to turn 0.8, at angle 288°: (92 + 90 sin 288°, 92 - 90 cos 288°).
    assert [(s["label"], s["percent"]) for s in geometry["slices"]] == [
        ("a", 50.0),
        ("b", 30.0),
        ("c", 20.0),
    ]
    assert geometry["slices"][0]["path"] == "M92,92 L92.0,2.0 A90,90 0 0 1 92.0,182.0 Z"
    assert geometry["slices"][1]["path"] == "M92,92 L92.0,182.0 A90,90 0 0 1 6.4,64.19 Z"
    assert geometry["total"] == 100


def test_pie_folds_the_smallest_into_other_and_leaves_out_non_positive():
    labels = [f"r{i}" for i in range(10)] + ["zero", "minus", "none"]
    values = [10, 9, 8, 7, 6, 5, 4, 3, 2, 1, 0, -5, None]
    geometry = charts.pie(labels, values, other="Lainnya", max_slices=8)
    slices = geometry["slices"]
    assert [s["label"] for s in slices] == ["r0", "r1", "r2", "r3", "r4", "r5", "r6", "Lainnya"]
    assert slices[-1]["value"] == 3 + 2 + 1
    assert slices[-1]["colour"] == charts.OTHER_COLOUR
    assert geometry["folded"] == 3 and geometry["left_out"] == 3
    assert geometry["total"] == 55


def test_one_slice_is_a_whole_circle():
    geometry = charts.pie(["a", "b"], [5, 0])
    assert geometry["slices"][0]["whole"] is True and geometry["slices"][0]["percent"] == 100.0


@pytest.mark.parametrize(
    ("code", "regency"),
    [
        ("51.03", "51.03"),
        ("51.03.05", "51.03"),
        ("51.71.01.1001", "51.71"),
        (" 51.04 ", "51.04"),
        ("51", None),
        ("52.01", None),
        ("51.3", None),
        ("5103", None),
        (None, None),
    ],
)
def test_regency_of_a_region_code(code, regency):
    assert charts.regency_of(code) == regency


def test_map_classes_are_equal_intervals():
    assert charts.class_breaks(0, 100) == [0, 25, 50, 75, 100]
    assert [charts.class_of(v, 0, 100) for v in (0, 24.9, 25, 74, 100)] == [0, 0, 1, 2, 3]
    assert charts.class_of(7, 7, 7) == 3


def test_map_geometry_shades_regencies_and_marks_missing_ones():
    geometry = charts.region_map({"51.03": 10, "51.04": 30, "51.71": 20}, cell=70, gap=4)
    tiles = {t["code"]: t for t in geometry["tiles"]}
    assert len(tiles) == 9
    assert tiles["51.03"]["class"] == 0 and tiles["51.04"]["class"] == 3
    assert tiles["51.71"]["class"] == 2  # (20 - 10) / 20 * 4 = 2
    assert tiles["51.08"]["value"] is None and tiles["51.08"]["fill"] == charts.NO_DATA
    # Buleleng spans three cells along the north: 3 * 70 + 2 * 4 wide.
    assert (tiles["51.08"]["x"], tiles["51.08"]["w"]) == (0, 218)
    # Tiles are 10 less tall than wide: 3 rows of 60 and 2 gaps.
    assert geometry["width"] == 366 and geometry["height"] == 188


def test_chart_sql_quotes_names_and_limits_rows():
    sql = charts.chart_sql("r-1", 'ka"b', "nilai", "sum", "bar")
    assert sql == (
        'SELECT "ka""b" AS label, sum("nilai") AS value FROM "r-1" '
        'GROUP BY "ka""b" ORDER BY value DESC LIMIT 30'
    )
    assert "count(*)" in charts.chart_sql("r", "x", None, "count", "line")


def test_map_sql_groups_by_the_regency_part_of_the_code():
    sql = charts.chart_sql("r", "kode", "n", "none", "map")
    assert sql == (
        'SELECT substr(CAST("kode" AS TEXT), 1, 5) AS label, sum("n") AS value FROM "r" '
        'GROUP BY substr(CAST("kode" AS TEXT), 1, 5) ORDER BY label ASC LIMIT 1000'
    )


def test_where_sql_quotes_text_and_keeps_numbers_numbers():
    columns = {"nama": {"type": "string"}, "n": {"type": "integer"}, "ok": {"type": "boolean"}}
    where = charts.where_sql(columns, {"nama": ["O'Brien", "x"], "n": ["5"], "ok": ["true"]})
    assert where == (
        " WHERE CAST(\"nama\" AS TEXT) IN ('O''Brien', 'x') AND \"n\" IN (5.0) AND \"ok\" IN (TRUE)"
    )


COLUMNS = [
    {"name": "kode_wilayah", "type": "string"},
    {"name": "kecamatan", "type": "string"},
    {"name": "puskesmas", "type": "integer"},
]


def test_clean_reports_wrong_choices_by_field_and_falls_back():
    config, errors = charts.clean(
        COLUMNS, {"chart_type": "radar", "x": "nope", "y": "kecamatan", "agg": "median"}
    )
    assert set(errors) == {"chart_type", "x", "y", "aggregate"}
    assert config["chart_type"] == "bar" and config["y"] == "puskesmas"


def test_clean_map_defaults_to_the_code_column_and_refuses_numbers():
    config, errors = charts.clean(COLUMNS, {"chart_type": "map"})
    assert not errors
    assert config == {
        "chart_type": "map",
        "x": "kode_wilayah",
        "y": "puskesmas",
        "aggregate": "sum",
        "filters": {},
    }
    _config, errors = charts.clean(COLUMNS, {"chart_type": "map", "x": "puskesmas"})
    assert "x" in errors


def test_clean_filters():
    config, errors = charts.clean(COLUMNS, {"filters": '{"puskesmas": [3, "4"]}'})
    assert not errors and config["filters"] == {"puskesmas": [3, "4"]}
    assert "filters" in charts.clean(COLUMNS, {"filters": {"puskesmas": ["tiga"]}})[1]
    assert "filters" in charts.clean(COLUMNS, {"filters": {"nope": ["x"]}})[1]
    assert "filters" in charts.clean(COLUMNS, {"filters": "{not json"})[1]
    config, _errors = charts.clean(COLUMNS, {"fcol": "kecamatan", "fval": "Kuta"})
    assert config["filters"] == {"kecamatan": ["Kuta"]}


DISTRICTS = (
    "kode_wilayah,kabupaten,kecamatan,puskesmas\n"
    "51.03.01,Badung,Kuta Selatan,3\n"
    "51.03.02,Badung,Kuta,2\n"
    "51.04.01,Gianyar,Sukawati,4\n"
    "51.71.01,Denpasar,Denpasar Selatan,5\n"
    "51.71.02,Denpasar,Denpasar Timur,1\n"
    "52.01.01,Lombok Barat,Gerung,9\n"
)


@pytest.mark.django_db
def test_map_sums_districts_into_their_regency(hub):
    table = publish(hub, csv=DISTRICTS).resources.get().datatable
    chart = charts.draw(AnonymousUser(), table, charts.clean(table.columns, {"chart": "map"})[0])
    tiles = {t["code"]: t["value"] for t in chart.geometry["tiles"]}
    # Badung 3 + 2, Gianyar 4, Denpasar 5 + 1; the Lombok row is not Bali.
    assert (tiles["51.03"], tiles["51.04"], tiles["51.71"]) == (5, 4, 6)
    assert tiles["51.01"] is None
    assert "1" in chart.note and "kode_wilayah" in chart.note
    classes = {t["code"]: t["class"] for t in chart.geometry["tiles"]}
    assert (classes["51.04"], classes["51.03"], classes["51.71"]) == (0, 2, 3)
    counted = charts.draw(
        AnonymousUser(),
        table,
        charts.clean(table.columns, {"chart": "map", "agg": "count"})[0],
    )
    assert {t["code"]: t["value"] for t in counted.geometry["tiles"]}["51.71"] == 2


@pytest.mark.django_db
def test_pie_sums_by_label_with_shares(hub):
    table = publish(hub, csv=DISTRICTS).resources.get().datatable
    config, errors = charts.clean(
        table.columns, {"chart": "pie", "x": "kabupaten", "y": "puskesmas", "agg": "sum"}
    )
    assert not errors
    chart = charts.draw(AnonymousUser(), table, config)
    # Total 24: Lombok Barat 9 (37.5 %), Denpasar 6 (25 %), Badung 5, Gianyar 4.
    assert [(s["label"], s["value"], s["percent"]) for s in chart.geometry["slices"]] == [
        ("Lombok Barat", 9, 37.5),
        ("Denpasar", 6, 25.0),
        ("Badung", 5, 20.8),
        ("Gianyar", 4, 16.7),
    ]
    filtered = charts.draw(
        AnonymousUser(),
        table,
        charts.clean(
            table.columns,
            {
                "chart": "pie",
                "x": "kecamatan",
                "y": "puskesmas",
                "filters": {"kabupaten": ["Badung"]},
            },
        )[0],
    )
    assert [(s["label"], s["percent"]) for s in filtered.geometry["slices"]] == [
        ("Kuta Selatan", 60.0),
        ("Kuta", 40.0),
    ]


@pytest.mark.django_db
def test_dataset_page_draws_the_chart_the_builder_asks_for(client, hub):
    dataset = publish(hub)
    page = client.get(f"/data/{dataset.name}/").content.decode()
    assert "dh-bars" in page and "Denpasar" in page and 'name="chart"' in page
    line = client.get(
        f"/data/{dataset.name}/", {"chart": "line", "x": "kabupaten", "y": "luas_km2", "agg": "avg"}
    ).content.decode()
    assert "<polyline" in line and "Gianyar" in line
    pie = client.get(f"/data/{dataset.name}/", {"chart": "pie", "x": "kabupaten"}).content
    assert b"dh-pie-svg" in pie and b"<path" in pie
    regency_map = client.get(f"/data/{dataset.name}/", {"chart": "map"}).content.decode()
    assert "dh-map-svg" in regency_map and "Badung (51.03)" in regency_map
    bad = client.get(f"/data/{dataset.name}/", {"chart": "radar", "y": "kabupaten"}).content
    bad = bad.decode()
    assert "Choose bar, line, pie or map." in bad or "Pilih batang, garis, pai atau peta." in bad
    assert "dh-bars" in bad  # falls back to the default chart, says what was wrong
