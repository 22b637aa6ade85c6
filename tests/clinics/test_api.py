"""The clinic queue API: what a citizen's app and a clinic's system see."""

from datetime import timedelta

import pytest

from onedata.clinics import services
from onedata.clinics.models import Booking, Closure
from onedata.core.models import Membership
from onedata.core.roles import Role
from tests.clinics.factories import make_clinic, unique_nik
from tests.conftest import make_user

URL = "/api/v1/clinics/bookings"


@pytest.fixture
def clinics(regions):
    return {
        "densel": make_clinic("puskesmas-densel-1", lat=-8.6846, lon=115.2306, quota_online=2),
        "ubud": make_clinic("puskesmas-ubud-1", region_code="51.04.05", lat=-8.5069, lon=115.2625),
    }


@pytest.fixture
def tomorrow():
    return services.today_wita() + timedelta(days=1)


def body(clinic, day, n=1, **extra):
    return {
        "clinic_id": clinic.pk,
        "service": "general",
        "date": day.isoformat(),
        "nik": unique_nik(n),
        "name": "Ni Luh Ayu",
        "phone": "081234567890",
        **extra,
    }


def post(client, data, **headers):
    return client.post(URL, data, content_type="application/json", **headers)


def test_the_list_ranks_the_nearest_clinic_first_from_sanur(client, clinics):
    answer = client.get("/api/v1/clinics/?service=general&near=-8.6880,115.2620").json()
    assert [c["name"] for c in answer] == ["Puskesmas Densel 1", "Puskesmas Ubud 1"]
    first = answer[0]
    assert first["rank"] == 1 and first["distance_km"] < 5
    assert first["services"][0]["kind"] == "general"
    assert first["total_minutes"] == pytest.approx(first["travel_minutes"], abs=0.1)


def test_the_list_filters_by_regency(client, clinics):
    answer = client.get("/api/v1/clinics/?regency=51.04").json()
    assert [c["name"] for c in answer] == ["Puskesmas Ubud 1"]
    assert answer[0]["regency"] == "Kabupaten Gianyar"


def test_a_malformed_location_or_service_names_the_field(client, clinics):
    answer = client.get("/api/v1/clinics/?near=somewhere")
    assert answer.status_code == 422 and "near" in answer.json()["error"]["fields"]
    answer = client.get("/api/v1/clinics/?service=massage")
    assert answer.status_code == 422 and "service" in answer.json()["error"]["fields"]


def test_booking_answers_201_with_code_number_and_time(client, clinics, tomorrow):
    answer = post(client, body(clinics["densel"], tomorrow))
    assert answer.status_code == 201
    data = answer.json()
    assert data["queue_number"] == 1 and data["ticket"] == "G-001"
    assert data["status"] == "booked" and len(data["code"]) == 8
    detail = client.get(f"{URL}/{data['code']}").json()
    assert detail["nik_masked"] == "5171********0001"
    assert detail["people_ahead"] == 0


def test_booking_refusals_carry_clear_codes(client, clinics, tomorrow):
    densel = clinics["densel"]
    assert post(client, body(densel, tomorrow, 1)).status_code == 201
    duplicate = post(client, body(densel, tomorrow, 1))
    assert duplicate.status_code == 409
    assert duplicate.json()["error"]["code"] == "duplicate_booking"
    assert post(client, body(densel, tomorrow, 2)).status_code == 201
    full = post(client, body(densel, tomorrow, 3))
    assert full.status_code == 409 and full.json()["error"]["code"] == "quota_full"
    Closure.objects.create(clinic=densel, date=tomorrow + timedelta(days=1), reason="Galungan")
    closed = post(client, body(densel, tomorrow + timedelta(days=1), 4))
    assert closed.status_code == 409 and closed.json()["error"]["code"] == "closed"


def test_bad_fields_answer_422_naming_each(client, clinics, tomorrow):
    answer = post(client, body(clinics["densel"], tomorrow, nik="123", phone="x", bpjs_number="1"))
    assert answer.status_code == 422
    assert set(answer.json()["error"]["fields"]) == {"nik", "phone", "bpjs_number"}
    past = post(client, body(clinics["densel"], tomorrow - timedelta(days=2)))
    assert past.status_code == 422 and "date" in past.json()["error"]["fields"]
    nowhere = post(client, {**body(clinics["densel"], tomorrow), "clinic_id": 999999})
    assert nowhere.status_code == 422 and "clinic_id" in nowhere.json()["error"]["fields"]


def test_the_same_idempotency_key_answers_200_with_the_first_booking(client, clinics, tomorrow):
    first = post(client, body(clinics["densel"], tomorrow), HTTP_IDEMPOTENCY_KEY="k-1")
    again = post(client, body(clinics["densel"], tomorrow), HTTP_IDEMPOTENCY_KEY="k-1")
    assert (first.status_code, again.status_code) == (201, 200)
    assert first.json()["code"] == again.json()["code"]
    other = post(client, body(clinics["densel"], tomorrow, 2), HTTP_IDEMPOTENCY_KEY="k-1")
    assert other.status_code == 409


def test_cancelling_frees_the_place_for_the_next_booking(client, clinics, tomorrow):
    # The quota is 2: after a cancellation a third person gets a number. Number 1 had a
    # later number (2), so it is not handed out again: the newcomer gets 3, behind 2.
    code = post(client, body(clinics["densel"], tomorrow, 1)).json()["code"]
    post(client, body(clinics["densel"], tomorrow, 2))
    assert post(client, body(clinics["densel"], tomorrow, 4)).json()["error"]["code"] == (
        "quota_full"
    )
    cancelled = client.post(f"{URL}/{code}/cancel")
    assert cancelled.status_code == 200 and cancelled.json()["status"] == "cancelled"
    again = post(client, body(clinics["densel"], tomorrow, 3))
    assert again.status_code == 201 and again.json()["queue_number"] == 3
    assert client.post(f"{URL}/{code}/cancel").status_code == 409


def test_availability_shows_sessions_and_remaining_numbers(client, clinics, tomorrow):
    post(client, body(clinics["densel"], tomorrow))
    url = f"/api/v1/clinics/{clinics['densel'].pk}/availability?service=general&date={tomorrow}"
    answer = client.get(url).json()
    assert answer["remaining"] == 1
    assert answer["sessions"][0]["remaining_online"] == 1
    far = tomorrow + timedelta(days=30)
    url = f"/api/v1/clinics/{clinics['densel'].pk}/availability?service=general&date={far}"
    assert client.get(url).status_code == 422


def test_staff_call_next_and_the_queue_shows_it(client, client_for, clinics):
    densel = clinics["densel"]
    service = densel.services.get()
    services.walkin_issue(actor=None, service=service)
    staff = make_user("perawat", Role.CLINIC_STAFF, densel.agency)
    outsider = make_user("perawat.ubud", Role.CLINIC_STAFF, clinics["ubud"].agency)
    url = f"/api/v1/clinics/{densel.pk}/call-next"
    refused = client_for(outsider).post(
        url, {"service": "general", "desk": "3"}, content_type="application/json"
    )
    assert refused.status_code == 403
    called = client_for(staff).post(
        url, {"service": "general", "desk": "3"}, content_type="application/json"
    )
    assert called.json()["booking"]["status"] == "called"
    queue = client.get(f"/api/v1/clinics/{densel.pk}/queue").json()
    assert queue["services"][0]["called"] == [{"ticket": "G-001", "desk": "3"}]
    assert Membership.objects.filter(user=staff).count() == 1


def test_staff_steps_through_a_visit_by_code(client_for, clinics):
    densel = clinics["densel"]
    booking = services.walkin_issue(actor=None, service=densel.services.get())
    staff = make_user("perawat", Role.CLINIC_STAFF, densel.agency)
    for step in ("call", "start", "finish"):
        answer = client_for(staff).post(
            f"{URL}/{booking.code}/steps", {"step": step}, content_type="application/json"
        )
        assert answer.status_code == 200, answer.json()
    booking.refresh_from_db()
    assert booking.status == Booking.Status.DONE
    wrong = client_for(staff).post(
        f"{URL}/{booking.code}/steps", {"step": "start"}, content_type="application/json"
    )
    assert wrong.status_code == 409 and wrong.json()["error"]["code"] == "wrong_status"
