"""Shared fixtures: the region tree, agencies and people with roles."""

from __future__ import annotations

import importlib

import pytest
from django.db import connection
from django.test import Client

from onedata.core.models import Agency, Membership, Region, User
from onedata.core.regions import regions_load
from onedata.core.roles import Role

PASSWORD = "a-Long-test-passw0rd"


@pytest.fixture
def regions(db):
    """All 783 regions of Bali (loaded once per test database state)."""
    if not Region.objects.filter(code="51").exists():
        regions_load()
    return Region.objects


def make_agency(slug: str, region_code: str, kind: str = Agency.Kind.DINAS) -> Agency:
    region = Region.objects.get(code=region_code)
    return Agency.objects.create(
        slug=slug, name=slug.replace("-", " ").title(), kind=kind, region=region
    )


def make_user(
    username: str, role: str | None = None, agency: Agency | None = None, **fields
) -> User:
    fields.setdefault("email", f"{username}@example.test")
    user = User.objects.create_user(username=username, password=PASSWORD, **fields)
    if role and agency:
        Membership.objects.create(user=user, agency=agency, role=role)
    return user


@pytest.fixture
def agencies(regions):
    """A provincial office, two agencies in Badung, one in Gianyar."""
    return {
        "province": make_agency("diskominfos", "51"),
        "badung": make_agency("pemkab-badung", "51.03", Agency.Kind.GOVERNMENT),
        "badung_dinkes": make_agency("dinkes-badung", "51.03"),
        "gianyar": make_agency("pemkab-gianyar", "51.04", Agency.Kind.GOVERNMENT),
    }


@pytest.fixture
def people(agencies):
    return {
        "platform_admin": make_user("root", Role.PLATFORM_ADMIN, agencies["province"]),
        "badung_admin": make_user("badung", Role.AGENCY_ADMIN, agencies["badung"]),
        "gianyar_admin": make_user("gianyar", Role.AGENCY_ADMIN, agencies["gianyar"]),
        "employee": make_user("pegawai", Role.EMPLOYEE, agencies["badung"]),
        "citizen": make_user("warga"),
    }


def login_client(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def client_for():
    return login_client


APPEND_ONLY = importlib.import_module("onedata.core.migrations.0002_auditevent_append_only")


def _is_transactional(request) -> bool:
    marker = request.node.get_closest_marker("django_db")
    return bool(
        {"transactional_db", "live_server"} & set(request.fixturenames)
        or (marker and marker.kwargs.get("transaction"))
    )


@pytest.fixture(autouse=True)
def fresh_cache():
    """Each test starts with an empty cache: with Redis, rate-limit counters would otherwise
    carry over from one test to the next."""
    from django.core.cache import cache

    cache.clear()
    yield


@pytest.fixture(autouse=True)
def audit_log_flushable(request):
    """After a transactional test Django empties SQLite tables with DELETE, which the audit
    log's append-only trigger refuses: lift the trigger just for that clean-up.
    (PostgreSQL empties tables with TRUNCATE, which row triggers do not see.)"""
    if not _is_transactional(request):
        yield
        return
    request.getfixturevalue("_django_db_helper")  # set up first, so torn down after us
    yield
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            for statement in APPEND_ONLY.SQLITE_DROP:
                cursor.execute(statement)
            cursor.execute("DELETE FROM core_auditevent")
            for statement in APPEND_ONLY.SQLITE_CREATE:
                cursor.execute(statement)
