"""The hospitals API, mounted at /api/v1/hospitals/."""

from ninja import Router

router = Router(tags=["hospitals"])
