"""Booking a queue number: the rules a citizen meets, one test each."""

from datetime import date, time, timedelta

import pytest

from onedata.clinics import services
from onedata.clinics.models import Booking, Closure, DayCounter, VisitEvent
from onedata.core.errors import RateLimited, ValidationError
from onedata.notifications.models import Message
from tests.clinics.factories import book, make_clinic, unique_nik, wita

DAY = date(2026, 12, 7)  # a Monday
EARLY = wita(DAY, 6)  # 06:00 WITA, before the 08:00-12:00 session


@pytest.fixture
def clinic(regions):
    return make_clinic(quota_online=3)


def test_bookings_get_numbers_one_two_three_and_times_ten_minutes_apart(clinic):
    first, second, third = (book(clinic, DAY, n, EARLY) for n in range(3))
    assert [b.queue_number for b in (first, second, third)] == [1, 2, 3]
    assert first.ticket == "G-001"
    assert first.estimated_service_at == wita(DAY, 8)
    assert third.estimated_service_at == wita(DAY, 8, 20)
    assert len(first.code) == 8
    assert first.status == Booking.Status.BOOKED
    assert first.events.get().status == Booking.Status.BOOKED


def test_the_nik_is_stored_whole_and_shown_masked(clinic):
    booking = book(clinic, DAY, 7, EARLY)
    assert booking.nik == "5171010101900007"
    assert booking.nik_masked == "5171********0007"


def test_every_bad_field_is_named_at_once(clinic):
    with pytest.raises(ValidationError) as caught:
        services.booking_create(
            actor=None,
            clinic=clinic,
            service="general",
            day=DAY,
            nik="1234",
            name=" ",
            phone="12345",
            email="not-an-address",
            bpjs_number="123",
            now=EARLY,
        )
    assert set(caught.value.fields) == {"nik", "name", "phone", "email", "bpjs_number"}


def test_a_nik_with_an_unknown_region_code_is_refused(clinic):
    with pytest.raises(ValidationError) as caught:
        book(clinic, DAY, 1, EARLY, nik="9999010101900001")
    assert "nik" in caught.value.fields


def test_phone_numbers_may_be_written_with_spaces_or_plus_62(clinic):
    booking = book(clinic, DAY, 1, EARLY, phone="+62 812-3456-7890")
    assert booking.phone == "+6281234567890"


def test_phone_numbers_are_stored_in_e164_and_shown_masked(clinic):
    booking = book(clinic, DAY, 1, EARLY, phone="0812 3456 7890")
    assert booking.phone == "+6281234567890"  # the same number as on a core profile
    assert booking.phone_masked == "+62812••••••90"


@pytest.mark.parametrize("phone", ["0361 234567", "+62 361 234 567", "08-12", "telepon"])
def test_a_landline_or_a_broken_number_is_refused_beside_the_phone_field(clinic, phone):
    with pytest.raises(ValidationError) as caught:
        book(clinic, DAY, 1, EARLY, phone=phone)
    assert set(caught.value.fields) == {"phone"}


def test_a_date_in_the_past_or_beyond_the_window_is_refused(clinic):
    with pytest.raises(ValidationError) as past:
        book(clinic, DAY - timedelta(days=1), 1, EARLY)
    assert "date" in past.value.fields
    with pytest.raises(ValidationError) as far:
        book(clinic, DAY + timedelta(days=8), 1, EARLY)
    assert "date" in far.value.fields
    assert book(clinic, DAY + timedelta(days=7), 1, EARLY).queue_number == 1


def test_an_unknown_service_is_refused_beside_the_field(clinic):
    with pytest.raises(ValidationError) as caught:
        book(clinic, DAY, 1, EARLY, service="dental")
    assert "service" in caught.value.fields


def test_a_closed_day_a_holiday_and_a_passed_cut_off_answer_closed(clinic):
    Closure.objects.create(clinic=clinic, date=DAY, reason="Rapat")
    with pytest.raises(services.Closed):
        book(clinic, DAY, 1, EARLY)
    Closure.objects.create(clinic=None, date=DAY + timedelta(days=1), reason="Nyepi")
    with pytest.raises(services.Closed, match="Nyepi"):
        book(clinic, DAY + timedelta(days=1), 1, EARLY)
    # The session ends at 12:00 and booking closes 30 minutes before.
    with pytest.raises(services.Closed):
        book(clinic, DAY + timedelta(days=2), 1, wita(DAY + timedelta(days=2), 11, 31))
    later = book(clinic, DAY + timedelta(days=2), 2, wita(DAY + timedelta(days=2), 11, 29))
    assert later.queue_number == 1


def test_a_full_quota_answers_quota_full(clinic):
    for n in range(3):
        book(clinic, DAY, n, EARLY)
    with pytest.raises(services.QuotaFull) as caught:
        book(clinic, DAY, 99, EARLY)
    assert caught.value.code == "quota_full"
    assert Booking.objects.count() == 3


def test_one_nik_holds_one_active_booking_per_service_and_day(clinic):
    book(clinic, DAY, 1, EARLY)
    with pytest.raises(services.DuplicateBooking) as caught:
        book(clinic, DAY, 1, EARLY)
    assert caught.value.code == "duplicate_booking"
    assert book(clinic, DAY + timedelta(days=1), 1, EARLY).queue_number == 1


def test_the_same_idempotency_key_books_once(clinic):
    first = book(clinic, DAY, 1, EARLY, idempotency_key="form-123")
    again, created = services.booking_create(
        actor=None,
        clinic=clinic,
        service="general",
        day=DAY,
        nik=unique_nik(1),
        name="Pasien 1",
        phone="081234567890",
        idempotency_key="form-123",
        now=EARLY,
    )
    assert again.pk == first.pk and created is False
    with pytest.raises(services.IdempotencyMismatch):
        book(clinic, DAY, 2, EARLY, idempotency_key="form-123")
    assert Booking.objects.count() == 1


def test_cancelling_a_number_below_later_ones_frees_the_place_not_the_number(clinic):
    bookings = [book(clinic, DAY, n, EARLY) for n in range(3)]
    services.booking_cancel(actor=None, booking=bookings[1], now=EARLY)
    newcomer = book(clinic, DAY, 50, EARLY)
    assert newcomer.queue_number == 4  # never ahead of number 3, who booked earlier
    assert bookings[1].events.filter(task=VisitEvent.Task.CANCELLED).exists()
    # The cancelled NIK is not "already booked" any more: only the full quota stops it.
    with pytest.raises(services.QuotaFull):
        book(clinic, DAY, 1, EARLY)


def test_cancelling_the_highest_number_returns_it_to_the_pool(clinic):
    bookings = [book(clinic, DAY, n, EARLY) for n in range(3)]
    services.booking_cancel(actor=None, booking=bookings[1], now=EARLY)  # 2: a gap stays
    services.booking_cancel(actor=None, booking=bookings[2], now=EARLY)  # 3: the top
    assert DayCounter.objects.get().last_number == 1
    assert book(clinic, DAY, 50, EARLY).queue_number == 2
    assert book(clinic, DAY, 51, EARLY).queue_number == 3


def test_a_cancelled_place_is_booked_again_when_the_quota_was_full(clinic):
    bookings = [book(clinic, DAY, n, EARLY) for n in range(3)]
    with pytest.raises(services.QuotaFull):
        book(clinic, DAY, 60, EARLY)
    services.booking_cancel(actor=None, booking=bookings[0], now=EARLY)
    assert book(clinic, DAY, 60, EARLY).queue_number == 4


def test_cancelling_is_refused_once_the_session_has_started(clinic):
    booking = book(clinic, DAY, 1, EARLY)
    with pytest.raises(services.WrongState):
        services.booking_cancel(actor=None, booking=booking, now=wita(DAY, 8, 1))


def test_jkn_and_non_jkn_patients_have_their_own_share_of_the_quota(regions):
    clinic = make_clinic(quota_online=3, quota_jkn=2)
    book(clinic, DAY, 1, EARLY, bpjs_number="0001234567890")
    book(clinic, DAY, 2, EARLY, bpjs_number="0001234567891")
    with pytest.raises(services.QuotaFull):
        book(clinic, DAY, 3, EARLY, bpjs_number="0001234567892")
    assert book(clinic, DAY, 4, EARLY).jkn is False
    with pytest.raises(services.QuotaFull):
        book(clinic, DAY, 5, EARLY)


def test_a_second_session_takes_bookings_when_the_first_is_full(regions):
    clinic = make_clinic(quota_online=1)
    service = clinic.services.get()
    afternoon = service.sessions.filter(weekday=DAY.weekday()).get()
    afternoon.pk = None
    afternoon.starts_at, afternoon.ends_at = time(13), time(15)
    afternoon.save()
    first, second = book(clinic, DAY, 1, EARLY), book(clinic, DAY, 2, EARLY)
    assert second.session == afternoon and second.queue_number == 2
    assert first.session != afternoon


def test_too_many_bookings_for_one_nik_are_rate_limited(clinic, settings):
    settings.CLINICS_BOOKINGS_PER_HOUR_NIK = 2
    book(clinic, DAY, 1, EARLY, ip="10.0.0.1")
    book(clinic, DAY + timedelta(days=1), 1, EARLY, ip="10.0.0.2")
    with pytest.raises(RateLimited):
        book(clinic, DAY + timedelta(days=2), 1, EARLY, ip="10.0.0.3")


def test_too_many_bookings_from_one_address_are_rate_limited(clinic, settings):
    settings.CLINICS_BOOKINGS_PER_HOUR_IP = 2
    book(clinic, DAY, 1, EARLY, ip="10.0.0.9")
    book(clinic, DAY, 2, EARLY, ip="10.0.0.9")
    with pytest.raises(RateLimited):
        book(clinic, DAY, 3, EARLY, ip="10.0.0.9")


def test_a_booking_with_an_email_gets_a_confirmation(clinic, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        booking = book(clinic, DAY, 1, EARLY, email="luh@example.id")
    message = Message.objects.get()
    assert booking.ticket in message.subject
    assert booking.code in message.text


def test_a_reminder_goes_once_within_two_hours_of_the_session(clinic):
    booking = book(clinic, DAY, 1, EARLY, email="luh@example.id")
    assert services.send_reminders(now=wita(DAY, 5)) == 0  # three hours before
    assert services.send_reminders(now=wita(DAY, 6, 30)) == 1
    assert services.send_reminders(now=wita(DAY, 7)) == 0
    booking.refresh_from_db()
    assert booking.reminder_sent_at is not None
    assert Message.objects.filter(subject__contains=booking.ticket).count() == 1


def test_unattended_bookings_become_no_shows_after_the_session(clinic):
    waiting = book(clinic, DAY, 1, EARLY)
    served = book(clinic, DAY, 2, EARLY)
    services.booking_step(actor=None, booking=served, step="call", now=wita(DAY, 8))
    services.booking_step(actor=None, booking=served, step="finish", now=wita(DAY, 8, 10))
    assert services.mark_no_shows(now=wita(DAY, 11, 59)) == 0
    assert services.mark_no_shows(now=wita(DAY, 12, 1)) == 1
    waiting.refresh_from_db()
    served.refresh_from_db()
    assert waiting.status == Booking.Status.NO_SHOW
    assert waiting.events.filter(task=99).exists()
    assert served.status == Booking.Status.DONE


def test_the_tick_command_runs_the_no_show_sweep_and_reminders(clinic):
    from django.core.management import call_command

    call_command("clinics_tick")  # the immediate task backend runs them at once


def test_without_email_the_confirmation_and_reminder_go_by_sms_when_a_provider_is_set(
    clinic, settings, django_capture_on_commit_callbacks
):
    from tests.notifications.test_webhooks import Receiver

    provider = Receiver()
    settings.NOTIFY_SMS_URL, settings.NOTIFY_SMS_SECRET = provider.url, "s" * 40
    try:
        with django_capture_on_commit_callbacks(execute=True):
            booking = book(clinic, DAY, 1, EARLY, phone="0812 3456 7890")
        assert services.send_reminders(now=wita(DAY, 6, 30)) == 1
    finally:
        provider.close()
    sms = Message.objects.filter(channel="sms").order_by("pk")
    assert [m.to for m in sms] == [["+6281234567890"], ["+6281234567890"]]
    assert booking.code in sms[0].text and booking.ticket in sms[1].text
