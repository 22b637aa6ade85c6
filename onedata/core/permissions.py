"""Who may do what in core: one function per action, called by pages and API alike."""

from __future__ import annotations

from onedata.core import scope
from onedata.core.models import Agency, ApiToken, User
from onedata.core.roles import Role

GRANTABLE_BY_AGENCY_ADMIN = {role for role in Role.values if role != Role.PLATFORM_ADMIN}


def _active(user) -> bool:
    return bool(getattr(user, "is_authenticated", False) and user.is_active)


def can_view_audit_log(user) -> bool:
    return scope.is_platform_admin(user)


def can_view_metrics(user) -> bool:
    return scope.is_platform_admin(user)


def can_view_own_account(user) -> bool:
    return _active(user)


def can_confirm_own_phone(user) -> bool:
    return _active(user)


def can_create_api_token(user) -> bool:
    return _active(user)


def can_revoke_api_token(user, token: ApiToken) -> bool:
    return _active(user) and (token.user_id == user.pk or scope.is_platform_admin(user))


def can_view_agency_members(user, agency: Agency) -> bool:
    if not _active(user):
        return False
    return scope.covers(user, {Role.AGENCY_ADMIN}, agency.region)


def can_grant_membership(user, agency: Agency, role: str) -> bool:
    if not _active(user):
        return False
    if scope.is_platform_admin(user):
        return True
    return role in GRANTABLE_BY_AGENCY_ADMIN and scope.covers(
        user, {Role.AGENCY_ADMIN}, agency.region
    )


def can_revoke_membership(user, agency: Agency, role: str) -> bool:
    return can_grant_membership(user, agency, role)


def can_view_user(user, other: User) -> bool:
    if not _active(user):
        return False
    return other.pk == user.pk or scope.is_platform_admin(user)
