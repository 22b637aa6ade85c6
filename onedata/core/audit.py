"""Writing audit events. Services call ``audit.record`` inside their transaction."""

from __future__ import annotations

from typing import Any

from django.db import models

from onedata.core import context
from onedata.core.models import AuditEvent

SECRET_FIELDS = {"password", "token_hash", "secret", "token"}


def snapshot(obj: models.Model, fields: list[str]) -> dict[str, Any]:
    """A JSON-able picture of some fields of an object, for before/after."""
    picture = {}
    for name in fields:
        value = getattr(obj, name)
        if isinstance(value, models.Model):
            value = value.pk
        elif hasattr(value, "isoformat"):
            value = value.isoformat()
        picture[name] = value
    return picture


def record(
    *,
    actor,
    action: str,
    obj: models.Model | None = None,
    before: dict | None = None,
    after: dict | None = None,
    object_type: str = "",
    object_id: str = "",
    object_repr: str = "",
) -> AuditEvent:
    ctx = context.current()
    if obj is not None:
        object_type = object_type or obj._meta.label_lower
        object_id = object_id or str(obj.pk)
        object_repr = object_repr or str(obj)[:200]
    user = actor if getattr(actor, "is_authenticated", False) else None
    return AuditEvent.objects.create(
        actor=user,
        actor_label=(user.username if user else str(actor or "anonymous"))[:150],
        action=action,
        object_type=object_type,
        object_id=object_id,
        object_repr=object_repr,
        before=_scrub(before),
        after=_scrub(after),
        ip=ctx.ip,
        request_id=ctx.request_id,
    )


def _scrub(picture: dict | None) -> dict | None:
    if picture is None:
        return None
    cleaned = {}
    for key, value in picture.items():
        if key in SECRET_FIELDS:
            cleaned[key] = "***"
        elif key == "nik" and value:
            from onedata.core.nik import mask_nik

            cleaned[key] = mask_nik(value)
        else:
            cleaned[key] = value
    return cleaned
