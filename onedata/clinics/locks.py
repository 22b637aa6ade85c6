"""The one place where the clinic queue takes row locks.

Every change to a service's queue on a day (a booking, a walk-in number, a cancellation,
"call next") first locks that service's ``DayCounter`` row. Two requests for the same
service and day therefore run one after the other, whatever the engine: PostgreSQL
locks the row (``INSERT … ON CONFLICT DO UPDATE`` takes the same row lock as ``SELECT …
FOR UPDATE``), SQLite because its transactions are IMMEDIATE (the whole database is
written by one transaction at a time). One row per call, so there is no lock order to
get wrong.

Both functions are a single statement (``INSERT … ON CONFLICT DO UPDATE … RETURNING``,
PostgreSQL and SQLite ≥ 3.35 alike): creating the row when it is missing, locking it and
reading it, and for ``claim_number`` also taking the next number, cost one round trip.
A claim inside a transaction that later fails (quota full, duplicate) is rolled back with
it, so numbers are handed out without gaps.
"""

from __future__ import annotations

from datetime import date

from django.db import connection, transaction

from onedata.clinics.models import DayCounter

_UPSERT = (
    "INSERT INTO {table} (service_id, date, last_number) VALUES (%s, %s, {first}) "
    "ON CONFLICT (service_id, date) DO UPDATE SET last_number = {table}.last_number{step} "
    "RETURNING id, last_number"
)


def _upsert(service_id: int, day: date, *, claim: bool) -> DayCounter:
    assert transaction.get_connection().in_atomic_block, "the day lock needs a transaction"
    table = connection.ops.quote_name(DayCounter._meta.db_table)
    sql = _UPSERT.format(table=table, first=1 if claim else 0, step=" + 1" if claim else "")
    with connection.cursor() as cursor:
        cursor.execute(sql, [service_id, day])
        pk, last_number = cursor.fetchone()
    return DayCounter(pk=pk, service_id=service_id, date=day, last_number=last_number)


def lock_day(service_id: int, day: date) -> DayCounter:
    """Lock the service's counter for the day (created when missing) until the
    surrounding transaction ends; returns it as it is."""
    return _upsert(service_id, day, claim=False)


def claim_number(service_id: int, day: date) -> int:
    """Lock the counter like ``lock_day`` and take the next queue number: one above the
    highest ever handed out that day. Undone if the surrounding transaction rolls back."""
    return _upsert(service_id, day, claim=True).last_number


def release_number(counter_id: int, number: int, highest_left: int) -> None:
    """After a cancellation (counter locked): when the cancelled number was the highest
    handed out, the counter goes back to the highest number still held, so that number is
    handed out again; a number below a later one is never handed out again."""
    DayCounter.objects.filter(pk=counter_id, last_number=number).update(last_number=highest_left)
