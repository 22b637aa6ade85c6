"""The tiny PDF writer: a valid file structure with the text in it."""

import re

from onedata.hospitals import pdf


def test_a_pdf_has_its_pages_and_a_cross_reference_table_pointing_at_each_object():
    lines = [f"line {n} (with brackets) \\ end" for n in range(150)]
    data = pdf.text_pdf(lines)
    assert data.startswith(b"%PDF-1.4") and data.rstrip().endswith(b"%%EOF")
    pages = -(-150 // pdf.LINES_PER_PAGE)
    assert f"/Count {pages}".encode() in data
    assert rb"(line 0 \(with brackets\) \\ end) Tj" in data
    start = int(re.search(rb"startxref\n(\d+)", data).group(1))
    assert data[start:].startswith(b"xref")
    offsets = [int(m) for m in re.findall(rb"(\d{10}) 00000 n", data)]
    for number, offset in enumerate(offsets, start=1):
        assert data[offset:].startswith(b"%d 0 obj" % number)
