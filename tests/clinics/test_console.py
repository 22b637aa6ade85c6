"""The staff's steps: check in, call next, serve, and the estimate that learns from them."""

from datetime import date, timedelta

import pytest

from onedata.clinics import services
from onedata.clinics.models import Booking, Service, VisitEvent
from tests.clinics.factories import book, make_clinic, wita

DAY = date(2026, 12, 7)
EARLY = wita(DAY, 6)


@pytest.fixture
def clinic(regions):
    return make_clinic(quota_online=10, quota_walkin=2)


def test_call_next_takes_checked_in_patients_first_then_the_lowest_number(clinic):
    one, two, three = (book(clinic, DAY, n, EARLY) for n in range(3))
    services.booking_step(actor=None, booking=three, step="check_in", now=wita(DAY, 7, 50))
    service = clinic.services.get()
    called = services.queue_call_next(actor=None, service=service, desk="2", now=wita(DAY, 8))
    assert called.pk == three.pk and called.desk == "2"
    called = services.queue_call_next(actor=None, service=service, now=wita(DAY, 8, 5))
    assert called.pk == one.pk
    assert services.queue_call_next(actor=None, service=service, now=wita(DAY, 8, 6)).pk == two.pk
    assert services.queue_call_next(actor=None, service=service, now=wita(DAY, 8, 7)) is None


def test_check_in_records_bpjs_tasks_one_to_three_and_serving_four_and_five(clinic):
    booking = book(clinic, DAY, 1, EARLY)
    for step, minute in (("check_in", 0), ("call", 5), ("start", 6), ("finish", 16)):
        booking = services.booking_step(
            actor=None, booking=booking, step=step, now=wita(DAY, 8, minute)
        )
    tasks = list(booking.events.exclude(task=None).values_list("task", flat=True))
    assert tasks == [1, 2, 3, 4, 5]
    assert booking.status == Booking.Status.DONE
    assert (booking.finished_at - booking.started_at) == timedelta(minutes=10)


def test_a_step_out_of_order_is_refused(clinic):
    booking = book(clinic, DAY, 1, EARLY)
    with pytest.raises(services.WrongState):
        services.booking_step(actor=None, booking=booking, step="start", now=wita(DAY, 8))
    with pytest.raises(services.WrongState):
        services.booking_step(actor=None, booking=booking, step="finish", now=wita(DAY, 8))


def test_the_estimate_learns_the_clinics_own_service_time(clinic):
    service = clinic.services.get()
    assert services.minutes_per_patient(service, now=wita(DAY, 9)) == 10  # the usual minutes
    for n, minutes in enumerate([4, 6, 5, 30]):
        b = book(clinic, DAY, n, EARLY)
        services.booking_step(actor=None, booking=b, step="call", now=wita(DAY, 8))
        services.booking_step(actor=None, booking=b, step="start", now=wita(DAY, 8))
        services.booking_step(
            actor=None, booking=b, step="finish", now=wita(DAY, 8) + timedelta(minutes=minutes)
        )
    assert services.minutes_per_patient(service, now=wita(DAY, 9)) == 5.5  # median of 4,5,6,30
    waiting = [book(clinic, DAY, 10 + n, EARLY) for n in range(3)]
    estimate = services.estimate_for(waiting[2], now=wita(DAY, 9))
    assert estimate == wita(DAY, 9, 11)  # two ahead x 5.5 minutes


def test_walk_in_numbers_come_from_the_walk_in_quota(clinic):
    service = clinic.services.get()
    book(clinic, DAY, 1, EARLY)
    first = services.walkin_issue(actor=None, service=service, now=wita(DAY, 8))
    second = services.walkin_issue(actor=None, service=service, now=wita(DAY, 8, 1))
    assert (first.queue_number, second.queue_number) == (2, 3)
    assert first.status == Booking.Status.CHECKED_IN
    assert first.channel == Booking.Channel.WALKIN
    with pytest.raises(services.QuotaFull):
        services.walkin_issue(actor=None, service=service, now=wita(DAY, 8, 2))
    assert VisitEvent.objects.filter(booking=first, task=1).exists()
    assert service.kind == Service.Kind.GENERAL


def test_pharmacy_and_medicine_ready_complete_the_timeline_in_order(clinic):
    booking = book(clinic, DAY, 1, EARLY)
    for step in ("check_in", "call", "start", "finish"):
        booking = services.booking_step(actor=None, booking=booking, step=step, now=wita(DAY, 8))
    with pytest.raises(services.WrongState):
        services.booking_step(actor=None, booking=booking, step="medicine_ready", now=wita(DAY, 8))
    services.booking_step(actor=None, booking=booking, step="pharmacy", now=wita(DAY, 8, 20))
    services.booking_step(actor=None, booking=booking, step="medicine_ready", now=wita(DAY, 8, 30))
    with pytest.raises(services.WrongState):
        services.booking_step(actor=None, booking=booking, step="pharmacy", now=wita(DAY, 8, 31))
    tasks = list(booking.events.exclude(task=None).values_list("task", flat=True))
    assert tasks == [1, 2, 3, 4, 5, 6, 7]
    booking.refresh_from_db()
    assert booking.status == Booking.Status.DONE
