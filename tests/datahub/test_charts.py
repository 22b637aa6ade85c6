# ruff: noqa: S608 - SQL text is the input under test
"""The chart builder: pure geometry, the SQL behind it, and the dataset page's form."""

from __future__ import annotations

import pytest

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


def test_chart_sql_quotes_names_and_limits_rows():
    sql = charts.chart_sql("r-1", 'ka"b', "nilai", "sum", "bar")
    assert sql == (
        'SELECT "ka""b" AS label, sum("nilai") AS value FROM "r-1" '
        'GROUP BY "ka""b" ORDER BY value DESC LIMIT 30'
    )
    assert "count(*)" in charts.chart_sql("r", "x", None, "count", "line")


@pytest.mark.django_db
def test_dataset_page_draws_the_chart_the_builder_asks_for(client, hub):
    dataset = publish(hub)
    page = client.get(f"/data/{dataset.name}/").content.decode()
    assert "dh-bars" in page and "Denpasar" in page and 'name="chart"' in page
    line = client.get(
        f"/data/{dataset.name}/", {"chart": "line", "x": "kabupaten", "y": "luas_km2", "agg": "avg"}
    ).content.decode()
    assert "<polyline" in line and "Gianyar" in line
    bad = client.get(f"/data/{dataset.name}/", {"chart": "pie", "y": "kabupaten"}).content.decode()
    assert "Choose bar or line." in bad or "Pilih batang atau garis." in bad
    assert "dh-bars" in bad  # falls back to the default chart, says what was wrong
