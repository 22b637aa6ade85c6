"""Clinic staff change the timetable: settings, opening hours, sessions and quotas,
closures. Through the services, the API and the page; every change is audited."""

from datetime import date, time, timedelta

import pytest

from onedata.clinics import services, timetable
from onedata.clinics.models import Closure, Service, Session
from onedata.core.errors import Conflict, ValidationError
from onedata.core.models import AuditEvent
from onedata.core.roles import Role
from tests.clinics.factories import book, make_clinic, wita
from tests.conftest import make_user

DAY = date(2026, 12, 7)  # a Monday
EARLY = wita(DAY, 6)
API = "/api/v1/clinics"


@pytest.fixture
def clinic(regions):
    return make_clinic(quota_online=2)


@pytest.fixture
def staff(clinic):
    return make_user("petugas", Role.CLINIC_STAFF, clinic.agency)


def session_input(**changes):
    fields = {
        "starts_at": time(8),
        "ends_at": time(12),
        "quota_online": 5,
        "quota_walkin": 3,
        "quota_jkn": None,
    }
    fields.update(changes)
    return timetable.SessionInput(**fields)


# --- services ------------------------------------------------------------------------------


def test_raising_the_quota_lets_more_people_book_and_is_audited(clinic, staff):
    book(clinic, DAY, 1, EARLY)
    book(clinic, DAY, 2, EARLY)
    with pytest.raises(services.QuotaFull):
        book(clinic, DAY, 3, EARLY)
    session = Session.objects.get(service__clinic=clinic, weekday=DAY.weekday())
    timetable.session_update(actor=staff, session=session, data=session_input(quota_online=3))
    assert book(clinic, DAY, 3, EARLY).queue_number == 3
    event = AuditEvent.objects.get(action="clinics.session.update")
    assert event.before["quota_online"] == 2 and event.after["quota_online"] == 3
    assert event.actor == staff


def test_every_bad_session_field_is_named_at_once(clinic, staff):
    service = clinic.services.get()
    with pytest.raises(ValidationError) as caught:
        timetable.session_create(
            actor=staff,
            service=service,
            weekdays=[],
            data=session_input(ends_at=time(7), quota_online=None, quota_walkin=-1),
        )
    assert set(caught.value.fields) == {"ends_at", "quota_online", "quota_walkin", "weekdays"}


def test_the_jkn_share_cannot_exceed_the_online_quota(clinic, staff):
    session = Session.objects.filter(service__clinic=clinic).first()
    with pytest.raises(ValidationError) as caught:
        timetable.session_update(
            actor=staff, session=session, data=session_input(quota_online=4, quota_jkn=5)
        )
    assert set(caught.value.fields) == {"quota_jkn"}


def test_an_afternoon_session_is_added_on_chosen_days_but_not_over_another(clinic, staff):
    service = clinic.services.get()
    created = timetable.session_create(
        actor=staff,
        service=service,
        weekdays=[0, 2],
        data=session_input(starts_at=time(14), ends_at=time(16)),
    )
    assert [s.weekday for s in created] == [0, 2]
    assert AuditEvent.objects.filter(action="clinics.session.create").count() == 2
    with pytest.raises(ValidationError) as caught:
        timetable.session_create(
            actor=staff,
            service=service,
            weekdays=[1, 2],
            data=session_input(starts_at=time(15), ends_at=time(17)),
        )
    assert caught.value.fields["weekdays"][0].endswith(("Rabu.", "Wednesday."))


def test_a_session_with_bookings_cannot_be_removed_one_without_can(clinic, staff):
    booking = book(clinic, DAY, 1, EARLY)
    with pytest.raises(Conflict):
        timetable.session_delete(actor=staff, session=booking.session)
    spare = Session.objects.filter(service__clinic=clinic).exclude(pk=booking.session_id).first()
    timetable.session_delete(actor=staff, session=spare)
    assert not Session.objects.filter(pk=spare.pk).exists()
    assert AuditEvent.objects.filter(action="clinics.session.delete").exists()


def test_a_closure_stops_bookings_and_counts_the_people_already_booked(clinic, staff):
    book(clinic, DAY, 1, EARLY)
    closure, touched = timetable.closure_create(
        actor=staff, clinic=clinic, day=DAY, reason="Galungan", today=DAY - timedelta(days=1)
    )
    assert touched == 1
    with pytest.raises(services.Closed):
        book(clinic, DAY, 2, EARLY)
    timetable.closure_delete(actor=staff, closure=closure)
    assert book(clinic, DAY, 2, EARLY).queue_number == 2
    actions = set(AuditEvent.objects.values_list("action", flat=True))
    assert {"clinics.closure.create", "clinics.closure.delete"} <= actions


def test_a_closure_needs_a_future_date_and_a_reason(clinic, staff):
    with pytest.raises(ValidationError) as caught:
        timetable.closure_create(
            actor=staff, clinic=clinic, day=DAY, reason=" ", today=DAY + timedelta(days=1)
        )
    assert set(caught.value.fields) == {"date", "reason"}


def test_opening_hours_are_replaced_and_a_half_filled_day_is_refused(clinic, staff):
    timetable.clinic_hours_set(
        actor=staff, clinic=clinic, hours={0: (time(7, 30), time(14)), 5: (time(8), time(12))}
    )
    assert [(h.weekday, h.opens_at) for h in clinic.hours.all()] == [(0, time(7, 30)), (5, time(8))]
    with pytest.raises(ValidationError) as caught:
        timetable.clinic_hours_set(
            actor=staff, clinic=clinic, hours={1: (time(8), None), 2: (time(12), time(8))}
        )
    assert set(caught.value.fields) == {"hours_1", "hours_2"}
    assert clinic.hours.count() == 2  # nothing changed
    assert AuditEvent.objects.filter(action="clinics.hours.update").count() == 1


def test_the_booking_window_is_changed_within_limits(clinic, staff):
    timetable.clinic_update(
        actor=staff, clinic=clinic, booking_days_ahead=14, booking_cutoff_minutes=0, is_active=True
    )
    clinic.refresh_from_db()
    assert clinic.booking_days_ahead == 14
    with pytest.raises(ValidationError):
        timetable.clinic_update(
            actor=staff,
            clinic=clinic,
            booking_days_ahead=91,
            booking_cutoff_minutes=0,
            is_active=True,
        )


# --- API -----------------------------------------------------------------------------------


def test_staff_change_a_quota_through_the_api(client, clinic, staff):
    client.force_login(staff)
    session = Session.objects.filter(service__clinic=clinic).first()
    body = {"starts_at": "08:00", "ends_at": "11:00", "quota_online": 40, "quota_walkin": 10}
    answer = client.put(
        f"{API}/{clinic.pk}/sessions/{session.pk}", body, content_type="application/json"
    )
    assert answer.status_code == 200, answer.content
    assert answer.json()["quota_online"] == 40
    session.refresh_from_db()
    assert session.ends_at == time(11)
    bad = client.put(
        f"{API}/{clinic.pk}/sessions/{session.pk}",
        {**body, "ends_at": "07:00"},
        content_type="application/json",
    )
    assert bad.status_code == 422 and "ends_at" in bad.json()["error"]["fields"]


def test_the_api_adds_sessions_and_closures_and_shows_the_timetable(client, clinic, staff):
    client.force_login(staff)
    created = client.post(
        f"{API}/{clinic.pk}/sessions",
        {
            "service": "general",
            "weekdays": [5],
            "starts_at": "13:00",
            "ends_at": "15:00",
            "quota_online": 5,
            "quota_walkin": 5,
        },
        content_type="application/json",
    )
    assert created.status_code == 201 and created.json()[0]["weekday"] == 5
    tomorrow = services.today_wita() + timedelta(days=1)
    closed = client.post(
        f"{API}/{clinic.pk}/closures",
        {"date": tomorrow.isoformat(), "reason": "Nyepi"},
        content_type="application/json",
    )
    assert closed.status_code == 201 and closed.json()["bookings_that_day"] == 0
    shown = client.get(f"{API}/{clinic.pk}/timetable").json()
    assert len(shown["services"][0]["sessions"]) == 8
    assert shown["closures"][0]["reason"] == "Nyepi"
    gone = client.delete(f"{API}/{clinic.pk}/closures/{closed.json()['id']}")
    assert gone.status_code == 204 and not Closure.objects.exists()


def test_staff_of_another_clinic_may_not_change_the_timetable(client, clinic, regions):
    other = make_clinic("puskesmas-ubud-1", region_code="51.04.05")
    stranger = make_user("petugas.ubud", Role.CLINIC_STAFF, other.agency)
    client.force_login(stranger)
    answer = client.put(f"{API}/{clinic.pk}/hours", {"hours": []}, content_type="application/json")
    assert answer.status_code == 403
    assert client.get(f"/antrean/petugas/{clinic.pk}/jadwal/").status_code == 403


# --- page ----------------------------------------------------------------------------------


def test_the_page_saves_a_quota_and_keeps_what_was_typed_on_a_mistake(client, clinic, staff):
    client.force_login(staff)
    url = f"/antrean/petugas/{clinic.pk}/jadwal/"
    page = client.get(url)
    assert page.status_code == 200
    assert "Sessions and quotas" in page.content.decode() or "Sesi" in page.content.decode()
    session = Session.objects.filter(service__clinic=clinic).order_by("weekday").first()
    prefix = f"s{session.pk}"
    fields = {
        "form": "session",
        "session": session.pk,
        f"{prefix}-starts_at": "08:00",
        f"{prefix}-ends_at": "12:00",
        f"{prefix}-quota_online": "25",
        f"{prefix}-quota_walkin": "7",
        f"{prefix}-quota_jkn": "30",
    }
    again = client.post(url, fields)
    assert again.status_code == 400
    assert 'value="30"' in again.content.decode()
    session.refresh_from_db()
    assert session.quota_online == 2
    fields[f"{prefix}-quota_jkn"] = "10"
    saved = client.post(url, fields)
    assert saved.status_code == 302
    session.refresh_from_db()
    assert (session.quota_online, session.quota_walkin, session.quota_jkn) == (25, 7, 10)


def test_the_page_adds_a_session_for_several_days_and_closes_a_day(client, clinic, staff):
    client.force_login(staff)
    url = f"/antrean/petugas/{clinic.pk}/jadwal/"
    service = clinic.services.get()
    added = client.post(
        url,
        {
            "form": "session_add",
            "new-service": service.pk,
            "new-weekdays": ["0", "1"],
            "new-starts_at": "14:00",
            "new-ends_at": "16:00",
            "new-quota_online": "5",
            "new-quota_walkin": "5",
        },
    )
    assert added.status_code == 302
    assert service.sessions.filter(starts_at=time(14)).count() == 2
    tomorrow = services.today_wita() + timedelta(days=1)
    closed = client.post(
        url, {"form": "closure", "date": tomorrow.isoformat(), "service": "", "reason": "Kuningan"}
    )
    assert closed.status_code == 302
    assert Closure.objects.get().reason == "Kuningan"
    refused = client.post(url, {"form": "closure", "date": "", "reason": "x"})
    assert refused.status_code == 400


def test_the_console_links_to_the_timetable(client, clinic, staff):
    client.force_login(staff)
    page = client.get(f"/antrean/petugas/{clinic.pk}/").content.decode()
    assert f"/antrean/petugas/{clinic.pk}/jadwal/" in page
    assert Service.objects.count() == 1
