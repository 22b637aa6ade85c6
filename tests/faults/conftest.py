"""One throwaway topology (own PostgreSQL, own Redis, nginx, 2 app servers, 2 RQ workers)
for all fault tests; see topology.py. Only on the PostgreSQL + Redis pass."""

from __future__ import annotations

import os
import uuid

import pytest

from tests.faults.topology import Topology

REASON = (
    "fault tests run on the PostgreSQL + Redis pass of .ci/run (DATABASE_URL=postgres://…, "
    "REDIS_URL set): they start their own PostgreSQL, Redis and nginx cluster"
)
ON_REAL_ENGINES = os.environ.get("DATABASE_URL", "").startswith(
    ("postgres://", "postgresql://")
) and bool(os.environ.get("REDIS_URL"))


def pytest_collection_modifyitems(config, items):
    if ON_REAL_ENGINES:
        return
    skip = pytest.mark.skip(reason=REASON)
    for item in items:
        if "topology" in getattr(item, "fixturenames", ()):
            item.add_marker(skip)


SETUP = r"""
import json
from datetime import time as clock, timedelta
from onedata.clinics import services as clinics
from onedata.clinics.models import Clinic, Service, Session
from onedata.core import services as core
from onedata.core.models import Agency, Region, User
from onedata.core.regions import regions_load
from onedata.notifications import services as notify

regions_load()
district = Region.objects.get(code="51.71.01")
admin = User.objects.create_superuser("faults", "faults@example.id", %(password)r)
agency = Agency.objects.create(slug="faults", name="Faults", kind="dinas",
                               region=Region.objects.get(code="51"))
ids = []
for n in range(2):
    puskesmas = Agency.objects.create(slug=f"faults-pkm-{n}", name=f"Puskesmas Faults {n}",
                                      kind=Agency.Kind.PUSKESMAS, region=district)
    clinic = clinics.clinic_create(actor="faults", agency=puskesmas, kind=Clinic.Kind.PUSKESMAS,
                                   latitude=-8.68, longitude=115.2 + n / 1000)
    service = Service.objects.create(clinic=clinic, kind="umum", prefix="A")
    for weekday in range(7):
        Session.objects.create(service=service, weekday=weekday, starts_at=clock(7),
                               ends_at=clock(20), quota_online=100000, quota_walkin=0)
    ids.append(clinic.pk)
application = notify.application_create(actor="faults", agency=agency, name="Faults",
                                        rate_per_second=10**9, rate_per_day=10**9)
key = notify.application_key_create(actor="faults", application=application, name="k").plaintext
print(json.dumps({"clinics": ids, "date": str(clinics.today_wita() + timedelta(days=1)),
                  "key": key, "agency": agency.pk}))
"""


@pytest.fixture(scope="session")
def topology():
    cluster = Topology()
    try:
        cluster.start()
        cluster.password = uuid.uuid4().hex  # type: ignore[attr-defined]
        cluster.data = cluster.shell(SETUP % {"password": cluster.password})  # type: ignore
        yield cluster
    finally:
        cluster.stop()
