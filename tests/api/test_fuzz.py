"""Schemathesis over /api/v1/openapi.json: every operation, generated input, several roles.

Zero server errors allowed, and every answer must match the documented schema (status,
content type, body). Examples per operation: ONEDATA_FUZZ_EXAMPLES (default 15).
"""

import os

import pytest
import schemathesis
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from onedata.api import api
from onedata.core import services
from onedata.core.roles import Role
from onedata.wsgi import application
from tests.conftest import make_agency, make_user

EXAMPLES = int(os.environ.get("ONEDATA_FUZZ_EXAMPLES", "15"))
CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
]

# The schema is the one /api/v1/openapi.json serves; built in-process at collection time,
# when the test database does not exist yet (fetching it over HTTP would touch the rate
# limiter's table). The calls then go to the WSGI application inside each test.
schema = schemathesis.openapi.from_dict(api.get_openapi_schema(path_prefix="/api/v1/"))
schema.app = application

ROLES = {
    "anonymous": None,
    "citizen": None,
    "agency_admin": Role.AGENCY_ADMIN,
    "platform_admin": Role.PLATFORM_ADMIN,
    "application": None,  # an application's sending key (notifications)
}


@pytest.fixture
def keep_test_connection():
    """Django closes the database connection after each request; inside a test that would
    close the test transaction's connection (Django's own test client does the same)."""
    from django.core.signals import request_finished, request_started
    from django.db import close_old_connections

    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.fixture
def auth_headers(request, regions, settings, keep_test_connection):
    settings.API_RATE_PER_MINUTE_IP = settings.API_RATE_PER_MINUTE_TOKEN = 10**9
    who = request.param
    if who == "anonymous":
        return {}
    agency = make_agency("pemkab-badung", "51.03")
    if who == "application":
        from onedata.notifications import services as notify

        application = notify.application_create(actor="test", agency=agency, name="Fuzz")
        key = notify.application_key_create(actor="test", application=application, name="k")
        return {"Authorization": f"Bearer {key.plaintext}"}
    user = make_user(f"fuzz-{who}", ROLES[who], agency if ROLES[who] else None)
    token = services.api_token_create(actor="test", user=user, name="fuzz").plaintext
    return {"Authorization": f"Bearer {token}"}


@pytest.mark.parametrize("auth_headers", list(ROLES), indirect=True)
@schema.parametrize()
@settings(
    max_examples=EXAMPLES, deadline=None, derandomize=True, suppress_health_check=list(HealthCheck)
)
def test_api_answers_every_generated_request_within_its_schema(case, auth_headers):
    case.call_and_validate(headers=auth_headers, checks=CHECKS)
