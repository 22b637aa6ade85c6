"""HR pages for roster files: upload (checked and written in the background), follow the
progress, read the per-row report, download a template to fill in."""

from __future__ import annotations

from datetime import date, timedelta

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone

from onedata.attendance import forms, permissions, rosters
from onedata.attendance.models import Office, RosterImport, Schedule
from onedata.core.errors import DomainError


def _office(request, office_id: int) -> Office:
    office = get_object_or_404(Office.objects.select_related("agency__region"), pk=office_id)
    if not permissions.can_import_roster(request.user, office):
        raise Http404
    return office


def _next_month() -> date:
    today = timezone.localdate()
    return (today.replace(day=28) + timedelta(days=4)).replace(day=1)


@login_required
def roster_import(request, office_id: int):
    office = _office(request, office_id)
    form = forms.RosterImportForm(initial={"mode": "all", "month": _next_month()})
    status = 200
    if request.method == "POST":
        form = forms.RosterImportForm(request.POST, request.FILES)
        status = 422
        if form.is_valid():
            data = form.cleaned_data
            try:
                job = rosters.roster_import_create(
                    actor=request.user,
                    office=office,
                    upload=data["file"],
                    mode=data["mode"],
                    month=data["month"],
                )
            except DomainError as error:
                if error.status == 403:
                    raise PermissionDenied from error
                forms.add_errors(form, error)
            else:
                return redirect("attendance:roster_job", office.pk, job.pk)
    return render(
        request,
        "attendance/roster_import.html",
        {
            "office": office,
            "form": form,
            "jobs": office.roster_imports.select_related("created_by")[:5],
            "shifts": Schedule.objects.exclude(code="").order_by("code"),
            "month": _next_month(),
        },
        status=status,
    )


@login_required
def roster_job(request, office_id: int, job_id: int):
    """A roster import's progress; htmx asks for the fragment every second until done."""
    office = _office(request, office_id)
    job = get_object_or_404(RosterImport, pk=job_id, office=office)
    context = {"office": office, "job": job, "errors_shown": job.errors[:200]}
    if request.headers.get("HX-Request"):
        return render(request, "attendance/_roster_progress.html", context)
    return render(request, "attendance/roster_job.html", context)


@login_required
def roster_template(request, office_id: int):
    """``?layout=list|grid&month=YYYY-MM``: a CSV to fill in."""
    office = _office(request, office_id)
    layout = "grid" if request.GET.get("layout") == "grid" else "list"
    month = rosters.parse_day(f"{request.GET.get('month', '')}-01") or _next_month()
    body = rosters.template_csv(office, layout=layout, month=month.replace(day=1))
    response = HttpResponse("\ufeff" + body, content_type="text/csv; charset=utf-8")
    name = f"jadwal-dinas-{layout}-{month:%Y-%m}.csv"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response
