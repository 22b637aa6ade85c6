"""Who may do what in the clinic queue: one function per action, called by pages and API.

Booking is open to everyone (a citizen needs no account); the booking code is the key to
a booking, as on a paper ticket. The queue of a clinic is run by clinic staff of that
clinic's own agency; statistics are for the health office's analysts (their region).
"""

from __future__ import annotations

from onedata.core import scope
from onedata.core.roles import Role


def _active(user) -> bool:
    return bool(getattr(user, "is_authenticated", False) and user.is_active)


def can_book(user) -> bool:
    return True


def can_view_booking(user, booking) -> bool:
    return True  # whoever holds the code


def can_cancel_booking(user, booking) -> bool:
    return True  # whoever holds the code, until the session starts (the service checks)


def can_manage_queue(user, clinic) -> bool:
    """Call, check in, serve, issue walk-in numbers: clinic staff of this clinic."""
    if not _active(user):
        return False
    if scope.is_platform_admin(user):
        return True
    return any(
        m.role == Role.CLINIC_STAFF and m.agency_id == clinic.agency_id
        for m in scope.memberships_of(user)
    )


def can_edit_timetable(user, clinic) -> bool:
    """Change the clinic's booking settings, opening hours, sessions, quotas and closures:
    clinic staff or the agency admin of this clinic's own agency (and platform admins)."""
    if not _active(user):
        return False
    if scope.is_platform_admin(user):
        return True
    return any(
        m.role in (Role.CLINIC_STAFF, Role.AGENCY_ADMIN) and m.agency_id == clinic.agency_id
        for m in scope.memberships_of(user)
    )


def staff_clinics(user):
    """The clinics whose queue this user runs."""
    from onedata.clinics.models import Clinic

    if not _active(user):
        return Clinic.objects.none()
    if scope.is_platform_admin(user):
        return Clinic.objects.all()
    agencies = [m.agency_id for m in scope.memberships_of(user) if m.role == Role.CLINIC_STAFF]
    return Clinic.objects.filter(agency_id__in=agencies)


def can_view_statistics(user) -> bool:
    return _active(user) and scope.has_role(user, {Role.HEALTH_ANALYST})


def statistics_filter(user):
    """Which clinics' figures the user sees: the analyst's region (platform admin: all)."""
    return scope.region_filter(user, {Role.HEALTH_ANALYST}, field="agency__region__code")
