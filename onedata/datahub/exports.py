"""Downloads of a filtered table view: CSV, XLSX and JSON, streamed page by page.

Rows come from ``datastore.search`` with the view's filters, search words and sort, in
pages, up to a row limit (``DATAHUB_EXPORT_MAX_ROWS``). Cells a spreadsheet would run as a
formula are escaped (``tabular.safe_cell``); in XLSX numbers stay numbers, dates dates.
"""

from __future__ import annotations

import csv
import io
import json
import tempfile
from collections.abc import Iterable, Iterator
from datetime import date

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

from onedata.datahub import datastore, tabular
from onedata.datahub.models import DataTable

PAGE = 5000
FORMATS = {
    "csv": "text/csv; charset=utf-8",
    "json": "application/json",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


def records(table: DataTable, *, filters: dict, q: str, sort: str, limit: int) -> Iterator[dict]:
    """The rows of the view, at most ``limit``, fetched ``PAGE`` at a time."""
    offset = 0
    while offset < limit:
        size = min(PAGE, limit - offset, datastore.MAX_LIMIT)
        page = datastore.search(
            table,
            filters=filters,
            q=q,
            sort=sort,
            limit=size,
            offset=offset,
            include_total=False,
        ).records
        yield from page
        if len(page) < size:
            return
        offset += size


def csv_chunks(names: list[str], rows: Iterable[dict]) -> Iterator[str]:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow([tabular.safe_cell(n) for n in names])
    for count, record in enumerate(rows, start=1):
        writer.writerow([_csv_value(record.get(n)) for n in names])
        if count % 1000 == 0:
            yield out.getvalue()
            out.seek(0)
            out.truncate()
    yield out.getvalue()


def _csv_value(value):
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    return tabular.safe_cell(value)


def json_chunks(names: list[str], rows: Iterable[dict]) -> Iterator[str]:
    """``{"fields": [...], "records": [...]}``, one record at a time."""
    yield '{"fields": ' + json.dumps(names, ensure_ascii=False) + ', "records": ['
    for index, record in enumerate(rows):
        yield ("," if index else "") + json.dumps(record, ensure_ascii=False, default=str)
    yield "]}"


def xlsx_file(columns: list[dict], rows: Iterable[dict]):
    """The rows as an XLSX workbook in a temporary file (openpyxl's write-only mode keeps
    one row in memory at a time), rewound for reading."""
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("data")
    names = [c["name"] for c in columns]
    types = [c["type"] for c in columns]
    sheet.append([_text(tabular.safe_cell(c.get("label") or c["name"])) for c in columns])
    for record in rows:
        sheet.append(
            [xlsx_cell(sheet, record.get(n), kind) for n, kind in zip(names, types, strict=True)]
        )
    target = tempfile.SpooledTemporaryFile(max_size=8 << 20)  # noqa: SIM115 - returned open
    workbook.save(target)
    target.seek(0)
    return target


def xlsx_cell(sheet, value, kind: str):
    """One cell: numbers and booleans as themselves, dates as dates, text escaped."""
    if value is None:
        return None
    if isinstance(value, bool):
        return value
    if kind in (tabular.INTEGER, tabular.NUMBER) and isinstance(value, int | float):
        return value
    if kind == tabular.DATE and isinstance(value, str):
        try:
            cell = WriteOnlyCell(sheet, value=date.fromisoformat(value))
        except ValueError:
            return _text(tabular.safe_cell(value))
        cell.number_format = "yyyy-mm-dd"
        return cell
    if isinstance(value, int | float):
        return value
    return _text(tabular.safe_cell(str(value)))


def _text(value):
    """Text a workbook can hold: control characters XML forbids are dropped."""
    return ILLEGAL_CHARACTERS_RE.sub("", value) if isinstance(value, str) else value
