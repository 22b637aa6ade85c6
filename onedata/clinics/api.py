"""The clinic queue API, mounted at /api/v1/clinics/."""

from ninja import Router

router = Router(tags=["clinics"])
