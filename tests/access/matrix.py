"""The authorisation matrix: every URL, every role, in and out of scope.

Each app declares what it expects in ``tests/<app>/access.py`` as ``CASES``: a dict from
URL name (``core:account``, ``api:token_create``) to a list of ``Case``. The test walks
every URL pattern and every Ninja operation; one without a declared case fails.

Actors: anonymous, and every role held at four places relative to the target object,
which belongs to the agency ``pemkab-badung`` (regency 51.03):
  own      - the same agency
  sibling  - another agency in the same regency (Dinkes Badung, 51.03)
  other    - an agency in another regency (Pemkab Gianyar, 51.04)
  province - a provincial agency (Diskominfos, region 51), which covers every regency
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.urls import URLPattern, URLResolver, get_resolver

from onedata.core.models import Agency, ApiToken, Membership, Region, User
from onedata.core.roles import Role

PLACES = ("own", "sibling", "other", "province")
DENIED_STATUSES = {401, 403, 404}
LOGIN_PATHS = ("/masuk/", "/admin/login/")


@dataclass(frozen=True)
class Actor:
    role: str | None  # None: anonymous
    place: str | None

    @property
    def label(self) -> str:
        return "anonymous" if self.role is None else f"{self.role}@{self.place}"


@dataclass
class World:
    """The objects every case can point at."""

    agencies: dict[str, Agency]
    users: dict[Actor, User]
    target_user: User
    target_token: ApiToken
    target_membership: Membership
    extra: dict[str, Any] = field(default_factory=dict)


Rule = Callable[[Actor], bool]


@dataclass(frozen=True)
class Case:
    method: str
    url: Callable[[World], str]
    allowed: Rule
    data: Callable[[World], dict] | None = None
    json: bool = False  # send the data as a JSON body (API) rather than a form
    # Extra check on an allowed answer: returns a problem or None (e.g. a leak in a list).
    leak_check: Callable[[World, Actor, Any], str | None] | None = None


# Rules -------------------------------------------------------------------------------


def public(actor: Actor) -> bool:
    return True


def logged_in(actor: Actor) -> bool:
    return actor.role is not None


def platform_admin(actor: Actor) -> bool:
    return actor.role == Role.PLATFORM_ADMIN


def nobody(actor: Actor) -> bool:
    """No user session: for example endpoints that take an application's key instead."""
    return False


def staff(actor: Actor) -> bool:
    return actor.role == Role.PLATFORM_ADMIN  # the only role given back-office access


def in_scope(*roles: str) -> Rule:
    """The role, held at the target's agency, its regency or the province; or a platform admin."""

    def rule(actor: Actor) -> bool:
        if actor.role == Role.PLATFORM_ADMIN:
            return True
        return actor.role in roles and actor.place in ("own", "sibling", "province")

    return rule


# The world ---------------------------------------------------------------------------


def build_world() -> World:
    from onedata.core import services
    from onedata.core.regions import regions_load

    if not Region.objects.filter(code="51").exists():
        regions_load()

    def agency(slug: str, code: str) -> Agency:
        return Agency.objects.create(
            slug=slug, name=slug, kind=Agency.Kind.DINAS, region=Region.objects.get(code=code)
        )

    agencies = {
        "own": agency("pemkab-badung", "51.03"),
        "sibling": agency("dinkes-badung", "51.03"),
        "other": agency("pemkab-gianyar", "51.04"),
        "province": agency("diskominfos", "51"),
    }
    users: dict[Actor, User] = {}
    for role in Role.values:
        for place in PLACES:
            user = User.objects.create_user(
                username=f"{role}.{place}", password="x", email=f"{role}.{place}@example.test"
            )
            if role == Role.PLATFORM_ADMIN:
                user.is_staff = user.is_superuser = True
                user.save(update_fields=["is_staff", "is_superuser"])
            Membership.objects.create(user=user, agency=agencies[place], role=role)
            users[Actor(role, place)] = user
    target_user = User.objects.create_user(
        username="target", password="x", email="target@example.test"
    )
    target_membership = Membership.objects.create(
        user=target_user, agency=agencies["own"], role=Role.EMPLOYEE
    )
    target_token = services.api_token_create(actor="test", user=target_user, name="t").token
    return World(
        agencies=agencies,
        users=users,
        target_user=target_user,
        target_token=target_token,
        target_membership=target_membership,
    )


def actors() -> list[Actor]:
    return [Actor(None, None)] + [Actor(role, place) for role in Role.values for place in PLACES]


# Enumeration -------------------------------------------------------------------------


def url_names() -> set[str]:
    """Every named URL pattern of the project, with its namespace."""
    names: set[str] = set()

    def walk(patterns, namespace: str | None):
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                inner = pattern.namespace or namespace
                if pattern.namespace and namespace:
                    inner = f"{namespace}:{pattern.namespace}"
                walk(pattern.url_patterns, inner)
            elif isinstance(pattern, URLPattern):
                name = pattern.name or f"<unnamed {pattern.pattern}>"
                names.add(f"{namespace}:{name}" if namespace else name)

    walk(get_resolver().url_patterns, None)
    return names


def api_operations() -> set[tuple[str, str]]:
    """Every Ninja operation as (url name, HTTP method)."""
    from onedata.api import api

    operations = set()
    for _prefix, router in api._routers:
        for path_view in router.path_operations.values():
            for operation in path_view.operations:
                for method in operation.methods:
                    name = getattr(operation, "url_name", None) or operation.view_func.__name__
                    operations.add((f"api:{name}", method))
    return operations


def is_denied(response) -> bool:
    if response.status_code in DENIED_STATUSES:
        return True
    if response.status_code in (301, 302):
        return response["Location"].split("?")[0] in LOGIN_PATHS
    return False
