"""The monthly recap of an office as XLSX and PDF, and who may download it."""

import io
from datetime import date, datetime, time
from zoneinfo import ZoneInfo

import pytest
from openpyxl import load_workbook

from onedata.attendance import exports, selectors
from onedata.attendance.models import CheckIn
from onedata.core.models import AuditEvent
from tests.attendance.conftest import RENON
from tests.conftest import login_client

WITA = ZoneInfo("Asia/Makassar")
pytestmark = pytest.mark.django_db
MONTH = date(2026, 10, 1)


@pytest.fixture
def october(staff):
    worker = staff["worker"]
    for day, hh, mm in [(date(2026, 10, 1), 7, 45), (date(2026, 10, 2), 7, 20)]:
        for kind, moment in [("in", time(hh, mm)), ("out", time(16, 35))]:
            CheckIn.objects.create(
                employee=worker,
                kind=kind,
                recorded_at=datetime.combine(day, moment, tzinfo=WITA),
                work_date=day,
                latitude=RENON[0],
                longitude=RENON[1],
                inside_geofence=True,
                status=CheckIn.Status.ACCEPTED,
            )
    return staff


def test_recap_lines_count_every_kind_of_day(october):
    office = october["worker"].office
    rows = selectors.office_allowances(office, MONTH)
    line = next(x for x in exports.recap_lines(rows) if x.nip == "199002142015032001")
    # October 2026: 22 working days (no holiday in the test calendar); 2 present, 1 late
    assert (line.workdays, line.present, line.late, line.late_minutes, line.absent) == (
        22,
        2,
        1,
        15,
        20,
    )
    # 40 % of 5,000,000 = 2,000,000; TL1 0.5 % + 20 absent days x 4 % = 80.5 %
    assert (line.attendance_part, line.percent, line.deduction) == (2_000_000, "80.5", 1_610_000)
    assert line.paid == 5_000_000 - 1_610_000


def test_hr_downloads_the_recap_as_xlsx_and_pdf(october):
    office = october["worker"].office
    hr = login_client(october["hr"])
    url = f"/presensi/sdm/kantor/{office.pk}/laporan/?month=2026-10"
    response = hr.get(url + "&format=xlsx")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    assert "rekap-presensi-tpp" in response["Content-Disposition"]
    book = load_workbook(io.BytesIO(response.content))
    recap = book["Rekap"]
    header = [c.value for c in recap[3]]
    assert header[:3] == ["NIP", "Nama", "Jabatan"]
    names = [row[1] for row in recap.iter_rows(min_row=4, values_only=True)]
    assert "Luh Pegawai" in names and "Jumlah" in names
    details = list(book["Rincian potongan"].iter_rows(min_row=2, values_only=True))
    assert any(row[3] == "TL1" for row in details)
    pdf = hr.get(url + "&format=pdf")
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf"
    assert pdf.content.startswith(b"%PDF") and len(pdf.content) > 1000
    assert AuditEvent.objects.filter(action="attendance.report.export").count() == 2
    boss = login_client(october["boss"].user)
    assert boss.get(url + "&format=xlsx").status_code == 404


def test_a_finalised_month_is_corrected_by_an_explicit_adjustment(october):
    from onedata.attendance import services
    from onedata.attendance.models import AllowanceAdjustment
    from onedata.core.errors import NotAuthorized, ValidationError

    worker, hr = october["worker"], october["hr"]
    with pytest.raises(ValidationError) as caught:  # not finalised: correct the days
        services.allowance_adjust(
            actor=hr, employee=worker, month=MONTH, amount=80_000, reason="Koreksi"
        )
    assert "month" in caught.value.fields
    services.allowance_finalise(actor=hr, office=worker.office, month=MONTH)
    with pytest.raises(NotAuthorized):
        services.allowance_adjust(
            actor=october["boss"].user, employee=worker, month=MONTH, amount=1, reason="x"
        )
    hr_client = login_client(hr)
    response = hr_client.post(
        f"/presensi/sdm/kantor/{worker.office_id}/penyesuaian/?month=2026-10",
        {"employee": worker.pk, "amount": "80000", "reason": "Dinas luar 5 Okt belum dicatat"},
    )
    assert response.status_code == 302
    adjustment = AllowanceAdjustment.objects.get()
    assert (adjustment.amount, adjustment.month) == (80_000, MONTH)
    assert AuditEvent.objects.filter(action="attendance.allowance.adjust").exists()
    page = hr_client.get(f"/presensi/sdm/kantor/{worker.office_id}/laporan/?month=2026-10")
    assert "Dinas luar 5 Okt belum dicatat" in page.content.decode()
    book = load_workbook(
        io.BytesIO(
            hr_client.get(
                f"/presensi/sdm/kantor/{worker.office_id}/laporan/?month=2026-10&format=xlsx"
            ).content
        )
    )
    rows = list(book["Penyesuaian"].iter_rows(min_row=2, values_only=True))
    assert rows[0][1:4] == ("Luh Pegawai", 80_000, "Dinas luar 5 Okt belum dicatat")
