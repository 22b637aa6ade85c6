"""The hospitals API, mounted at /api/v1/hospitals/."""

from __future__ import annotations

from datetime import date, datetime

from django.utils.translation import gettext as _
from ninja import Field, File, Query, Router, Schema, Status
from ninja.files import UploadedFile

from onedata.core.errors import NotAuthorized, NotFound, ValidationError
from onedata.hospitals import permissions, selectors, services
from onedata.hospitals.models import AllocationLine, AllocationPlan, BedType, Hospital

router = Router(tags=["hospitals"])


class CylinderIn(Schema):
    type: str = Field(..., max_length=30, description="Cylinder type code: small, medium, large…")
    full: int = 0
    empty: int = 0
    delivered: int = Field(0, description="Full cylinders received since the last report")


class PatientsIn(Schema):
    moderate: int = 0
    severe: int = 0
    critical: int = Field(0, description="Critical / high-flow oxygen")
    ventilated: int = 0


class BedIn(Schema):
    bed_type: str = Field(..., max_length=30, description="A SIRS bed type code")
    total: int
    occupied: int
    available: int | None = Field(None, description="Optional; must equal total - occupied")


class ReportIn(Schema):
    reported_at: datetime | None = Field(None, description="Defaults to now; never future")
    liquid_value: float = Field(0, description="Liquid oxygen level in liquid_unit")
    liquid_unit: str = Field("percent", max_length=10, description="percent, kg or litre")
    delivered_liquid_litres: float = Field(0, description="Liquid received since last report")
    cylinders: list[CylinderIn] = Field(default_factory=list, max_length=20)
    patients: PatientsIn = Field(default_factory=PatientsIn)
    beds: list[BedIn] = Field(default_factory=list, max_length=40)

    def as_input(self) -> services.ReportInput:
        return services.ReportInput(
            reported_at=self.reported_at,
            liquid_value=self.liquid_value,
            liquid_unit=self.liquid_unit,
            delivered_liquid_litres=self.delivered_liquid_litres,
            cylinders={
                c.type: services.CylinderCount(full=c.full, empty=c.empty, delivered=c.delivered)
                for c in self.cylinders
            },
            patients=self.patients.dict(),
            beds={
                b.bed_type: services.BedCount(
                    total=b.total, occupied=b.occupied, available=b.available
                )
                for b in self.beds
            },
        )


class ReportOut(Schema):
    id: int
    hospital_id: int
    reported_at: datetime
    stock_m3: float
    liquid_m3: float
    cylinders_m3: float
    delivered_m3: float
    status: str
    hours_left: float | None


class ForecastOut(Schema):
    hospital_id: int
    name: str
    stock_m3: float | None
    demand_m3_per_day: float | None
    demand_by_day: list[float]
    hours_left: float | None = Field(description="None: lasts past the horizon (or no report)")
    hours_left_low: float | None
    hours_left_high: float | None
    runout_at: datetime | None
    status: str = Field(description="critical, warning, watch, safe or no_report")
    stale: bool
    last_report_at: datetime | None


class HospitalOut(ForecastOut):
    type: str
    regency: str
    latitude: float
    longitude: float
    capacity_m3: float
    generation_m3_per_day: float


class SourceIn(Schema):
    source: str = Field(..., max_length=120, description="Where the oxygen comes from")
    day: int = Field(0, description="When it can be delivered: 0 today, 1 tomorrow…")
    amount_m3: float = Field(..., description="m3 of gas from this source on that day")


class AllocationIn(Schema):
    supply_m3: float | None = Field(
        None,
        description="Oxygen the province can distribute now (m3 of gas). "
        "With `sources`, leave it out (or give their sum).",
    )
    horizon_days: int = Field(7, description="1 to 30 days")
    sources: list[SourceIn] = Field(
        default_factory=list,
        max_length=50,
        description="Optional: the supply by source and day (day within the horizon). "
        "The plan then says what each hospital gets from each source on each day.",
    )

    def lots(self) -> list[services.LotInput] | None:
        if not self.sources:
            return None
        return [services.LotInput(s.source, s.day, s.amount_m3) for s in self.sources]


class SourceOut(Schema):
    source: str
    day: int
    date: date
    amount_m3: float
    allocated_m3: float


class DeliveryOut(Schema):
    hospital_id: int
    hospital_name: str
    source: str
    day: int
    date: date
    amount_m3: float


class AllocationLineOut(Schema):
    hospital_id: int
    hospital_name: str
    amount_m3: float
    cover_hours_before: float | None
    cover_hours_after: float | None
    binding: str


class AllocationOut(Schema):
    id: int
    status: str
    supply_m3: float
    horizon_days: int
    min_cover_hours: float | None
    reserve_m3: float
    solver_status: str
    created_at: datetime
    approved_at: datetime | None
    allocations: list[AllocationLineOut]
    sources: list[SourceOut] = Field(description="The supply by source and day (if given)")
    deliveries: list[DeliveryOut] = Field(
        description="Who gets what from which source on which day (if sources were given)"
    )


class BedsOut(Schema):
    hospital_id: int
    hospital_name: str
    regency: str
    latitude: float
    longitude: float
    phone: str
    bed_type: str
    bed_type_label: str
    total: int
    occupied: int
    available: int
    reported_at: datetime


def _forecast_row(status: selectors.HospitalStatus) -> dict:
    f = status.forecast
    return {
        "hospital_id": status.hospital.pk,
        "name": status.hospital.name,
        "stock_m3": f.stock_m3 if f else None,
        "demand_m3_per_day": f.demand_m3_per_day if f else None,
        "demand_by_day": f.demand_by_day if f else [],
        "hours_left": f.hours_left if f else None,
        "hours_left_low": f.hours_left_low if f else None,
        "hours_left_high": f.hours_left_high if f else None,
        "runout_at": f.runout_at if f else None,
        "status": status.status,
        "stale": f.stale if f else False,
        "last_report_at": status.last_report.reported_at if status.last_report else None,
    }


def _hospital_row(status: selectors.HospitalStatus) -> dict:
    hospital = status.hospital
    return {
        **_forecast_row(status),
        "type": hospital.type,
        "regency": hospital.agency.region.name,
        "latitude": float(hospital.latitude),
        "longitude": float(hospital.longitude),
        "capacity_m3": status.capacity_m3,
        "generation_m3_per_day": status.generation_m3_per_day,
    }


def _plan_out(plan: AllocationPlan) -> dict:
    lines = plan.lines.select_related("hospital__agency")
    schedule = selectors.plan_schedule(plan)
    return {
        "sources": [
            {
                "source": lot.source,
                "day": lot.day,
                "date": lot.date,
                "amount_m3": lot.amount_m3,
                "allocated_m3": lot.allocated_m3,
            }
            for lot in schedule.lots
        ],
        "deliveries": [
            {
                "hospital_id": d.line.hospital_id,
                "hospital_name": d.line.hospital.name,
                "source": d.lot.source,
                "day": d.lot.day,
                "date": d.date,
                "amount_m3": d.amount_m3,
            }
            for d in schedule.deliveries
        ],
        "id": plan.pk,
        "status": plan.status,
        "supply_m3": plan.supply_m3,
        "horizon_days": plan.horizon_days,
        "min_cover_hours": plan.min_cover_hours,
        "reserve_m3": plan.reserve_m3,
        "solver_status": plan.solver_status,
        "created_at": plan.created_at,
        "approved_at": plan.approved_at,
        "allocations": [
            {
                "hospital_id": line.hospital_id,
                "hospital_name": line.hospital.name,
                "amount_m3": line.amount_m3,
                "cover_hours_before": line.cover_hours_before,
                "cover_hours_after": line.cover_hours_after,
                "binding": line.binding,
            }
            for line in lines
        ],
    }


def _hospital(request, hospital_id: int) -> Hospital:
    hospital = (
        Hospital.objects.select_related("agency", "agency__region").filter(pk=hospital_id).first()
    )
    if hospital is None or not permissions.can_view_hospital(request.auth, hospital):
        raise NotFound(_("No such hospital."))
    return hospital


def _plan(request, plan_id: int) -> AllocationPlan:
    plan = AllocationPlan.objects.filter(pk=plan_id).first()
    if plan is None or not permissions.can_view_allocation(request.auth, plan):
        raise NotFound(_("No such allocation plan."))
    return plan


@router.post(
    "/{hospital_id}/reports",
    response={201: ReportOut},
    summary="Submit a report: oxygen stock, deliveries, patients on oxygen, beds",
)
def hospitals_report_create(request, hospital_id: int, payload: ReportIn):
    hospital = _hospital(request, hospital_id)
    if not permissions.can_submit_report(request.auth, hospital):
        raise NotAuthorized(_("You do not report for this hospital."))
    report = services.report_submit(
        actor=request.auth, hospital=hospital, data=payload.as_input(), source="api"
    )
    status = selectors.status_of(hospital)
    return Status(
        201,
        {
            "id": report.pk,
            "hospital_id": hospital.pk,
            "reported_at": report.reported_at,
            "stock_m3": report.stock_m3,
            "liquid_m3": report.liquid_m3,
            "cylinders_m3": report.cylinders_m3,
            "delivered_m3": report.delivered_m3,
            "status": status.status,
            "hours_left": status.forecast.hours_left if status.forecast else None,
        },
    )


class ImportedRowOut(Schema):
    row: int = Field(description="Line in the file (the header is line 1)")
    reported_at: datetime
    stock_m3: float


class ImportOut(Schema):
    imported: int = Field(description="Reports written (0 on a dry run)")
    checked: int
    dry_run: bool
    rows: list[ImportedRowOut]


@router.post(
    "/{hospital_id}/reports/import",
    response={201: ImportOut, 200: ImportOut},
    summary="Import a backlog of reports from CSV (all rows or none)",
    description=(
        "Multipart upload `file` (CSV, at most 2 MB and 2,000 rows; template on the import "
        "page). Every row is checked like a single report, oldest first. One bad row and "
        "nothing is written: the 422 error lists every row at fault in `fields` under "
        "`row <line>`, each message naming its column. `dry_run=true` checks and writes "
        "nothing (200)."
    ),
)
def hospitals_reports_import(
    request,
    hospital_id: int,
    file: File[UploadedFile],
    dry_run: bool = Query(False),  # noqa: B008 - Ninja parameter declaration
):
    hospital = _hospital(request, hospital_id)
    if not permissions.can_submit_report(request.auth, hospital):
        raise NotAuthorized(_("You do not report for this hospital."))
    text = services.import_text(file)
    rows = services.reports_import_csv(
        actor=request.auth, hospital=hospital, text=text, dry_run=dry_run
    )
    body = {
        "imported": 0 if dry_run else len(rows),
        "checked": len(rows),
        "dry_run": dry_run,
        "rows": [r.__dict__ for r in rows],
    }
    return Status(200 if dry_run else 201, body)


@router.get(
    "/",
    response=list[HospitalOut],
    summary="Hospitals you may see, with oxygen status and forecast",
)
def hospitals_list(request):
    if not permissions.can_view_dashboard(request.auth):
        raise NotAuthorized(_("For hospital staff and health analysts."))
    rows = selectors.statuses(selectors.visible_hospitals(request.auth))
    return [_hospital_row(row) for row in rows]


@router.get(
    "/oxygen/forecast",
    response=list[ForecastOut],
    summary="Oxygen forecast per hospital: hours until run-out with a band, status",
)
def hospitals_forecast(request, horizon_days: int = Query(7, ge=1, le=30)):
    if not permissions.can_view_forecast(request.auth):
        raise NotAuthorized(_("For hospital staff and health analysts."))
    rows = selectors.statuses(selectors.visible_hospitals(request.auth), horizon_days=horizon_days)
    return [_forecast_row(row) for row in rows]


@router.post(
    "/oxygen/allocations",
    response={201: AllocationOut},
    summary="Propose an allocation of scarce oxygen (a draft plan)",
)
def hospitals_allocation_create(request, payload: AllocationIn):
    if not permissions.can_propose_allocation(request.auth):
        raise NotAuthorized(_("Only the provincial health office plans allocations."))
    plan = services.allocation_propose(
        actor=request.auth,
        supply_m3=payload.supply_m3,
        horizon_days=payload.horizon_days,
        lots=payload.lots(),
    )
    return Status(201, _plan_out(plan))


@router.get(
    "/oxygen/allocations/{plan_id}",
    response=AllocationOut,
    summary="One allocation plan with each hospital's amount and why",
)
def hospitals_allocation_detail(request, plan_id: int):
    return _plan_out(_plan(request, plan_id))


@router.post(
    "/oxygen/allocations/{plan_id}/approve",
    response=AllocationOut,
    summary="Approve a draft plan (provincial health office)",
)
def hospitals_allocation_approve(request, plan_id: int):
    plan = _plan(request, plan_id)
    if not permissions.can_approve_allocation(request.auth, plan):
        raise NotAuthorized(_("Only the provincial health office approves allocations."))
    return _plan_out(services.allocation_approve(actor=request.auth, plan=plan))


@router.post(
    "/oxygen/allocations/{plan_id}/dispatch",
    response=AllocationOut,
    summary="Mark an approved plan as dispatched (provincial health office)",
)
def hospitals_allocation_dispatch(request, plan_id: int):
    plan = _plan(request, plan_id)
    if not permissions.can_dispatch_allocation(request.auth, plan):
        raise NotAuthorized(_("Only the provincial health office dispatches allocations."))
    return _plan_out(services.allocation_dispatch(actor=request.auth, plan=plan))


@router.post(
    "/{hospital_id}/receipts/{plan_id}",
    response=ReportOut,
    summary="The hospital confirms it received its share of a dispatched plan",
)
def hospitals_receipt_confirm(request, hospital_id: int, plan_id: int):
    hospital = _hospital(request, hospital_id)
    line = AllocationLine.objects.filter(plan_id=plan_id, hospital=hospital).first()
    if line is None:
        raise NotFound(_("This hospital has no share in that plan."))
    if not permissions.can_confirm_receipt(request.auth, line):
        raise NotAuthorized(_("You do not report for this hospital."))
    report = services.allocation_receipt_confirm(actor=request.auth, line=line)
    status = selectors.status_of(hospital)
    return {
        "id": report.pk,
        "hospital_id": hospital.pk,
        "reported_at": report.reported_at,
        "stock_m3": report.stock_m3,
        "liquid_m3": report.liquid_m3,
        "cylinders_m3": report.cylinders_m3,
        "delivered_m3": report.delivered_m3,
        "status": status.status,
        "hours_left": status.forecast.hours_left if status.forecast else None,
    }


@router.get(
    "/beds",
    response=list[BedsOut],
    auth=None,
    summary="Free beds now, by hospital and bed type (public, no login)",
)
def hospitals_beds(request, bed_type: str | None = None, regency: str | None = None):
    if bed_type and bed_type not in BedType.values:
        raise ValidationError.for_field("bed_type", _("Unknown bed type."))
    rows = selectors.public_beds(bed_type=bed_type or None, regency_code=regency or None)
    return [
        {
            "hospital_id": row.hospital.pk,
            "hospital_name": row.hospital.name,
            "regency": row.hospital.agency.region.name,
            "latitude": float(row.hospital.latitude),
            "longitude": float(row.hospital.longitude),
            "phone": row.hospital.phone,
            "bed_type": row.bed_type,
            "bed_type_label": str(row.bed_type_label),
            "total": row.total,
            "occupied": row.occupied,
            "available": row.available,
            "reported_at": row.reported_at,
        }
        for row in rows
    ]
