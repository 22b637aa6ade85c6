"""Building clinics for tests: a puskesmas with one service open every day."""

from __future__ import annotations

from datetime import date, datetime, time

from onedata.clinics import services
from onedata.clinics.models import Clinic, Service, Session
from onedata.core.models import Agency, Region

WITA = services.WITA
NIK = "5171010101900001"  # Denpasar Selatan, born 1 January 1990


def unique_nik(n: int) -> str:
    return f"517101010190{n:04d}"


def make_clinic(
    slug: str = "puskesmas-densel-1",
    *,
    region_code: str = "51.71.01",
    lat: float = -8.6905,
    lon: float = 115.2290,
    agency: Agency | None = None,
    kind: str = Service.Kind.GENERAL,
    quota_online: int = 10,
    quota_walkin: int = 5,
    quota_jkn: int | None = None,
    starts: time = time(8, 0),
    ends: time = time(12, 0),
    days_ahead: int = 7,
) -> Clinic:
    if agency is None:
        agency = Agency.objects.create(
            slug=slug,
            name=slug.replace("-", " ").title(),
            kind=Agency.Kind.PUSKESMAS,
            region=Region.objects.get(code=region_code),
        )
    clinic = services.clinic_create(
        actor="test",
        agency=agency,
        kind=Clinic.Kind.PUSKESMAS,
        latitude=lat,
        longitude=lon,
        booking_days_ahead=days_ahead,
    )
    add_service(clinic, kind, quota_online, quota_walkin, quota_jkn, starts, ends)
    return clinic


def add_service(
    clinic, kind, quota_online=10, quota_walkin=5, quota_jkn=None, starts=time(8), ends=time(12)
):
    service = Service.objects.create(
        clinic=clinic, kind=kind, prefix=kind[0].upper(), default_minutes=10
    )
    for weekday in range(7):
        Session.objects.create(
            service=service,
            weekday=weekday,
            starts_at=starts,
            ends_at=ends,
            quota_online=quota_online,
            quota_walkin=quota_walkin,
            quota_jkn=quota_jkn,
        )
    return service


def wita(day: date, hour: int, minute: int = 0) -> datetime:
    return datetime(day.year, day.month, day.day, hour, minute, tzinfo=WITA)


def book(clinic, day, n: int, now, **extra):
    fields = {
        "actor": None,
        "clinic": clinic,
        "service": extra.pop("service", Service.Kind.GENERAL),
        "day": day,
        "nik": unique_nik(n),
        "name": f"Pasien {n}",
        "phone": "081234567890",
        "now": now,
    }
    fields.update(extra)
    return services.booking_create(**fields)[0]
