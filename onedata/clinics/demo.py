"""Demo data for the clinic queue: real-looking Bali puskesmas with services, sessions,
opening hours and a few bookings; ``petugas.klinik`` runs the queue of Puskesmas
Denpasar Selatan I. Sample bodies are marked ``is_sample``.

Idempotent: running it twice changes nothing (bookings are only added to a clinic that
has none for that day).
"""

from __future__ import annotations

import random
from datetime import datetime, time, timedelta

from django.db import transaction
from django.utils import timezone

from onedata.clinics import services
from onedata.clinics.models import Booking, Clinic, Closure, OpeningHours, Service, Session
from onedata.core.models import Agency, Membership, Region, User
from onedata.core.roles import Role

# (slug, name, district code, latitude, longitude, address)
PUSKESMAS = [
    (
        "puskesmas-denpasar-selatan-1",
        "Puskesmas I Denpasar Selatan",
        "51.71.01",
        -8.6846,
        115.2306,
        "Jl. Pulau Moyo No. 63, Pedungan, Denpasar",
    ),
    (
        "puskesmas-denpasar-barat-1",
        "Puskesmas I Denpasar Barat",
        "51.71.03",
        -8.6625,
        115.2001,
        "Jl. Gunung Rinjani, Tegal Harum, Denpasar",
    ),
    (
        "puskesmas-kuta-1",
        "Puskesmas Kuta I",
        "51.03.01",
        -8.7230,
        115.1770,
        "Jl. Raya Kuta No. 102, Kuta, Badung",
    ),
    (
        "puskesmas-kuta-utara",
        "Puskesmas Kuta Utara",
        "51.03.06",
        -8.6478,
        115.1616,
        "Jl. Raya Kerobokan, Kerobokan, Badung",
    ),
    (
        "puskesmas-ubud-1",
        "Puskesmas Ubud I",
        "51.04.05",
        -8.5069,
        115.2625,
        "Jl. Raya Ubud, Ubud, Gianyar",
    ),
    (
        "puskesmas-gianyar-1",
        "Puskesmas Gianyar I",
        "51.04.03",
        -8.5395,
        115.3251,
        "Jl. Ciung Wanara, Gianyar",
    ),
]

# (kind, prefix, minutes, online, walk-in, JKN share of online)
SERVICES = [
    (Service.Kind.GENERAL, "A", 8, 30, 20, 20),
    (Service.Kind.DENTAL, "B", 15, 10, 5, None),
    (Service.Kind.KIA, "C", 12, 15, 10, None),
    (Service.Kind.IMMUNISATION, "D", 5, 20, 10, None),
    (Service.Kind.LABORATORY, "E", 6, 15, 10, None),
]

NAMES = [
    "Ni Luh Putu Ayu",
    "I Wayan Sudarma",
    "Made Sri Wahyuni",
    "Komang Adi Putra",
    "Ketut Sumerti",
    "Ni Nyoman Sari",
    "I Gede Artawan",
    "Putu Eka Pratama",
]

STAFF_CLINIC = "puskesmas-denpasar-selatan-1"


def _hours(clinic: Clinic) -> None:
    for weekday in range(6):  # Monday to Saturday
        closes = time(12, 0) if weekday == 5 else time(14, 0)
        OpeningHours.objects.get_or_create(
            clinic=clinic, weekday=weekday, defaults={"opens_at": time(7, 30), "closes_at": closes}
        )


def _services(clinic: Clinic) -> None:
    for kind, prefix, minutes, online, walkin, jkn in SERVICES:
        service, _ = Service.objects.get_or_create(
            clinic=clinic, kind=kind, defaults={"prefix": prefix, "default_minutes": minutes}
        )
        if service.sessions.exists():
            continue
        for weekday in range(6):
            ends = time(11, 30) if weekday == 5 else time(13, 30)
            Session.objects.create(
                service=service,
                weekday=weekday,
                starts_at=time(8, 0),
                ends_at=ends,
                quota_online=online,
                quota_walkin=walkin,
                quota_jkn=jkn,
            )


def _sample_bookings(clinic: Clinic, serial: int) -> None:
    """Some bookings today and tomorrow (when open), so lists and boards are not empty."""
    today = services.today_wita()
    general = clinic.services.get(kind=Service.Kind.GENERAL)
    for offset in (0, 1):
        day = today + timedelta(days=offset)
        if Booking.objects.filter(clinic=clinic, date=day).exists():
            continue
        for index, name in enumerate(NAMES[: 6 - offset * 3]):
            district = clinic.agency.region.code.replace(".", "")
            nik = f"{district}0101{90 + offset:02d}{serial:02d}{index:02d}"
            try:
                services.booking_create(
                    actor="demo",
                    clinic=clinic,
                    service=general.kind,
                    day=day,
                    nik=nik,
                    name=name,
                    phone=f"0812{serial:02d}{index:02d}{offset}4567",
                )
            except services.Closed:
                break
            except (services.QuotaFull, services.DuplicateBooking):
                continue


def _history(clinic: Clinic, serial: int) -> None:
    """Two weeks of past visits at the general service (served, a few no-shows and
    cancellations, with their times), so the statistics page and the One Data table have a
    history. The booking service refuses dates in the past, so these are written as the
    visits ended: demo fixtures, without names or NIK."""
    general = clinic.services.get(kind=Service.Kind.GENERAL)
    today = services.today_wita()
    if Booking.objects.filter(service=general, date__lt=today).exists():
        return
    session = general.sessions.order_by("starts_at").first()
    if session is None:
        return
    rng = random.Random(serial)  # the same history on every machine
    tz = timezone.get_default_timezone()
    visits = []
    for back in range(1, 15):
        day = today - timedelta(days=back)
        if day.weekday() == 6:  # closed on Sundays
            continue
        opening = datetime.combine(day, time(8, 0), tzinfo=tz)
        free_at = opening
        for number in range(1, rng.randint(10, 24) + 1):
            roll = rng.random()
            status = (
                Booking.Status.DONE
                if roll < 0.85
                else Booking.Status.NO_SHOW
                if roll < 0.95
                else Booking.Status.CANCELLED
            )
            arrived = opening + timedelta(minutes=6 * number + rng.randint(-10, 10))
            visit = Booking(
                code=f"H{serial:02d}{day:%m%d}{number:03d}",
                clinic=clinic,
                service=general,
                session=session,
                date=day,
                queue_number=number,
                channel=Booking.Channel.ONLINE if rng.random() < 0.6 else Booking.Channel.WALKIN,
                status=status,
                estimated_service_at=opening + timedelta(minutes=8 * (number - 1)),
            )
            if status == Booking.Status.DONE:
                called = max(arrived, free_at) + timedelta(minutes=rng.randint(2, 25))
                finished = called + timedelta(minutes=rng.randint(5, 15))
                visit.checked_in_at, visit.called_at = arrived, called
                visit.started_at, visit.finished_at = called + timedelta(minutes=1), finished
                free_at = finished
            elif status == Booking.Status.CANCELLED:
                visit.cancelled_at = opening - timedelta(hours=rng.randint(2, 20))
            visits.append(visit)
    Booking.objects.bulk_create(visits)


def _timetable_examples(clinics: list[Clinic]) -> None:
    """Something to see on the staff's timetable page: an afternoon session for KIA at the
    staff's clinic, and a closed day next week (a dental service on training)."""
    from onedata.clinics import timetable

    staff_clinic = next(c for c, _serial in clinics if c.agency.slug == STAFF_CLINIC)
    kia = staff_clinic.services.get(kind=Service.Kind.KIA)
    if not kia.sessions.filter(starts_at=time(14, 0)).exists():
        timetable.session_create(
            actor="demo",
            service=kia,
            weekdays=[1, 3],  # Tuesday and Thursday afternoons: pregnant mothers' class
            data=timetable.SessionInput(
                starts_at=time(14, 0),
                ends_at=time(16, 0),
                quota_online=10,
                quota_walkin=5,
            ),
        )
    today = services.today_wita()
    day = today + timedelta(days=(7 - today.weekday()) % 7 + 2)  # Wednesday after next Monday
    dental = staff_clinic.services.get(kind=Service.Kind.DENTAL)
    if not Closure.objects.filter(service=dental, date=day).exists():
        timetable.closure_create(
            actor="demo",
            clinic=staff_clinic,
            service=dental,
            day=day,
            reason="Pelatihan petugas poli gigi",
            today=today,
        )


@transaction.atomic
def seed(stdout=None) -> None:
    province = Region.objects.get(code="51")
    parent = Agency.objects.filter(slug="dinkes-bali").first()
    clinics = []
    for serial, (slug, name, district, lat, lon, address) in enumerate(PUSKESMAS, start=1):
        agency, _ = Agency.objects.get_or_create(
            slug=slug,
            defaults={
                "name": name,
                "short_name": name.replace("Puskesmas ", "Pkm "),
                "kind": Agency.Kind.PUSKESMAS,
                "region": Region.objects.filter(code=district).first() or province,
                "parent": parent,
                "is_sample": True,
            },
        )
        clinic = Clinic.objects.filter(agency=agency).first()
        if clinic is None:
            clinic = services.clinic_create(
                actor="demo",
                agency=agency,
                kind=Clinic.Kind.PUSKESMAS,
                latitude=lat,
                longitude=lon,
                address=address,
                phone="(0361) 000-000",
            )
        _hours(clinic)
        _services(clinic)
        clinics.append((clinic, serial))
    staff = User.objects.filter(username="petugas.klinik").first()
    if staff is not None:
        Membership.objects.get_or_create(
            user=staff, agency=Agency.objects.get(slug=STAFF_CLINIC), role=Role.CLINIC_STAFF
        )
    _timetable_examples(clinics)
    for clinic, serial in clinics:
        _sample_bookings(clinic, serial)
        _history(clinic, serial)
    if stdout is not None:
        stdout.write(f"clinics: {len(clinics)} puskesmas with services and sample bookings\n")
