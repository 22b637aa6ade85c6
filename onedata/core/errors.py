"""One error hierarchy for services. Pages and the API turn these into HTTP in one place.

NotFound -> 404, NotAuthorized -> 403, ValidationError -> 422 with the fields at fault,
Conflict -> 409, RateLimited -> 429 with Retry-After.
"""

from __future__ import annotations


class DomainError(Exception):
    status = 400
    code = "bad_request"

    def __init__(self, message: str, *, fields: dict[str, list[str]] | None = None):
        super().__init__(message)
        self.message = message
        self.fields = fields or {}


class NotFound(DomainError):
    status = 404
    code = "not_found"


class NotAuthorized(DomainError):
    status = 403
    code = "forbidden"


class ValidationError(DomainError):
    status = 422
    code = "invalid"

    @classmethod
    def for_field(cls, field: str, message: str) -> ValidationError:
        return cls(message, fields={field: [message]})


class Conflict(DomainError):
    status = 409
    code = "conflict"


class RateLimited(DomainError):
    status = 429
    code = "rate_limited"

    def __init__(self, message: str, *, retry_after: int):
        super().__init__(message)
        self.retry_after = retry_after


def error_body(code: str, message: str, fields: dict | None = None) -> dict:
    """The API's one error envelope."""
    return {"error": {"code": code, "message": message, "fields": fields or {}}}
