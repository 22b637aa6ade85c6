"""The employee's schedule page ("Jadwal saya"): the coming weeks day by day, computed by
the same rules as the attendance, and the reminder switches."""

from __future__ import annotations

from datetime import timedelta

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from onedata.attendance import forms, permissions, reminders, services, timetable
from onedata.attendance.models import Employee
from onedata.core.errors import DomainError

SOURCE_WORDS = {
    timetable.Source.OFFICE: gettext_lazy("Office schedule"),
    timetable.Source.OWN: gettext_lazy("Own schedule"),
    timetable.Source.ROSTER: gettext_lazy("Roster"),
    timetable.Source.STANDARD: gettext_lazy("Standard schedule"),
}
DAY_WORDS = {
    "holiday": gettext_lazy("Holiday"),
    "off": gettext_lazy("Day off"),
    "leave": gettext_lazy("Leave"),
    "sick": gettext_lazy("Sick"),
    "travel": gettext_lazy("Official travel"),
    "wfh": gettext_lazy("Work from home"),
    "present": gettext_lazy("Present"),
    "absent": gettext_lazy("Absent"),
    "upcoming": gettext_lazy("Working day"),
}
DAY_BADGES = {
    "present": "badge-ok",
    "absent": "badge-danger",
    "upcoming": "badge-ok",
    "wfh": "badge-warn",
    "travel": "badge-warn",
}


def _employee(request) -> Employee:
    """``?employee=<id>`` for supervisors and HR, else the signed-in employee."""
    employee_id = request.GET.get("employee")
    if not employee_id:
        employee = services.employee_of(request.user)
        if employee is None:
            raise Http404(_("You are not registered as an employee."))
        return employee
    if not str(employee_id).isdigit():
        raise Http404
    employee = get_object_or_404(
        Employee.objects.select_related(
            "office__agency__region", "office__schedule", "schedule", "supervisor"
        ),
        pk=employee_id,
    )
    if not permissions.can_view_schedule(request.user, employee):
        raise Http404
    return employee


def _rows(days: list[timetable.PlannedDay]) -> list[dict]:
    return [
        {
            "day": d,
            "label": DAY_WORDS.get(d.status, d.status),
            "badge": DAY_BADGES.get(d.status, "badge-neutral"),
            "source": SOURCE_WORDS.get(d.source, d.source),
        }
        for d in days
    ]


@login_required
def my_schedule(request):
    employee = _employee(request)
    today = timezone.localdate()
    try:
        first, last = timetable.parse_range(request.GET.get("from"), None, today)
    except DomainError:
        first, last = timetable.parse_range(None, None, today)
    days = timetable.days_of(employee, first, last)
    own = permissions.can_set_reminders(request.user, employee)
    preference = reminders.preference_of(employee)
    return render(
        request,
        "attendance/my_schedule.html",
        {
            "employee": employee,
            "own": own,
            "rows": _rows(days),
            "first": first,
            "last": last,
            "previous": first - timedelta(days=timetable.DEFAULT_DAYS),
            "following": last + timedelta(days=1),
            "today": today,
            "working": sum(1 for d in days if d.working),
            "reminder_form": forms.ReminderForm(
                initial={"checkin": preference.checkin, "checkout": preference.checkout}
            )
            if own
            else None,
            "checkin_minutes": int(reminders.checkin_after().total_seconds() // 60),
        },
    )


@login_required
@require_POST
def reminder_settings(request):
    employee = services.employee_of(request.user)
    if employee is None:
        raise Http404(_("You are not registered as an employee."))
    form = forms.ReminderForm(request.POST)
    form.is_valid()  # two check boxes: always valid
    try:
        preference = reminders.preference_set(
            actor=request.user,
            employee=employee,
            checkin=form.cleaned_data.get("checkin", False),
            checkout=form.cleaned_data.get("checkout", False),
        )
    except DomainError as error:
        raise PermissionDenied from error
    if preference.checkin or preference.checkout:
        messages.success(request, _("Reminders saved. We send them in the app and by email."))
    else:
        messages.success(request, _("Reminders turned off. You can turn them on here again."))
    return redirect("attendance:my_schedule")
