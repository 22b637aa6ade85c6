"""Every endpoint, every role, in and out of scope: zero leaks allowed."""

from __future__ import annotations

import importlib
import os
import pkgutil

import pytest
from django.db import transaction
from django.test import Client

import tests
from tests.access import matrix
from tests.access.matrix import Actor, Case, World

ADMIN_PREFIX = "admin:"


def access_modules():
    for module in pkgutil.iter_modules(tests.__path__):
        try:
            yield importlib.import_module(f"tests.{module.name}.access")
        except ModuleNotFoundError:
            continue


def build_world() -> World:
    """The shared world, plus what each app's access module adds (``extend_world``)."""
    world = matrix.build_world()
    for access in access_modules():
        extend = getattr(access, "extend_world", None)
        if extend is not None:
            extend(world)
    return world


def declared_cases(apps: set[str] | None = None) -> dict[str, list[Case]]:
    """Every declared case, or only those of ``tests/<app>/access.py`` for the given apps."""
    cases: dict[str, list[Case]] = {}
    for access in access_modules():
        app = access.__name__.split(".")[1]
        for name, entries in access.CASES.items():
            assert name not in cases, f"{name} declared twice"
            if apps is None or app in apps:
                cases[name] = entries
    return cases


def apps_under_test() -> set[str] | None:
    """``ONEDATA_ACCESS_APPS=datahub,attendance`` checks only those apps' declarations.

    The whole matrix takes minutes; while working on one app its own rows are what
    changes. The completeness test always reads every declaration.
    """
    named = os.environ.get("ONEDATA_ACCESS_APPS", "").strip()
    return {app.strip() for app in named.split(",") if app.strip()} or None


def test_every_url_and_api_operation_has_a_declared_expectation():
    cases = declared_cases()
    names = {name for name in matrix.url_names() if not name.startswith(ADMIN_PREFIX)}
    missing = sorted(names - set(cases))
    assert not missing, f"URLs without a declared access expectation: {missing}"
    operations = matrix.api_operations()
    declared_methods = {(name, case.method) for name, entries in cases.items() for case in entries}
    missing_ops = sorted(operations - declared_methods)
    assert not missing_ops, f"API operations without a declared expectation: {missing_ops}"
    stale = sorted(set(cases) - names)
    assert not stale, f"Declared but no such URL (renamed?): {stale}"


def _client_for(world: World, actor: Actor, csrf: bool = False) -> Client:
    client = Client(enforce_csrf_checks=csrf)
    if actor.role is not None:
        client.force_login(world.users[actor])
    return client


def _send(client: Client, case: Case, world: World, **extra):
    url = case.url(world)
    data = case.data(world) if case.data else {}
    method = getattr(client, case.method.lower())
    if case.json:
        return method(url, data, content_type="application/json", **extra)
    if case.method in ("GET", "DELETE"):
        return method(url, **extra) if case.method == "DELETE" else method(url, data, **extra)
    return method(url, data, **extra)


_clients: dict[tuple[int, Actor], Client] = {}


def _cached_client(world: World, actor: Actor) -> Client:
    """One logged-in client per actor: logging in for every request would dominate the time."""
    key = (id(world), actor)
    if key not in _clients:
        _clients.clear() if len(_clients) > 500 else None
        _clients[key] = _client_for(world, actor)
    return _clients[key]


def _check(world: World, actor: Actor, case: Case) -> str | None:
    # Writes get a fresh client: one of them is "log out", which would end a shared session.
    client = _cached_client(world, actor) if case.method == "GET" else _client_for(world, actor)
    with transaction.atomic():
        response = _send(client, case, world, REMOTE_ADDR=f"10.{hash(actor) % 250}.0.1")
        transaction.set_rollback(True)
    where = f"{case.method} {case.url(world)} as {actor.label}"
    if response.status_code >= 500:
        return f"{where}: server error {response.status_code}"
    if response.status_code == 405:
        return f"{where}: 405, the declaration names a method the URL does not take"
    expected = case.allowed(actor)
    denied = matrix.is_denied(response)
    if expected and denied:
        return f"{where}: refused ({response.status_code}) but should be allowed"
    if not expected and not denied:
        return f"{where}: LEAK, answered {response.status_code} but should be refused"
    if expected and case.leak_check is not None:
        problem = case.leak_check(world, actor, response)
        if problem:
            return f"{where}: LEAK, {problem}"
    return None


@pytest.mark.django_db
def test_access_matrix_every_role_in_and_out_of_scope(settings):
    settings.API_RATE_PER_MINUTE_IP = 10**9
    world = build_world()
    problems = []
    for name, entries in sorted(declared_cases(apps_under_test()).items()):
        for case in entries:
            for actor in matrix.actors():
                problem = _check(world, actor, case)
                if problem:
                    problems.append(f"[{name}] {problem}")
    assert not problems, "\n".join(problems)


@pytest.mark.django_db
def test_every_write_refuses_a_request_without_the_csrf_token(settings):
    """Browser sessions must send the CSRF token on every POST/PUT/PATCH/DELETE."""
    settings.API_RATE_PER_MINUTE_IP = 10**9
    world = build_world()
    admin = Actor("platform_admin", "province")
    problems = []
    for name, entries in sorted(declared_cases(apps_under_test()).items()):
        for case in entries:
            if case.method == "GET":
                continue
            client = _client_for(world, admin, csrf=True)
            with transaction.atomic():
                response = _send(client, case, world)
                transaction.set_rollback(True)
            if response.status_code not in (401, 403):
                problems.append(
                    f"[{name}] {case.method} {case.url(world)} without CSRF token: "
                    f"{response.status_code}"
                )
    assert not problems, "\n".join(problems)


def _admin_urls(world: World) -> list[str]:
    from django.contrib import admin
    from django.urls import reverse

    urls = [reverse("admin:index")]
    for model in admin.site._registry:
        if not model._meta.managed:
            continue  # e.g. django-rq's dashboard entry, which has no table
        info = (model._meta.app_label, model._meta.model_name)
        urls.append(reverse("admin:{}_{}_changelist".format(*info)))
        first = model._default_manager.order_by("pk").first()
        if first is not None:
            urls.append(reverse("admin:{}_{}_change".format(*info), args=[first.pk]))
    return urls


@pytest.mark.django_db
def test_back_office_is_for_staff_only():
    world = build_world()
    problems = []
    for url in _admin_urls(world):
        for actor in matrix.actors():
            response = _client_for(world, actor).get(url)
            allowed = matrix.staff(actor)
            denied = matrix.is_denied(response)
            if allowed == denied:
                problems.append(f"GET {url} as {actor.label}: {response.status_code}")
    assert not problems, "\n".join(problems)
