"""Read queries shared by pages, the API and services."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.db.models import Q, Sum
from django.utils import timezone

from onedata.core import scope
from onedata.hospitals import forecast as fc
from onedata.hospitals import permissions
from onedata.hospitals.models import (
    BedType,
    Generator,
    Hospital,
    LiquidTank,
    Report,
    ReportBeds,
)
from onedata.hospitals.units import LITRE_LIQUID_TO_M3

HISTORY_DAYS = 8


def flow_rates() -> fc.FlowRates:
    """WHO planning defaults, overridable with settings.HOSPITALS_FLOW_RATES (L/min)."""
    return fc.FlowRates(**getattr(settings, "HOSPITALS_FLOW_RATES", {}))


def stale_after_hours() -> float:
    return float(getattr(settings, "HOSPITALS_STALE_HOURS", 24))


def visible_hospitals(user):
    """The hospitals the user may see on the dashboard."""
    hospitals = Hospital.objects.select_related("agency", "agency__region")
    if scope.is_platform_admin(user):
        return hospitals
    condition = scope.region_filter(user, {permissions.ANALYST}, "agency__region__code")
    condition |= Q(agency_id__in=permissions.reporter_agency_ids(user))
    return hospitals.filter(condition)


def reporter_hospitals(user):
    return Hospital.objects.select_related("agency").filter(
        agency_id__in=permissions.reporter_agency_ids(user)
    )


def tank_capacity_litres(hospital_ids) -> dict[int, float]:
    rows = (
        LiquidTank.objects.filter(hospital_id__in=hospital_ids)
        .values("hospital_id")
        .annotate(total=Sum("capacity_litres"))
    )
    return {row["hospital_id"]: row["total"] or 0.0 for row in rows}


def generation(hospital_ids) -> dict[int, float]:
    rows = (
        Generator.objects.filter(hospital_id__in=hospital_ids)
        .values("hospital_id")
        .annotate(total=Sum("capacity_m3_per_day"))
    )
    return {row["hospital_id"]: row["total"] or 0.0 for row in rows}


def storage_capacity_m3(hospital: Hospital, tank_litres: float | None = None) -> float:
    if tank_litres is None:
        tank_litres = tank_capacity_litres([hospital.pk]).get(hospital.pk, 0.0)
    return tank_litres * LITRE_LIQUID_TO_M3 + hospital.cylinder_storage_m3


def last_report(hospital: Hospital) -> Report | None:
    return (
        Report.objects.filter(hospital=hospital)
        .prefetch_related("cylinders__cylinder_type", "beds")
        .order_by("-reported_at")
        .first()
    )


def recent_reports(hospital_ids, *, now=None, days: int = HISTORY_DAYS) -> dict[int, list]:
    """Each hospital's reports of the last days, oldest first (always its latest one)."""
    now = now or timezone.now()
    reports = defaultdict(list)
    rows = Report.objects.filter(
        hospital_id__in=hospital_ids, reported_at__gte=now - timedelta(days=days)
    ).order_by("reported_at")
    for report in rows:
        reports[report.hospital_id].append(report)
    missing = [pk for pk in hospital_ids if pk not in reports]
    if missing:
        latest = {}
        for report in Report.objects.filter(hospital_id__in=missing).order_by("reported_at"):
            latest[report.hospital_id] = report
        for pk, report in latest.items():
            reports[pk].append(report)
    return reports


def snapshot(report: Report) -> fc.Snapshot:
    return fc.Snapshot(
        at=report.reported_at,
        stock_m3=report.stock_m3,
        delivered_m3=report.delivered_m3,
        patients=report.patients,
    )


@dataclass
class HospitalStatus:
    hospital: Hospital
    forecast: fc.Forecast | None
    last_report: Report | None
    capacity_m3: float
    generation_m3_per_day: float
    reports: list

    @property
    def status(self) -> str:
        return self.forecast.status if self.forecast else "no_report"

    @property
    def sort_hours(self) -> float:
        if self.forecast is None:
            return -1.0
        if self.forecast.hours_left is None:
            return 1e9
        return self.forecast.hours_left

    @property
    def patients_critical(self) -> int:
        if self.last_report is None:
            return 0
        return self.last_report.patients_critical + self.last_report.patients_ventilated

    @property
    def patients_total(self) -> int:
        if self.last_report is None:
            return 0
        return sum(self.last_report.patients.values())


def statuses(hospitals, *, now=None, horizon_days: int = 7, rates=None) -> list[HospitalStatus]:
    """Forecast and status for each hospital, in four queries whatever their number."""
    now = now or timezone.now()
    hospitals = list(hospitals)
    ids = [h.pk for h in hospitals]
    tanks = tank_capacity_litres(ids)
    generated = generation(ids)
    reports = recent_reports(ids, now=now)
    rates = rates or flow_rates()
    answer = []
    for hospital in hospitals:
        own = reports.get(hospital.pk, [])
        gen = generated.get(hospital.pk, 0.0)
        forecast = None
        if own:
            forecast = fc.forecast(
                [snapshot(r) for r in own],
                now=now,
                generation_m3_per_day=gen,
                rates=rates,
                horizon_days=horizon_days,
                stale_after_hours=stale_after_hours(),
            )
        answer.append(
            HospitalStatus(
                hospital=hospital,
                forecast=forecast,
                last_report=own[-1] if own else None,
                capacity_m3=storage_capacity_m3(hospital, tanks.get(hospital.pk, 0.0)),
                generation_m3_per_day=gen,
                reports=own,
            )
        )
    return answer


def status_of(hospital: Hospital, *, now=None, horizon_days: int = 7) -> HospitalStatus:
    return statuses([hospital], now=now, horizon_days=horizon_days)[0]


@dataclass
class BedsRow:
    hospital: Hospital
    bed_type: str
    total: int
    occupied: int
    reported_at: object

    @property
    def available(self) -> int:
        return self.total - self.occupied

    @property
    def bed_type_label(self) -> str:
        return BedType(self.bed_type).label


def public_beds(*, bed_type: str | None = None, regency_code: str | None = None) -> list[BedsRow]:
    """Free beds by hospital and type, from each hospital's latest report with beds."""
    latest_ids = []
    seen = set()
    candidates = (
        Report.objects.filter(beds__isnull=False)
        .order_by("hospital_id", "-reported_at")
        .values_list("hospital_id", "pk")
        .distinct()
    )
    for hospital_id, report_id in candidates:
        if hospital_id not in seen:
            seen.add(hospital_id)
            latest_ids.append(report_id)
    beds = ReportBeds.objects.filter(report_id__in=latest_ids).select_related(
        "report__hospital__agency__region"
    )
    if bed_type:
        beds = beds.filter(bed_type=bed_type)
    if regency_code:
        beds = beds.filter(
            Q(report__hospital__agency__region__code=regency_code)
            | Q(report__hospital__agency__region__code__startswith=regency_code + ".")
        )
    rows = [
        BedsRow(
            hospital=b.report.hospital,
            bed_type=b.bed_type,
            total=b.total,
            occupied=b.occupied,
            reported_at=b.report.reported_at,
        )
        for b in beds
    ]
    rows.sort(key=lambda r: (-r.available, r.hospital.agency.name, r.bed_type))
    return rows


@dataclass
class PlanSchedule:
    lots: list  # AllocationLot, each with .date and .allocated_m3
    deliveries: list  # AllocationDelivery, each with .date; by day, source, hospital
    days: list  # (day, date, [deliveries]) for the page


def plan_schedule(plan) -> PlanSchedule:
    """A plan's supply by source and day and its deliveries, dated from the day the plan
    was made (WITA). Empty for a plan made from one supply figure."""
    from onedata.hospitals.models import AllocationDelivery, AllocationLot

    start = timezone.localtime(plan.created_at).date()
    lots = list(AllocationLot.objects.filter(plan=plan))
    deliveries = list(
        AllocationDelivery.objects.filter(lot__plan=plan)
        .select_related("lot", "line__hospital__agency__region")
        .order_by("lot__day", "lot__source", "line__hospital__agency__name")
    )
    sent = defaultdict(float)
    for delivery in deliveries:
        delivery.date = start + timedelta(days=delivery.lot.day)
        sent[delivery.lot_id] += delivery.amount_m3
    for lot in lots:
        lot.date = start + timedelta(days=lot.day)
        lot.allocated_m3 = sent[lot.pk]
    days = defaultdict(list)
    for delivery in deliveries:
        days[delivery.lot.day].append(delivery)
    return PlanSchedule(
        lots=lots,
        deliveries=deliveries,
        days=[(day, start + timedelta(days=day), days[day]) for day in sorted(days)],
    )
