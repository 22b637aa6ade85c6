"""The authorisation matrix for this module's URLs alone (the full one is tests/access)."""

import pytest

from tests.access import matrix
from tests.access.test_matrix import _check
from tests.hospitals import access


@pytest.mark.django_db
def test_every_hospitals_endpoint_for_every_role_in_and_out_of_scope(settings):
    settings.API_RATE_PER_MINUTE_IP = 10**9
    world = matrix.build_world()
    access.extend_world(world)
    problems = []
    for name, entries in sorted(access.CASES.items()):
        for case in entries:
            for actor in matrix.actors():
                problem = _check(world, actor, case)
                if problem:
                    problems.append(f"[{name}] {problem}")
    assert not problems, "\n".join(problems)


@pytest.mark.django_db
def test_every_hospitals_write_refuses_a_request_without_the_csrf_token(settings):
    from django.db import transaction

    from tests.access.test_matrix import _client_for, _send

    settings.API_RATE_PER_MINUTE_IP = 10**9
    world = matrix.build_world()
    access.extend_world(world)
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
                problems.append(f"[{name}] without CSRF token: {response.status_code}")
    assert not problems, "\n".join(problems)
