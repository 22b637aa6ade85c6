"""The clinic queue pages: choosing, booking (errors keep what was typed), the ticket,
the staff console, the display board and the statistics."""

from datetime import timedelta

import pytest

from onedata.clinics import services
from onedata.clinics.models import Booking
from onedata.core.roles import Role
from tests.clinics.factories import make_clinic, unique_nik
from tests.conftest import make_user


@pytest.fixture
def clinic(regions):
    return make_clinic("puskesmas-kuta-1", region_code="51.03.01", lat=-8.723, lon=115.177)


@pytest.fixture
def tomorrow():
    return services.today_wita() + timedelta(days=1)


def form(day, **extra):
    data = {
        "service": "general",
        "date": day.isoformat(),
        "session": "",
        "nik": unique_nik(1),
        "name": "Made Wirawan",
        "phone": "0812 3456 7890",
        "email": "",
        "bpjs_number": "",
        "idempotency_key": "form-abc",
    }
    data.update(extra)
    return data


def test_the_choose_page_lists_clinics_with_numbers_left(client, clinic):
    page = client.get("/antrean/?service=general&near=-8.72,115.18")
    assert page.status_code == 200
    text = page.content.decode()
    assert "Puskesmas Kuta 1" in text
    assert f"/antrean/klinik/{clinic.pk}/" in text


def test_a_bad_nik_comes_back_beside_the_field_with_everything_typed(client, clinic, tomorrow):
    page = client.post(f"/antrean/klinik/{clinic.pk}/", form(tomorrow, nik="12345"))
    assert page.status_code == 400
    text = page.content.decode()
    assert 'id="id_nik-error"' in text
    assert 'value="12345"' in text and 'value="Made Wirawan"' in text
    assert not Booking.objects.exists()


def test_booking_from_the_form_opens_the_ticket_with_qr_code(client, clinic, tomorrow):
    page = client.post(f"/antrean/klinik/{clinic.pk}/", form(tomorrow))
    booking = Booking.objects.get()
    assert page.status_code == 302 and page["Location"] == f"/antrean/tiket/{booking.code}/"
    ticket = client.get(page["Location"]).content.decode()
    assert "K-001" in ticket or booking.ticket in ticket
    assert booking.code in ticket and "<svg" in ticket
    assert "5171********0001" in ticket and unique_nik(1) not in ticket


def test_a_double_submitted_form_books_once(client, clinic, tomorrow):
    first = client.post(f"/antrean/klinik/{clinic.pk}/", form(tomorrow))
    second = client.post(f"/antrean/klinik/{clinic.pk}/", form(tomorrow))
    assert first["Location"] == second["Location"]
    assert Booking.objects.count() == 1


def test_a_full_day_says_so_and_keeps_the_form(client, regions, tomorrow):
    small = make_clinic("puskesmas-kecil", quota_online=1)
    client.post(f"/antrean/klinik/{small.pk}/", form(tomorrow))
    page = client.post(
        f"/antrean/klinik/{small.pk}/", form(tomorrow, nik=unique_nik(2), idempotency_key="x")
    )
    assert page.status_code == 400
    assert "No numbers left" in page.content.decode() or "Tidak ada nomor" in page.content.decode()


def test_the_ticket_can_be_cancelled_and_downloaded_as_a_calendar(client, clinic, tomorrow):
    client.post(f"/antrean/klinik/{clinic.pk}/", form(tomorrow))
    booking = Booking.objects.get()
    ics = client.get(f"/antrean/tiket/{booking.code}/kalender.ics")
    assert ics["Content-Type"].startswith("text/calendar")
    assert b"DTSTART:" in ics.content and booking.code.encode() in ics.content
    client.post(f"/antrean/tiket/{booking.code}/batal/")
    booking.refresh_from_db()
    assert booking.status == Booking.Status.CANCELLED


def test_staff_check_in_by_code_and_call_next_then_the_board_shows_it(client, client_for, clinic):
    today = services.today_wita()
    booking = services.walkin_issue(actor=None, service=clinic.services.get())
    staff = make_user("perawat", Role.CLINIC_STAFF, clinic.agency)
    console = client_for(staff)
    assert console.get("/antrean/petugas/").status_code == 302
    page = console.get(f"/antrean/petugas/{clinic.pk}/")
    assert booking.ticket in page.content.decode()
    console.post(
        f"/antrean/petugas/{clinic.pk}/aksi/",
        {"action": "call_next", "service": clinic.services.get().pk, "desk": "4"},
    )
    booking.refresh_from_db()
    assert booking.status == Booking.Status.CALLED and booking.desk == "4"
    board = client.get(f"/antrean/layar/{clinic.pk}/isi/").content.decode()
    assert f'data-called="{booking.ticket}|4|' in board
    assert booking.date == today


def test_staff_of_another_clinic_cannot_open_the_console(client_for, clinic, regions):
    other = make_clinic("puskesmas-lain")
    outsider = make_user("perawat.lain", Role.CLINIC_STAFF, other.agency)
    assert client_for(outsider).get(f"/antrean/petugas/{clinic.pk}/").status_code == 403


def test_the_health_office_sees_bookings_and_no_shows(client_for, clinic, agencies):
    service = clinic.services.get()
    booking = services.walkin_issue(actor=None, service=service)
    services.booking_step(actor=None, booking=booking, step="no_show")
    analyst = make_user("analis", Role.HEALTH_ANALYST, agencies["province"])
    page = client_for(analyst).get("/antrean/statistik/")
    assert page.status_code == 200
    assert "Puskesmas Kuta 1" in page.content.decode()
    gianyar = make_user("analis.gianyar", Role.HEALTH_ANALYST, agencies["gianyar"])
    assert "Puskesmas Kuta 1" not in client_for(gianyar).get("/antrean/statistik/").content.decode()
