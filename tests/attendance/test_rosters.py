"""Roster import: list and grid files, CSV and XLSX, every kind of bad row, both modes,
the background job with its progress, the template, the API."""

import io
from datetime import date, datetime, time

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from onedata.attendance import rosters
from onedata.attendance.models import (
    AllowanceMonth,
    Employee,
    Office,
    RosterImport,
    Schedule,
    ShiftAssignment,
)
from onedata.core.errors import NotAuthorized, ValidationError
from onedata.core.models import AuditEvent
from onedata.core.roles import Role
from tests.conftest import login_client, make_user

pytestmark = pytest.mark.django_db
API = "/api/v1/attendance"
WORKER_NIP = "199002142015032001"
BOSS_NIP = "197001011995031001"


@pytest.fixture
def shifts(db):
    return {
        "P": Schedule.objects.create(name="Pagi", code="P", start=time(7), end=time(14)),
        "S": Schedule.objects.create(name="Siang", code="S", start=time(14), end=time(21)),
        "M": Schedule.objects.create(
            name="Malam", code="M", start=time(21), end=time(7), works_on_holidays=True
        ),
        "PG": Schedule.objects.create(name="Pagi awal", code="PG", start=time(6), end=time(13)),
    }


@pytest.fixture
def elsewhere(agencies):
    office = Office.objects.create(agency=agencies["gianyar"], name="RSUD Sanjiwani")
    user = make_user("perawat.gianyar", Role.EMPLOYEE, agencies["gianyar"])
    return Employee.objects.create(
        user=user, office=office, name="Perawat Gianyar", nip="198801012010012001"
    )


def _csv(lines: list[str], name="jadwal.csv") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, ("\n".join(lines) + "\n").encode(), content_type="text/csv")


def _xlsx(rows: list[list]) -> SimpleUploadedFile:
    book = openpyxl.Workbook()
    for row in rows:
        book.active.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return SimpleUploadedFile(
        "jadwal.xlsx",
        buffer.getvalue(),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )


def _roster(employee) -> dict:
    return {
        a.date: (a.schedule.code if a.schedule else "L")
        for a in ShiftAssignment.objects.filter(employee=employee).select_related("schedule")
    }


def test_a_list_file_sets_the_roster_with_an_audit_event(staff, shifts):
    report = rosters.roster_import(
        actor=staff["hr"],
        office=staff["worker"].office,
        upload=_csv(
            [
                "nip,tanggal,kode_shift",
                f"{WORKER_NIP},2026-03-02,P",
                f"{WORKER_NIP},2026-03-03,m",
                f"{WORKER_NIP},04/03/2026,L",
                f"{BOSS_NIP},2026-03-02,Siang",
            ]
        ),
    )
    assert report.ok and report.saved == 4
    assert _roster(staff["worker"]) == {
        date(2026, 3, 2): "P",
        date(2026, 3, 3): "M",
        date(2026, 3, 4): "L",
    }
    event = AuditEvent.objects.get(action="attendance.roster.import")
    assert event.after["days"] == 4 and event.after["employees"] == 2


def test_every_kind_of_bad_row_is_reported_and_nothing_is_written(staff, shifts, elsewhere):
    office = staff["worker"].office
    AllowanceMonth.objects.create(office=office, month=date(2026, 2, 1))
    ShiftAssignment.objects.create(employee=staff["boss"], date=date(2026, 3, 9), schedule=None)
    report = rosters.roster_import(
        actor=staff["hr"],
        office=office,
        upload=_csv(
            [
                "nip,tanggal,kode_shift",
                f"{WORKER_NIP},2026-03-02,P",  # 2: fine
                "199912312020121999,2026-03-02,P",  # 3: unknown NIP
                f"{elsewhere.nip},2026-03-02,P",  # 4: another office
                f"{WORKER_NIP},2026-03-05,Z",  # 5: unknown shift
                f"{WORKER_NIP},2026-02-27,P",  # 6: finalised month
                f"{WORKER_NIP},2026-03-02,S",  # 7: same day as row 2
                f"{BOSS_NIP},2026-03-10,M",  # 8: night until 07:00 on the 11th...
                f"{BOSS_NIP},2026-03-11,PG",  # 9: ...and an early shift from 06:00
                f"{WORKER_NIP},2026-13-01,P",  # 10: not a date
            ]
        ),
    )
    by_row = {p.row: p for p in report.errors}
    assert set(by_row) == {3, 4, 5, 6, 7, 8, 9, 10}
    assert "No employee has this NIP" in by_row[3].message
    assert "another office (RSUD Sanjiwani)" in by_row[4].message
    assert "Unknown shift code Z" in by_row[5].message and "M, P, PG, S" in by_row[5].message
    assert "finalised" in by_row[6].message
    assert "row 2" in by_row[7].message
    assert "Overlaps" in by_row[9].message and "2026-03-10" in by_row[9].message
    assert report.saved == 0
    assert not ShiftAssignment.objects.filter(employee=staff["worker"]).exists()


def test_valid_rows_only_writes_the_good_rows_and_counts_the_skipped(staff, shifts):
    report = rosters.roster_import(
        actor=staff["hr"],
        office=staff["worker"].office,
        mode="valid",
        upload=_csv(
            [
                "nip,tanggal,kode_shift",
                f"{WORKER_NIP},2026-03-02,P",
                f"{WORKER_NIP},2026-03-03,Z",
                f"{WORKER_NIP},2026-03-04,S",
            ]
        ),
    )
    assert [p.row for p in report.errors] == [3]
    assert report.saved == 2 and report.skipped == 1
    assert _roster(staff["worker"]) == {date(2026, 3, 2): "P", date(2026, 3, 4): "S"}


def test_an_overlap_with_the_stored_roster_is_found(staff, shifts):
    ShiftAssignment.objects.create(
        employee=staff["worker"], date=date(2026, 3, 1), schedule=shifts["M"]
    )
    report = rosters.roster_import(
        actor=staff["hr"],
        office=staff["worker"].office,
        upload=_csv(["nip,tanggal,kode_shift", f"{WORKER_NIP},2026-03-02,PG"]),
    )
    assert len(report.errors) == 1 and "Malam" not in report.errors[0].message
    assert "M shift of 2026-03-01" in report.errors[0].message
    # Morning 07:00 right after a night ending 07:00 is fine (touching, not overlapping).
    fine = rosters.roster_import(
        actor=staff["hr"],
        office=staff["worker"].office,
        upload=_csv(["nip,tanggal,kode_shift", f"{WORKER_NIP},2026-03-02,P"]),
    )
    assert fine.ok


def test_a_month_grid_of_day_numbers_needs_the_month(staff, shifts):
    office = staff["worker"].office
    lines = ["nip,nama,1,2,3", f"{WORKER_NIP},Luh,P,,M", f"{BOSS_NIP},Made,L,S,"]
    with pytest.raises(ValidationError) as caught:
        rosters.roster_import(actor=staff["hr"], office=office, upload=_csv(lines))
    assert "month" in caught.value.fields
    report = rosters.roster_import(
        actor=staff["hr"], office=office, upload=_csv(lines), month=date(2026, 4, 1)
    )
    assert report.ok and report.saved == 4  # empty cells change nothing
    assert _roster(staff["worker"]) == {date(2026, 4, 1): "P", date(2026, 4, 3): "M"}


def test_an_xlsx_week_grid_with_real_dates_and_a_bad_nip_row(staff, shifts):
    rows = [
        ["NIP", "Nama", datetime(2026, 3, 2), datetime(2026, 3, 3)],
        [WORKER_NIP, "Luh", "S", "S"],
        ["123", "Salah", "P", "P"],
    ]
    report = rosters.roster_import(
        actor=staff["hr"], office=staff["worker"].office, upload=_xlsx(rows), mode="valid"
    )
    # The bad NIP is said once for its row, not once per day.
    assert [(p.row, p.column) for p in report.errors] == [(3, "nip")]
    assert report.saved == 2 and report.skipped == 2


def test_only_hr_of_the_office_may_import(staff, shifts, agencies):
    outsider = make_user("sdm.gianyar", Role.HR_ADMIN, agencies["gianyar"])
    with pytest.raises(NotAuthorized):
        rosters.roster_import(
            actor=outsider,
            office=staff["worker"].office,
            upload=_csv(["nip,tanggal,kode_shift", f"{WORKER_NIP},2026-03-02,P"]),
        )
    url = f"/presensi/sdm/kantor/{staff['worker'].office.pk}/jadwal-dinas/"
    assert login_client(outsider).get(url).status_code == 404
    assert login_client(staff["worker"].user).get(url).status_code == 404


def test_the_page_runs_the_import_in_the_background_with_progress(
    staff, shifts, django_capture_on_commit_callbacks
):
    office = staff["worker"].office
    hr = login_client(staff["hr"])
    page = hr.get(f"/presensi/sdm/kantor/{office.pk}/jadwal-dinas/").content.decode()
    assert 'value="all"' in page and 'value="valid"' in page and "templat" in page
    with django_capture_on_commit_callbacks(execute=True):
        response = hr.post(
            f"/presensi/sdm/kantor/{office.pk}/jadwal-dinas/",
            {
                "file": _csv(
                    ["nip,tanggal,kode_shift", f"{WORKER_NIP},2026-03-02,P", "1,2026-03-02,P"]
                ),
                "mode": "all",
            },
        )
    job = RosterImport.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/presensi/sdm/kantor/{office.pk}/jadwal-dinas/{job.pk}/"
    assert job.status == RosterImport.Status.FAILED and job.percent == 100
    assert [e["row"] for e in job.errors] == [3]
    result = hr.get(response["Location"]).content.decode()
    assert "error-summary" in result and "hx-trigger" not in result
    assert not ShiftAssignment.objects.exists()


def test_progress_is_polled_until_the_job_is_done(staff, shifts):
    office = staff["worker"].office
    hr = login_client(staff["hr"])
    response = hr.post(  # commit hooks not run: the job stays queued
        f"/presensi/sdm/kantor/{office.pk}/jadwal-dinas/",
        {"file": _csv(["nip,tanggal,kode_shift", f"{WORKER_NIP},2026-03-02,P"]), "mode": "all"},
    )
    job = RosterImport.objects.get()
    fragment = hr.get(response["Location"], headers={"HX-Request": "true"}).content.decode()
    assert 'hx-trigger="every 1s"' in fragment and "<progress" in fragment
    rosters.roster_import_run(job_id=job.pk)
    rosters.roster_import_run(job_id=job.pk)  # a second delivery of the task does nothing
    job.refresh_from_db()
    assert job.status == RosterImport.Status.DONE and job.saved == 1
    assert ShiftAssignment.objects.count() == 1


def test_a_wrong_file_type_is_refused_on_the_form(staff, shifts):
    office = staff["worker"].office
    response = login_client(staff["hr"]).post(
        f"/presensi/sdm/kantor/{office.pk}/jadwal-dinas/",
        {
            "file": SimpleUploadedFile("x.pdf", b"%PDF-1.4 nope", content_type="application/pdf"),
            "mode": "all",
        },
    )
    assert response.status_code == 422 and 'id="id_file-error"' in response.content.decode()


def test_templates_list_the_offices_employees(staff, shifts):
    office = staff["worker"].office
    hr = login_client(staff["hr"])
    grid = hr.get(
        f"/presensi/sdm/kantor/{office.pk}/jadwal-dinas/templat/?layout=grid&month=2026-02"
    )
    body = grid.content.decode("utf-8-sig")
    assert grid["Content-Type"].startswith("text/csv")
    header = body.splitlines()[0].split(",")
    assert header[:3] == ["nip", "nama", "2026-02-01"] and len(header) == 2 + 28
    assert WORKER_NIP in body
    listed = hr.get(f"/presensi/sdm/kantor/{office.pk}/jadwal-dinas/templat/?layout=list")
    assert listed.content.decode("utf-8-sig").startswith("nip,tanggal,kode_shift")
    # The list template imports as it is.
    back = rosters.roster_import(
        actor=staff["hr"],
        office=office,
        upload=SimpleUploadedFile("t.csv", listed.content, content_type="text/csv"),
    )
    assert back.ok


def test_roster_import_api(staff, shifts, django_capture_on_commit_callbacks):
    office = staff["worker"].office
    hr = login_client(staff["hr"])
    with django_capture_on_commit_callbacks(execute=True):
        response = hr.post(
            f"{API}/offices/{office.pk}/roster-imports",
            {
                "file": _csv(["nip,tanggal,kode_shift", f"{WORKER_NIP},2026-03-02,Z"]),
                "mode": "valid",
            },
        )
    assert response.status_code == 202, response.content
    job_id = response.json()["id"]
    detail = hr.get(f"{API}/offices/{office.pk}/roster-imports/{job_id}").json()
    assert detail["status"] == "done" and detail["skipped"] == 1
    assert detail["errors"][0]["column"] == "kode_shift"
    worker = login_client(staff["worker"].user)
    assert worker.get(f"{API}/offices/{office.pk}/roster-imports/{job_id}").status_code == 404


def test_the_demo_shows_a_roster_import_two_locations_and_reminder_settings():
    from onedata.attendance import demo
    from onedata.attendance.models import OfficeLocation, ReminderPreference
    from onedata.core import demo as core_demo

    core_demo.seed()
    demo.seed()
    demo.seed()  # still idempotent
    job = RosterImport.objects.get()
    assert job.status == RosterImport.Status.DONE and job.saved == 14, job.errors
    office = job.office
    assert OfficeLocation.all_objects.filter(office=office).count() == 2
    assert ReminderPreference.objects.filter(checkout=False).count() == 2
    assert Schedule.objects.filter(code__in=["P", "M"]).count() == 2
