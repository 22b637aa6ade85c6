"""Read queries shared by pages and API."""

from __future__ import annotations

from datetime import UTC, datetime

from django.utils import timezone

from onedata.core.models import AuditEvent


def as_utc(moment: datetime | None) -> datetime | None:
    """Any offset the client sent, as UTC (databases refuse some odd offsets); a time
    without an offset is read as WITA, the platform's time zone."""
    if moment is None:
        return None
    if timezone.is_naive(moment):
        moment = timezone.make_aware(moment)
    return moment.astimezone(UTC)


def audit_events_search(
    *,
    action: str | None = None,
    actor: str | None = None,
    object_type: str | None = None,
    object_id: str | None = None,
    since: datetime | None = None,
    until: datetime | None = None,
):
    since, until = as_utc(since), as_utc(until)
    events = AuditEvent.objects.all()
    if action:
        events = events.filter(action__startswith=action)
    if actor:
        events = events.filter(actor_label__iexact=actor)
    if object_type:
        events = events.filter(object_type=object_type)
    if object_id:
        events = events.filter(object_id=object_id)
    if since:
        events = events.filter(created_at__gte=since)
    if until:
        events = events.filter(created_at__lt=until)
    return events
