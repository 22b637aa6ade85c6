"""The data hub API, mounted at /api/v1/datahub/."""

from ninja import Router

router = Router(tags=["datahub"])
