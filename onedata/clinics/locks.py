"""The one place where the clinic queue takes row locks.

Every change to a service's queue on a day (a booking, a walk-in number, a cancellation,
"call next") first locks that service's ``DayCounter`` row. Two requests for the same
service and day therefore run one after the other, whatever the engine: PostgreSQL with
``SELECT … FOR UPDATE`` on the row, SQLite because its transactions are IMMEDIATE (the
whole database is written by one transaction at a time). One row per call, so there is
no lock order to get wrong.
"""

from __future__ import annotations

from datetime import date

from django.db import transaction

from onedata.clinics.models import DayCounter


def lock_day(service_id: int, day: date) -> DayCounter:
    """Create the counter row if needed (without a race: INSERT … ON CONFLICT DO NOTHING)
    and return it locked until the surrounding transaction ends."""
    assert transaction.get_connection().in_atomic_block, "lock_day needs a transaction"
    DayCounter.objects.bulk_create(
        [DayCounter(service_id=service_id, date=day, last_number=0)], ignore_conflicts=True
    )
    return DayCounter.objects.select_for_update().get(service_id=service_id, date=day)
