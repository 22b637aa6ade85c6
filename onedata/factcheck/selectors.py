"""Read queries the desk pages and the API share, cut to the user's reach (see
``permissions``: the province sees everything, a regency its own reports)."""

from __future__ import annotations

from datetime import datetime

from django.db.models import Min, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from onedata.factcheck import permissions, weekly
from onedata.factcheck.models import Channel, Claim, Report, Review


def claim_regency_codes(claim: Claim) -> set[str]:
    """The regencies a claim was reported from (cached on the object)."""
    cached = getattr(claim, "_factcheck_regencies", None)
    if cached is None:
        cached = set(
            Report.objects.filter(claim_id=claim.pk, regency__isnull=False)
            .values_list("regency__code", flat=True)
            .distinct()
        )
        claim._factcheck_regencies = cached
    return cached


def _regency_condition(user, field: str) -> Q:
    codes = permissions.desk_region_codes(user)
    if not codes:
        return Q(pk__in=[])
    condition = Q()
    for code in codes:
        condition |= Q(**{field: code}) | Q(**{f"{field}__startswith": code + "."})
    return condition


def desk_claims(user) -> QuerySet[Claim]:
    """Claims on the user's desk."""
    claims = Claim.objects.all()
    if permissions.desk_sees_all(user):
        return claims
    reported_here = Report.objects.filter(_regency_condition(user, "regency__code"))
    return claims.filter(pk__in=reported_here.values("claim_id"))


def desk_reports(user, reports: QuerySet[Report] | None = None) -> QuerySet[Report]:
    """Reports the user may read (with their contact details and screenshots)."""
    reports = Report.objects.all() if reports is None else reports
    if permissions.desk_sees_all(user):
        return reports
    return reports.filter(_regency_condition(user, "regency__code"))


def weekly_summary(user, *, since: datetime, until: datetime | None = None) -> dict:
    """The weekly hoax report of the user's reach, for reports made in [since, until)."""
    reports_here = desk_reports(user).filter(created_at__gte=since)
    if until is not None:
        reports_here = reports_here.filter(created_at__lt=until)
    rows = reports_here.values_list(
        "created_at", "claim_id", "claim__topic__name", "channel", "regency__name"
    )
    channels = dict(Channel.choices)
    reports = [
        weekly.ReportRow(
            created=timezone.localtime(created).date(),
            claim_id=claim_id,
            topic=topic or _("No topic"),
            channel=str(channels.get(channel, channel)),
            regency=regency or _("Unknown"),
        )
        for created, claim_id, topic, channel, regency in rows
    ]
    claim_ids = {r.claim_id for r in reports}
    first_reports = dict(
        desk_reports(user)
        .filter(claim_id__in=claim_ids)
        .values("claim_id")
        .annotate(first=Min("created_at"))
        .values_list("claim_id", "first")
    )
    claims = []
    for claim in Claim.objects.filter(pk__in=claim_ids).select_related("review"):
        review = getattr(claim, "review", None)
        published = review is not None and review.status == Review.Status.PUBLISHED
        claims.append(
            weekly.ClaimRow(
                claim_id=claim.pk,
                text=claim.text,
                first_reported=first_reports.get(claim.pk),
                verdict_at=review.published_at if published else None,
                verdict=review.verdict if published else "",
            )
        )
    return weekly.summarise(reports, claims)
