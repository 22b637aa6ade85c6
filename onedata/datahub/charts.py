# ruff: noqa: S608 - chart SQL quotes the table's own column names; it runs in datastore_search_sql
"""Charts of a DataStore table, drawn on the server as SVG (no script, CSP-safe).

The chart builder on the dataset page picks a label column, a value column, how values
are combined (sum, average, count, or the rows as they are) and the kind of chart (bar or
line). The numbers come from one ``datastore_search_sql`` query, so the same permission
checks and limits apply as for the API. Geometry is pure and hand-checkable.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from onedata.datahub import datastore, tabular
from onedata.datahub.models import DataTable

MAX_BARS = 30
MAX_POINTS = 200
KINDS = {"bar": gettext_lazy("Bar"), "line": gettext_lazy("Line")}
AGGREGATES = {
    "sum": gettext_lazy("Sum"),
    "avg": gettext_lazy("Average"),
    "count": gettext_lazy("Count of rows"),
    "none": gettext_lazy("Rows as they are"),
}
NUMERIC = (tabular.INTEGER, tabular.NUMBER)


# --- geometry (pure) ----------------------------------------------------------------------


def bars(labels: list[str], values: list[float], *, width: int = 600, bar: int = 22) -> dict:
    """Geometry of a horizontal bar chart: label area 40 % of the width, bars scaled to the
    largest value, negative or missing values drawn as empty."""
    top = max([v for v in values if v is not None] or [0]) or 1
    label_width = round(width * 0.4)
    room = width - label_width - 70
    items = []
    for index, (label, value) in enumerate(zip(labels, values, strict=True)):
        positive = value is not None and value > 0
        length = round(room * value / top) if positive else 0
        percent = round(100 * value / top) if positive else 0
        y = index * (bar + 6)
        items.append(
            {
                "label": label,
                "value": value,
                "y": y,
                "text_y": y + bar * 0.7,
                "x": label_width,
                "length": length,
                "value_x": label_width + length + 6,
                "percent": percent,
            }
        )
    return {
        "items": items,
        "height": max(len(items) * (bar + 6), bar),
        "width": width,
        "bar": bar,
        "label_width": label_width - 8,
    }


def line(labels: list[str], values: list[float], *, width: int = 360, height: int = 220) -> dict:
    """Geometry of a line chart: a polyline over the points, the value axis from the
    smallest value (or zero) to the largest, labels of the first, middle and last point."""
    left, right, top, bottom = 56, 12, 12, 34
    present = [v for v in values if v is not None]
    high = max(present or [1])
    low = min([0, *present])
    span = (high - low) or 1
    count = len(values)
    step = (width - left - right) / max(count - 1, 1)
    points = []
    for index, value in enumerate(values):
        if value is None:
            continue
        x = left + index * step
        y = top + (height - top - bottom) * (1 - (value - low) / span)
        points.append({"x": round(x, 1), "y": round(y, 1), "label": labels[index], "value": value})
    ticks = sorted({0, count // 2, count - 1}) if count else []
    return {
        "points": points,
        "polyline": " ".join(f"{p['x']},{p['y']}" for p in points),
        "width": width,
        "height": height,
        "left": left,
        "baseline": height - bottom,
        "top": top,
        "high": high,
        "low": low,
        "x_labels": [
            {"x": round(left + i * step, 1), "label": labels[i], "anchor": _anchor(i, count)}
            for i in ticks
        ],
    }


def _anchor(index: int, count: int) -> str:
    if index == 0:
        return "start"
    return "end" if index == count - 1 else "middle"


def _quote(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def chart_sql(resource_id: str, label: str, value: str | None, aggregate: str, kind: str) -> str:
    """The one SELECT behind a chart. Column names are the table's own, quoted."""
    x = _quote(label)
    table = _quote(resource_id)
    limit = MAX_POINTS if kind == "line" else MAX_BARS
    if aggregate == "none":
        y = _quote(value)
        order = f"{x} ASC" if kind == "line" else f"{y} DESC"
        return f"SELECT {x} AS label, {y} AS value FROM {table} ORDER BY {order} LIMIT {limit}"
    measure = "count(*)" if aggregate == "count" else f"{aggregate}({_quote(value)})"
    order = "label ASC" if kind == "line" else "value DESC"
    return (
        f"SELECT {x} AS label, {measure} AS value FROM {table} "
        f"GROUP BY {x} ORDER BY {order} LIMIT {limit}"
    )


# --- the builder --------------------------------------------------------------------------


@dataclass
class Chart:
    kind: str
    label: str
    value: str
    aggregate: str
    columns: list[dict]
    numeric: list[dict]
    errors: dict[str, str] = field(default_factory=dict)
    geometry: dict | None = None
    title: str = ""

    @property
    def kinds(self):
        return KINDS.items()

    @property
    def aggregates(self):
        return AGGREGATES.items()


def _default_label(columns: list[dict]) -> dict | None:
    texts = [c for c in columns if c["type"] in (tabular.STRING, tabular.DATE)]
    label = next((c for c in texts if not tabular.CODE_NAME.search(c["name"])), None)
    return label or (texts[0] if texts else (columns[0] if columns else None))


def _default_value(columns: list[dict]) -> dict | None:
    numeric = [c for c in columns if c["type"] in NUMERIC]
    return next((c for c in numeric if not tabular.CODE_NAME.search(c["name"])), None) or (
        numeric[0] if numeric else None
    )


def build(user, table: DataTable, params) -> Chart | None:
    """The chart the builder's form asks for (``params``: a QueryDict or dict with
    ``chart``, ``x``, ``y``, ``agg``), or the default chart; None when the table has no
    numeric column."""
    columns = table.columns
    names = {c["name"]: c for c in columns}
    numeric = [c for c in columns if c["type"] in NUMERIC]
    label, value = _default_label(columns), _default_value(columns)
    if label is None or value is None:
        return None
    chart = Chart(
        kind="bar",
        label=label["name"],
        value=value["name"],
        aggregate="none",
        columns=columns,
        numeric=numeric,
    )
    kind = params.get("chart") or "bar"
    if kind not in KINDS:
        chart.errors["chart"] = _("Choose bar or line.")
    else:
        chart.kind = kind
    x = params.get("x")
    if x:
        if x in names:
            chart.label = x
        else:
            chart.errors["x"] = _("Choose a column of this table.")
    y = params.get("y")
    if y:
        if y in names and names[y]["type"] in NUMERIC:
            chart.value = y
        else:
            chart.errors["y"] = _("Choose a column with numbers.")
    aggregate = params.get("agg") or ("none" if not x else "sum")
    if aggregate not in AGGREGATES:
        chart.errors["agg"] = _("Choose how to combine the values.")
    else:
        chart.aggregate = aggregate
    sql = chart_sql(str(table.resource_id), chart.label, chart.value, chart.aggregate, chart.kind)
    result = datastore.search_sql(user, sql, seconds=5)
    labels = [_text(r.get("label")) for r in result.records]
    values = [_number(r.get("value")) for r in result.records]
    chart.geometry = bars(labels, values) if chart.kind == "bar" else line(labels, values)
    value_title = names[chart.value].get("label") or chart.value
    label_title = names[chart.label].get("label") or chart.label
    if chart.aggregate == "count":
        chart.title = _("Rows per %(label)s") % {"label": label_title}
    elif chart.aggregate == "none":
        chart.title = f"{value_title} · {label_title}"
    else:
        chart.title = f"{AGGREGATES[chart.aggregate]} {value_title} · {label_title}"
    return chart


def _text(value) -> str:
    return "" if value is None else str(value)


def _number(value):
    if value is None or isinstance(value, bool):
        return None
    try:
        return float(value) if not isinstance(value, int) else value
    except (TypeError, ValueError):
        return None
