"""The access matrix for this module's URLs alone (the full matrix runs in tests/access):
every role, in and out of scope, for every clinic page and API operation."""

import pytest
from django.db import transaction

from tests.access import matrix
from tests.access.test_matrix import _check, _client_for, _send
from tests.clinics import access


@pytest.fixture
def world(settings):
    settings.API_RATE_PER_MINUTE_IP = 10**9
    world = matrix.build_world()
    access.extend_world(world)
    return world


@pytest.mark.django_db
def test_every_clinic_endpoint_answers_each_role_as_declared(world):
    problems = []
    for name, entries in sorted(access.CASES.items()):
        for case in entries:
            for actor in matrix.actors():
                problem = _check(world, actor, case)
                if problem:
                    problems.append(f"[{name}] {problem}")
    assert not problems, "\n".join(problems)


@pytest.mark.django_db
def test_every_clinic_write_refuses_a_browser_without_the_csrf_token(world):
    admin = matrix.Actor("platform_admin", "province")
    problems = []
    for name, entries in sorted(access.CASES.items()):
        for case in entries:
            if case.method == "GET":
                continue
            client = _client_for(world, admin, csrf=True)
            with transaction.atomic():
                response = _send(client, case, world)
                transaction.set_rollback(True)
            if response.status_code not in (401, 403):
                problems.append(f"[{name}] {case.method} without CSRF: {response.status_code}")
    assert not problems, "\n".join(problems)


def test_every_clinic_url_and_operation_is_declared():
    names = {n for n in matrix.url_names() if n.startswith("clinics:")}
    operations = {
        (name, method)
        for name, method in matrix.api_operations()
        if name.startswith("api:clinics_")
    }
    declared = {(name, case.method) for name, cases in access.CASES.items() for case in cases}
    assert names <= set(access.CASES)
    assert operations <= declared
