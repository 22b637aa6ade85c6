"""The fact check API, mounted at /api/v1/factcheck/."""

from ninja import Router

router = Router(tags=["factcheck"])
