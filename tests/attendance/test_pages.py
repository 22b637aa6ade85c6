"""The pages: employee check-in form, month, leave, TPP; supervisor; HR import."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from onedata.attendance import services
from onedata.attendance.models import Employee, LeaveRequest
from tests.attendance.conftest import RENON, photo
from tests.conftest import login_client

pytestmark = pytest.mark.django_db


def test_check_in_page_has_the_camera_and_the_file_fallback(staff):
    page = login_client(staff["worker"].user).get("/presensi/").content.decode()
    assert 'id="att-video"' in page and 'capture="user"' in page
    assert 'name="lat"' in page and "checkin.js" in page


def test_checking_in_from_the_page_shows_the_answer(staff):
    services.enrolment_create(
        actor=staff["hr"], employee=staff["worker"], photo=photo("obama_1.jpg")
    )
    client = login_client(staff["worker"].user)
    response = client.post(
        "/presensi/",
        {
            "kind": "in",
            "photo": photo("obama_3.jpg"),
            "lat": RENON[0],
            "lon": RENON[1],
            "accuracy_m": "9",
        },
    )
    assert response.status_code == 200
    assert 'id="att-result"' in response.content.decode()


def test_a_check_in_without_location_keeps_the_form_and_says_why(staff):
    services.enrolment_create(
        actor=staff["hr"], employee=staff["worker"], photo=photo("obama_1.jpg")
    )
    client = login_client(staff["worker"].user)
    response = client.post(
        "/presensi/", {"kind": "in", "photo": photo("obama_3.jpg"), "note": "Rapat"}
    )
    assert response.status_code == 422
    assert 'value="Rapat"' in response.content.decode()


def test_month_leave_and_allowance_pages_open_for_the_employee(staff, annual):
    client = login_client(staff["worker"].user)
    for url in (
        "/presensi/bulan/?month=2026-11",
        "/presensi/cuti/",
        "/presensi/tpp/?month=2026-11",
        "/presensi/wajah/",
    ):
        assert client.get(url).status_code == 200, url


def test_leave_form_keeps_what_was_typed_on_error(staff, annual):
    client = login_client(staff["worker"].user)
    response = client.post(
        "/presensi/cuti/",
        {
            "leave_type": annual.pk,
            "start": "2026-04-01",
            "end": "2026-04-30",
            "reason": "Pulang kampung",
        },
    )
    assert response.status_code == 422
    assert "Pulang kampung" in response.content.decode()


def test_the_supervisor_approves_leave_from_the_team_page(staff, annual):
    worker = staff["worker"]
    leave = services.leave_request_create(
        actor=worker.user,
        employee=worker,
        leave_type=annual,
        start=pytest.importorskip("datetime").date(2026, 3, 16),
        end=pytest.importorskip("datetime").date(2026, 3, 16),
        reason="Odalan",
    )
    boss = login_client(staff["boss"].user)
    assert "Luh Pegawai" in boss.get("/presensi/tim/").content.decode()
    boss.post(f"/presensi/cuti/{leave.pk}/keputusan/", {"decision": "approve"})
    leave.refresh_from_db()
    assert leave.status == LeaveRequest.Status.VERIFIED
    hr = login_client(staff["hr"])
    page = hr.get("/presensi/sdm/").content.decode()
    assert f"/presensi/cuti/{leave.pk}/keputusan/" in page and "Luh Pegawai" in page
    response = hr.post(
        f"/presensi/cuti/{leave.pk}/keputusan/",
        {"decision": "approve", "next": "https://evil.example/"},
    )
    assert response.status_code == 302 and response["Location"] == "/presensi/tim/"
    leave.refresh_from_db()
    assert leave.status == LeaveRequest.Status.APPROVED


def _csv(rows: list[str]) -> SimpleUploadedFile:
    text = "nip,nama,email,jabatan,golongan,jenis,nip_atasan,tpp\n" + "\n".join(rows) + "\n"
    return SimpleUploadedFile("pegawai.csv", text.encode(), content_type="text/csv")


def test_import_runs_in_the_background_and_reports_every_bad_row(
    staff, django_capture_on_commit_callbacks
):
    from onedata.attendance.models import ImportJob

    office = staff["worker"].office
    hr = login_client(staff["hr"])
    with django_capture_on_commit_callbacks(execute=True):
        response = hr.post(
            f"/presensi/sdm/kantor/{office.pk}/",
            {
                "file": _csv(
                    [
                        "198503172010011002,Komang,,,,pns,,1000000",
                        "19850317201001100,Kadek,,,,pns,,",
                        ",Putu Kontrak,putu@example.id,,,kontrak,,",
                        "198503172010011002,Dobel,,,,pns,,",
                    ]
                )
            },
        )
    job = ImportJob.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/presensi/sdm/kantor/{office.pk}/impor/{job.pk}/"
    assert job.status == ImportJob.Status.FAILED and job.total == 4 and job.percent == 100
    assert {e["row"] for e in job.errors} == {3, 5}
    page = hr.get(response["Location"]).content.decode()
    assert 'class="error-summary"' in page and "18" in page
    assert "Baris 3, nip" in page and "Baris 5, nip" in page  # the page speaks Indonesian
    assert "hx-trigger" not in page  # finished: no more polling
    assert not Employee.objects.filter(name="Komang").exists()


def test_import_progress_is_polled_until_done(staff, django_capture_on_commit_callbacks):
    from onedata.attendance.models import ImportJob

    office = staff["worker"].office
    hr = login_client(staff["hr"])
    response = hr.post(  # without running the commit hooks, the job stays queued
        f"/presensi/sdm/kantor/{office.pk}/",
        {"file": _csv(["198503172010011002,Komang,,,,pns,,1000000"])},
    )
    job = ImportJob.objects.get()
    fragment = hr.get(response["Location"], headers={"HX-Request": "true"}).content.decode()
    assert 'hx-trigger="every 1s"' in fragment and "<progress" in fragment
    from onedata.attendance import importer

    importer.import_job_run(job_id=job.pk)
    job.refresh_from_db()
    assert job.status == ImportJob.Status.DONE and job.created == 1
    fragment = hr.get(response["Location"], headers={"HX-Request": "true"}).content.decode()
    assert "notice-success" in fragment and "hx-trigger" not in fragment
    assert Employee.objects.get(name="Komang").office == office
    other = login_client(staff["boss"].user)
    assert other.get(response["Location"]).status_code in (403, 404)


def test_a_wrong_file_type_is_refused_before_queueing(staff):
    from onedata.attendance.models import ImportJob

    office = staff["worker"].office
    hr = login_client(staff["hr"])
    response = hr.post(
        f"/presensi/sdm/kantor/{office.pk}/",
        {"file": SimpleUploadedFile("x.pdf", b"%PDF-1.4\n%%EOF\n", content_type="application/pdf")},
    )
    assert response.status_code == 422
    assert not ImportJob.objects.exists()


def test_import_of_many_rows_in_one_go(staff, django_assert_max_num_queries):
    office = staff["worker"].office
    rows = [
        f"19850317201001{1 + i % 2}{i % 999 + 1:03d},Pegawai {i},,,,pns,,2000000"
        for i in range(1000)
    ]
    rows = [
        r.replace("19850317", f"1985{(i // 999) % 12 + 1:02d}17", 1) for i, r in enumerate(rows)
    ]
    from onedata.attendance import importer

    upload = io.BytesIO(_csv(rows).read())
    with django_assert_max_num_queries(60):
        report = importer.employees_import(actor=staff["hr"], office=office, upload=upload)
    assert report.ok, report.errors[:3]
    assert report.created == 1000
