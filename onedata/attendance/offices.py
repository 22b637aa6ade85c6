"""Offices and their locations, edited by HR outside /admin/: create, rename, default
schedule, locations (a point and a radius) added, moved and taken out of use.

Every write checks permissions, validates with field errors and records an audit event.
Policy fields another part of the app adds to Office/OfficeLocation (liveness) are passed
through as ``policy`` so these services need not know their names.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from django.db import transaction
from django.utils.translation import gettext as _

from onedata.attendance import permissions
from onedata.attendance.models import Office, OfficeLocation, Schedule
from onedata.core import audit
from onedata.core.errors import NotAuthorized, ValidationError

DEFAULT_RADIUS_M = 100
MIN_RADIUS_M, MAX_RADIUS_M = 10, 5000
POLICY_PREFIX = "liveness"


def policy_fields(model) -> list[str]:
    """Editable policy fields of ``model`` (e.g. the liveness policy), when they exist."""
    return [
        f.name
        for f in model._meta.get_fields()
        if getattr(f, "editable", False) and not f.is_relation and f.name.startswith(POLICY_PREFIX)
    ]


def _policy(model, values: dict | None) -> dict:
    """The known policy values, each checked against its field's choices."""
    allowed = set(policy_fields(model))
    chosen = {k: v for k, v in (values or {}).items() if k in allowed}
    for name, value in chosen.items():
        choices = model._meta.get_field(name).choices
        if choices and value not in {key for key, _label in choices}:
            raise ValidationError.for_field(
                name,
                _("Choose one of: %(choices)s.")
                % {"choices": ", ".join(str(key) for key, _label in choices)},
            )
    return chosen


def _coordinate(value, name: str, low: float, high: float) -> float:
    try:
        number = float(value)
    except (TypeError, ValueError):
        raise ValidationError.for_field(name, _("Give a number, e.g. -8.6726.")) from None
    if math.isnan(number) or not low <= number <= high:
        raise ValidationError.for_field(
            name, _("Must be between %(low)s and %(high)s.") % {"low": low, "high": high}
        )
    return round(number, 7)


def _radius(value) -> int:
    if value in (None, ""):
        return DEFAULT_RADIUS_M
    try:
        radius = int(value)
    except (TypeError, ValueError):
        raise ValidationError.for_field("radius_m", _("Give the radius in whole metres.")) from None
    if not MIN_RADIUS_M <= radius <= MAX_RADIUS_M:
        raise ValidationError.for_field(
            "radius_m",
            _("Between %(low)d and %(high)d metres.") % {"low": MIN_RADIUS_M, "high": MAX_RADIUS_M},
        )
    return radius


def _name(value, field: str = "name") -> str:
    name = (value or "").strip()
    if not name:
        raise ValidationError.for_field(field, _("Give a name."))
    if len(name) > 200:
        raise ValidationError.for_field(field, _("At most 200 characters."))
    return name


def _snapshot_office(office: Office) -> dict:
    return {
        "name": office.name,
        "agency": office.agency_id,
        "schedule": office.schedule_id,
        **{f: getattr(office, f) for f in policy_fields(Office)},
    }


def _snapshot_location(location: OfficeLocation) -> dict:
    return {
        "name": location.name,
        "latitude": location.latitude,
        "longitude": location.longitude,
        "radius_m": location.radius_m,
        "active": location.active,
        **{f: getattr(location, f) for f in policy_fields(OfficeLocation)},
    }


def _unique_name(agency, name: str, exclude: int | None = None) -> None:
    taken = Office.objects.filter(agency=agency, name__iexact=name)
    if exclude:
        taken = taken.exclude(pk=exclude)
    if taken.exists():
        raise ValidationError.for_field("name", _("This agency already has an office so named."))


def office_create(
    *, actor, agency, name: str, schedule: Schedule | None = None, policy: dict | None = None
) -> Office:
    if not permissions.can_create_office(actor, agency):
        raise NotAuthorized(_("Only HR of this agency may add its offices."))
    name = _name(name)
    with transaction.atomic():
        _unique_name(agency, name)
        office = Office.objects.create(
            agency=agency, name=name, schedule=schedule, **_policy(Office, policy)
        )
        audit.record(
            actor=actor,
            action="attendance.office.create",
            obj=office,
            after=_snapshot_office(office),
        )
    return office


def office_update(
    *, actor, office: Office, name: str, schedule: Schedule | None, policy: dict | None = None
) -> Office:
    if not permissions.can_edit_office(actor, office):
        raise NotAuthorized(_("Only HR of this office may change it."))
    name = _name(name)
    with transaction.atomic():
        _unique_name(office.agency, name, exclude=office.pk)
        before = _snapshot_office(office)
        office.name = name
        office.schedule = schedule
        for field, value in _policy(Office, policy).items():
            setattr(office, field, value)
        office.save()
        audit.record(
            actor=actor,
            action="attendance.office.update",
            obj=office,
            before=before,
            after=_snapshot_office(office),
        )
    return office


def location_create(
    *,
    actor,
    office: Office,
    name: str,
    latitude,
    longitude,
    radius_m=DEFAULT_RADIUS_M,
    policy: dict | None = None,
) -> OfficeLocation:
    if not permissions.can_edit_office(actor, office):
        raise NotAuthorized(_("Only HR of this office may change its locations."))
    fields = _location_fields(name, latitude, longitude, radius_m)
    with transaction.atomic():
        location = OfficeLocation.objects.create(
            office=office, **fields, **_policy(OfficeLocation, policy)
        )
        audit.record(
            actor=actor,
            action="attendance.location.create",
            obj=location,
            after=_snapshot_location(location),
        )
    return location


def _location_fields(name, latitude, longitude, radius_m) -> dict:
    problems: dict[str, list[str]] = {}
    fields = {}
    for key, check in (
        ("name", lambda: _name(name)),
        ("latitude", lambda: _coordinate(latitude, "latitude", -90, 90)),
        ("longitude", lambda: _coordinate(longitude, "longitude", -180, 180)),
        ("radius_m", lambda: _radius(radius_m)),
    ):
        try:
            fields[key] = check()
        except ValidationError as error:
            problems.update(error.fields)
    if problems:
        raise ValidationError(_("Check the location."), fields=problems)
    return fields


def location_update(
    *,
    actor,
    location: OfficeLocation,
    name: str,
    latitude,
    longitude,
    radius_m=DEFAULT_RADIUS_M,
    policy: dict | None = None,
) -> OfficeLocation:
    if not permissions.can_edit_office(actor, location.office):
        raise NotAuthorized(_("Only HR of this office may change its locations."))
    fields = _location_fields(name, latitude, longitude, radius_m) | _policy(OfficeLocation, policy)
    with transaction.atomic():
        before = _snapshot_location(location)
        for field, value in fields.items():
            setattr(location, field, value)
        location.save()
        audit.record(
            actor=actor,
            action="attendance.location.update",
            obj=location,
            before=before,
            after=_snapshot_location(location),
        )
    return location


def location_set_active(*, actor, location: OfficeLocation, active: bool) -> OfficeLocation:
    """Take a location out of use (check-ins there no longer count as at the office) or put
    it back. It is never deleted: past check-ins keep pointing at it."""
    if not permissions.can_edit_office(actor, location.office):
        raise NotAuthorized(_("Only HR of this office may change its locations."))
    with transaction.atomic():
        if location.active == active:
            return location
        location.active = active
        location.save(update_fields=["active"])
        audit.record(
            actor=actor,
            action="attendance.location.activate" if active else "attendance.location.deactivate",
            obj=location,
            before={"active": not active},
            after={"active": active},
        )
    return location


def locations_of(office: Office) -> list[OfficeLocation]:
    """All locations of an office, in use first (the HR pages show the others too)."""
    return list(OfficeLocation.all_objects.filter(office=office).order_by("-active", "name"))


# --- the preview: circles on a small equirectangular sketch, no map tiles ----------------


@dataclass(frozen=True)
class Circle:
    name: str
    x: float
    y: float
    r: float
    active: bool


@dataclass(frozen=True)
class Preview:
    width: int
    height: int
    circles: list[Circle]
    scale_m: int  # the length of the scale bar
    scale_px: float


def preview(locations: list[OfficeLocation], size: int = 320, margin: int = 16) -> Preview | None:
    """Where the locations lie relative to each other, to scale: enough to see a point typed
    in the wrong place (a swapped sign puts it thousands of km away)."""
    if not locations:
        return None
    mid_lat = sum(loc.latitude for loc in locations) / len(locations)
    metres_per_deg_lat = 111_320.0
    metres_per_deg_lon = 111_320.0 * max(0.01, math.cos(math.radians(mid_lat)))
    points = [
        (loc.longitude * metres_per_deg_lon, -loc.latitude * metres_per_deg_lat, loc)
        for loc in locations
    ]
    min_x = min(x - loc.radius_m for x, _y, loc in points)
    max_x = max(x + loc.radius_m for x, _y, loc in points)
    min_y = min(y - loc.radius_m for _x, y, loc in points)
    max_y = max(y + loc.radius_m for _x, y, loc in points)
    span = max(max_x - min_x, max_y - min_y, 1.0)
    scale = (size - 2 * margin) / span
    height = int((max_y - min_y) * scale + 2 * margin + 24)  # room for the scale bar
    circles = [
        Circle(
            loc.name,
            round(margin + (x - min_x) * scale, 1),
            round(margin + (y - min_y) * scale, 1),
            round(max(loc.radius_m * scale, 2.0), 1),
            loc.active,
        )
        for x, y, loc in points
    ]
    bar_m = _nice_length(span / 4)
    return Preview(size, max(height, 80), circles, bar_m, round(bar_m * scale, 1))


def _nice_length(metres: float) -> int:
    for step in (10, 20, 50, 100, 200, 500, 1000, 2000, 5000, 10_000, 20_000, 50_000):
        if metres <= step:
            return step
    return int(round(metres, -5)) or 100_000
