"""Use cases of the hospitals module. Every write: one transaction, an audit event."""

from __future__ import annotations

import logging
import math
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from functools import partial

from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from onedata.core import audit
from onedata.core.errors import Conflict, DomainError, NotAuthorized, ValidationError
from onedata.core.models import Agency, Membership
from onedata.core.roles import Role
from onedata.hospitals import allocation as alloc
from onedata.hospitals import forecast as fc
from onedata.hospitals import permissions, selectors, units
from onedata.hospitals.models import (
    AlertState,
    AllocationDelivery,
    AllocationLine,
    AllocationLot,
    AllocationPlan,
    BedType,
    CylinderType,
    Hospital,
    Report,
    ReportBeds,
    ReportCylinders,
)

logger = logging.getLogger("onedata.hospitals")

FUTURE_SLACK = timedelta(minutes=5)
MAX_QUANTITY = 10**7
MAX_SUPPLY_M3 = 10**9


@dataclass
class CylinderCount:
    full: int = 0
    empty: int = 0
    delivered: int = 0


@dataclass
class BedCount:
    total: int = 0
    occupied: int = 0
    available: int | None = None


@dataclass
class ReportInput:
    reported_at: datetime | None = None
    liquid_value: float = 0.0
    liquid_unit: str = "percent"
    delivered_liquid_litres: float = 0.0
    cylinders: dict[str, CylinderCount] = field(default_factory=dict)
    patients: dict[str, int] = field(default_factory=dict)
    beds: dict[str, BedCount] = field(default_factory=dict)


class _Errors:
    def __init__(self):
        self.fields: dict[str, list[str]] = {}

    def add(self, name: str, message: str) -> None:
        self.fields.setdefault(name, []).append(message)

    def raise_if_any(self) -> None:
        if self.fields:
            first = next(iter(self.fields.values()))[0]
            raise ValidationError(first, fields=self.fields)


def _number(errors: _Errors, name: str, value, *, integer: bool = False) -> float:
    if value is None or (isinstance(value, float) and not math.isfinite(value)):
        errors.add(name, _("Enter a number."))
        return 0
    if value < 0:
        errors.add(name, _("Cannot be negative."))
        return 0
    if value > MAX_QUANTITY:
        errors.add(name, _("This number is too large."))
        return 0
    if integer and int(value) != value:
        errors.add(name, _("Enter a whole number."))
    return value


def report_submit(
    *, actor, hospital: Hospital, data: ReportInput, source: str = "form", now=None
) -> Report:
    """Check and store one report; stock and deliveries become m3 of gas."""
    now = now or timezone.now()
    if not permissions.can_submit_report(actor, hospital):
        raise NotAuthorized(_("You do not report for this hospital."))
    errors = _Errors()
    reported_at = data.reported_at or now
    if timezone.is_naive(reported_at):
        reported_at = timezone.make_aware(reported_at)
    if reported_at > now + FUTURE_SLACK:
        errors.add("reported_at", _("The report time cannot be in the future."))

    liquid_value = _number(errors, "liquid_value", data.liquid_value)
    delivered_litres = _number(errors, "delivered_liquid_litres", data.delivered_liquid_litres)
    if data.liquid_unit not in Report.LiquidUnit.values:
        errors.add("liquid_unit", _("Choose %, kg or litres."))
    elif data.liquid_unit == "percent" and liquid_value > 100:
        errors.add("liquid_value", _("A tank level cannot be above 100 %."))

    cylinder_types = {c.code: c for c in cylinder_types_all()}
    counts = {}
    for code, count in data.cylinders.items():
        if code not in cylinder_types:
            errors.add(f"cylinders.{code}", _("Unknown cylinder type %(code)s.") % {"code": code})
            continue
        for part in ("full", "empty", "delivered"):
            _number(errors, f"cylinders.{code}.{part}", getattr(count, part), integer=True)
        counts[code] = count

    for severity, number in data.patients.items():
        if severity not in fc.SEVERITIES:
            errors.add(f"patients.{severity}", _("Unknown severity."))
        else:
            _number(errors, f"patients.{severity}", number, integer=True)

    for bed_type, beds in data.beds.items():
        name = f"beds.{bed_type}"
        if bed_type not in BedType.values:
            errors.add(name, _("Unknown bed type %(type)s.") % {"type": bed_type})
            continue
        _number(errors, f"{name}.total", beds.total, integer=True)
        _number(errors, f"{name}.occupied", beds.occupied, integer=True)
        if beds.occupied > beds.total:
            errors.add(f"{name}.occupied", _("Occupied beds cannot be more than the total."))
        if beds.available is not None and beds.available != beds.total - beds.occupied:
            errors.add(f"{name}.available", _("Free beds must equal total minus occupied."))
    errors.raise_if_any()

    with transaction.atomic():
        # One report at a time per hospital: the order check below needs it.
        hospital = Hospital.objects.select_for_update().get(pk=hospital.pk)
        previous = Report.objects.filter(hospital=hospital).order_by("-reported_at").first()
        if previous is not None and reported_at <= previous.reported_at:
            errors.add(
                "reported_at", _("The report time must be after the previous report's time.")
            )
        tank_litres = selectors.tank_capacity_litres([hospital.pk]).get(hospital.pk, 0.0)
        liquid_m3 = 0.0
        if data.liquid_unit == "percent" and liquid_value > 0 and tank_litres <= 0:
            errors.add("liquid_value", _("This hospital has no liquid oxygen tank registered."))
        else:
            litres = units.liquid_to_litres(liquid_value, data.liquid_unit, tank_litres)
            if tank_litres > 0 and litres > tank_litres * 1.0001:
                errors.add(
                    "liquid_value",
                    _("More than the tanks hold (%(litres)s litres).")
                    % {"litres": f"{tank_litres:g}"},
                )
            elif tank_litres <= 0 and litres > 0:
                errors.add("liquid_value", _("This hospital has no liquid oxygen tank registered."))
            liquid_m3 = units.liquid_litres_to_m3(litres)
        volumes = {code: cylinder_types[code].volume_m3 for code in counts}
        cylinders_m3 = units.cylinders_to_m3({c: n.full for c, n in counts.items()}, volumes)
        if hospital.cylinder_storage_m3 > 0 and cylinders_m3 > hospital.cylinder_storage_m3:
            errors.add(
                "cylinders",
                _("More full cylinders than the store holds (%(m3)s m3).")
                % {"m3": f"{hospital.cylinder_storage_m3:g}"},
            )
        errors.raise_if_any()
        delivered_m3 = units.liquid_litres_to_m3(delivered_litres) + units.cylinders_to_m3(
            {c: n.delivered for c, n in counts.items()}, volumes
        )
        report = Report.objects.create(
            hospital=hospital,
            reported_at=reported_at,
            created_by=actor if getattr(actor, "is_authenticated", False) else None,
            liquid_value=liquid_value,
            liquid_unit=data.liquid_unit,
            delivered_liquid_litres=delivered_litres,
            patients_moderate=int(data.patients.get("moderate", 0)),
            patients_severe=int(data.patients.get("severe", 0)),
            patients_critical=int(data.patients.get("critical", 0)),
            patients_ventilated=int(data.patients.get("ventilated", 0)),
            liquid_m3=liquid_m3,
            cylinders_m3=cylinders_m3,
            stock_m3=liquid_m3 + cylinders_m3,
            delivered_m3=delivered_m3,
            source=source,
        )
        ReportCylinders.objects.bulk_create(
            ReportCylinders(
                report=report,
                cylinder_type=cylinder_types[code],
                full=int(n.full),
                empty=int(n.empty),
                delivered=int(n.delivered),
            )
            for code, n in counts.items()
        )
        ReportBeds.objects.bulk_create(
            ReportBeds(report=report, bed_type=t, total=int(b.total), occupied=int(b.occupied))
            for t, b in data.beds.items()
        )
        audit.record(
            actor=actor,
            action="hospitals.report_submit",
            obj=report,
            after={
                "stock_m3": round(report.stock_m3, 3),
                "delivered_m3": round(delivered_m3, 3),
                "patients": report.patients,
                "source": source,
            },
        )
        hospital_id = hospital.pk
        transaction.on_commit(lambda: alerts_check(hospital_id=hospital_id))
    return report


def cylinder_types_all() -> list[CylinderType]:
    """The cylinder types; the Indonesian defaults (small 1, medium 2, large 6 m3) are
    put back if the table is empty (a data migration adds them; a flushed test database
    or a careless clean-up loses them)."""
    types = list(CylinderType.objects.all())
    if types:
        return types
    for code, volume in units.DEFAULT_CYLINDERS.items():
        CylinderType.objects.get_or_create(
            code=code, defaults={"name": code.capitalize(), "volume_m3": volume}
        )
    return list(CylinderType.objects.all())


def report_prefill(hospital: Hospital) -> ReportInput:
    """The last report's values, for the form to start from."""
    last = selectors.last_report(hospital)
    if last is None:
        return ReportInput()
    return ReportInput(
        liquid_value=last.liquid_value,
        liquid_unit=last.liquid_unit,
        cylinders={
            c.cylinder_type.code: CylinderCount(full=c.full, empty=c.empty)
            for c in last.cylinders.all()
        },
        patients=last.patients,
        beds={b.bed_type: BedCount(total=b.total, occupied=b.occupied) for b in last.beds.all()},
    )


# Alerts ------------------------------------------------------------------------------

LEVEL_RANK = {"safe": 0, "watch": 1, "warning": 2, "critical": 3}
LEVEL_HOURS = {"watch": 48, "warning": 24, "critical": 12}


def _covering_codes(hospital: Hospital) -> list[str]:
    region = hospital.agency.region
    codes = [region.code]
    parent = region.parent
    while parent is not None:
        codes.append(parent.code)
        parent = parent.parent
    return codes


def alert_recipients(hospital: Hospital) -> list[str]:
    """The hospital's reporters and the health analysts whose region covers it."""
    codes = _covering_codes(hospital)
    reporters = Membership.objects.filter(
        agency_id=hospital.agency_id, role=Role.HOSPITAL_REPORTER, user__is_active=True
    ).values_list("user__username", flat=True)
    analysts = Membership.objects.filter(
        role=Role.HEALTH_ANALYST, agency__region__code__in=codes, user__is_active=True
    ).values_list("user__username", flat=True)
    return sorted(set(reporters) | set(analysts))


def alert_mail_addresses(hospital: Hospital) -> list[str]:
    """Where the alert is mailed: the e-mail of every recipient person, and the office
    address of each health office (the agencies of the covering health analysts, such as
    Dinkes Bali) and of the hospital itself."""
    codes = _covering_codes(hospital)
    people = Membership.objects.filter(
        Q(agency_id=hospital.agency_id, role=Role.HOSPITAL_REPORTER)
        | Q(role=Role.HEALTH_ANALYST, agency__region__code__in=codes),
        user__is_active=True,
    ).values_list("user__email", "agency__email")
    addresses = {hospital.agency.email}
    for person, office in people:
        addresses.update((person, office))
    return sorted(a.strip().lower() for a in addresses if a and a.strip())


def alerts_check(*, hospital_id: int, now=None) -> str | None:
    """Send an alert when the hospital's cover crosses 48, 24 or 12 hours (once per
    crossing: the level is remembered, and only a move to a worse level sends), or when
    its report goes stale. Returns the level alerted, if any."""
    hospital = Hospital.objects.select_related("agency", "agency__region").get(pk=hospital_id)
    status = selectors.status_of(hospital, now=now)
    if status.forecast is None:
        return None
    level = status.forecast.status
    stale = status.forecast.stale
    sent = None
    with transaction.atomic():
        state, _created = AlertState.objects.get_or_create(hospital=hospital)
        state = AlertState.objects.select_for_update().get(pk=state.pk)
        worse = LEVEL_RANK[level] > LEVEL_RANK.get(state.level, 0)
        changed_fields = []
        if level != state.level:
            state.level = level
            changed_fields.append("level")
        stale_news = stale and not state.stale_alerted
        if stale != state.stale_alerted:
            state.stale_alerted = stale
            changed_fields.append("stale_alerted")
        if changed_fields:
            state.save(update_fields=[*changed_fields, "changed_at"])
        recipients = alert_recipients(hospital) if (worse or stale_news) else []
        mail = alert_mail_addresses(hospital) if recipients else []
        hours = status.forecast.hours_left
        if worse and recipients:
            sent = level
            subject = _("Oxygen at %(hospital)s: less than %(hours)d hours left") % {
                "hospital": hospital.name,
                "hours": LEVEL_HOURS[level],
            }
            text = _(
                "Forecast for %(hospital)s: about %(left)s hours of oxygen left "
                "(stock %(stock)s m3, use %(use)s m3/day). Please check the dashboard."
            ) % {
                "hospital": hospital.name,
                "left": f"{hours:.0f}" if hours is not None else "-",
                "stock": f"{status.forecast.stock_m3:.0f}",
                "use": f"{status.forecast.demand_m3_per_day:.0f}",
            }
            transaction.on_commit(partial(_notify, recipients, mail, subject, text))
        if stale_news and recipients:
            sent = sent or "stale"
            subject = _("No recent oxygen report from %(hospital)s") % {"hospital": hospital.name}
            text = _("The last report from %(hospital)s is %(age)d hours old.") % {
                "hospital": hospital.name,
                "age": int(status.forecast.report_age_hours),
            }
            transaction.on_commit(partial(_notify, recipients, mail, subject, text))
    return sent


def _notify(recipients: list[str], mail: list[str], subject: str, text: str) -> None:
    """Through the notification service: one in-app message per person, and one e-mail
    per address (people and health offices; nobody sees another's address). A refused
    message never undoes the report."""
    from onedata.notifications import services as notify

    sends = [("inapp", username) for username in recipients]
    sends += [("email", address) for address in mail]
    for channel, target in sends:
        try:
            notify.send(
                module="hospitals",
                to=[target],
                channel=channel,
                subject=subject,
                text=text,
                tags=["hospitals", "oxygen-alert"],
            )
        except DomainError:
            logger.exception("Oxygen alert to %s (%s) not accepted", target, channel)


def alerts_check_all(*, now=None) -> int:
    """For the periodic task: staleness only shows when time passes without reports."""
    sent = 0
    for pk in Hospital.objects.values_list("pk", flat=True):
        if alerts_check(hospital_id=pk, now=now):
            sent += 1
    return sent


# Allocation --------------------------------------------------------------------------


def weight_for(status: selectors.HospitalStatus) -> float:
    """Critical and ventilated patients make a hospital's shortfall weigh up to 3x."""
    total = status.patients_total
    if total <= 0:
        return 1.0
    return 1.0 + 2.0 * status.patients_critical / total


def needs_for(statuses: list[selectors.HospitalStatus]) -> list[alloc.Need]:
    needs = []
    for status in statuses:
        if status.forecast is None:
            continue
        stock = status.forecast.stock_m3
        needs.append(
            alloc.Need(
                hospital_id=status.hospital.pk,
                stock_m3=stock,
                demand_m3_per_day=status.forecast.demand_m3_per_day - status.generation_m3_per_day,
                free_capacity_m3=max(0.0, status.capacity_m3 - stock),
                weight=weight_for(status),
            )
        )
    return needs


MAX_LOTS = 50


@dataclass(frozen=True)
class LotInput:
    source: str
    day: int
    amount_m3: float


def _check_plan_input(supply_m3, horizon_days, lots=None) -> float:
    """Check the plan's input; returns the supply (the lots' sum when lots are given)."""
    errors = _Errors()
    if not isinstance(horizon_days, int) or not 1 <= horizon_days <= 30:
        errors.add("horizon_days", _("Choose between 1 and 30 days."))
    if lots:
        if len(lots) > MAX_LOTS:
            errors.add("sources", _("At most %(n)d sources and days.") % {"n": MAX_LOTS})
        total = 0.0
        seen = set()
        for k, lot in enumerate(lots):
            where = f"sources[{k}]"
            source = (lot.source or "").strip()
            if not source:
                errors.add(f"{where}.source", _("Name the source."))
            elif len(source) > 120:
                errors.add(f"{where}.source", _("At most 120 characters."))
            if not isinstance(lot.day, int) or lot.day < 0:
                errors.add(
                    f"{where}.day", _("Enter a whole number of days from today (0 = today).")
                )
            elif isinstance(horizon_days, int) and lot.day >= horizon_days:
                errors.add(
                    f"{where}.day",
                    _("The day must fall within the horizon (0 to %(last)d).")
                    % {"last": horizon_days - 1},
                )
            amount = lot.amount_m3
            if amount is None or not math.isfinite(amount):
                errors.add(f"{where}.amount_m3", _("Enter a number."))
            elif amount < 0:
                errors.add(f"{where}.amount_m3", _("Cannot be negative."))
            elif amount > MAX_SUPPLY_M3:
                errors.add(f"{where}.amount_m3", _("This number is too large."))
            else:
                total += amount
            if (source, lot.day) in seen:
                errors.add(f"{where}.source", _("This source is already listed for that day."))
            seen.add((source, lot.day))
        if supply_m3 is not None and errors.fields == {} and abs(supply_m3 - total) > 1e-6:
            errors.add(
                "supply_m3",
                _("Leave it out, or make it the sources' sum (%(sum)s m3).")
                % {"sum": f"{total:g}"},
            )
        errors.raise_if_any()
        return total
    if supply_m3 is None or not math.isfinite(supply_m3):
        errors.add("supply_m3", _("Enter a number."))
    elif supply_m3 < 0:
        errors.add("supply_m3", _("Cannot be negative."))
    elif supply_m3 > MAX_SUPPLY_M3:
        errors.add("supply_m3", _("This number is too large."))
    errors.raise_if_any()
    return supply_m3


def allocation_preview(
    *,
    supply_m3: float | None,
    horizon_days: int = 7,
    hospitals=None,
    now=None,
    rates=None,
    lots: list[LotInput] | None = None,
) -> tuple[alloc.Plan, dict[int, Hospital]]:
    """The plan without saving it (for what-if comparisons). With ``lots`` (source, day,
    m3) the supply comes by source and day, and the plan says what each hospital gets
    from each."""
    supply_m3 = _check_plan_input(supply_m3, horizon_days, lots)
    if hospitals is None:
        hospitals = Hospital.objects.select_related("agency", "agency__region")
    statuses = selectors.statuses(hospitals, now=now, horizon_days=horizon_days, rates=rates)
    needs = needs_for(statuses)
    if lots:
        plan = alloc.allocate_lots(
            needs,
            [alloc.Lot(lot.source.strip(), lot.day, float(lot.amount_m3)) for lot in lots],
            horizon_days,
        )
    else:
        plan = alloc.allocate(needs, supply_m3, horizon_days)
    return plan, {s.hospital.pk: s.hospital for s in statuses}


def allocation_propose(
    *,
    actor,
    supply_m3: float | None,
    horizon_days: int = 7,
    now=None,
    rates=None,
    lots: list[LotInput] | None = None,
) -> AllocationPlan:
    """A draft plan for all hospitals of the province (optionally by source and day)."""
    if not permissions.can_propose_allocation(actor):
        raise NotAuthorized(_("Only the provincial health office plans allocations."))
    plan, _hospitals = allocation_preview(
        supply_m3=supply_m3, horizon_days=horizon_days, now=now, rates=rates, lots=lots
    )
    if plan.solver_status not in ("optimal", "no_demand", "no_supply"):
        raise Conflict(_("The solver found no plan (%(status)s).") % {"status": plan.solver_status})
    with transaction.atomic():
        saved = AllocationPlan.objects.create(
            created_by=actor,
            supply_m3=plan.supply_m3,
            horizon_days=horizon_days,
            min_cover_hours=plan.min_cover_hours,
            reserve_m3=plan.reserve_m3,
            solver_status=plan.solver_status,
        )
        lines = AllocationLine.objects.bulk_create(
            AllocationLine(
                plan=saved,
                hospital_id=line.hospital_id,
                amount_m3=line.amount_m3,
                cover_hours_before=line.cover_hours_before,
                cover_hours_after=line.cover_hours_after,
                binding=line.binding,
            )
            for line in plan.lines
        )
        if plan.lots:
            saved_lots = AllocationLot.objects.bulk_create(
                AllocationLot(plan=saved, source=lot.source, day=lot.day, amount_m3=lot.amount_m3)
                for lot in plan.lots
            )
            lot_ids = {(lot.source, lot.day): lot.pk for lot in saved_lots}
            if None in lot_ids.values():  # backends that return no keys from bulk_create
                lot_ids = {(x.source, x.day): x.pk for x in saved.lots.all()}
            line_ids = {line.hospital_id: line.pk for line in lines}
            if None in line_ids.values():
                line_ids = {x.hospital_id: x.pk for x in saved.lines.all()}
            AllocationDelivery.objects.bulk_create(
                AllocationDelivery(
                    line_id=line_ids[d.hospital_id],
                    lot_id=lot_ids[(d.source, d.day)],
                    amount_m3=d.amount_m3,
                )
                for d in plan.deliveries
            )
        audit.record(
            actor=actor,
            action="hospitals.allocation_propose",
            obj=saved,
            after={
                "supply_m3": plan.supply_m3,
                "horizon_days": horizon_days,
                "min_cover_hours": plan.min_cover_hours,
                "allocated_m3": round(plan.allocated_m3, 3),
                "lots": [[lot.source, lot.day, lot.amount_m3] for lot in plan.lots],
            },
        )
    return saved


def _move(*, actor, plan: AllocationPlan, frm: str, to: str, action: str, **stamp):
    with transaction.atomic():
        # One conditional UPDATE: two approvers at once cannot both move the plan.
        moved = AllocationPlan.objects.filter(pk=plan.pk, status=frm).update(status=to, **stamp)
        if not moved:
            raise Conflict(
                _("This plan is no longer %(status)s.")
                % {"status": AllocationPlan.Status(frm).label}
            )
        plan.refresh_from_db()
        audit.record(
            actor=actor, action=action, obj=plan, before={"status": frm}, after={"status": to}
        )
    return plan


def allocation_approve(*, actor, plan: AllocationPlan, now=None) -> AllocationPlan:
    if not permissions.can_approve_allocation(actor, plan):
        raise NotAuthorized(_("Only the provincial health office approves allocations."))
    return _move(
        actor=actor,
        plan=plan,
        frm=AllocationPlan.Status.DRAFT,
        to=AllocationPlan.Status.APPROVED,
        action="hospitals.allocation_approve",
        approved_by=actor,
        approved_at=now or timezone.now(),
    )


def allocation_dispatch(*, actor, plan: AllocationPlan, now=None) -> AllocationPlan:
    if not permissions.can_dispatch_allocation(actor, plan):
        raise NotAuthorized(_("Only the provincial health office dispatches allocations."))
    return _move(
        actor=actor,
        plan=plan,
        frm=AllocationPlan.Status.APPROVED,
        to=AllocationPlan.Status.DISPATCHED,
        action="hospitals.allocation_dispatch",
        dispatched_at=now or timezone.now(),
    )


def hospital_for_agency(agency: Agency) -> Hospital | None:
    return Hospital.objects.filter(agency=agency).first()


def allocation_receipt_confirm(*, actor, line: AllocationLine, now=None) -> Report:
    """The hospital confirms it received its share: its stock goes up by the amount (a
    report copying the last one, the gas counted as received cylinders/liquid), and the
    plan is marked received once every hospital with an amount has confirmed."""
    if not permissions.can_confirm_receipt(actor, line):
        raise NotAuthorized(_("You do not report for this hospital."))
    now = now or timezone.now()
    with transaction.atomic():
        line = AllocationLine.objects.select_for_update().select_related("plan").get(pk=line.pk)
        if line.plan.status != AllocationPlan.Status.DISPATCHED:
            raise Conflict(_("This plan has not been dispatched."))
        if line.received_at is not None:
            raise Conflict(_("This delivery was already confirmed."))
        hospital = Hospital.objects.select_for_update().get(pk=line.hospital_id)
        last = Report.objects.filter(hospital=hospital).order_by("-reported_at").first()
        at = max(now, last.reported_at + timedelta(seconds=1)) if last else now
        report = Report.objects.create(
            hospital=hospital,
            reported_at=at,
            created_by=actor if getattr(actor, "is_authenticated", False) else None,
            liquid_value=last.liquid_value if last else 0,
            liquid_unit=last.liquid_unit if last else Report.LiquidUnit.PERCENT,
            patients_moderate=last.patients_moderate if last else 0,
            patients_severe=last.patients_severe if last else 0,
            patients_critical=last.patients_critical if last else 0,
            patients_ventilated=last.patients_ventilated if last else 0,
            liquid_m3=last.liquid_m3 if last else 0,
            cylinders_m3=(last.cylinders_m3 if last else 0) + line.amount_m3,
            stock_m3=(last.stock_m3 if last else 0) + line.amount_m3,
            delivered_m3=line.amount_m3,
            source="receipt",
        )
        line.received_at = now
        line.save(update_fields=["received_at"])
        waiting = AllocationLine.objects.filter(
            plan_id=line.plan_id, amount_m3__gt=0, received_at__isnull=True
        ).exists()
        if not waiting:
            AllocationPlan.objects.filter(
                pk=line.plan_id, status=AllocationPlan.Status.DISPATCHED
            ).update(status=AllocationPlan.Status.RECEIVED)
        audit.record(
            actor=actor,
            action="hospitals.allocation_receipt_confirm",
            obj=line,
            after={"amount_m3": line.amount_m3, "report": report.pk},
        )
        hospital_id = hospital.pk
        transaction.on_commit(lambda: alerts_check(hospital_id=hospital_id))
    return report


def receipts_waiting(hospital: Hospital):
    return AllocationLine.objects.filter(
        hospital=hospital,
        plan__status=AllocationPlan.Status.DISPATCHED,
        received_at__isnull=True,
        amount_m3__gt=0,
    ).select_related("plan")


MAX_IMPORT_ROWS = 2000


def _csv_number(row: dict, name: str, errors: _Errors, where: str, *, integer=False):
    raw = (row.get(name) or "").strip().replace(",", ".")
    if raw == "":
        return 0
    try:
        value = float(raw)
    except ValueError:
        errors.add(where, _("%(column)s is not a number.") % {"column": name})
        return 0
    return int(value) if integer and value == int(value) else value


def _csv_column(field_name: str) -> str:
    """The CSV column a report field comes from: beds.hcu.occupied -> bed_hcu_occupied."""
    parts = field_name.split(".")
    if parts[0] == "beds" and len(parts) == 3:
        return f"bed_{parts[1]}_{parts[2]}"
    if parts[0] == "cylinders" and len(parts) == 3:
        return f"{parts[1]}_{parts[2]}"
    if parts[0] == "patients" and len(parts) == 2:
        return parts[1]
    return field_name


@dataclass(frozen=True)
class ImportedRow:
    row: int  # line number in the file (the header is line 1)
    reported_at: datetime
    stock_m3: float


def import_text(upload, *, field_name: str = "file", max_bytes: int = 2 * 1024 * 1024) -> str:
    """The text of an uploaded CSV (checked like every upload; UTF-8, or Latin-1)."""
    from onedata.core import uploads

    if upload.size > max_bytes:
        raise ValidationError.for_field(field_name, _("The file is larger than 2 MB."))
    checked = uploads.check_upload(upload, uploads.DATASET_FILE, field=field_name)
    if checked.extension != "csv":
        raise ValidationError.for_field(field_name, _("Upload a CSV file."))
    with checked.open() as handle:
        raw = handle.read()
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        return raw.decode("latin-1")


def reports_import_csv(
    *, actor, hospital: Hospital, text: str, now=None, dry_run: bool = False
) -> list[ImportedRow]:
    """A backlog of reports from CSV, oldest first; all or nothing.

    Every row is checked like a report from the form; one bad row and nothing is written:
    the ``ValidationError`` lists every row at fault under ``"row <line>"``, each message
    naming its column. ``dry_run`` checks everything and writes nothing. Returns one
    entry per imported row.

    Columns (any missing one counts as 0 or empty): reported_at (ISO 8601, WITA when it
    has no offset), liquid_value, liquid_unit, delivered_liquid_litres,
    <cylinder code>_full / _empty / _delivered (small, medium, large…), moderate, severe,
    critical, ventilated, bed_<bed type>_total / _occupied.
    """
    import csv
    import io

    from django.utils.dateparse import parse_datetime

    if not permissions.can_submit_report(actor, hospital):
        raise NotAuthorized(_("You do not report for this hospital."))
    rows = list(csv.DictReader(io.StringIO(text)))
    errors = _Errors()
    if not rows:
        raise ValidationError.for_field("file", _("The file has no rows."))
    if len(rows) > MAX_IMPORT_ROWS:
        raise ValidationError.for_field(
            "file", _("At most %(n)d rows in one file.") % {"n": MAX_IMPORT_ROWS}
        )
    codes = [c.code for c in cylinder_types_all()]
    parsed = []
    for number, row in enumerate(rows, start=2):
        where = f"row {number}"
        raw_at = (row.get("reported_at") or "").strip()
        try:
            at = parse_datetime(raw_at)
        except ValueError:
            at = None
        if at is None:
            errors.add(where, _("reported_at: missing or not a date and time."))
            continue
        if timezone.is_naive(at):
            at = timezone.make_aware(at)
        data = ReportInput(
            reported_at=at,
            liquid_value=_csv_number(row, "liquid_value", errors, where),
            liquid_unit=(row.get("liquid_unit") or "percent").strip(),
            delivered_liquid_litres=_csv_number(row, "delivered_liquid_litres", errors, where),
            cylinders={
                code: CylinderCount(
                    full=_csv_number(row, f"{code}_full", errors, where, integer=True),
                    empty=_csv_number(row, f"{code}_empty", errors, where, integer=True),
                    delivered=_csv_number(row, f"{code}_delivered", errors, where, integer=True),
                )
                for code in codes
                if any(row.get(f"{code}_{p}") for p in ("full", "empty", "delivered"))
            },
            patients={s: _csv_number(row, s, errors, where, integer=True) for s in fc.SEVERITIES},
            beds={
                t: BedCount(
                    total=_csv_number(row, f"bed_{t}_total", errors, where, integer=True),
                    occupied=_csv_number(row, f"bed_{t}_occupied", errors, where, integer=True),
                )
                for t in BedType.values
                if row.get(f"bed_{t}_total") or row.get(f"bed_{t}_occupied")
            },
        )
        parsed.append((number, data))
    parsed.sort(key=lambda item: item[1].reported_at)
    imported = []
    with transaction.atomic():
        for number, data in parsed:
            try:
                report = report_submit(
                    actor=actor, hospital=hospital, data=data, source="csv", now=now
                )
            except ValidationError as error:
                for name, messages in error.fields.items():
                    for message in messages:
                        errors.add(f"row {number}", f"{_csv_column(name)}: {message}")
            else:
                imported.append(ImportedRow(number, report.reported_at, report.stock_m3))
        if errors.fields:
            transaction.set_rollback(True)
            bad = len(errors.fields)
            raise ValidationError(
                _("Nothing was imported: %(n)d rows have errors.") % {"n": bad},
                fields=dict(sorted(errors.fields.items(), key=lambda kv: int(kv[0].split()[1]))),
            )
        if dry_run:
            transaction.set_rollback(True)
        else:
            audit.record(
                actor=actor,
                action="hospitals.reports_import_csv",
                obj=hospital,
                after={"rows": len(imported)},
            )
    return sorted(imported, key=lambda r: r.row)
