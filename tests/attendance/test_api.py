"""The attendance API: check-in answers, errors naming the field, who sees what."""

from datetime import date

import pytest

from onedata.attendance import services
from tests.attendance.conftest import RENON, blank_photo, photo
from tests.conftest import login_client

pytestmark = pytest.mark.django_db
API = "/api/v1/attendance"


@pytest.fixture
def enrolled(staff):
    services.enrolment_create(
        actor=staff["hr"], employee=staff["worker"], photo=photo("obama_1.jpg")
    )
    return staff


def test_check_in_answers_status_reasons_and_distances(enrolled):
    client = login_client(enrolled["worker"].user)
    response = client.post(
        f"{API}/checkins",
        {
            "photo": photo("obama_2.jpg"),
            "kind": "in",
            "lat": RENON[0],
            "lon": RENON[1],
            "accuracy_m": 8,
        },
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["status"] == "accepted" and body["reasons"] == []
    assert body["inside_geofence"] is True and body["office_location"] == "Niti Mandala Renon"
    assert body["face_distance"] < 0.6 and body["recorded_at"]


def test_a_different_face_is_answered_rejected_with_the_reason(enrolled):
    client = login_client(enrolled["worker"].user)
    body = client.post(
        f"{API}/checkins",
        {"photo": photo("biden_2.jpg"), "kind": "in", "lat": RENON[0], "lon": RENON[1]},
    ).json()
    assert body["status"] == "rejected" and body["reasons"] == ["face_mismatch"]
    assert body["messages"][0]


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"kind": "in", "lat": 200, "lon": RENON[1]}, "lat"),
        ({"kind": "sideways", "lat": RENON[0], "lon": RENON[1]}, "kind"),
        ({"kind": "out", "lat": RENON[0], "lon": RENON[1]}, "kind"),
    ],
)
def test_bad_check_in_input_names_the_field(enrolled, data, field):
    client = login_client(enrolled["worker"].user)
    response = client.post(f"{API}/checkins", {"photo": photo("obama_2.jpg"), **data})
    assert response.status_code == 422
    # Ninja's own type checks answer "form.kind" (core's handler strips only "body").
    fields = response.json()["error"]["fields"]
    assert field in fields or f"form.{field}" in fields


def test_no_face_and_wrong_file_type_name_the_photo(enrolled):
    from django.core.files.uploadedfile import SimpleUploadedFile

    client = login_client(enrolled["worker"].user)
    base = {"kind": "in", "lat": RENON[0], "lon": RENON[1]}
    response = client.post(f"{API}/checkins", {"photo": blank_photo(), **base})
    assert response.status_code == 422 and "photo" in response.json()["error"]["fields"]
    text = SimpleUploadedFile("x.jpg", b"GIF89a not really", content_type="image/jpeg")
    response = client.post(f"{API}/checkins", {"photo": text, **base})
    assert response.status_code == 422 and "photo" in response.json()["error"]["fields"]


def test_an_employee_sees_only_their_own_days(staff):
    worker, other = staff["worker"], staff["other"]
    client = login_client(other.user)
    assert client.get(f"{API}/days?month=2026-11").status_code == 200
    assert client.get(f"{API}/days?employee={worker.pk}&month=2026-11").status_code == 404
    boss = login_client(staff["boss"].user)
    days = boss.get(f"{API}/days?employee={worker.pk}&month=2026-11").json()
    assert len(days) == 30 and days[0]["date"] == "2026-11-01"
    assert boss.get(f"{API}/days?employee={other.pk}&month=2026-11").status_code == 404


def test_leave_request_and_decision_through_the_api(staff, annual):
    worker = login_client(staff["worker"].user)
    response = worker.post(
        f"{API}/leave-requests",
        {"leave_type": "annual", "start": "2026-03-16", "end": "2026-03-17", "reason": "Odalan"},
        content_type="application/json",
    )
    assert response.status_code == 201, response.content
    leave = response.json()
    assert leave["days"] == "2" and leave["status"] == "pending"
    boss = login_client(staff["boss"].user)
    decided = boss.post(
        f"{API}/leave-requests/{leave['id']}/decision",
        {"approve": True},
        content_type="application/json",
    )
    assert decided.json()["status"] == "verified"  # the supervisor's stage; HR decides next
    again = boss.post(
        f"{API}/leave-requests/{leave['id']}/decision",
        {"approve": True},
        content_type="application/json",
    )
    assert again.status_code == 409
    hr = login_client(staff["hr"])
    final = hr.post(
        f"{API}/leave-requests/{leave['id']}/decision",
        {"approve": True, "note": "OK"},
        content_type="application/json",
    )
    assert final.status_code == 200 and final.json()["status"] == "approved"
    assert final.json()["decision_note"] == "OK"


def test_allowances_of_an_office_for_hr_only(staff):
    office = staff["worker"].office
    hr = login_client(staff["hr"])
    rows = hr.get(f"{API}/allowances?office={office.pk}&month=2026-11").json()
    worker_row = next(r for r in rows if r["employee"] == staff["worker"].pk)
    # November 2026 has 21 working days, all absent: 21 x 4 % = 84 % of 2,000,000.
    assert worker_row["deduction"] == 1_680_000 and worker_row["paid"] == 3_320_000
    assert len(worker_row["deductions"]) == 21
    assert (
        login_client(staff["boss"].user).get(f"{API}/allowances?office={office.pk}").status_code
        == 404
    )
    assert date(2026, 11, 1)
