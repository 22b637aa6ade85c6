# ruff: noqa: S608 - chart SQL quotes the table's own column names; it runs in datastore_search_sql
"""Charts of a DataStore table, drawn on the server as SVG or HTML (no script, CSP-safe).

A chart is a small settings dict (``config``): ``chart_type`` (bar, line, pie or map),
``x`` (the label column), ``y`` (the value column), ``aggregate`` (sum, average, count or
the rows as they are) and ``filters`` (column: list of values, as in ``datastore_search``).
The chart builder on the dataset page and the saved charts (resource views) share it.

The numbers come from one ``datastore_search_sql`` query, so the same permission checks
and limits apply as for the API. Geometry is pure and hand-checkable. The map is a
schematic tile map of Bali's nine regencies and city (no tiles, no boundary file):
district and village codes (51.03.05, 51.03.05.2001) count towards their regency.
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Mapping
from dataclasses import dataclass, field

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from onedata.datahub import datastore, tabular
from onedata.datahub.models import DataTable

MAX_BARS = 30
MAX_POINTS = 200
MAX_GROUPS = 1000  # pie and map: every group is fetched, small ones fold into "Other"
MAX_SLICES = 8
MAX_FILTER_VALUES = 50
KINDS = {
    "bar": gettext_lazy("Bar"),
    "line": gettext_lazy("Line"),
    "pie": gettext_lazy("Pie"),
    "map": gettext_lazy("Map by region code"),
}
AGGREGATES = {
    "sum": gettext_lazy("Sum"),
    "avg": gettext_lazy("Average"),
    "count": gettext_lazy("Count of rows"),
    "none": gettext_lazy("Rows as they are"),
}
NUMERIC = (tabular.INTEGER, tabular.NUMBER)
TEXTUAL = (tabular.STRING, tabular.DATE)

# Pie slices: distinct in hue and lightness (the legend gives every slice in words too).
PALETTE = ["#0b5cab", "#e8871e", "#2e8540", "#b51963", "#5d3fd3", "#00838f", "#8c564b", "#c9a400"]
OTHER_COLOUR = "#9ca3af"
# Map classes, light to dark; text on the two darkest is white (contrast AA).
MAP_CLASSES = ["#dbe9f6", "#9ec5e8", "#4f8fcf", "#0b5cab"]
NO_DATA = "#f3f4f6"

# --- the regencies of Bali on a tile grid --------------------------------------------------
# (column, row, width, height) on a 5 x 3 grid, roughly where each lies: Buleleng along the
# north coast, Jembrana in the west, Karangasem in the east, Denpasar in the south.
REGENCY_TILES = {
    "51.08": ("Buleleng", (0, 0, 3, 1)),
    "51.06": ("Bangli", (3, 0, 1, 1)),
    "51.07": ("Karangasem", (4, 0, 1, 2)),
    "51.01": ("Jembrana", (0, 1, 1, 1)),
    "51.02": ("Tabanan", (1, 1, 1, 1)),
    "51.03": ("Badung", (2, 1, 1, 1)),
    "51.04": ("Gianyar", (3, 1, 1, 2)),
    "51.71": ("Denpasar", (2, 2, 1, 1)),
    "51.05": ("Klungkung", (4, 2, 1, 1)),
}
REGION_CODE = re.compile(r"^(51\.\d\d)(?:\.\d\d(?:\.\d{4})?)?$")


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


def pie(
    labels: list[str],
    values: list[float],
    *,
    other: str = "Other",
    radius: int = 90,
    max_slices: int = MAX_SLICES,
) -> dict:
    """Geometry of a pie: slices clockwise from twelve o'clock, largest first; beyond
    ``max_slices`` the smallest fold into one ``other`` slice. Zero, negative and missing
    values cannot be a slice: they are counted in ``left_out``."""
    pairs = [(lab, v) for lab, v in zip(labels, values, strict=True) if v is not None and v > 0]
    pairs.sort(key=lambda pair: -pair[1])
    left_out = len(labels) - len(pairs)
    if len(pairs) > max_slices:
        rest = pairs[max_slices - 1 :]
        pairs = [*pairs[: max_slices - 1], (other, sum(v for _lab, v in rest))]
        folded = len(rest)
    else:
        folded = 0
    total = sum(v for _lab, v in pairs)
    centre = radius + 2
    slices = []
    start = 0.0
    for index, (label, value) in enumerate(pairs):
        share = value / total
        end = start + share
        is_other = folded and index == len(pairs) - 1
        slices.append(
            {
                "label": label,
                "value": value,
                "percent": round(100 * share, 1),
                "colour": OTHER_COLOUR if is_other else PALETTE[index % len(PALETTE)],
                "path": _arc(centre, radius, start, end),
                "whole": len(pairs) == 1,
            }
        )
        start = end
    return {
        "slices": slices,
        "total": total,
        "size": 2 * centre,
        "centre": centre,
        "radius": radius,
        "left_out": left_out,
        "folded": folded,
    }


def _point(centre: float, radius: float, turn: float) -> tuple[float, float]:
    """The point ``turn`` of a full circle clockwise from twelve o'clock."""
    angle = 2 * math.pi * turn
    return round(centre + radius * math.sin(angle), 2), round(centre - radius * math.cos(angle), 2)


def _arc(centre: float, radius: float, start: float, end: float) -> str:
    x0, y0 = _point(centre, radius, start)
    x1, y1 = _point(centre, radius, end)
    large = 1 if end - start > 0.5 else 0
    return f"M{centre},{centre} L{x0},{y0} A{radius},{radius} 0 {large} 1 {x1},{y1} Z"


def regency_of(code) -> str | None:
    """The regency code (``51.03``) of a Bali region code at any level, else None."""
    match = REGION_CODE.match(str(code or "").strip())
    return match.group(1) if match else None


def class_breaks(low: float, high: float, classes: int = len(MAP_CLASSES)) -> list[float]:
    """Equal-interval class limits from ``low`` to ``high`` (``classes`` + 1 numbers)."""
    step = (high - low) / classes
    return [low + step * i for i in range(classes)] + [high]


def class_of(value: float, low: float, high: float, classes: int = len(MAP_CLASSES)) -> int:
    if high == low:
        return classes - 1
    return min(classes - 1, int((value - low) / (high - low) * classes))


def region_map(totals: dict[str, float], *, cell: int = 72, gap: int = 4) -> dict:
    """Geometry of the tile map: one tile per regency, shaded by equal-interval class of
    its value; a regency without a value is drawn blank and says so."""
    present = [v for v in totals.values() if v is not None]
    low, high = (min(present), max(present)) if present else (0, 0)
    tiles = []
    for code, (name, (col, row, width, height)) in REGENCY_TILES.items():
        value = totals.get(code)
        shade = class_of(value, low, high) if value is not None else None
        # Tiles are a little wider than tall: names such as "Karangasem" fit on one line.
        tall = cell - 10
        x, y = col * (cell + gap), row * (tall + gap)
        w, h = width * cell + (width - 1) * gap, height * tall + (height - 1) * gap
        tiles.append(
            {
                "code": code,
                "name": name,
                "value": value,
                "class": shade,
                "fill": NO_DATA if shade is None else MAP_CLASSES[shade],
                "ink": "#ffffff" if shade is not None and shade >= 2 else "#111827",
                "x": x,
                "y": y,
                "w": w,
                "h": h,
                "text_x": x + w / 2,
                "text_y": y + h / 2 - 4,
            }
        )
    breaks = class_breaks(low, high) if present else []
    legend = [
        {"colour": colour, "low": breaks[i], "high": breaks[i + 1]}
        for i, colour in enumerate(MAP_CLASSES)
        if breaks
    ]
    return {
        "tiles": tiles,
        "legend": legend,
        "width": 5 * cell + 4 * gap,
        "height": 3 * (cell - 10) + 2 * gap,
    }


# --- settings (validated against the table's columns) --------------------------------------


def _quote(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _literal(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def where_sql(columns: dict[str, dict], filters: Mapping[str, list]) -> str:
    """``WHERE`` of a chart's filters (values already checked by ``clean``): numbers as
    numbers, true/false as booleans, everything else compared as text."""
    parts = []
    for name, values in filters.items():
        kind = columns[name]["type"]
        if kind in NUMERIC:
            expression, literals = _quote(name), [repr(_number(v)) for v in values]
        elif kind == tabular.BOOLEAN:
            expression = _quote(name)
            literals = ["TRUE" if str(v).lower() == "true" else "FALSE" for v in values]
        else:
            expression = f"CAST({_quote(name)} AS TEXT)"
            literals = [_literal(str(v)) for v in values]
        parts.append(f"{expression} IN ({', '.join(literals)})")
    return (" WHERE " + " AND ".join(parts)) if parts else ""


def chart_sql(
    resource_id: str, label: str, value: str | None, aggregate: str, kind: str, where: str = ""
) -> str:
    """The one SELECT behind a chart. Column names are the table's own, quoted."""
    x = _quote(label)
    table = _quote(resource_id)
    if kind == "map":
        # Regency of the code: its first five characters (51.03 of 51.03.05.2001).
        x = f"substr(CAST({x} AS TEXT), 1, 5)"
        aggregate = "sum" if aggregate == "none" else aggregate
    limit = {"line": MAX_POINTS, "bar": MAX_BARS}.get(kind, MAX_GROUPS)
    if aggregate == "none":
        y = _quote(value)
        order = f"{x} ASC" if kind == "line" else f"{y} DESC"
        return (
            f"SELECT {x} AS label, {y} AS value FROM {table}{where} ORDER BY {order} LIMIT {limit}"
        )
    measure = "count(*)" if aggregate == "count" else f"{aggregate}({_quote(value)})"
    order = "label ASC" if kind in ("line", "map") else "value DESC"
    return (
        f"SELECT {x} AS label, {measure} AS value FROM {table}{where} "
        f"GROUP BY {x} ORDER BY {order} LIMIT {limit}"
    )


def _default_label(columns: list[dict]) -> dict | None:
    texts = [c for c in columns if c["type"] in TEXTUAL]
    label = next((c for c in texts if not tabular.CODE_NAME.search(c["name"])), None)
    return label or (texts[0] if texts else (columns[0] if columns else None))


def _default_code(columns: list[dict]) -> dict | None:
    texts = [c for c in columns if c["type"] == tabular.STRING]
    return next((c for c in texts if tabular.CODE_NAME.search(c["name"])), None)


def _default_value(columns: list[dict]) -> dict | None:
    numeric = [c for c in columns if c["type"] in NUMERIC]
    return next((c for c in numeric if not tabular.CODE_NAME.search(c["name"])), None) or (
        numeric[0] if numeric else None
    )


def _filters_from(raw: Mapping) -> tuple[object, str | None]:
    """The filters of a request or an API call: ``filters`` (an object or its JSON), or
    the builder form's one ``fcol``/``fval`` pair."""
    filters = raw.get("filters")
    if isinstance(filters, str):
        text = filters.strip()
        if not text:
            filters = {}
        else:
            try:
                filters = json.loads(text)
            except ValueError:
                return None, _("Give the filters as an object of column: values.")
    if filters is None:
        column, value = raw.get("fcol") or "", raw.get("fval") or ""
        filters = {column: [value]} if column and str(value).strip() else {}
    return filters, None


def _clean_filters(names: dict[str, dict], raw: Mapping, errors: dict) -> dict[str, list]:
    filters, problem = _filters_from(raw)
    if problem or not isinstance(filters, dict):
        errors["filters"] = [problem or _("Give the filters as an object of column: values.")]
        return {}
    cleaned: dict[str, list] = {}
    for name, values in filters.items():
        values = values if isinstance(values, list) else [values]
        if name not in names:
            errors["filters"] = [_('Unknown column "%(name)s".') % {"name": str(name)[:60]}]
            return {}
        if not values or len(values) > MAX_FILTER_VALUES:
            errors["filters"] = [
                _("Give 1 to %(n)d values for each column.") % {"n": MAX_FILTER_VALUES}
            ]
            return {}
        if names[name]["type"] in NUMERIC and any(_number(v) is None for v in values):
            errors["filters"] = [
                _('Column "%(name)s" holds numbers: filter it by a number.') % {"name": name}
            ]
            return {}
        cleaned[name] = [v if isinstance(v, int | float) else str(v)[:200] for v in values]
    return cleaned


def clean(columns: list[dict], raw: Mapping) -> tuple[dict, dict[str, list[str]]]:
    """A chart's settings from a form, a query string or an API call (``chart_type`` or
    ``chart``, ``x``, ``y``, ``aggregate`` or ``agg``, ``filters``), checked against the
    table's columns. What is wrong is reported by field and replaced by the default, so
    the builder can still draw something while it says what was wrong."""
    names = {c["name"]: c for c in columns}
    label, value = _default_label(columns), _default_value(columns)
    errors: dict[str, list[str]] = {}
    if label is None or value is None:
        errors["y"] = [_("This table has no column with numbers to chart.")]
        return {}, errors
    kind = raw.get("chart_type") or raw.get("chart") or "bar"
    if kind not in KINDS:
        errors["chart_type"] = [_("Choose bar, line, pie or map.")]
        kind = "bar"
    config = {"chart_type": kind, "x": label["name"], "y": value["name"], "aggregate": "none"}
    if kind == "map":
        code = _default_code(columns)
        config["x"] = code["name"] if code else label["name"]
    x = raw.get("x")
    if x:
        if x not in names:
            errors["x"] = [_("Choose a column of this table.")]
        elif kind == "map" and names[x]["type"] != tabular.STRING:
            errors["x"] = [_("Choose a column with region codes such as 51.03.")]
        else:
            config["x"] = x
    y = raw.get("y")
    if y:
        if y in names and names[y]["type"] in NUMERIC:
            config["y"] = y
        else:
            errors["y"] = [_("Choose a column with numbers.")]
    aggregate = raw.get("aggregate") or raw.get("agg") or ("sum" if x or kind == "map" else "none")
    if aggregate not in AGGREGATES:
        errors["aggregate"] = [_("Choose how to combine the values.")]
    else:
        config["aggregate"] = aggregate
    config["filters"] = _clean_filters(names, raw, errors)
    return config, errors


# --- drawing ------------------------------------------------------------------------------


@dataclass
class Chart:
    kind: str
    label: str
    value: str
    aggregate: str
    columns: list[dict]
    numeric: list[dict]
    filters: dict = field(default_factory=dict)
    errors: dict[str, str] = field(default_factory=dict)
    geometry: dict | None = None
    rows: list[tuple[str, float | None]] = field(default_factory=list)
    title: str = ""
    note: str = ""

    @property
    def kinds(self):
        return KINDS.items()

    @property
    def aggregates(self):
        return AGGREGATES.items()

    @property
    def config(self) -> dict:
        return {
            "chart_type": self.kind,
            "x": self.label,
            "y": self.value,
            "aggregate": self.aggregate,
            "filters": self.filters,
        }

    @property
    def filter_column(self) -> str:
        return next(iter(self.filters), "")

    @property
    def filter_value(self) -> str:
        values = self.filters.get(self.filter_column) or [""]
        return ", ".join(str(v) for v in values)


def build(user, table: DataTable, params) -> Chart | None:
    """The chart the builder's form asks for (``params``: a QueryDict or dict with
    ``chart``, ``x``, ``y``, ``agg``, ``fcol``/``fval``), or the default chart; None when
    the table has no numeric column. Wrong choices are named in ``errors``."""
    config, errors = clean(table.columns, params)
    if not config:
        return None
    chart = draw(user, table, config)
    chart.errors = {name: problems[0] for name, problems in errors.items()}
    return chart


def draw(user, table: DataTable, config: dict) -> Chart:
    """Run the chart's query (as ``user``) and lay it out. ``config`` comes from ``clean``."""
    columns = table.columns
    names = {c["name"]: c for c in columns}
    chart = Chart(
        kind=config["chart_type"],
        label=config["x"],
        value=config["y"],
        aggregate=config["aggregate"],
        filters=config.get("filters") or {},
        columns=columns,
        numeric=[c for c in columns if c["type"] in NUMERIC],
    )
    sql = chart_sql(
        str(table.resource_id),
        chart.label,
        chart.value,
        chart.aggregate,
        chart.kind,
        where_sql(names, chart.filters),
    )
    result = datastore.search_sql(user, sql, seconds=5)
    labels = [_text(r.get("label")) for r in result.records]
    values = [_number(r.get("value")) for r in result.records]
    chart.rows = list(zip(labels, values, strict=True))
    chart.title = _title(chart, names)
    if chart.kind == "bar":
        chart.geometry = bars(labels, values)
    elif chart.kind == "line":
        chart.geometry = line(labels, values)
    elif chart.kind == "pie":
        chart.geometry = pie(labels, values, other=_("Other"))
        if chart.geometry["folded"]:
            chart.note = _("The %(n)d smallest are shown together as “Other”.") % {
                "n": chart.geometry["folded"]
            }
    else:
        _lay_out_map(chart, labels, values)
    return chart


def _lay_out_map(chart: Chart, labels: list[str], values: list) -> None:
    totals = {}
    outside = 0
    for label, value in zip(labels, values, strict=True):
        code = regency_of(label)
        if code in REGENCY_TILES:
            totals[code] = value
        else:
            outside += 1
    chart.geometry = region_map(totals)
    chart.rows = [
        (f"{tile['name']} ({tile['code']})", tile["value"]) for tile in chart.geometry["tiles"]
    ]
    if outside:
        chart.note = _(
            "%(n)d value(s) of column “%(column)s” are not Bali regency codes and are not on "
            "the map."
        ) % {"n": outside, "column": chart.label}


def _title(chart: Chart, names: dict[str, dict]) -> str:
    value_title = names[chart.value].get("label") or chart.value
    label_title = names[chart.label].get("label") or chart.label
    if chart.kind == "map":
        label_title = _("regency")
    if chart.aggregate == "count":
        return _("Rows per %(label)s") % {"label": label_title}
    if chart.aggregate == "none" and chart.kind != "map":
        return f"{value_title} · {label_title}"
    aggregate = AGGREGATES["sum" if chart.aggregate == "none" else chart.aggregate]
    return f"{aggregate} {value_title} · {label_title}"


def _text(value) -> str:
    return "" if value is None else str(value)


def _number(value):
    if value is None or isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    try:
        number = float(value)
    except (TypeError, ValueError):
        return None
    return number if math.isfinite(number) else None
