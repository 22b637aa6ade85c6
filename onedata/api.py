"""The JSON API at /api/v1/: authentication, the error envelope, each app's router."""

from __future__ import annotations

import logging

from django.db import DataError
from django.http import Http404
from django.http.multipartparser import MultiPartParserError
from django.utils.translation import gettext as _
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError
from ninja.errors import ValidationError as NinjaValidationError
from ninja.security import APIKeyCookie, HttpBearer

from onedata.core import middleware, services
from onedata.core.errors import DomainError, RateLimited, error_body

logger = logging.getLogger("onedata.api")


class BearerToken(HttpBearer):
    """``Authorization: Bearer od_…``: API tokens made on the account page or by `onedata token`."""

    def authenticate(self, request, token):
        user = services.api_token_authenticate(token)
        if user is not None:
            request.user = user
        return user


class BrowserSession(APIKeyCookie):
    """The browser's login session (CSRF-checked on writes)."""

    param_name = "sessionid"

    def authenticate(self, request, key):
        user = request.user
        return user if user.is_authenticated and user.is_active else None


ERROR_SCHEMA = {
    "title": "Error",
    "type": "object",
    "required": ["error"],
    "properties": {
        "error": {
            "type": "object",
            "required": ["code", "message", "fields"],
            "properties": {
                "code": {"type": "string", "examples": ["invalid", "forbidden", "not_found"]},
                "message": {"type": "string"},
                "fields": {
                    "type": "object",
                    "additionalProperties": {"type": "array", "items": {"type": "string"}},
                    "description": "Field name to its problems; empty when not about a field",
                },
            },
        }
    },
}
ERROR_STATUSES = {
    "400": "Malformed request (for example a body that is not JSON)",
    "401": "Not logged in, or the API token is unknown, revoked or expired",
    "403": "Logged in, but not allowed to do this",
    "404": "No such object (or not visible to you)",
    "409": "Conflicts with the current state",
    "422": "Invalid input; `fields` names each field at fault",
    "429": "Too many requests; see the Retry-After header",
}


class OneDataAPI(NinjaAPI):
    """Documents the error envelope on every operation, so clients and the fuzzer know it."""

    def get_openapi_schema(self, *args, **kwargs):
        schema = super().get_openapi_schema(*args, **kwargs)
        schema.setdefault("components", {}).setdefault("schemas", {})["Error"] = ERROR_SCHEMA
        reference = {
            "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}
        }
        for path_item in schema.get("paths", {}).values():
            for operation in path_item.values():
                responses = operation.setdefault("responses", {})
                for status, description in ERROR_STATUSES.items():
                    responses.setdefault(status, {"description": description, **reference})
                if "429" in responses:
                    responses["429"]["headers"] = {
                        "Retry-After": {
                            "schema": {"type": "integer"},
                            "description": "Seconds to wait",
                        }
                    }
        return schema


api = OneDataAPI(
    title="Bali One Data API",
    version="1",
    description=(
        "One API for the platform's modules. Authenticate with `Authorization: Bearer <token>` "
        "(create one on your account page) or the browser session. Errors come as "
        '`{"error": {"code", "message", "fields"}}`.'
    ),
    auth=[BearerToken(), BrowserSession()],
    urls_namespace="api",
)


def _error(request, status: int, code: str, message: str, fields=None, headers=None):
    response = api.create_response(request, error_body(code, message, fields), status=status)
    for key, value in (headers or {}).items():
        response[key] = value
    return response


@api.exception_handler(DomainError)
def domain_error(request, exc: DomainError):
    headers = {"Retry-After": str(exc.retry_after)} if isinstance(exc, RateLimited) else None
    return _error(request, exc.status, exc.code, exc.message, exc.fields, headers)


@api.exception_handler(NinjaValidationError)
def validation_error(request, exc: NinjaValidationError):
    fields: dict[str, list[str]] = {}
    for item in exc.errors:
        location = [
            str(part)
            for part in item.get("loc", [])
            if part not in ("body", "payload", "form", "file")
        ]
        name = ".".join(location[1:] if location[:1] in (["query"], ["path"]) else location)
        fields.setdefault(name or "__all__", []).append(item.get("msg", "invalid"))
    return _error(request, 422, "invalid", _("Some fields are invalid."), fields)


@api.exception_handler(AuthenticationError)
def authentication_error(request, exc):
    return _error(request, 401, "unauthenticated", _("Log in or send a valid API token."))


@api.exception_handler(Http404)
def not_found(request, exc):
    return _error(request, 404, "not_found", _("Not found."))


@api.exception_handler(HttpError)
def http_error(request, exc: HttpError):
    codes = {400: "bad_request", 405: "method_not_allowed", 413: "too_large"}
    return _error(request, exc.status_code, codes.get(exc.status_code, "http_error"), str(exc))


@api.exception_handler(MultiPartParserError)
def malformed_multipart(request, exc):
    """A multipart body without a boundary or cut short: the client's mistake, named."""
    return _error(
        request,
        400,
        "bad_request",
        _("The request body is not valid multipart/form-data."),
        {"body": [str(exc)[:200]]},
    )


@api.exception_handler(DataError)
def database_refused_value(request, exc: DataError):
    """A value the database cannot hold (out of range) is the client's mistake, not ours."""
    return _error(request, 422, "invalid", _("A value is out of the allowed range."))


# A lost database or Redis is a 503 with Retry-After, in the envelope (core/middleware.py
# handles pages the same way).
for _gone in middleware.BACKEND_GONE:
    api.add_exception_handler(_gone, middleware.api_backend_gone)


@api.exception_handler(Exception)
def unexpected_error(request, exc: Exception):
    logger.exception("Unhandled error in API %s %s", request.method, request.path)
    return _error(
        request, 500, "server_error", _("Something went wrong on our side; it is logged.")
    )


api.add_router("/core/", "onedata.core.api.router")
api.add_router("/notify/", "onedata.notifications.api.router")
api.add_router("/datahub/", "onedata.datahub.api.router")
api.add_router("/hospitals/", "onedata.hospitals.api.router")
api.add_router("/clinics/", "onedata.clinics.api.router")
api.add_router("/attendance/", "onedata.attendance.api.router")
api.add_router("/villages/", "onedata.villagefinance.api.router")
api.add_router("/factcheck/", "onedata.factcheck.api.router")
api.add_router("/onedata/", "onedata.publishing.api.router")
