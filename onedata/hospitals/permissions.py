"""Who may do what in the hospitals module: one function per action, pages and API alike.

A hospital reporter acts for the hospitals where they hold the role (membership of the
hospital's agency); a health analyst sees the hospitals in their region; planning and
approving allocations is for health analysts at the province (and platform admins).
"""

from __future__ import annotations

from onedata.core import scope
from onedata.core.models import Region
from onedata.core.roles import Role

REPORTER = Role.HOSPITAL_REPORTER
ANALYST = Role.HEALTH_ANALYST


def _active(user) -> bool:
    return bool(getattr(user, "is_authenticated", False) and user.is_active)


def reporter_agency_ids(user) -> set[int]:
    return {m.agency_id for m in scope.memberships_of(user) if m.role == REPORTER}


def is_province_analyst(user) -> bool:
    if scope.is_platform_admin(user):
        return True
    return any(
        m.role == ANALYST and m.agency.region.level == Region.Level.PROVINCE
        for m in scope.memberships_of(user)
    )


def can_view_public_beds(user) -> bool:
    return True


def can_view_dashboard(user) -> bool:
    return _active(user) and scope.has_role(user, {ANALYST, REPORTER})


def can_view_hospital(user, hospital) -> bool:
    if not _active(user):
        return False
    if scope.covers(user, {ANALYST}, hospital.agency.region):
        return True
    return hospital.agency_id in reporter_agency_ids(user)


def can_submit_report(user, hospital) -> bool:
    if not _active(user):
        return False
    return scope.is_platform_admin(user) or hospital.agency_id in reporter_agency_ids(user)


def can_view_forecast(user) -> bool:
    return can_view_dashboard(user)


def can_propose_allocation(user) -> bool:
    return _active(user) and is_province_analyst(user)


def can_view_allocation(user, plan) -> bool:
    return _active(user) and is_province_analyst(user)


def can_approve_allocation(user, plan) -> bool:
    return _active(user) and is_province_analyst(user)


def can_dispatch_allocation(user, plan) -> bool:
    return _active(user) and is_province_analyst(user)


def can_confirm_receipt(user, line) -> bool:
    return can_submit_report(user, line.hospital)
