"""The village finance (sikuat) API, mounted at /api/v1/villages/."""

from ninja import Router

router = Router(tags=["villagefinance"])
