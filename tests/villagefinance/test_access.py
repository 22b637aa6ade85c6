"""The authorisation matrix for SIKUAT's own URLs only (the full matrix in tests/access
covers every app; this runs in seconds while working on this one)."""

import pytest

from tests.access import matrix
from tests.access.test_matrix import _check, build_world
from tests.villagefinance.access import CASES


@pytest.mark.django_db
def test_every_role_in_and_out_of_scope_on_village_finance(settings):
    settings.API_RATE_PER_MINUTE_IP = 10**9
    world = build_world()
    problems = []
    for name, entries in sorted(CASES.items()):
        for case in entries:
            for actor in matrix.actors():
                problem = _check(world, actor, case)
                if problem:
                    problems.append(f"[{name}] {problem}")
    assert not problems, "\n".join(problems)
