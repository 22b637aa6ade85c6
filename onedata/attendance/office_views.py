"""HR pages for offices and their locations: create an office, rename it, set its default
schedule, add and move locations (with "use my current location"), take one out of use.
A small SVG sketch shows the circles to scale; no map tiles are loaded."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from onedata.attendance import forms, offices, permissions
from onedata.attendance.models import Office, OfficeLocation
from onedata.core import scope
from onedata.core.errors import DomainError
from onedata.core.models import Agency
from onedata.core.roles import Role


def _agencies(user):
    return Agency.objects.filter(scope.region_filter(user, {Role.HR_ADMIN})).order_by("name")


def _editable_office(request, office_id: int) -> Office:
    office = get_object_or_404(
        Office.objects.select_related("agency__region", "schedule"), pk=office_id
    )
    if not permissions.can_edit_office(request.user, office):
        raise Http404
    return office


def _form_failed(form, error: DomainError) -> int:
    if error.status == 403:
        raise PermissionDenied from error
    forms.add_errors(form, error)
    return 422


@login_required
def office_create(request):
    if not permissions.can_use_hr_pages(request.user):
        raise PermissionDenied
    agencies = _agencies(request.user)
    form = forms.OfficeForm(agencies=agencies)
    status = 200
    if request.method == "POST":
        form = forms.OfficeForm(request.POST, agencies=agencies)
        status = 422
        if form.is_valid():
            data = form.cleaned_data
            try:
                office = offices.office_create(
                    actor=request.user,
                    agency=data["agency"],
                    name=data["name"],
                    schedule=data["schedule"],
                    policy=form.policy(),
                )
            except DomainError as error:
                status = _form_failed(form, error)
            else:
                messages.success(
                    request,
                    _("Office %(name)s added. Next: add its location.") % {"name": office.name},
                )
                return redirect("attendance:office_edit", office.pk)
    return render(request, "attendance/office_form.html", {"form": form}, status=status)


@login_required
def office_edit(request, office_id: int):
    """The office's name and default schedule, its locations and a sketch of them."""
    office = _editable_office(request, office_id)
    initial = {"name": office.name, "schedule": office.schedule}
    initial |= {f: getattr(office, f) for f in offices.policy_fields(Office)}
    office_form = forms.OfficeForm(prefix="office", initial=initial, editing=True)
    location_form = forms.LocationForm(prefix="location")
    status = 200
    if request.method == "POST":
        action = request.POST.get("action")
        if action == "office":
            office_form = forms.OfficeForm(request.POST, prefix="office", editing=True)
            status = _save_office(request, office, office_form)
        elif action == "location":
            location_form = forms.LocationForm(request.POST, prefix="location")
            status = _add_location(request, office, location_form)
        else:
            status = 400
        if status == 302:
            return redirect("attendance:office_edit", office.pk)
    locations = offices.locations_of(office)
    return render(
        request,
        "attendance/office_edit.html",
        {
            "office": office,
            "office_form": office_form,
            "location_form": location_form,
            "locations": locations,
            "preview": offices.preview(locations),
        },
        status=status,
    )


def _save_office(request, office: Office, form) -> int:
    if not form.is_valid():
        return 422
    try:
        offices.office_update(
            actor=request.user,
            office=office,
            name=form.cleaned_data["name"],
            schedule=form.cleaned_data["schedule"],
            policy=form.policy(),
        )
    except DomainError as error:
        return _form_failed(form, error)
    messages.success(request, _("Office saved."))
    return 302


def _add_location(request, office: Office, form) -> int:
    if not form.is_valid():
        return 422
    data = form.cleaned_data
    try:
        location = offices.location_create(
            actor=request.user,
            office=office,
            name=data["name"],
            latitude=data["latitude"],
            longitude=data["longitude"],
            radius_m=data["radius_m"],
            policy=form.policy(),
        )
    except DomainError as error:
        return _form_failed(form, error)
    messages.success(
        request,
        _("Location %(name)s added: check-ins within %(r)d m of it count as at the office.")
        % {"name": location.name, "r": location.radius_m},
    )
    return 302


def _location(request, office_id: int, location_id: int) -> OfficeLocation:
    office = _editable_office(request, office_id)
    return get_object_or_404(
        OfficeLocation.all_objects.select_related("office__agency__region"),
        pk=location_id,
        office=office,
    )


@login_required
def location_edit(request, office_id: int, location_id: int):
    location = _location(request, office_id, location_id)
    initial = {
        "name": location.name,
        "latitude": location.latitude,
        "longitude": location.longitude,
        "radius_m": location.radius_m,
    } | {f: getattr(location, f) for f in offices.policy_fields(OfficeLocation)}
    form = forms.LocationForm(initial=initial)
    status = 200
    if request.method == "POST":
        form = forms.LocationForm(request.POST)
        status = 422
        if form.is_valid():
            data = form.cleaned_data
            try:
                offices.location_update(
                    actor=request.user,
                    location=location,
                    name=data["name"],
                    latitude=data["latitude"],
                    longitude=data["longitude"],
                    radius_m=data["radius_m"],
                    policy=form.policy(),
                )
            except DomainError as error:
                status = _form_failed(form, error)
            else:
                messages.success(request, _("Location saved."))
                return redirect("attendance:office_edit", location.office_id)
    return render(
        request,
        "attendance/location_form.html",
        {
            "office": location.office,
            "location": location,
            "form": form,
        },
        status=status,
    )


@login_required
@require_POST
def location_active(request, office_id: int, location_id: int):
    """Take a location out of use, or back into use (``active`` = 0 or 1)."""
    location = _location(request, office_id, location_id)
    active = request.POST.get("active") == "1"
    try:
        offices.location_set_active(actor=request.user, location=location, active=active)
    except DomainError as error:
        if error.status == 403:
            raise PermissionDenied from error
        messages.error(request, error.message)
    else:
        if active:
            messages.success(request, _("%(name)s is in use again.") % {"name": location.name})
        else:
            messages.success(
                request,
                _("%(name)s is no longer in use: check-ins there no longer count as at the office.")
                % {"name": location.name},
            )
    return redirect("attendance:office_edit", location.office_id)
