"""A simple bar chart for a dataset page, drawn on the server as HTML meters (no script):
the first text column as labels, the first numeric column as values, up to 20 bars."""

from __future__ import annotations

from onedata.datahub import datastore, tabular
from onedata.datahub.models import DataTable

MAX_BARS = 20


def bars(labels: list[str], values: list[float], *, width: int = 600, bar: int = 22) -> dict:
    """Geometry of a horizontal bar chart. Pure: hand-checkable numbers."""
    top = max([v for v in values if v is not None] or [0]) or 1
    items = []
    for index, (label, value) in enumerate(zip(labels, values, strict=True)):
        length = 0 if value is None or value < 0 else round((width - 200) * value / top)
        percent = 0 if value is None or value < 0 else round(100 * value / top)
        items.append(
            {
                "label": label,
                "value": value,
                "y": index * (bar + 6),
                "length": length,
                "percent": percent,
            }
        )
    return {"items": items, "height": len(items) * (bar + 6), "width": width, "bar": bar}


def bar_chart_for(table: DataTable) -> dict | None:
    columns = table.columns
    texts = [c for c in columns if c["type"] == tabular.STRING]
    label = next((c for c in texts if not tabular.CODE_NAME.search(c["name"])), None)
    label = label or (texts[0] if texts else None)
    value = next(
        (
            c
            for c in columns
            if c["type"] in (tabular.INTEGER, tabular.NUMBER)
            and not tabular.CODE_NAME.search(c["name"])
        ),
        None,
    )
    if label is None or value is None:
        return None
    result = datastore.search(
        table, fields=[label["name"], value["name"]], limit=MAX_BARS, sort=f"{value['name']} desc"
    )
    labels = [str(r.get(label["name"]) or "") for r in result.records]
    values = [r.get(value["name"]) for r in result.records]
    chart = bars(labels, values)
    chart.update(
        {
            "label_column": label.get("label") or label["name"],
            "value_column": value.get("label") or value["name"],
            "total": table.row_count,
        }
    )
    return chart
