"""Pages of the hospitals module: report form, dashboard, hospital detail, allocation
plans, and the public free-beds page."""

from __future__ import annotations

import csv
import zoneinfo

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from onedata.core.errors import DomainError
from onedata.hospitals import chart, permissions, selectors, services
from onedata.hospitals import forecast as fc
from onedata.hospitals.forms import (
    BedsFilterForm,
    CompareForm,
    ImportForm,
    PlanForm,
    ReportForm,
)
from onedata.hospitals.models import AllocationLine, AllocationPlan, Hospital

WITA = zoneinfo.ZoneInfo("Asia/Makassar")
STATUS_LABELS = {
    "critical": gettext_lazy("Critical"),
    "warning": gettext_lazy("Warning"),
    "watch": gettext_lazy("Watch"),
    "safe": gettext_lazy("Safe"),
    "no_report": gettext_lazy("No report"),
}
BINDING_LABELS = {
    "no_need": gettext_lazy("uses no oxygen beyond its own generation"),
    "already_covered": gettext_lazy("already covered for the whole horizon"),
    "capacity": gettext_lazy("limited by its free storage"),
    "min_cover": gettext_lazy("raised to the common minimum cover"),
    "horizon_met": gettext_lazy("covered for the whole horizon"),
    "supply": gettext_lazy("the supply ran out before its need was met"),
    "timing": gettext_lazy("runs out before the first oxygen can reach it"),
}


def _hospital(request, hospital_id: int) -> Hospital:
    hospital = (
        Hospital.objects.select_related("agency", "agency__region").filter(pk=hospital_id).first()
    )
    if hospital is None or not permissions.can_view_hospital(request.user, hospital):
        raise Http404
    return hospital


def _plan(request, plan_id: int) -> AllocationPlan:
    plan = AllocationPlan.objects.filter(pk=plan_id).first()
    if plan is None or not permissions.can_view_allocation(request.user, plan):
        raise Http404
    return plan


def home(request):
    user = request.user
    context = {
        "can_dashboard": permissions.can_view_dashboard(user),
        "can_plan": permissions.can_propose_allocation(user),
        "my_hospitals": list(selectors.reporter_hospitals(user)) if user.is_authenticated else [],
    }
    return render(request, "hospitals/home.html", context)


def beds(request):
    if not permissions.can_view_public_beds(request.user):
        raise PermissionDenied
    form = BedsFilterForm(request.GET or None)
    bed_type = regency = None
    if form.is_valid():
        bed_type = form.cleaned_data["bed_type"] or None
        regency = form.cleaned_data["regency"] or None
    rows = selectors.public_beds(bed_type=bed_type, regency_code=regency)
    grouped: dict[int, dict] = {}
    for row in rows:
        entry = grouped.setdefault(
            row.hospital.pk,
            {"hospital": row.hospital, "reported_at": row.reported_at, "rows": [], "free": 0},
        )
        entry["rows"].append(row)
        entry["free"] += row.available
    hospitals = sorted(grouped.values(), key=lambda e: (-e["free"], e["hospital"].name))
    return render(
        request,
        "hospitals/beds.html",
        {"form": form, "hospitals": hospitals, "total_free": sum(r.available for r in rows)},
    )


def _row(status: selectors.HospitalStatus) -> dict:
    f = status.forecast
    return {
        "status": status,
        "hospital": status.hospital,
        "code": status.status,
        "label": STATUS_LABELS[status.status],
        "hours": f.hours_left if f else None,
        "stock": f.stock_m3 if f else None,
        "demand": f.demand_m3_per_day if f else None,
        "stale": f.stale if f else False,
    }


@login_required
def dashboard(request):
    if not permissions.can_view_dashboard(request.user):
        raise PermissionDenied
    statuses = selectors.statuses(selectors.visible_hospitals(request.user))
    rows = [_row(s) for s in statuses]
    sort = request.GET.get("sort", "hours")
    if sort == "name":
        rows.sort(key=lambda r: r["hospital"].name)
    else:
        rows.sort(key=lambda r: (r["status"].sort_hours, r["hospital"].name))
    counts = {code: 0 for code in STATUS_LABELS}
    for row in rows:
        counts[row["code"]] += 1
    stock = sum(r["stock"] or 0 for r in rows)
    net = sum(max(0.0, (r["demand"] or 0) - r["status"].generation_m3_per_day) for r in rows)
    markers = [
        {
            "name": r["hospital"].name,
            "lat": float(r["hospital"].latitude),
            "lon": float(r["hospital"].longitude),
            "status": r["code"],
            "label": str(r["label"]),
            "hours": None if r["hours"] is None else round(r["hours"]),
            "url": f"/rumah-sakit/{r['hospital'].pk}/",
        }
        for r in rows
    ]
    context = {
        "rows": rows,
        "sort": sort,
        "counts": [(code, STATUS_LABELS[code], counts[code]) for code in STATUS_LABELS],
        "stock": stock,
        "demand": net,
        "days_cover": stock / net if net > 0 else None,
        "markers_json": markers,
        "tile_url": settings.MAP_TILE_URL,
        "can_plan": permissions.can_propose_allocation(request.user),
    }
    return render(request, "hospitals/dashboard.html", context)


@login_required
def detail(request, hospital_id: int):
    hospital = _hospital(request, hospital_id)
    now = timezone.now()
    status = selectors.status_of(hospital, now=now)
    history = [(r.reported_at, r.stock_m3) for r in status.reports]
    last = status.last_report
    context = {
        "hospital": hospital,
        "row": _row(status),
        "forecast": status.forecast,
        "chart": chart.build(history, status.forecast, now=now, tz=WITA),
        "last": last,
        "beds": list(last.beds.all()) if last else [],
        "cylinders": list(last.cylinders.select_related("cylinder_type")) if last else [],
        "can_report": permissions.can_submit_report(request.user, hospital),
        "capacity": status.capacity_m3,
        "generation": status.generation_m3_per_day,
        "reports": list(reversed(status.reports))[:10],
        "receipts": list(services.receipts_waiting(hospital))
        if permissions.can_submit_report(request.user, hospital)
        else [],
    }
    return render(request, "hospitals/detail.html", context)


@login_required
def report(request, hospital_id: int):
    hospital = _hospital(request, hospital_id)
    if not permissions.can_submit_report(request.user, hospital):
        raise PermissionDenied
    last = selectors.last_report(hospital)
    first_beds = [b.bed_type for b in last.beds.all()] if last else []
    if request.method == "POST":
        form = ReportForm(request.POST, bed_types_first=first_beds)
        if form.is_valid():
            try:
                services.report_submit(actor=request.user, hospital=hospital, data=form.to_input())
            except DomainError as error:
                form.add_service_errors(error.fields or {"__all__": [error.message]})
            else:
                status = selectors.status_of(hospital)
                messages.success(
                    request,
                    _("Report saved. Status now: %(status)s.")
                    % {"status": STATUS_LABELS[status.status]},
                )
                return redirect("hospitals:detail", hospital_id=hospital.pk)
    else:
        form = ReportForm(
            initial=ReportForm.initial_from(services.report_prefill(hospital)),
            bed_types_first=first_beds,
        )
    return render(
        request, "hospitals/report_form.html", {"form": form, "hospital": hospital, "last": last}
    )


@login_required
def report_import(request, hospital_id: int):
    """A backlog of reports from a CSV file (all rows or none)."""
    hospital = _hospital(request, hospital_id)
    if not permissions.can_submit_report(request.user, hospital):
        raise PermissionDenied
    if request.GET.get("template"):
        return _import_template()
    form = ImportForm(request.POST or None, request.FILES or None)
    row_errors = []
    if request.method == "POST" and form.is_valid():
        try:
            text = services.import_text(form.cleaned_data["file"])
            count = len(
                services.reports_import_csv(actor=request.user, hospital=hospital, text=text)
            )
        except DomainError as error:
            row_errors = [
                (name.split(" ", 1)[1], problems)
                for name, problems in error.fields.items()
                if name.startswith("row ")
            ]
            if row_errors:
                form.add_error("file", _("Nothing was imported: correct these rows."))
            else:
                form.add_error("file", error.message)
        else:
            messages.success(request, _("%(n)d reports imported.") % {"n": count})
            return redirect("hospitals:detail", hospital_id=hospital.pk)
    return render(
        request,
        "hospitals/import.html",
        {"form": form, "hospital": hospital, "row_errors": row_errors},
    )


def _import_template() -> HttpResponse:
    from onedata.hospitals.models import BedType

    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="laporan-oksigen-contoh.csv"'
    columns = ["reported_at", "liquid_value", "liquid_unit", "delivered_liquid_litres"]
    columns += [
        f"{c.code}_{p}"
        for c in services.cylinder_types_all()
        for p in ("full", "empty", "delivered")
    ]
    columns += ["moderate", "severe", "critical", "ventilated"]
    columns += [f"bed_{t}_{p}" for t in BedType.values for p in ("total", "occupied")]
    writer = csv.writer(response)
    writer.writerow(columns)
    example = {
        "reported_at": "2026-07-01T08:00:00+08:00",
        "liquid_value": "55",
        "liquid_unit": "percent",
        "large_full": "10",
        "severe": "4",
    }
    writer.writerow([example.get(c, "") for c in columns])
    return response


@login_required
def plans(request):
    if not permissions.can_propose_allocation(request.user):
        raise PermissionDenied
    form = PlanForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            plan = services.allocation_propose(
                actor=request.user,
                supply_m3=form.cleaned_data["supply_m3"],
                horizon_days=form.cleaned_data["horizon_days"],
                lots=form.cleaned_data["lots"],
            )
        except DomainError as error:
            form.add_service_errors(error.fields or {"__all__": [error.message]})
        else:
            messages.success(request, _("Draft plan made. Check it, then approve it."))
            return redirect("hospitals:plan", plan_id=plan.pk)
    recent = AllocationPlan.objects.select_related("created_by")[:20]
    return render(request, "hospitals/plans.html", {"form": form, "plans": recent})


@login_required
def plans_compare(request):
    """What-if: two plans side by side, nothing saved."""
    if not permissions.can_propose_allocation(request.user):
        raise PermissionDenied
    form = CompareForm(request.GET or None)
    rows, plans = [], None
    if form.is_valid():
        data = form.cleaned_data
        base = selectors.flow_rates()
        rates_b = fc.FlowRates(
            moderate=base.moderate,
            severe=base.severe if data["severe_b"] is None else data["severe_b"],
            critical=base.critical if data["critical_b"] is None else data["critical_b"],
            ventilated=base.ventilated,
        )
        try:
            plan_a, hospitals = services.allocation_preview(
                supply_m3=data["supply_a"], horizon_days=data["horizon_days"]
            )
            plan_b, _hospitals = services.allocation_preview(
                supply_m3=data["supply_b"], horizon_days=data["horizon_days"], rates=rates_b
            )
        except DomainError as error:
            form.add_error(None, error.message)
        else:
            plans = (plan_a, plan_b)
            by_b = {line.hospital_id: line for line in plan_b.lines}
            for line in plan_a.lines:
                rows.append((hospitals[line.hospital_id], line, by_b.get(line.hospital_id)))
            rows.sort(key=lambda r: -(r[1].amount_m3 + (r[2].amount_m3 if r[2] else 0)))
    return render(
        request, "hospitals/plans_compare.html", {"form": form, "rows": rows, "plans": plans}
    )


def _lines(plan: AllocationPlan):
    lines = list(plan.lines.select_related("hospital__agency__region"))
    for line in lines:
        line.binding_label = BINDING_LABELS.get(line.binding, line.binding)
    return lines


@login_required
def plan_detail(request, plan_id: int):
    plan = _plan(request, plan_id)
    return render(
        request,
        "hospitals/plan_detail.html",
        {
            "plan": plan,
            "lines": _lines(plan),
            "schedule": selectors.plan_schedule(plan),
            "can_approve": plan.status == AllocationPlan.Status.DRAFT
            and permissions.can_approve_allocation(request.user, plan),
            "can_dispatch": plan.status == AllocationPlan.Status.APPROVED
            and permissions.can_dispatch_allocation(request.user, plan),
        },
    )


@login_required
@require_POST
def plan_approve(request, plan_id: int):
    plan = _plan(request, plan_id)
    if not permissions.can_approve_allocation(request.user, plan):
        raise PermissionDenied
    try:
        services.allocation_approve(actor=request.user, plan=plan)
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("Plan approved. Next: dispatch the oxygen."))
    return redirect("hospitals:plan", plan_id=plan.pk)


@login_required
@require_POST
def plan_dispatch(request, plan_id: int):
    plan = _plan(request, plan_id)
    if not permissions.can_dispatch_allocation(request.user, plan):
        raise PermissionDenied
    try:
        services.allocation_dispatch(actor=request.user, plan=plan)
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("Plan marked as dispatched."))
    return redirect("hospitals:plan", plan_id=plan.pk)


@login_required
@require_POST
def receipt_confirm(request, line_id: int):
    line = AllocationLine.objects.select_related("hospital__agency__region").filter(pk=line_id)
    line = line.first()
    if line is None or not permissions.can_view_hospital(request.user, line.hospital):
        raise Http404
    if not permissions.can_confirm_receipt(request.user, line):
        raise PermissionDenied
    try:
        services.allocation_receipt_confirm(actor=request.user, line=line)
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("Receipt confirmed: the oxygen is added to your stock."))
    return redirect("hospitals:detail", hospital_id=line.hospital_id)


@login_required
def plan_pdf(request, plan_id: int):
    from onedata.hospitals import pdf

    plan = _plan(request, plan_id)
    created = timezone.localtime(plan.created_at, WITA).strftime("%d/%m/%Y %H:%M")
    lines = [
        _("Oxygen delivery plan #%(id)s (%(status)s)")
        % {"id": plan.pk, "status": plan.get_status_display()},
        _("Made %(when)s WITA. Supply %(supply)s m3, horizon %(days)s days.")
        % {"when": created, "supply": f"{plan.supply_m3:,.0f}", "days": plan.horizon_days},
        "",
        f"{_('Hospital')[:38]:38} {'m3':>9} {_('Hours before')[:12]:>12} "
        f"{_('Hours after')[:12]:>12}",
        "-" * 74,
    ]
    for line in _lines(plan):
        before = "-" if line.cover_hours_before is None else f"{line.cover_hours_before:.0f}"
        after = "-" if line.cover_hours_after is None else f"{line.cover_hours_after:.0f}"
        lines.append(f"{line.hospital.name[:38]:38} {line.amount_m3:9.0f} {before:>12} {after:>12}")
    schedule = selectors.plan_schedule(plan)
    for _day, when, deliveries in schedule.days:
        lines += ["", f"{when:%d/%m/%Y}", "-" * 74]
        for d in deliveries:
            lines.append(
                f"{d.line.hospital.name[:38]:38} {d.lot.source[:24]:24} {d.amount_m3:9.0f}"
            )
    response = HttpResponse(pdf.text_pdf(lines), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="alokasi-oksigen-{plan.pk}.pdf"'
    return response


@login_required
def plan_csv(request, plan_id: int):
    """The delivery plan: one row per hospital, or per hospital, source and day when the
    plan was made from supply by source and day."""
    plan = _plan(request, plan_id)
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="alokasi-oksigen-{plan.pk}.csv"'
    writer = csv.writer(response)
    writer.writerow(
        [
            "hospital",
            "regency",
            "source",
            "day",
            "date",
            "amount_m3",
            "cover_hours_before",
            "cover_hours_after",
            "binding",
        ]
    )
    start = timezone.localtime(plan.created_at, WITA).date()
    schedule = selectors.plan_schedule(plan)
    by_line = {}
    for delivery in schedule.deliveries:
        by_line.setdefault(delivery.line_id, []).append(delivery)

    def hours(value):
        return "" if value is None else f"{value:.1f}"

    for line in _lines(plan):
        parts = [
            (d.lot.source, d.lot.day, d.date, d.amount_m3) for d in by_line.get(line.pk, [])
        ] or [("", 0, start, line.amount_m3)]
        for source, day, when, amount in parts:
            writer.writerow(
                [
                    line.hospital.name,
                    line.hospital.agency.region.name,
                    source,
                    day,
                    when.isoformat(),
                    f"{amount:.3f}",
                    hours(line.cover_hours_before),
                    hours(line.cover_hours_after),
                    line.binding,
                ]
            )
    return response
