"""The fact check API, mounted at /api/v1/factcheck/.

Public: search, checked claims (with their schema.org ClaimReview), articles, and sending
a report (rate-limited per address). The desk operations need the fact-checker role.
"""

import json
from datetime import datetime
from typing import Literal

from django.db.models import Q
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.translation import gettext as _
from ninja import Field, Path, Query, Router, Schema, Status
from ninja.errors import ValidationError as NinjaValidationError
from ninja.pagination import paginate
from pydantic import ValidationError as PydanticValidationError

from onedata.core.errors import NotAuthorized, ValidationError
from onedata.core.middleware import client_ip
from onedata.core.models import User
from onedata.core.pagination import PagePagination
from onedata.core.roles import Role
from onedata.factcheck import claimreview, permissions, search, selectors, services
from onedata.factcheck.models import (
    VERDICT_RATING,
    Article,
    Channel,
    Claim,
    Review,
    Verdict,
)

router = Router(tags=["factcheck"])
MAX_ID = 2**31 - 1


class Public:
    """Anyone may call; a browser that sends its session cookie must also send the CSRF
    token (so no other site can post in a logged-in citizen's name)."""

    def __call__(self, request):
        from django.conf import settings

        from onedata.api import BearerToken, BrowserSession

        if request.headers.get("Authorization"):
            user = BearerToken()(request)
            if user:
                return user
        if settings.SESSION_COOKIE_NAME in request.COOKIES:
            return BrowserSession()(request) or "anonymous"
        return "anonymous"


VerdictName = Literal[
    "HOAKS", "SALAH", "DISINFORMASI", "MISINFORMASI", "MENYESATKAN", "KLARIFIKASI", "BENAR"
]
ChannelName = Literal[tuple(Channel.values)]  # type: ignore[valid-type]


class SourceOut(Schema):
    title: str
    url: str


class SourceIn(Schema):
    title: str = Field("", max_length=200)
    url: str = Field(..., max_length=500)


class MatchOut(Schema):
    claim_id: int
    claim: str
    score: float = Field(..., description="0..1, higher is closer")
    verdict: str
    summary: str
    url: str


class ClaimOut(Schema):
    id: int
    claim: str
    claim_en: str
    topic: str | None
    verdict: str
    verdict_meaning: str
    summary: str
    summary_en: str
    explanation: str
    explanation_en: str
    sources: list[SourceOut]
    reviewer: str
    published_at: datetime
    url: str


class ClaimDetailOut(ClaimOut):
    claim_review: dict = Field(..., description="schema.org ClaimReview (JSON-LD)")


class ArticleOut(Schema):
    slug: str
    title: str
    title_en: str
    summary: str
    summary_en: str
    agency: str
    author: str
    topic: str
    published_at: datetime
    last_reviewed_at: datetime | None
    url: str


class RevisionOut(Schema):
    number: int
    kind: str
    note: str
    created_at: datetime


class ArticleDetailOut(ArticleOut):
    body: str
    body_en: str
    sources: list[SourceOut]
    revisions: list[RevisionOut]


class ReportIn(Schema):
    text: str = Field(..., max_length=20_000, description="At most 5,000 characters are kept")
    channel: ChannelName  # type: ignore[valid-type]
    link: str = Field("", max_length=2000)
    regency: str = Field("", max_length=20, description="Kemendagri code, e.g. 51.71")
    place: str = Field("", max_length=500)
    contact_email: str = Field("", max_length=320)
    wants_verdict: bool = False


class ReportOut(Schema):
    id: int
    claim_id: int
    joined_existing: bool
    reports_of_this_claim: int
    has_screenshot: bool
    verdict: str | None
    url: str | None


class DeskClaimOut(Schema):
    id: int
    claim: str
    status: str
    report_count: int
    assigned_to: str | None
    first_seen_at: datetime | None


class AssignIn(Schema):
    assignee: str | None = Field(None, max_length=150, description="username; null to unassign")


class ReviewIn(Schema):
    verdict: VerdictName
    summary: str = Field(..., max_length=2000)
    explanation: str = Field(..., max_length=40_000)
    summary_en: str = Field("", max_length=2000)
    explanation_en: str = Field("", max_length=40_000)
    sources: list[SourceIn] = Field(default_factory=list, max_length=50)
    publish: bool = False


def _claim_url(request, claim_id: int) -> str:
    return request.build_absolute_uri(reverse("factcheck:claim", args=[claim_id]))


def _claim_out(request, review: Review) -> dict:
    claim = review.claim
    return {
        "id": claim.pk,
        "claim": claim.text,
        "claim_en": claim.text_en,
        "topic": claim.topic.name if claim.topic else None,
        "verdict": review.verdict,
        "verdict_meaning": str(review.verdict_meaning),
        "summary": review.summary,
        "summary_en": review.summary_en,
        "explanation": review.explanation,
        "explanation_en": review.explanation_en,
        "sources": review.sources,
        "reviewer": review.reviewer_name,
        "published_at": review.published_at,
        "url": _claim_url(request, claim.pk),
    }


def _article_out(request, article: Article) -> dict:
    return {
        "slug": article.slug,
        "title": article.title,
        "title_en": article.title_en,
        "summary": article.summary,
        "summary_en": article.summary_en,
        "agency": article.agency.name,
        "author": article.author_name,
        "topic": article.topic.name,
        "published_at": article.published_at,
        "last_reviewed_at": article.last_reviewed_at,
        "url": request.build_absolute_uri(reverse("factcheck:article", args=[article.slug])),
    }


def _published():
    return Review.objects.filter(status=Review.Status.PUBLISHED).select_related(
        "claim", "claim__topic"
    )


@router.get("/search", response={200: list[MatchOut]}, auth=None)
def factcheck_search(
    request,
    q: str = Query(..., max_length=20_000),
    limit: int = Query(5, ge=1, le=20),
):
    """Checked claims matching a message (paraphrases, typos, long forwarded texts)."""
    text = services.clean_text("q", q, limit=services.MAX_TEXT)
    matches = search.search(text, limit=max(1, min(limit, 20)))
    return [
        {
            "claim_id": m.claim.pk,
            "claim": m.claim.text,
            "score": m.score,
            "verdict": m.claim.review.verdict,
            "summary": m.claim.review.summary,
            "url": _claim_url(request, m.claim.pk),
        }
        for m in matches
    ]


@router.get("/claims", response={200: list[ClaimOut]}, auth=None)
@paginate(PagePagination)
def factcheck_claim_list(request, verdict: VerdictName | None = None):
    reviews = _published()
    if verdict:
        reviews = reviews.filter(verdict=verdict)
    return [_claim_out(request, review) for review in reviews]


@router.get("/claims/{claim_id}", response={200: ClaimDetailOut}, auth=None)
def factcheck_claim_detail(request, claim_id: int = Path(..., ge=1, le=MAX_ID)):
    review = get_object_or_404(_published(), claim_id=claim_id)
    out = _claim_out(request, review)
    claim = review.claim
    out["claim_review"] = claimreview.build(
        url=out["url"],
        claim=claim.text,
        verdict=review.verdict,
        rating=VERDICT_RATING[Verdict(review.verdict)],
        published=review.published_at,
        organisation="Bali One Data",
        organisation_url=request.build_absolute_uri(reverse("factcheck:home")),
        first_seen=claim.first_seen_at,
        first_appearance=claim.first_appearance_url,
    )
    return out


@router.get("/articles", response={200: list[ArticleOut]}, auth=None)
@paginate(PagePagination)
def factcheck_article_list(request, topic: str | None = Query(None, max_length=60)):
    articles = Article.objects.filter(status=Article.Status.PUBLISHED).select_related(
        "agency", "topic"
    )
    if topic:
        articles = articles.filter(topic__slug=topic)
    return [_article_out(request, article) for article in articles]


@router.get("/articles/{slug}", response={200: ArticleDetailOut}, auth=None)
def factcheck_article_detail(request, slug: str = Path(..., max_length=120)):
    article = get_object_or_404(
        Article.objects.select_related("agency", "topic"),
        slug=slug,
        status=Article.Status.PUBLISHED,
    )
    out = _article_out(request, article)
    out.update(
        body=article.body,
        body_en=article.body_en,
        sources=article.sources,
        revisions=[
            {"number": r.number, "kind": r.kind, "note": r.note, "created_at": r.created_at}
            for r in article.revisions.all()
        ],
    )
    return out


def _report_body_schema() -> dict:
    """The request body of ``POST /reports`` in the OpenAPI document: JSON, or a form
    (multipart) with the same fields and an optional ``screenshot`` image."""
    fields = ReportIn.model_json_schema(ref_template="#/components/schemas/{model}")
    fields.pop("title", None)
    form = {
        **fields,
        "properties": {
            **fields["properties"],
            "screenshot": {
                "type": "string",
                "format": "binary",
                "description": "JPEG, PNG or WebP, at most 5 MB and 40 megapixels",
            },
        },
    }
    return {
        "required": True,
        "content": {
            "application/json": {"schema": fields},
            "multipart/form-data": {"schema": form},
        },
    }


def _report_payload(request) -> tuple[ReportIn, object | None]:
    """The report from a JSON body, or from a form with an optional screenshot file."""
    content_type = request.content_type or ""
    screenshot = None
    if content_type.startswith(("multipart/form-data", "application/x-www-form-urlencoded")):
        raw = {key: request.POST.get(key) for key in request.POST}
        if "wants_verdict" in raw:
            raw["wants_verdict"] = raw["wants_verdict"].lower() in ("1", "true", "on", "yes")
        files = request.FILES.getlist("screenshot")
        if len(files) > 1:
            raise ValidationError.for_field("screenshot", _("Send one screenshot."))
        screenshot = files[0] if files else None
    else:
        try:
            raw = json.loads(request.body or b"null")
        except (ValueError, UnicodeDecodeError):
            raise ValidationError.for_field("__all__", _("The body is not valid JSON.")) from None
        if not isinstance(raw, dict):
            raise ValidationError.for_field("__all__", _("Send the report as a JSON object."))
    try:
        payload = ReportIn.model_validate(raw)
    except PydanticValidationError as error:
        raise NinjaValidationError(
            [{"loc": ("body", *e["loc"]), "msg": e["msg"]} for e in error.errors()]
        ) from None
    return payload, screenshot


@router.post(
    "/reports",
    response={201: ReportOut},
    auth=Public(),
    openapi_extra={"requestBody": _report_body_schema()},
)
def factcheck_report_create(request):
    """Report a suspected hoax, as JSON or as a form (``multipart/form-data``) with an
    optional ``screenshot`` (JPEG, PNG or WebP; checked from its bytes, re-encoded without
    metadata). Rate-limited per address; joins a matching claim."""
    if not permissions.can_submit_report(request.user):
        raise NotAuthorized(_("You may not do this."))
    payload, screenshot = _report_payload(request)
    submitted = services.report_submit(
        actor=request.user,
        text=payload.text,
        channel=payload.channel,
        link=payload.link,
        screenshot=screenshot,
        regency=payload.regency or None,
        place=payload.place,
        contact_email=payload.contact_email,
        wants_verdict=payload.wants_verdict,
        ip=client_ip(request),
    )
    claim = submitted.claim
    review = Review.objects.filter(claim=claim, status=Review.Status.PUBLISHED).first()
    return Status(
        201,
        {
            "id": submitted.report.pk,
            "claim_id": claim.pk,
            "joined_existing": submitted.joined,
            "reports_of_this_claim": claim.report_count,
            "has_screenshot": bool(submitted.report.screenshot),
            "verdict": review.verdict if review else None,
            "url": _claim_url(request, claim.pk) if review else None,
        },
    )


def _desk(request) -> None:
    if not permissions.can_view_desk(request.user):
        raise NotAuthorized(_("Only fact-checkers use the desk."))


def _desk_out(claim: Claim) -> dict:
    return {
        "id": claim.pk,
        "claim": claim.text,
        "status": claim.status,
        "report_count": claim.report_count,
        "assigned_to": claim.assigned_to.username if claim.assigned_to else None,
        "first_seen_at": claim.first_seen_at,
    }


@router.get("/desk/claims", response={200: list[DeskClaimOut]})
@paginate(PagePagination)
def factcheck_desk_claims(
    request, status: Literal["open", "new", "in_review", "published", "dismissed"] = "open"
):
    """The queue: claims with their report counts, most reported first."""
    _desk(request)
    claims = (
        selectors.desk_claims(request.user)
        .select_related("assigned_to")
        .order_by("-report_count", "-id")
    )
    if status == "open":
        claims = claims.filter(status__in=[Claim.Status.NEW, Claim.Status.IN_REVIEW])
    else:
        claims = claims.filter(status=status)
    return [_desk_out(claim) for claim in claims]


@router.post("/desk/claims/{claim_id}/assign", response={200: DeskClaimOut})
def factcheck_desk_assign(request, payload: AssignIn, claim_id: int = Path(..., ge=1, le=MAX_ID)):
    _desk(request)
    claim = get_object_or_404(Claim, pk=claim_id)
    if not permissions.can_assign_claim(request.user, claim):
        raise NotAuthorized(_("You may not do this."))
    assignee = None
    if payload.assignee:
        assignee = (
            User.objects.filter(username=payload.assignee, is_active=True)
            .filter(Q(memberships__role=Role.FACT_CHECKER) | Q(is_superuser=True))
            .first()
        )
        if assignee is None or not permissions.can_view_claim_internal(assignee, claim):
            raise ValidationError.for_field(
                "assignee", _("No fact-checker with this username covers this claim.")
            )
    claim = services.claim_assign(actor=request.user, claim=claim, assignee=assignee)
    return _desk_out(claim)


@router.post("/desk/claims/{claim_id}/review", response={200: DeskClaimOut})
def factcheck_desk_review(request, payload: ReviewIn, claim_id: int = Path(..., ge=1, le=MAX_ID)):
    """Write the review; with ``publish`` publish it and tell the reporters who asked."""
    _desk(request)
    claim = get_object_or_404(Claim, pk=claim_id)
    if not permissions.can_review_claim(request.user, claim):
        raise NotAuthorized(_("You may not do this."))
    if payload.publish and not permissions.can_publish_review(request.user, claim):
        raise NotAuthorized(_("You may not do this."))
    services.review_save(
        actor=request.user,
        claim=claim,
        verdict=payload.verdict,
        summary=payload.summary,
        summary_en=payload.summary_en,
        explanation=payload.explanation,
        explanation_en=payload.explanation_en,
        sources=[s.model_dump() for s in payload.sources],
    )
    if payload.publish:
        services.review_publish(actor=request.user, claim=claim)
    claim.refresh_from_db()
    return _desk_out(claim)
