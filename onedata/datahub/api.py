"""The data hub API, mounted at /api/v1/data/."""

from ninja import Router

router = Router(tags=["datahub"])
