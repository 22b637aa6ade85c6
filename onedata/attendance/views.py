"""Pages of the attendance module: the employee's (check in/out, month, leave, TPP),
the supervisor's (team today, decisions) and HR's (offices, import, enrolment, reports)."""

from __future__ import annotations

import csv
from datetime import date

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Count, Q
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from onedata.attendance import exports, forms, importer, permissions, selectors, services, tpp
from onedata.attendance.leave import as_days
from onedata.attendance.models import (
    AllowanceAdjustment,
    CheckIn,
    Employee,
    FaceTemplate,
    Holiday,
    ImportJob,
    LeaveRequest,
    LeaveType,
    Office,
    RamadanPeriod,
    Schedule,
    ShiftAssignment,
)
from onedata.core import scope
from onedata.core.errors import DomainError
from onedata.core.roles import Role

STATUS_BADGE = {
    "present": "badge-ok",
    "wfh": "badge-ok",
    "travel": "badge-ok",
    "accepted": "badge-ok",
    "approved": "badge-ok",
    "absent": "badge-danger",
    "rejected": "badge-danger",
    "pending": "badge-warn",
    "verified": "badge-warn",
    "leave": "badge-neutral",
    "sick": "badge-neutral",
    "holiday": "badge-neutral",
    "off": "badge-neutral",
    "upcoming": "badge-neutral",
    "cancelled": "badge-neutral",
}
STATUS_WORDS = {
    "present": gettext_lazy("Present"),
    "absent": gettext_lazy("Absent"),
    "leave": gettext_lazy("Leave"),
    "sick": gettext_lazy("Sick"),
    "travel": gettext_lazy("Official travel"),
    "wfh": gettext_lazy("Work from home"),
    "holiday": gettext_lazy("Holiday"),
    "off": gettext_lazy("Day off"),
    "upcoming": gettext_lazy("Not yet"),
}


def _next_url(request, default: str) -> str:
    target = request.POST.get("next", "")
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return reverse(default)


def _words(status: str) -> str:
    return str(STATUS_WORDS.get(status, status))


def _day_rows(days):
    return [
        {
            "date": d.date,
            "status": d.result.status.value,
            "label": _words(d.result.status.value),
            "badge": STATUS_BADGE.get(d.result.status.value, "badge-neutral"),
            "result": d.result,
        }
        for d in days
    ]


def _month_nav(month: date) -> dict:
    previous = (month.replace(day=1) - timezone.timedelta(days=1)).replace(day=1)
    following = (month.replace(day=28) + timezone.timedelta(days=4)).replace(day=1)
    return {"month": month, "previous": previous, "following": following}


# --- employee ----------------------------------------------------------------------------


def home(request):
    if not request.user.is_authenticated:
        return render(request, "attendance/home.html", {"anonymous": True})
    employee = services.employee_of(request.user)
    context = {
        "employee": employee,
        "is_supervisor": Employee.objects.filter(supervisor__user=request.user).exists(),
        "is_hr": permissions.can_use_hr_pages(request.user),
    }
    if employee is None:
        return render(request, "attendance/home.html", context)
    form = forms.CheckInForm(initial={"kind": _default_kind(employee)})
    result = None
    status = 200
    if request.method == "POST":
        received_at = timezone.now()
        form = forms.CheckInForm(request.POST, request.FILES)
        if form.is_valid():
            try:
                result = services.checkin_record(
                    actor=request.user,
                    employee=employee,
                    kind=form.cleaned_data["kind"],
                    photo=form.cleaned_data["photo"],
                    lat=form.cleaned_data["lat"],
                    lon=form.cleaned_data["lon"],
                    accuracy_m=form.cleaned_data["accuracy_m"] or None,
                    note=form.cleaned_data["note"],
                    frames=request.FILES.getlist("frames"),
                    received_at=received_at,
                )
            except DomainError as error:
                if error.status == 403:
                    raise PermissionDenied from error
                forms.add_errors(form, error)
                if "lat" in error.fields or "lon" in error.fields:
                    form.add_error(
                        None, _("Your location is needed. Allow location access and try again.")
                    )
                status = 422
        else:
            status = 422
        if result is not None:
            form = forms.CheckInForm(initial={"kind": _default_kind(employee)})
    today = selectors.today_of([employee])[0][1]
    attempts = CheckIn.objects.filter(
        employee=employee, work_date=timezone.localdate()
    ).select_related("location")
    context |= {
        "form": form,
        "result": result,
        "result_messages": [services.reason_text(c) for c in result.reasons] if result else [],
        "today": today,
        "today_label": _words(today.result.status.value),
        "today_badge": STATUS_BADGE.get(today.result.status.value, "badge-neutral"),
        "attempts": attempts,
        "faces": FaceTemplate.objects.filter(employee=employee).count(),
        "badges": STATUS_BADGE,
        "liveness": services.liveness_required(employee),
    }
    return render(request, "attendance/home.html", context, status=status)


def _default_kind(employee: Employee) -> str:
    checked_in = CheckIn.objects.filter(
        employee=employee,
        work_date=timezone.localdate(),
        kind=CheckIn.Kind.IN,
        status__in=[CheckIn.Status.ACCEPTED, CheckIn.Status.PENDING],
    ).exists()
    return "out" if checked_in else "in"


def _own_employee(request) -> Employee:
    employee = services.employee_of(request.user)
    if employee is None:
        raise Http404(_("You are not registered as an employee."))
    return employee


def _viewable_employee(request) -> Employee:
    """``?employee=<id>`` for supervisors and HR, else the signed-in employee."""
    employee_id = request.GET.get("employee")
    if not employee_id:
        return _own_employee(request)
    if not str(employee_id).isdigit():
        raise Http404
    employee = get_object_or_404(
        Employee.objects.select_related("office__agency__region", "supervisor"), pk=employee_id
    )
    if not permissions.can_view_employee(request.user, employee):
        raise Http404
    return employee


def _month(request) -> date:
    try:
        return services.parse_month(request.GET.get("month"))
    except DomainError:
        return services.parse_month(None)


@login_required
def my_month(request):
    employee = _viewable_employee(request)
    month = _month(request)
    days = selectors.month_days(employee, month)
    rows = _day_rows(days)
    totals = {
        "present": sum(1 for d in days if d.result.counts_as_present),
        "late": sum(1 for d in days if d.result.tl),
        "early": sum(1 for d in days if d.result.psw),
        "absent": sum(1 for d in days if d.result.status == "absent"),
    }
    return render(
        request,
        "attendance/month.html",
        {"employee": employee, "rows": rows, "totals": totals, **_month_nav(month)},
    )


@login_required
def my_leave(request):
    employee = _own_employee(request)
    form = forms.LeaveForm()
    status = 200
    if request.method == "POST":
        form = forms.LeaveForm(request.POST)
        if form.is_valid():
            try:
                services.leave_request_create(
                    actor=request.user, employee=employee, **form.cleaned_data
                )
            except DomainError as error:
                forms.add_errors(form, error)
                status = 422
            else:
                messages.success(
                    request, _("Leave request sent. Your supervisor has been notified.")
                )
                return redirect("attendance:leave")
        else:
            status = 422
    year = timezone.localdate().year
    balances = [
        services.balance_for(employee, t, year)
        for t in LeaveType.objects.filter(needs_balance=True)
    ]
    requests = LeaveRequest.objects.filter(employee=employee).select_related("leave_type")[:50]
    return render(
        request,
        "attendance/leave.html",
        {
            "employee": employee,
            "form": form,
            "balances": [
                (b, as_days(b.available), as_days(b.allocated + b.carried)) for b in balances
            ],
            "requests": [(r, as_days(r.halfdays)) for r in requests],
            "badges": STATUS_BADGE,
        },
        status=status,
    )


@login_required
@require_POST
def leave_cancel(request, leave_id: int):
    leave = get_object_or_404(LeaveRequest.objects.select_related("employee"), pk=leave_id)
    if not permissions.can_request_leave(request.user, leave.employee):
        raise Http404
    try:
        services.leave_request_cancel(actor=request.user, leave=leave)
        messages.success(request, _("Leave request cancelled."))
    except DomainError as error:
        messages.error(request, error.message)
    return redirect("attendance:leave")


@login_required
def my_allowance(request):
    employee = _viewable_employee(request)
    month = _month(request)
    days = selectors.month_days(employee, month)
    allowance = selectors.allowance_of(employee, days)
    lines = [
        {"day": d.day, "reason": d.reason, "percent": tpp.percent(d.basis_points)}
        for d in allowance.deductions
    ]
    return render(
        request,
        "attendance/allowance.html",
        {
            "employee": employee,
            "allowance": allowance,
            "lines": lines,
            "percent": tpp.percent(allowance.capped_bp),
            "share": tpp.percent(employee.office.tpp_attendance_share),
            **_month_nav(month),
        },
    )


@login_required
def my_face(request):
    employee = _own_employee(request)
    return _enrol_page(request, employee, redirect_to="attendance:face")


def _enrol_page(request, employee: Employee, *, redirect_to: str, args=()):
    if not permissions.can_enrol_face(request.user, employee):
        raise Http404
    form = forms.EnrolForm()
    status = 200
    if request.method == "POST":
        form = forms.EnrolForm(request.POST, request.FILES)
        if form.is_valid():
            try:
                template = services.enrolment_create(
                    actor=request.user, employee=employee, photo=form.cleaned_data["photo"]
                )
            except DomainError as error:
                forms.add_errors(form, error)
                status = 422
            else:
                if template.status == FaceTemplate.Status.APPROVED:
                    messages.success(request, _("Face photo saved and approved."))
                else:
                    messages.success(request, _("Face photo sent. HR will check and approve it."))
                return redirect(redirect_to, *args)
        else:
            status = 422
    templates = FaceTemplate.objects.filter(employee=employee)
    return render(
        request,
        "attendance/face.html",
        {"employee": employee, "form": form, "templates": templates, "max": services.MAX_FACES},
        status=status,
    )


# --- supervisor --------------------------------------------------------------------------


@login_required
def team(request):
    members = selectors.team_of(request.user)
    if not members and not permissions.can_use_hr_pages(request.user):
        raise PermissionDenied
    rows = [
        {
            "employee": e,
            "day": d,
            "label": _words(d.result.status.value),
            "badge": STATUS_BADGE.get(d.result.status.value, "badge-neutral"),
        }
        for e, d in selectors.today_of(members)
    ]
    leaves = LeaveRequest.objects.filter(
        employee__in=members, status=LeaveRequest.Status.PENDING
    ).select_related("employee", "leave_type")  # verified ones wait for HR, not here
    checkins = CheckIn.objects.filter(
        employee__in=members, status=CheckIn.Status.PENDING
    ).select_related("employee")
    own = services.employee_of(request.user)
    return render(
        request,
        "attendance/team.html",
        {
            "rows": rows,
            "leaves": [(item, as_days(item.halfdays)) for item in leaves],
            "checkins": checkins,
            "correction_form": forms.CorrectionForm(),
            "members": members,
            "board_office": own.office if own and members else None,
            "calendar": [
                (item, as_days(item.halfdays))
                for item in LeaveRequest.objects.filter(
                    employee__in=members,
                    status__in=LeaveRequest.OPEN_STATUSES,
                    end__gte=timezone.localdate(),
                    start__lte=timezone.localdate() + timezone.timedelta(days=60),
                )
                .select_related("employee", "leave_type")
                .order_by("start")
            ],
        },
    )


@login_required
@require_POST
def leave_decide(request, leave_id: int):
    leave = get_object_or_404(
        LeaveRequest.objects.select_related(
            "employee__supervisor", "employee__office__agency__region", "leave_type"
        ),
        pk=leave_id,
    )
    if not permissions.can_decide_leave(request.user, leave):
        raise Http404
    approve = request.POST.get("decision") == "approve"
    try:
        services.leave_request_decide(
            actor=request.user, leave=leave, approve=approve, note=request.POST.get("note", "")
        )
        messages.success(request, _("Decision saved; the employee has been notified."))
    except DomainError as error:
        messages.error(request, error.message)
    return redirect(_next_url(request, "attendance:team"))


@login_required
@require_POST
def checkin_review(request, checkin_id: int):
    checkin = get_object_or_404(
        CheckIn.objects.select_related("employee__supervisor", "employee__office__agency__region"),
        pk=checkin_id,
    )
    if not permissions.can_review_checkin(request.user, checkin):
        raise Http404
    try:
        services.checkin_review(
            actor=request.user,
            checkin=checkin,
            approve=request.POST.get("decision") == "approve",
            note=request.POST.get("note", ""),
        )
        messages.success(request, _("Decision saved."))
    except DomainError as error:
        messages.error(request, error.message)
    return redirect("attendance:team")


@login_required
@require_POST
def day_correct(request):
    employee_id = request.POST.get("employee", "")
    if not employee_id.isdigit():
        raise Http404
    employee = get_object_or_404(
        Employee.objects.select_related("supervisor", "office__agency__region"), pk=employee_id
    )
    if not permissions.can_correct_day(request.user, employee):
        raise Http404
    form = forms.CorrectionForm(request.POST)
    if form.is_valid():
        try:
            services.day_correct(
                actor=request.user,
                employee=employee,
                day=form.cleaned_data["date"],
                kind=form.cleaned_data["kind"],
                reason=form.cleaned_data["reason"],
            )
            messages.success(request, _("Day corrected."))
        except DomainError as error:
            messages.error(request, error.message)
    else:
        messages.error(request, _("Give a date, what the day becomes and a reason."))
    return redirect("attendance:team")


# --- HR ----------------------------------------------------------------------------------


def _hr_offices(user):
    if not permissions.can_use_hr_pages(user):
        raise PermissionDenied
    return Office.objects.filter(scope.region_filter(user, {Role.HR_ADMIN}, "agency__region__code"))


@login_required
def hr_home(request):
    offices = _hr_offices(request.user).annotate(
        staff=Count("employees", filter=Q(employees__active=True))
    )
    pending_faces = FaceTemplate.objects.filter(
        employee__office__in=offices, status=FaceTemplate.Status.PENDING
    ).select_related("employee")
    leaves = (
        LeaveRequest.objects.filter(employee__office__in=offices)
        .filter(
            Q(status=LeaveRequest.Status.VERIFIED)
            | Q(status=LeaveRequest.Status.PENDING, employee__supervisor__isnull=True)
        )
        .select_related("employee", "leave_type", "verified_by")
        .order_by("start")[:100]
    )
    return render(
        request,
        "attendance/hr_home.html",
        {
            "offices": offices,
            "pending_faces": pending_faces,
            "leaves": [(item, as_days(item.halfdays)) for item in leaves],
        },
    )


def _office(request, office_id: int) -> Office:
    office = get_object_or_404(Office.objects.select_related("agency__region"), pk=office_id)
    if not permissions.can_manage_office(request.user, office):
        raise Http404
    return office


@login_required
def hr_office(request, office_id: int):
    office = _office(request, office_id)
    query = request.GET.get("q", "").strip()
    employees = (
        office.employees.filter(active=True)
        .select_related("supervisor")
        .annotate(face_count=Count("faces"))
        .order_by("name")
    )
    if query:
        employees = employees.filter(Q(name__icontains=query) | Q(nip__startswith=query))
    from django.core.paginator import Paginator

    page = Paginator(employees, 50).get_page(request.GET.get("page"))
    form = forms.ImportForm()
    status = 200
    if request.method == "POST":
        form = forms.ImportForm(request.POST, request.FILES)
        if form.is_valid():
            try:
                job = importer.import_job_create(
                    actor=request.user, office=office, upload=form.cleaned_data["file"]
                )
            except DomainError as error:
                forms.add_errors(form, error)
                status = 422
            else:
                return redirect("attendance:hr_import", office.pk, job.pk)
        else:
            status = 422
    return render(
        request,
        "attendance/hr_office.html",
        {
            "office": office,
            "page": page,
            "query": query,
            "form": form,
            "jobs": office.imports.select_related("created_by")[:5],
        },
        status=status,
    )


@login_required
def hr_import(request, office_id: int, job_id: int):
    """An import's progress; htmx asks for the fragment every second until it is done."""
    office = _office(request, office_id)
    job = get_object_or_404(ImportJob, pk=job_id, office=office)
    context = {"office": office, "job": job, "errors_shown": job.errors[:200]}
    if request.headers.get("HX-Request"):
        return render(request, "attendance/_import_progress.html", context)
    return render(request, "attendance/hr_import.html", context)


BOARD_GROUPS = [
    # key, heading, badge
    ("late", gettext_lazy("Late"), "badge-warn"),
    ("in", gettext_lazy("In"), "badge-ok"),
    ("not_yet", gettext_lazy("Not in yet"), "badge-neutral"),
    ("absent", gettext_lazy("Absent"), "badge-danger"),
    ("away", gettext_lazy("Leave, sick, travel or WFH"), "badge-neutral"),
    ("off", gettext_lazy("Day off or holiday"), "badge-neutral"),
]


def _board_group(result) -> str:
    status = result.status.value
    if status == "present":
        return "late" if result.tl and result.check_in is not None else "in"
    if status == "upcoming":
        return "not_yet"
    if status == "absent":
        return "absent"
    if status in ("leave", "sick", "travel", "wfh"):
        return "away"
    return "off"


@login_required
def office_board(request, office_id: int):
    """Who is in, late, absent or away today; htmx refreshes it every 30 seconds."""
    office = get_object_or_404(Office.objects.select_related("agency__region"), pk=office_id)
    if not permissions.can_view_office_board(request.user, office):
        raise Http404
    employees = list(
        office.employees.filter(active=True)
        .select_related("office", "schedule", "office__schedule")
        .order_by("name")
    )
    groups = {key: [] for key, _label, _badge in BOARD_GROUPS}
    for employee, day in selectors.today_of(employees):
        groups[_board_group(day.result)].append(
            {
                "employee": employee,
                "result": day.result,
                "label": _words(day.result.status.value),
            }
        )
    context = {
        "office": office,
        "groups": [
            {"key": key, "label": label, "badge": badge, "people": groups[key]}
            for key, label, badge in BOARD_GROUPS
        ],
        "now": timezone.localtime(),
        "total": len(employees),
    }
    if request.headers.get("HX-Request"):
        return render(request, "attendance/_board.html", context)
    return render(request, "attendance/board.html", context)


@login_required
def hr_schedules(request, office_id: int):
    """The office's schedule, new schedules and shifts, and the roster of the next days."""
    office = _office(request, office_id)
    employees = office.employees.filter(active=True).order_by("name")
    schedule_form = forms.ScheduleForm(
        prefix="schedule", initial={"workdays": list("01234"), "make_default": True}
    )
    shift_form = forms.ShiftForm(prefix="shift", employees=employees)
    status = 200
    if request.method == "POST":
        action = request.POST.get("action")
        try:
            if action == "schedule":
                schedule_form = forms.ScheduleForm(request.POST, prefix="schedule")
                if not schedule_form.is_valid():
                    status = 422
                else:
                    schedule = services.schedule_create(
                        actor=request.user,
                        office=office if schedule_form.cleaned_data["make_default"] else None,
                        **schedule_form.service_fields(),
                    )
                    messages.success(
                        request, _("Schedule %(name)s saved.") % {"name": schedule.name}
                    )
                    return redirect("attendance:hr_schedules", office.pk)
            elif action == "shift":
                shift_form = forms.ShiftForm(request.POST, prefix="shift", employees=employees)
                if not shift_form.is_valid():
                    status = 422
                else:
                    n = services.shift_assign(actor=request.user, **shift_form.cleaned_data)
                    messages.success(request, _("Roster saved for %(n)d days.") % {"n": n})
                    return redirect("attendance:hr_schedules", office.pk)
            else:
                status = 400
        except DomainError as error:
            if error.status == 403:
                raise PermissionDenied from error
            forms.add_errors(schedule_form if action == "schedule" else shift_form, error)
            status = 422
    today = timezone.localdate()
    roster = ShiftAssignment.objects.filter(
        employee__office=office, date__range=(today, today + timezone.timedelta(days=13))
    ).select_related("employee", "schedule")
    return render(
        request,
        "attendance/hr_schedules.html",
        {
            "office": office,
            "current": office.schedule or selectors.DEFAULT_SCHEDULE,
            "schedules": Schedule.objects.all(),
            "schedule_form": schedule_form,
            "shift_form": shift_form,
            "roster": roster,
        },
        status=status,
    )


@login_required
def hr_calendar(request):
    """Holidays (national and Balinese) and Ramadan periods, for every office."""
    if not permissions.can_manage_holidays(request.user):
        raise PermissionDenied
    holiday_form = forms.HolidayForm(prefix="holiday")
    ramadan_form = forms.RamadanForm(prefix="ramadan")
    status = 200
    if request.method == "POST":
        action = request.POST.get("action")
        try:
            if action == "holiday":
                holiday_form = forms.HolidayForm(request.POST, prefix="holiday")
                if holiday_form.is_valid():
                    data = holiday_form.cleaned_data
                    services.holiday_set(
                        actor=request.user, day=data["date"], name=data["name"], kind=data["kind"]
                    )
                    messages.success(request, _("Holiday saved."))
                    return redirect("attendance:hr_calendar")
                status = 422
            elif action == "ramadan":
                ramadan_form = forms.RamadanForm(request.POST, prefix="ramadan")
                if ramadan_form.is_valid():
                    services.ramadan_period_create(actor=request.user, **ramadan_form.cleaned_data)
                    messages.success(request, _("Ramadan period saved."))
                    return redirect("attendance:hr_calendar")
                status = 422
            elif action == "delete_holiday":
                holiday = get_object_or_404(Holiday, pk=request.POST.get("id") or 0)
                services.holiday_delete(actor=request.user, holiday=holiday)
                messages.success(request, _("Holiday deleted."))
                return redirect("attendance:hr_calendar")
            elif action == "delete_ramadan":
                period = get_object_or_404(RamadanPeriod, pk=request.POST.get("id") or 0)
                services.ramadan_period_delete(actor=request.user, period=period)
                messages.success(request, _("Ramadan period deleted."))
                return redirect("attendance:hr_calendar")
            else:
                status = 400
        except (DomainError, ValueError) as error:
            if getattr(error, "status", 0) == 403:
                raise PermissionDenied from error
            if isinstance(error, ValueError):
                raise Http404 from error
            forms.add_errors(holiday_form if action == "holiday" else ramadan_form, error)
            status = 422
    year = timezone.localdate().year
    return render(
        request,
        "attendance/hr_calendar.html",
        {
            "holidays": Holiday.objects.filter(date__year__gte=year),
            "periods": RamadanPeriod.objects.all()[:10],
            "holiday_form": holiday_form,
            "ramadan_form": ramadan_form,
        },
        status=status,
    )


@login_required
def hr_enrol(request, employee_id: int):
    employee = get_object_or_404(
        Employee.objects.select_related("office__agency__region"), pk=employee_id
    )
    if not permissions.can_manage_office(request.user, employee.office):
        raise Http404
    return _enrol_page(request, employee, redirect_to="attendance:hr_enrol", args=(employee.pk,))


@login_required
@require_POST
def hr_face_approve(request, template_id: int):
    template = get_object_or_404(
        FaceTemplate.objects.select_related("employee__office__agency__region"), pk=template_id
    )
    if not permissions.can_approve_face(request.user, template):
        raise Http404
    try:
        if request.POST.get("decision") == "delete":
            services.enrolment_delete(actor=request.user, template=template)
            messages.success(request, _("Face photo deleted."))
        else:
            services.enrolment_approve(actor=request.user, template=template)
            messages.success(request, _("Face photo approved."))
    except DomainError as error:
        messages.error(request, error.message)
    return redirect(_next_url(request, "attendance:hr"))


@login_required
def hr_report(request, office_id: int):
    office = _office(request, office_id)
    if not permissions.can_view_office_report(request.user, office):
        raise Http404
    month = _month(request)
    rows = selectors.office_allowances(office, month)
    finalised = office.allowancemonth_set.filter(month=month).first()
    export = request.GET.get("format")
    if export in ("xlsx", "pdf"):
        services.report_exported(actor=request.user, office=office, month=month, kind=export)
        stem = f"rekap-presensi-tpp-{office.pk}-{month:%Y-%m}"
        if export == "xlsx":
            response = HttpResponse(
                exports.recap_xlsx(
                    office.name,
                    month,
                    rows,
                    adjustments=AllowanceAdjustment.objects.filter(
                        office=office, month=month
                    ).select_related("employee"),
                ),
                content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            )
        else:
            response = HttpResponse(
                exports.recap_pdf(office.name, month, rows, finalised=bool(finalised)),
                content_type="application/pdf",
            )
        response["Content-Disposition"] = f'attachment; filename="{stem}.{export}"'
        return response
    if export == "csv":
        services.report_exported(actor=request.user, office=office, month=month, kind=export)
        response = HttpResponse(content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = (
            f'attachment; filename="tpp-{office.pk}-{month:%Y-%m}.csv"'
        )
        writer = csv.writer(response)
        writer.writerow(
            [
                "nip",
                "nama",
                "bulan",
                "tpp_dasar",
                "bagian_kehadiran",
                "potongan_persen",
                "potongan",
                "dibayar",
                "rincian",
            ]
        )
        for row in rows:
            a = row.allowance
            detail = "; ".join(
                f"{d.day:%d} {d.reason} {tpp.percent(d.basis_points)}%" for d in a.deductions
            )
            writer.writerow(
                [
                    row.employee.nip or "",
                    row.employee.name,
                    f"{month:%Y-%m}",
                    a.base,
                    a.attendance_part,
                    tpp.percent(a.capped_bp),
                    a.deduction,
                    a.paid,
                    detail,
                ]
            )
        return response
    adjustments = AllowanceAdjustment.objects.filter(office=office, month=month).select_related(
        "employee", "created_by"
    )
    totals = {
        "adjustments": sum(a.amount for a in adjustments),
        "base": sum(r.allowance.base for r in rows),
        "deduction": sum(r.allowance.deduction for r in rows),
        "paid": sum(r.allowance.paid for r in rows),
    }
    return render(
        request,
        "attendance/hr_report.html",
        {
            "office": office,
            "rows": [(r, tpp.percent(r.allowance.capped_bp)) for r in rows],
            "totals": totals,
            "finalised": finalised,
            "adjustments": adjustments,
            "adjust_form": forms.AdjustmentForm(
                employees=office.employees.filter(active=True).order_by("name")
            )
            if finalised
            else None,
            "month_over": month < services.month_start(timezone.localdate()),
            **_month_nav(month),
        },
    )


@login_required
@require_POST
def hr_adjust(request, office_id: int):
    office = _office(request, office_id)
    month = _month(request)
    form = forms.AdjustmentForm(
        request.POST, employees=office.employees.filter(active=True).order_by("name")
    )
    if form.is_valid():
        try:
            services.allowance_adjust(actor=request.user, month=month, **form.cleaned_data)
            messages.success(request, _("Adjustment recorded; it goes with the next payroll."))
        except DomainError as error:
            messages.error(request, "; ".join(_flatten(error)))
    else:
        messages.error(request, _("Choose an employee, an amount and a reason."))
    return redirect(f"{reverse('attendance:hr_report', args=[office.pk])}?month={month:%Y-%m}")


def _flatten(error) -> list[str]:
    found = [str(m) for messages_ in (error.fields or {}).values() for m in messages_]
    return found or [error.message]


@login_required
@require_POST
def hr_finalise(request, office_id: int):
    office = _office(request, office_id)
    month = _month(request)
    try:
        services.allowance_finalise(actor=request.user, office=office, month=month)
        messages.success(request, _("Month finalised. Later changes need an adjustment."))
    except DomainError as error:
        messages.error(request, error.message)
    return redirect(f"{reverse('attendance:hr_report', args=[office.pk])}?month={month:%Y-%m}")
