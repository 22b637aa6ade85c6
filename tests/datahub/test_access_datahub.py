"""The authorisation matrix for the data hub's cases alone (the full matrix in tests/access
walks every app; this runs in a fraction of the time while working on this module)."""

from __future__ import annotations

import pytest

from tests.access import matrix
from tests.access.test_matrix import _check
from tests.datahub import access


@pytest.mark.django_db
def test_datahub_access_matrix_every_role_in_and_out_of_scope(settings):
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
