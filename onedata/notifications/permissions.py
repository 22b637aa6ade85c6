"""Who may do what with the notification service: one function per action."""

from __future__ import annotations

from onedata.core import scope
from onedata.core.roles import Role

APP_MANAGERS = {Role.AGENCY_ADMIN, Role.APP_DEVELOPER}


def _active(user) -> bool:
    return bool(getattr(user, "is_authenticated", False) and user.is_active)


def can_manage_application(user, application) -> bool:
    """Developers and admins of the application's agency (or its region above)."""
    return _active(user) and scope.covers(user, APP_MANAGERS, application.agency.region)


def can_list_applications(user) -> bool:
    """Anyone who may register or manage an application somewhere."""
    return _active(user) and scope.has_role(user, APP_MANAGERS)


def can_create_application(user, agency) -> bool:
    return _active(user) and scope.covers(user, APP_MANAGERS, agency.region)


def can_view_outbox(user) -> bool:
    """The demo's caught mail: for platform admins only (it holds everyone's mail)."""
    return scope.is_platform_admin(user)


def can_read_inbox(user) -> bool:
    return _active(user)


def can_manage_suppressions(user) -> bool:
    return scope.is_platform_admin(user)
