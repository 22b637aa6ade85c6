"""Monthly recap of an office (attendance and TPP) as XLSX and PDF. Plain inputs: the rows
of ``selectors.office_allowances``; no queries here."""

from __future__ import annotations

import io
from dataclasses import dataclass
from datetime import date

from onedata.attendance import tpp
from onedata.attendance.rules import DayStatus

RECAP_HEADERS = [
    "NIP",
    "Nama",
    "Jabatan",
    "Hari kerja",
    "Hadir",
    "Terlambat (kali)",
    "Terlambat (menit)",
    "Pulang cepat (kali)",
    "Pulang cepat (menit)",
    "Tidak hadir",
    "Cuti",
    "Sakit",
    "Dinas luar",
    "WFH",
    "TPP dasar",
    "Bagian kehadiran",
    "Potongan (%)",
    "Potongan (Rp)",
    "Dibayar (Rp)",
]


@dataclass(frozen=True)
class RecapLine:
    nip: str
    name: str
    position: str
    workdays: int
    present: int
    late: int
    late_minutes: int
    early: int
    early_minutes: int
    absent: int
    leave: int
    sick: int
    travel: int
    wfh: int
    base: int
    attendance_part: int
    percent: str
    deduction: int
    paid: int

    def values(self) -> list:
        return [
            self.nip,
            self.name,
            self.position,
            self.workdays,
            self.present,
            self.late,
            self.late_minutes,
            self.early,
            self.early_minutes,
            self.absent,
            self.leave,
            self.sick,
            self.travel,
            self.wfh,
            self.base,
            self.attendance_part,
            self.percent,
            self.deduction,
            self.paid,
        ]


def recap_lines(rows) -> list[RecapLine]:
    lines = []
    for row in rows:
        days = [d.result for d in row.days if d.result.status != DayStatus.UPCOMING]
        worked = [r for r in days if r.status not in (DayStatus.HOLIDAY, DayStatus.OFF)]

        def count(status, results=worked):
            return sum(1 for r in results if r.status == status)

        allowance = row.allowance
        lines.append(
            RecapLine(
                nip=row.employee.nip or "",
                name=row.employee.name,
                position=row.employee.position,
                workdays=len(worked),
                present=count(DayStatus.PRESENT),
                late=sum(1 for r in worked if r.tl),
                late_minutes=sum(r.late_minutes for r in worked),
                early=sum(1 for r in worked if r.psw),
                early_minutes=sum(r.early_minutes for r in worked),
                absent=count(DayStatus.ABSENT),
                leave=count(DayStatus.LEAVE),
                sick=count(DayStatus.SICK),
                travel=count(DayStatus.TRAVEL),
                wfh=count(DayStatus.WFH),
                base=allowance.base,
                attendance_part=allowance.attendance_part,
                percent=tpp.percent(allowance.capped_bp),
                deduction=allowance.deduction,
                paid=allowance.paid,
            )
        )
    return lines


def recap_xlsx(office_name: str, month: date, rows, *, adjustments=()) -> bytes:
    """Sheets: the recap (one line per employee, totals), every deduction, and the
    adjustments recorded after the month was finalised."""
    from openpyxl import Workbook
    from openpyxl.styles import Font

    book = Workbook()
    sheet = book.active
    sheet.title = "Rekap"
    sheet.append([f"Rekap presensi dan TPP {office_name}", f"{month:%Y-%m}"])
    sheet["A1"].font = Font(bold=True)
    sheet.append([])
    sheet.append(RECAP_HEADERS)
    for cell in sheet[3]:
        cell.font = Font(bold=True)
    lines = recap_lines(rows)
    for line in lines:
        sheet.append(line.values())
    total_row = ["", "Jumlah", ""] + [""] * 11
    total_row += [
        sum(x.base for x in lines),
        sum(x.attendance_part for x in lines),
        "",
        sum(x.deduction for x in lines),
        sum(x.paid for x in lines),
    ]
    sheet.append(total_row)
    sheet[sheet.max_row][1].font = Font(bold=True)
    sheet.freeze_panes = "C4"
    for column, width in zip("ABC", (20, 30, 30), strict=True):
        sheet.column_dimensions[column].width = width
    detail = book.create_sheet("Rincian potongan")
    detail.append(["NIP", "Nama", "Tanggal", "Alasan", "Potongan (%)"])
    for cell in detail[1]:
        cell.font = Font(bold=True)
    for row in rows:
        for deduction in row.allowance.deductions:
            detail.append(
                [
                    row.employee.nip or "",
                    row.employee.name,
                    deduction.day,
                    deduction.reason,
                    tpp.percent(deduction.basis_points),
                ]
            )
    if adjustments:
        extra = book.create_sheet("Penyesuaian")
        extra.append(["NIP", "Nama", "Jumlah (Rp)", "Alasan", "Dicatat"])
        for cell in extra[1]:
            cell.font = Font(bold=True)
        for item in adjustments:
            extra.append(
                [
                    item.employee.nip or "",
                    item.employee.name,
                    item.amount,
                    item.reason,
                    item.created_at.strftime("%Y-%m-%d") if item.created_at else "",
                ]
            )
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _latin(text: str) -> str:
    return str(text).encode("latin-1", "replace").decode("latin-1")


def _rupiah(amount: int) -> str:
    return f"{amount:,}".replace(",", ".")


PDF_COLUMNS = [
    # header, width (mm), value
    ("Nama / NIP", 62, lambda x: f"{x.name}\n{x.nip}"),
    ("Hari kerja", 14, lambda x: str(x.workdays)),
    ("Hadir", 12, lambda x: str(x.present)),
    ("TL", 16, lambda x: f"{x.late} ({x.late_minutes}')"),
    ("PSW", 16, lambda x: f"{x.early} ({x.early_minutes}')"),
    ("Absen", 12, lambda x: str(x.absent)),
    ("Cuti/Sakit", 16, lambda x: f"{x.leave}/{x.sick}"),
    ("DL/WFH", 14, lambda x: f"{x.travel}/{x.wfh}"),
    ("TPP dasar", 26, lambda x: _rupiah(x.base)),
    ("Potongan", 30, lambda x: f"{x.percent}% · {_rupiah(x.deduction)}"),
    ("Dibayar", 26, lambda x: _rupiah(x.paid)),
]


def recap_pdf(office_name: str, month: date, rows, *, finalised: bool = False) -> bytes:
    """A landscape A4 table, one line per employee, with the office totals."""
    from fpdf import FPDF

    pdf = FPDF(orientation="L", unit="mm", format="A4")
    pdf.set_auto_page_break(auto=True, margin=12)
    pdf.set_title(_latin(f"Rekap presensi dan TPP {office_name} {month:%Y-%m}"))
    pdf.add_page()
    pdf.set_font("Helvetica", "B", 13)
    pdf.cell(0, 8, _latin(f"Rekap presensi dan TPP - {office_name}"), new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("Helvetica", "", 10)
    state = "final (dikunci)" if finalised else "sementara (belum difinalisasi)"
    pdf.cell(0, 6, _latin(f"Bulan {month:%m/%Y} · {state}"), new_x="LMARGIN", new_y="NEXT")
    pdf.ln(2)
    lines = recap_lines(rows)
    pdf.set_font("Helvetica", "", 8)
    with pdf.table(
        col_widths=[width for _h, width, _v in PDF_COLUMNS],
        text_align=["LEFT"] + ["RIGHT"] * (len(PDF_COLUMNS) - 1),
        line_height=4.5,
        repeat_headings=1,
    ) as table:
        heading = table.row()
        for header, _width, _value in PDF_COLUMNS:
            heading.cell(_latin(header))
        for line in lines:
            row = table.row()
            for _header, _width, value in PDF_COLUMNS:
                row.cell(_latin(value(line)))
    pdf.ln(3)
    pdf.set_font("Helvetica", "B", 10)
    pdf.cell(
        0,
        6,
        _latin(
            f"Jumlah {len(lines)} pegawai · TPP dasar Rp {_rupiah(sum(x.base for x in lines))}"
            f" · potongan Rp {_rupiah(sum(x.deduction for x in lines))}"
            f" · dibayar Rp {_rupiah(sum(x.paid for x in lines))}"
        ),
        new_x="LMARGIN",
        new_y="NEXT",
    )
    pdf.set_font("Helvetica", "", 8)
    pdf.multi_cell(
        0,
        4,
        _latin(
            "TL/PSW: kali (menit). Potongan dari bagian kehadiran TPP: TL1/PSW1 0,5%, TL2/PSW2 1%,"
            " TL3/PSW3 1,5%, TL4/PSW4 2% per kejadian, tidak hadir 4% per hari, paling banyak"
            " 100% bagian kehadiran. Rincian per hari ada di ekspor XLSX."
        ),
    )
    return bytes(pdf.output())
