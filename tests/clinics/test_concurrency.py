"""The quota is never exceeded and numbers never repeat, under parallel HTTP requests.

Real threads, each with its own database connection, through the whole HTTP stack
(middleware, API, service). On PostgreSQL the day counter's row lock orders them; on
SQLite the IMMEDIATE transactions do. Both engines run these tests (CI runs the suite on
each).
"""

import threading
from datetime import timedelta

import pytest
from django.db import connection
from django.test import Client

from onedata.clinics import services
from onedata.clinics.models import Booking
from tests.clinics.factories import make_clinic, unique_nik

pytestmark = pytest.mark.django_db(transaction=True)
PG_THREADS = 24


def _parallel(count: int, request) -> list:
    """Run ``request(i)`` for i < count in parallel threads released at the same moment.

    SQLite: one thread per request. PostgreSQL: at most ``PG_THREADS`` threads (one
    connection each; the server's connection limit is shared), each taking requests
    from the common list as it finishes the last.
    """
    threads_wanted = count if connection.vendor == "sqlite" else min(count, PG_THREADS)
    barrier = threading.Barrier(threads_wanted)
    results: list = [None] * count
    pending = iter(range(count))
    lock = threading.Lock()

    def worker() -> None:
        try:
            barrier.wait(timeout=60)
            while True:
                with lock:
                    index = next(pending, None)
                if index is None:
                    return
                try:
                    results[index] = request(index)
                except Exception as error:  # noqa: BLE001 - reported by the assertions
                    results[index] = error
        finally:
            connection.close()

    threads = [threading.Thread(target=worker) for _ in range(threads_wanted)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=180)
    return results


@pytest.fixture
def setup(regions, settings):
    settings.API_RATE_PER_MINUTE_IP = 10**9
    clinic = make_clinic(quota_online=10)
    tomorrow = services.today_wita() + timedelta(days=1)
    return clinic, tomorrow


def _body(clinic, day, n):
    return {
        "clinic_id": clinic.pk,
        "service": "general",
        "date": day.isoformat(),
        "nik": unique_nik(n),
        "name": f"Pasien {n}",
        "phone": "081234567890",
    }


def test_200_parallel_bookings_for_10_numbers_give_exactly_numbers_1_to_10(setup):
    clinic, day = setup

    def post(i):
        response = Client().post(
            "/api/v1/clinics/bookings",
            _body(clinic, day, i),
            content_type="application/json",
            REMOTE_ADDR=f"10.1.{i // 250}.{i % 250}",
        )
        return response.status_code, response.json()

    results = _parallel(200, post)
    errors = [r for r in results if isinstance(r, Exception)]
    assert not errors, errors[:3]
    created = [body for status, body in results if status == 201]
    refused = [body for status, body in results if status == 409]
    assert len(created) == 10
    assert len(refused) == 190
    assert {body["error"]["code"] for body in refused} == {"quota_full"}
    numbers = sorted(Booking.objects.values_list("queue_number", flat=True))
    assert numbers == list(range(1, 11))
    assert sorted(body["queue_number"] for body in created) == list(range(1, 11))


def test_a_double_submitted_booking_books_once(setup):
    clinic, day = setup

    def post(i):
        response = Client().post(
            "/api/v1/clinics/bookings",
            _body(clinic, day, 1),
            content_type="application/json",
            HTTP_IDEMPOTENCY_KEY="tap-twice-123",
        )
        return response.status_code, response.json()

    results = _parallel(8, post)
    assert all(not isinstance(r, Exception) for r in results), results
    statuses = sorted(status for status, _ in results)
    assert statuses.count(201) == 1 and statuses.count(200) == 7, statuses
    assert len({body["code"] for _, body in results}) == 1
    assert Booking.objects.count() == 1


def test_one_nik_booking_in_parallel_gets_one_number(setup):
    clinic, day = setup

    def post(i):
        response = Client().post(
            "/api/v1/clinics/bookings",
            _body(clinic, day, 7),
            content_type="application/json",
            REMOTE_ADDR=f"10.2.0.{i}",
        )
        return response.status_code, response.json()

    results = _parallel(10, post)
    statuses = sorted(status for status, _ in results)
    assert statuses == [201] + [409] * 9
    assert {b["error"]["code"] for s, b in results if s == 409} == {"duplicate_booking"}


def test_two_counters_calling_at_once_never_call_the_same_person(setup):
    clinic, day = setup
    today = services.today_wita()
    service = clinic.services.get()
    for _n in range(5):
        services.walkin_issue(actor=None, service=service)
    assert Booking.objects.filter(date=today).count() == 5

    def call(i):
        booking = services.queue_call_next(actor=None, service=service, desk=str(i))
        return booking.pk if booking else None

    called = _parallel(6, call)
    people = [pk for pk in called if pk is not None]
    assert len(people) == 5 and len(set(people)) == 5  # the sixth found nobody left
