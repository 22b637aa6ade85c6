"""PDF of SIKUAT reports (cash book, bank book, realisation, grant accountability) with
fpdf2. No Django: the caller passes translated titles and plain rows.

The built-in Helvetica is used so nothing depends on fonts installed on the server; text
is reduced to Latin-1 (what that font can draw), which covers Indonesian and Balinese
names written in Latin letters.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Sequence
from datetime import date, datetime

from fpdf import FPDF
from fpdf.fonts import FontFace

REPLACEMENTS = {
    "–": "-",
    "—": "-",
    "−": "-",
    "‘": "'",
    "’": "'",
    "“": '"',
    "”": '"',
    "…": "...",
    "·": "-",
    "≥": ">=",
    "≤": "<=",
}


def latin1(text: object) -> str:
    """``text`` as Helvetica can draw it: known punctuation replaced, accents kept where
    Latin-1 has them, anything else dropped to its base letter or ``?``."""
    value = "" if text is None else str(text)
    for old, new in REPLACEMENTS.items():
        value = value.replace(old, new)
    out = []
    for char in value:
        try:
            char.encode("latin-1")
        except UnicodeEncodeError:
            base = unicodedata.normalize("NFKD", char).encode("latin-1", "ignore").decode()
            out.append(base or "?")
        else:
            out.append(char)
    return "".join(out)


def money(value: object) -> str:
    """``1250000`` -> ``1.250.000``; ``None`` or text left as it is."""
    if isinstance(value, bool) or not isinstance(value, int):
        return "" if value is None else str(value)
    return f"{value:,}".replace(",", ".")


def _cell(value: object) -> str:
    if isinstance(value, int) and not isinstance(value, bool):
        return money(value)
    if isinstance(value, float):
        return f"{value:.1f}".replace(".", ",")
    if isinstance(value, datetime | date):
        return value.strftime("%d/%m/%Y")
    return latin1(value)


def table_report(
    *,
    title: str,
    lines: Sequence[str],
    header: Sequence[str],
    rows: Sequence[Sequence[object]],
    widths: Sequence[int],
    numeric: Sequence[bool],
    bold_rows: Sequence[int] = (),
    footer: str = "",
    landscape: bool = False,
) -> bytes:
    """A titled table over as many A4 pages as needed (the heading row repeats on each
    page; pages are numbered). Integers print as rupiah with dots; ``numeric`` columns
    align right. ``bold_rows``: indexes of total or group rows."""
    pdf = FPDF(orientation="L" if landscape else "P", unit="mm", format="A4")
    pdf.set_auto_page_break(auto=True, margin=15)
    pdf.set_margins(12, 12, 12)
    footer_text = latin1(footer)

    def page_footer() -> None:
        pdf.set_y(-12)
        pdf.set_font("Helvetica", size=7)
        pdf.cell(0, 5, f"{footer_text}  {pdf.page_no()}/{{nb}}", align="R")

    pdf.footer = page_footer  # type: ignore[method-assign]
    pdf.alias_nb_pages()
    pdf.add_page()
    pdf.set_font("Helvetica", style="B", size=13)
    pdf.multi_cell(0, 7, latin1(title), new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("Helvetica", size=9)
    for line in lines:
        pdf.multi_cell(0, 5, latin1(line), new_x="LMARGIN", new_y="NEXT")
    pdf.ln(2)
    pdf.set_font("Helvetica", size=8)
    bold = set(bold_rows)
    aligns = tuple("RIGHT" if flag else "LEFT" for flag in numeric)
    with pdf.table(
        col_widths=tuple(widths),
        text_align=aligns,
        headings_style=FontFace(emphasis="BOLD", fill_color=(225, 232, 240)),
        line_height=4.5,
        padding=1,
    ) as table:
        heading = table.row()
        for text in header:
            heading.cell(latin1(text))
        for index, values in enumerate(rows):
            style = FontFace(emphasis="BOLD", fill_color=(242, 245, 248)) if index in bold else None
            row = table.row(style=style)
            for value in values:
                row.cell(_cell(value))
    return bytes(pdf.output())
