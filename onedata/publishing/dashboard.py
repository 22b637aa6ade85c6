"""The province dashboard's figures, computed from the published tables (pure: rows in,
numbers out). Each card reads one publication's latest version, so the dashboard shows
exactly what One Data publishes, and links to it."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Card:
    key: str
    title: str  # translated at render time
    publication: str  # the dataset it reads and links to
    column: str
    aggregate: str  # sum | min | max | avg | count | distinct | share
    unit: str = ""
    latest_by: str = ""  # only the rows holding this column's greatest value (the last day)
    filter: tuple = ()  # (column, value) pairs the rows must match
    total_column: str = ""  # for share: sum(column) / sum(total_column) as a percentage
    note: str = ""


def latest_rows(rows: list[dict], column: str) -> list[dict]:
    """The rows of the latest period: those whose ``column`` has the greatest value."""
    values = [row.get(column) for row in rows if row.get(column) not in (None, "")]
    if not values:
        return []
    top = max(values)
    return [row for row in rows if row.get(column) == top]


def _numbers(rows: list[dict], column: str) -> list[float]:
    out = []
    for row in rows:
        value = row.get(column)
        if isinstance(value, bool) or value in (None, ""):
            continue
        try:
            out.append(float(value))
        except (TypeError, ValueError):
            continue
    return out


def card_value(card: Card, rows: list[dict]) -> tuple[float | None, str]:
    """(value, period) of a card over a publication's rows; None when nothing to show."""
    if not rows:  # not published yet: nothing to count either
        return None, ""
    if card.latest_by:
        rows = latest_rows(rows, card.latest_by)
    for column, wanted in card.filter:
        rows = [row for row in rows if row.get(column) == wanted]
    period = str(rows[0].get(card.latest_by)) if card.latest_by and rows else ""
    if card.aggregate == "count":
        return float(len(rows)), period
    if card.aggregate == "distinct":
        return float(len({row.get(card.column) for row in rows} - {None, ""})), period
    values = _numbers(rows, card.column)
    if not values:
        return None, period
    if card.aggregate == "sum":
        return sum(values), period
    if card.aggregate == "min":
        return min(values), period
    if card.aggregate == "max":
        return max(values), period
    if card.aggregate == "avg":
        return sum(values) / len(values), period
    if card.aggregate == "share":
        totals = sum(_numbers(rows, card.total_column))
        return (100.0 * sum(values) / totals if totals else None), period
    raise ValueError(f"unknown aggregate {card.aggregate!r}")
