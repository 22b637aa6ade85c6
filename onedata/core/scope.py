"""Where a user's roles reach. A role held at an agency covers the agency's region and
every region below it (a regency office covers its districts and villages)."""

from __future__ import annotations

from collections.abc import Iterable

from django.db.models import Q

from onedata.core.models import Membership, Region
from onedata.core.roles import Role


def memberships_of(user) -> list[Membership]:
    """The user's memberships, loaded once per request object."""
    if not getattr(user, "is_authenticated", False):
        return []
    cached = getattr(user, "_onedata_memberships", None)
    if cached is None:
        cached = list(
            Membership.objects.filter(user=user).select_related("agency", "agency__region")
        )
        user._onedata_memberships = cached
    return cached


def forget(user) -> None:
    user.__dict__.pop("_onedata_memberships", None)


def has_role(user, roles: Iterable[str]) -> bool:
    if is_platform_admin(user):
        return True
    wanted = set(roles)
    return any(m.role in wanted for m in memberships_of(user))


def is_platform_admin(user) -> bool:
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return False
    if user.is_superuser:
        return True
    return any(m.role == Role.PLATFORM_ADMIN for m in memberships_of(user))


def region_codes(user, roles: Iterable[str]) -> set[str]:
    """The region codes at the top of the user's reach for these roles."""
    wanted = set(roles)
    return {m.agency.region.code for m in memberships_of(user) if m.role in wanted}


def code_covers(scope_code: str, region_code: str) -> bool:
    return region_code == scope_code or region_code.startswith(scope_code + ".")


def covers(user, roles: Iterable[str], region: Region) -> bool:
    """May the user act, with one of these roles, on something in ``region``?"""
    if is_platform_admin(user):
        return True
    return any(code_covers(code, region.code) for code in region_codes(user, roles))


def region_filter(user, roles: Iterable[str], field: str = "region__code") -> Q:
    """A filter for querysets: objects whose region lies in the user's reach.

    Platform admins get everything; a user without the role gets nothing.
    """
    if is_platform_admin(user):
        return Q()
    codes = region_codes(user, roles)
    if not codes:
        return Q(pk__in=[])
    condition = Q()
    for code in codes:
        condition |= Q(**{field: code}) | Q(**{f"{field}__startswith": code + "."})
    return condition
