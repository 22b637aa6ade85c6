"""Read queries that the pages and the API share: the clinic list with remaining quota,
people waiting and the estimated wait; availability per day; the live queue of a clinic.

A list of clinics costs a fixed number of queries, whatever its length.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from django.db.models import Count, Prefetch, Q

from onedata.clinics import ranking, services, waits
from onedata.clinics.models import Booking, Clinic, Closure, Service, Session
from onedata.core.models import Region

Status = Booking.Status
DAYS_SHOWN = 3  # today and the next two days in the list


@dataclass
class DayQuota:
    date: date
    closed: bool
    reason: str
    quota: int
    booked: int
    sessions: list[dict] = field(default_factory=list)

    @property
    def remaining(self) -> int:
        return 0 if self.closed else max(0, self.quota - self.booked)


@dataclass
class ServiceSummary:
    service: Service
    days: list[DayQuota]
    waiting_now: int
    minutes_per_patient: float

    @property
    def remaining_today(self) -> int:
        return self.days[0].remaining if self.days else 0

    @property
    def wait_minutes(self) -> float:
        return waits.wait_minutes(self.waiting_now, self.minutes_per_patient, self.service.counters)

    @property
    def next_free_day(self) -> DayQuota | None:
        return next((day for day in self.days if day.remaining > 0), None)


@dataclass
class ClinicSummary:
    clinic: Clinic
    open_now: bool
    services: list[ServiceSummary]
    distance_km: float | None = None
    travel_minutes: float | None = None
    total_minutes: float | None = None
    rank: int = 0

    @property
    def focus(self) -> ServiceSummary | None:
        """The service the ranking used: the one searched for, else the shortest wait."""
        return self.services[0] if self.services else None


def parse_near(value: str) -> tuple[float, float] | None:
    """``-8.65,115.21`` -> (lat, lon); None when empty; ValueError when malformed."""
    value = (value or "").strip()
    if not value:
        return None
    lat_text, lon_text = value.split(",", 1)
    lat, lon = float(lat_text), float(lon_text)
    if not (-90 <= lat <= 90 and -180 <= lon <= 180):
        raise ValueError("out of range")
    return lat, lon


def regencies():
    return Region.objects.filter(level=Region.Level.REGENCY, code__startswith="51.").order_by(
        "code"
    )


def clinics_queryset(*, service: str = "", region_code: str = ""):
    clinics = (
        Clinic.objects.filter(is_active=True)
        .select_related("agency", "agency__region", "agency__region__parent")
        .prefetch_related("hours")
    )
    if service:
        clinics = clinics.filter(services__kind=service, services__is_active=True)
    if region_code:
        clinics = clinics.filter(
            Q(agency__region__code=region_code)
            | Q(agency__region__code__startswith=region_code + ".")
        )
    return clinics.distinct().order_by("agency__name")


def _days(today: date, count: int) -> list[date]:
    return [today + timedelta(days=offset) for offset in range(count)]


def summarise(
    clinics: list[Clinic],
    *,
    service: str = "",
    near: tuple[float, float] | None = None,
    days: int = DAYS_SHOWN,
    now: datetime | None = None,
) -> list[ClinicSummary]:
    """Each clinic with its services' remaining quota, queue and wait; ranked best first."""
    now = now or services.now_utc()
    today = services.today_wita(now)
    dates = _days(today, days)
    clinic_ids = [c.pk for c in clinics]
    all_services = list(
        Service.objects.filter(clinic_id__in=clinic_ids, is_active=True)
        .filter(**({"kind": service} if service else {}))
        .prefetch_related("sessions")
        .order_by("clinic_id", "kind")
    )
    clinic_map = {c.pk: c for c in clinics}
    for svc in all_services:
        svc.clinic = clinic_map[svc.clinic_id]  # no query per service for its clinic
    service_ids = [s.pk for s in all_services]
    booked = defaultdict(int)  # (session, date) -> online bookings not cancelled
    for row in (
        Booking.objects.filter(service_id__in=service_ids, date__in=dates)
        .exclude(status=Status.CANCELLED)
        .values("session_id", "date", "channel")
        .annotate(n=Count("pk"))
    ):
        booked[(row["session_id"], row["date"], row["channel"])] = row["n"]
    waiting = dict(
        Booking.objects.filter(service_id__in=service_ids, date=today, status__in=Booking.WAITING)
        .values_list("service_id")
        .annotate(n=Count("pk"))
    )
    recent = defaultdict(list)
    for service_id, started, finished in (
        Booking.objects.filter(
            service_id__in=service_ids,
            status=Status.DONE,
            started_at__isnull=False,
            finished_at__gte=now - timedelta(days=services.RECENT_DAYS),
        )
        .order_by("-finished_at")
        .values_list("service_id", "started_at", "finished_at")[:5000]
    ):
        if len(recent[service_id]) < services.RECENT_VISITS:
            recent[service_id].append((finished - started).total_seconds() / 60)
    closures = list(
        Closure.objects.filter(date__in=dates).filter(
            Q(clinic__isnull=True) | Q(clinic_id__in=clinic_ids)
        )
    )
    by_clinic = defaultdict(list)
    for svc in all_services:
        day_rows = []
        for day in dates:
            closure = next(
                (
                    c
                    for c in closures
                    if c.date == day
                    and (
                        (c.clinic_id is None and c.service_id is None)
                        or (c.clinic_id == svc.clinic_id and c.service_id is None)
                        or c.service_id == svc.pk
                    )
                ),
                None,
            )
            sessions = [s for s in svc.sessions.all() if s.weekday == day.weekday()]
            session_rows = [_session_row(s, day, booked, now, svc) for s in sessions]
            day_rows.append(
                DayQuota(
                    date=day,
                    closed=closure is not None or not sessions,
                    reason=closure.reason if closure else "",
                    quota=sum(r["quota_online"] for r in session_rows if r["open"]),
                    booked=sum(r["booked_online"] for r in session_rows if r["open"]),
                    sessions=session_rows,
                )
            )
        by_clinic[svc.clinic_id].append(
            ServiceSummary(
                service=svc,
                days=day_rows,
                waiting_now=waiting.get(svc.pk, 0),
                minutes_per_patient=waits.minutes_per_patient(
                    recent.get(svc.pk, []), svc.default_minutes
                ),
            )
        )
    summaries = []
    local_now = now.astimezone(services.WITA)
    for clinic in clinics:
        rows = sorted(
            by_clinic.get(clinic.pk, []),
            key=lambda s: (s.remaining_today == 0, s.wait_minutes, s.service.kind),
        )
        hours = [h for h in clinic.hours.all() if h.weekday == local_now.weekday()]
        open_now = any(h.opens_at <= local_now.time() < h.closes_at for h in hours)
        summary = ClinicSummary(clinic=clinic, open_now=open_now, services=rows)
        if near is not None:
            summary.distance_km = ranking.haversine_km(
                near[0], near[1], float(clinic.latitude), float(clinic.longitude)
            )
        summaries.append(summary)
    options = [
        ranking.Option(
            key=index,
            distance_km=s.distance_km,
            wait_minutes=s.focus.wait_minutes if s.focus else 0.0,
            has_quota=bool(s.focus and s.focus.remaining_today > 0),
        )
        for index, s in enumerate(summaries)
    ]
    ordered = []
    for position, ranked in enumerate(ranking.rank(options), start=1):
        summary = summaries[ranked.key]
        summary.travel_minutes = ranked.travel_minutes
        summary.total_minutes = ranked.total_minutes
        summary.rank = position
        ordered.append(summary)
    return ordered


def _session_row(session: Session, day: date, booked, now: datetime, service: Service) -> dict:
    online = booked[(session.pk, day, Booking.Channel.ONLINE)]
    walkin = booked[(session.pk, day, Booking.Channel.WALKIN)]
    closes = services.booking_closes_at(session, day, service.clinic)
    return {
        "id": session.pk,
        "starts_at": session.starts_at,
        "ends_at": session.ends_at,
        "label": session.label,
        "quota_online": session.quota_online,
        "booked_online": online,
        "remaining_online": max(0, session.quota_online - online),
        "quota_walkin": session.quota_walkin,
        "remaining_walkin": max(0, session.quota_walkin - walkin),
        "quota_jkn": session.quota_jkn,
        "open": closes > now,
    }


def clinic_summary(clinic: Clinic, *, service: str = "", days: int | None = None, now=None):
    days = days if days is not None else clinic.booking_days_ahead + 1
    return summarise([clinic], service=service, days=days, now=now)[0]


@dataclass
class QueueRow:
    service: Service
    serving: list[Booking]
    called: list[Booking]
    next_numbers: list[Booking]
    waiting: int
    done: int


def queue_now(clinic: Clinic, *, now: datetime | None = None, upcoming: int = 5):
    """For each service today: numbers being served and called, the next ones, counts."""
    now = now or services.now_utc()
    today = services.today_wita(now)
    rows = []
    bookings = list(
        Booking.objects.filter(clinic=clinic, date=today)
        .exclude(status=Status.CANCELLED)
        .select_related("service")
        .order_by("service__kind", "queue_number")
    )
    for svc in clinic.services.filter(is_active=True).order_by("kind"):
        mine = [b for b in bookings if b.service_id == svc.pk]
        called = sorted(
            (b for b in mine if b.status == Status.CALLED),
            key=lambda b: b.called_at or now,
            reverse=True,
        )
        waiting = [b for b in mine if b.status in (Status.BOOKED, Status.CHECKED_IN)]
        rows.append(
            QueueRow(
                service=svc,
                serving=[b for b in mine if b.status == Status.SERVING],
                called=called,
                next_numbers=waiting[:upcoming],
                waiting=len(waiting),
                done=sum(1 for b in mine if b.status == Status.DONE),
            )
        )
    return rows


def today_bookings(clinic: Clinic, service: Service | None = None, *, now=None):
    today = services.today_wita(now or services.now_utc())
    bookings = Booking.objects.filter(clinic=clinic, date=today).select_related(
        "service", "session"
    )
    if service is not None:
        bookings = bookings.filter(service=service)
    return bookings.order_by("service__kind", "queue_number")


@dataclass
class Timetable:
    hours: list
    services: list[tuple[Service, list[Session]]]
    closures: list[Closure]


def timetable(clinic: Clinic, *, now: datetime | None = None) -> Timetable:
    """What the timetable page and API show: the week's hours, each service's sessions
    (Monday first), and the closures from today on (the clinic's own and holidays)."""
    today = services.today_wita(now or services.now_utc())
    rows = list(
        clinic.services.order_by("kind").prefetch_related(
            Prefetch("sessions", queryset=Session.objects.order_by("weekday", "starts_at"))
        )
    )
    return Timetable(
        hours=list(clinic.hours.order_by("weekday", "opens_at")),
        services=[(service, list(service.sessions.all())) for service in rows],
        closures=list(
            Closure.objects.filter(date__gte=today)
            .filter(Q(clinic=clinic) | Q(clinic__isnull=True, service__isnull=True))
            .select_related("service")
            .order_by("date", "pk")[:100]
        ),
    )
