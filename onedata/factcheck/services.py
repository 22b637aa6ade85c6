"""Fact check use cases. Every write: keyword-only, one transaction, an audit event.

Reports are clustered on arrival: a report that matches an existing claim (the same rumour
with other words, typos or a longer forwarded text) joins it and raises its count in one
conditional UPDATE; otherwise it starts a new claim. Publishing a review tells everyone
who reported that claim and asked to be told, through the notification service.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from urllib.parse import urlsplit

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.validators import EmailValidator
from django.core.validators import ValidationError as DjangoValidationError
from django.db import transaction
from django.db.models import F
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from onedata.core import audit, ratelimit
from onedata.core.errors import Conflict, NotFound, RateLimited, ValidationError
from onedata.core.models import Region
from onedata.core.uploads import Kind, UploadPolicy, check_upload
from onedata.factcheck import matching, search, weekly
from onedata.factcheck.models import (
    Article,
    ArticleRevision,
    Channel,
    Claim,
    ClaimNote,
    Report,
    Review,
    Topic,
    Verdict,
)
from onedata.notifications import services as notify

MAX_TEXT = 5000  # characters of a reported message (a long forwarded text fits)
MAX_CLAIM = 1000
MAX_URL = 500
MAX_SOURCES = 20
REPORTS_PER_HOUR = 10  # per IP address (and per account when logged in)
CLUSTER_SCORE = 0.62  # a report this close to a claim joins it

SCREENSHOT = UploadPolicy(
    name="factcheck_screenshot",
    allowed_kinds=frozenset({Kind.JPEG, Kind.PNG, Kind.WEBP}),
    max_bytes=5 * 1024 * 1024,
    max_pixels=40_000_000,
    not_allowed_message=gettext_noop("This file is not a JPEG, PNG or WebP image."),
    too_large_message=gettext_noop("The screenshot is larger than %(limit)s."),
)


# --- checks ------------------------------------------------------------------------------


def clean_text(field: str, value: str, *, limit: int, required: bool = True) -> str:
    value = (value or "").replace("\x00", "").strip()
    if required and not value:
        raise ValidationError.for_field(field, _("This field is required."))
    if len(value) > limit:
        raise ValidationError.for_field(
            field,
            _("At most %(limit)d characters (this has %(n)d).") % {"limit": limit, "n": len(value)},
        )
    return value


def clean_url(field: str, value: str, *, required: bool = False) -> str:
    value = (value or "").strip()
    if not value:
        if required:
            raise ValidationError.for_field(field, _("This field is required."))
        return ""
    if len(value) > MAX_URL:
        raise ValidationError.for_field(
            field, _("At most %(limit)d characters.") % {"limit": MAX_URL}
        )
    parts = urlsplit(value)
    if parts.scheme.lower() not in ("http", "https") or not parts.netloc or " " in value:
        raise ValidationError.for_field(
            field, _("Enter a web address that starts with http:// or https://.")
        )
    return value


def clean_email(field: str, value: str) -> str:
    value = (value or "").strip()
    if not value:
        return ""
    try:
        EmailValidator()(value)
    except DjangoValidationError:
        raise ValidationError.for_field(field, _("Enter a valid email address.")) from None
    return value.lower()


def clean_sources(field: str, sources) -> list[dict]:
    """A list of {"title", "url"}; lines "Title | https://…" are accepted too."""
    if isinstance(sources, str):
        items = []
        for line in sources.splitlines():
            line = line.strip()
            if not line:
                continue
            title, _sep, url = line.rpartition("|") if "|" in line else ("", "", line)
            items.append({"title": title.strip(), "url": url.strip()})
        sources = items
    cleaned = []
    for item in sources or []:
        if hasattr(item, "model_dump"):
            item = item.model_dump()
        url = clean_url(field, item.get("url", ""), required=True)
        title = (item.get("title") or "").strip()[:200] or urlsplit(url).netloc
        cleaned.append({"title": title, "url": url})
    if len(cleaned) > MAX_SOURCES:
        raise ValidationError.for_field(field, _("At most %(n)d sources.") % {"n": MAX_SOURCES})
    return cleaned


def sources_as_text(sources: list[dict]) -> str:
    return "\n".join(f"{s['title']} | {s['url']}" for s in sources)


def _channel(value: str) -> str:
    if value not in Channel.values:
        raise ValidationError.for_field("channel", _("Choose where you saw the message."))
    return value


def _regency(code: str | None) -> Region | None:
    if not code:
        return None
    region = Region.objects.filter(code=code, level=Region.Level.REGENCY).first()
    if region is None:
        raise ValidationError.for_field("regency", _("Choose a regency or city of Bali."))
    return region


def _store_screenshot(upload) -> str:
    checked = check_upload(upload, SCREENSHOT, field="screenshot")
    name = checked.storage_name("factcheck/screenshots")
    return default_storage.save(name, ContentFile(checked.open().read()))


def absolute(path: str) -> str:
    return settings.SITE_URL + path


# --- claims and reports ------------------------------------------------------------------


def _claim_fields(text: str) -> dict:
    return {"search_text": matching.index_text(text), "fingerprint": matching.fingerprint(text)}


def claim_create(
    *,
    actor,
    text: str,
    text_en: str = "",
    topic: Topic | None = None,
    first_appearance_url: str = "",
    first_channel: str = "",
    first_seen_at=None,
) -> Claim:
    text = clean_text("text", text, limit=MAX_CLAIM)
    with transaction.atomic():
        claim = Claim.objects.create(
            text=text,
            text_en=clean_text("text_en", text_en, limit=MAX_CLAIM, required=False),
            topic=topic,
            first_appearance_url=clean_url("first_appearance_url", first_appearance_url),
            first_channel=first_channel if first_channel in Channel.values else "",
            first_seen_at=first_seen_at or timezone.now(),
            **_claim_fields(text),
        )
        audit.record(actor=actor, action="factcheck.claim_create", obj=claim)
    return claim


def claim_update(
    *, actor, claim: Claim, text: str, text_en: str = "", topic: Topic | None = None
) -> Claim:
    text = clean_text("text", text, limit=MAX_CLAIM)
    with transaction.atomic():
        claim = Claim.objects.select_for_update().get(pk=claim.pk)
        before = audit.snapshot(claim, ["text", "text_en", "topic"])
        claim.text = text
        claim.text_en = clean_text("text_en", text_en, limit=MAX_CLAIM, required=False)
        claim.topic = topic
        for name, value in _claim_fields(text).items():
            setattr(claim, name, value)
        claim.save(
            update_fields=["text", "text_en", "topic", "search_text", "fingerprint", "updated_at"]
        )
        audit.record(
            actor=actor,
            action="factcheck.claim_update",
            obj=claim,
            before=before,
            after=audit.snapshot(claim, ["text", "text_en", "topic"]),
        )
    return claim


def cluster_for(text: str) -> tuple[Claim | None, float | None]:
    """The claim a new report of ``text`` belongs to, with its match score, if any."""
    exact = Claim.objects.filter(fingerprint=matching.fingerprint(text)).order_by("id").first()
    if exact is not None and exact.fingerprint:
        return exact, 1.0
    ranked = search.rank_ids(text, published_only=False, limit=1, min_score=CLUSTER_SCORE)
    if not ranked:
        return None, None
    return Claim.objects.filter(pk=ranked[0].key).first(), ranked[0].score


@dataclass(frozen=True)
class Submitted:
    report: Report
    claim: Claim
    joined: bool  # True when it joined a claim already reported or checked


def report_submit(
    *,
    actor,
    text: str,
    channel: str,
    link: str = "",
    screenshot=None,
    regency: str | None = None,
    place: str = "",
    contact_email: str = "",
    wants_verdict: bool = False,
    ip: str | None = None,
) -> Submitted:
    """A citizen's report: checked, rate-limited, clustered, stored."""
    text = clean_text("text", text, limit=MAX_TEXT)
    if not matching.terms(text):
        raise ValidationError.for_field(
            "text", _("Write or paste the message itself: what does it claim?")
        )
    fields = {
        "link": clean_url("link", link),
        "channel": _channel(channel),
        "regency": _regency(regency),
        "place": clean_text("place", place, limit=120, required=False),
        "contact_email": clean_email("contact_email", contact_email),
    }
    user = actor if getattr(actor, "is_authenticated", False) else None
    if not fields["contact_email"] and user is None:
        wants_verdict = False
    _limit_reports(user, ip)
    if screenshot is not None:
        fields["screenshot"] = _store_screenshot(screenshot)
    try:
        return _report_store(
            actor=actor, user=user, text=text, fields=fields, wants_verdict=wants_verdict
        )
    except BaseException:
        if fields.get("screenshot"):  # stored before the transaction: not left behind
            default_storage.delete(fields["screenshot"])
        raise


def _report_store(*, actor, user, text: str, fields: dict, wants_verdict: bool) -> Submitted:
    """Cluster and store a checked report (one transaction)."""
    with transaction.atomic():
        claim, match = cluster_for(text)
        joined = claim is not None
        now = timezone.now()
        if claim is None:
            claim = Claim.objects.create(
                text=_claim_text(text),
                first_seen_at=now,
                first_appearance_url=fields["link"],
                first_channel=fields["channel"],
                **_claim_fields(text),
            )
        Claim.objects.filter(pk=claim.pk).update(report_count=F("report_count") + 1)
        report = Report.objects.create(
            claim=claim,
            text=text,
            reporter=user,
            wants_verdict=bool(wants_verdict),
            match_score=match,
            **fields,
        )
        audit.record(
            actor=actor,
            action="factcheck.report_submit",
            obj=report,
            after={"claim": claim.pk, "joined": joined, "score": match},
        )
        claim.refresh_from_db()
        review = Review.objects.filter(claim=claim, status=Review.Status.PUBLISHED).first()
        if review is not None and report.wants_verdict:
            _tell_reporters(review, [report])
    return Submitted(report=report, claim=claim, joined=joined)


def _claim_text(text: str) -> str:
    """A new claim starts as the report's text, shortened at a word boundary."""
    text = " ".join(text.split())
    if len(text) <= 300:
        return text
    return text[:300].rsplit(" ", 1)[0] + " …"


def _limit_reports(user, ip: str | None) -> None:
    keys = [f"factcheck:report:ip:{ip or 'unknown'}"]
    if user is not None:
        keys.append(f"factcheck:report:user:{user.pk}")
    for key in keys:
        decision = ratelimit.hit(key, limit=REPORTS_PER_HOUR, period=3600)
        if not decision.allowed:
            raise RateLimited(
                _("You have sent many reports in a short time. Please try again later."),
                retry_after=decision.retry_after,
            )


def claim_assign(*, actor, claim: Claim, assignee) -> Claim:
    with transaction.atomic():
        claim = Claim.objects.select_for_update().get(pk=claim.pk)
        before = audit.snapshot(claim, ["assigned_to", "status"])
        claim.assigned_to = assignee
        if claim.status == Claim.Status.NEW and assignee is not None:
            claim.status = Claim.Status.IN_REVIEW
        claim.save(update_fields=["assigned_to", "status", "updated_at"])
        audit.record(
            actor=actor,
            action="factcheck.claim_assign",
            obj=claim,
            before=before,
            after=audit.snapshot(claim, ["assigned_to", "status"]),
        )
    return claim


def claim_dismiss(*, actor, claim: Claim) -> Claim:
    with transaction.atomic():
        claim = Claim.objects.select_for_update().get(pk=claim.pk)
        if claim.status == Claim.Status.PUBLISHED:
            raise Conflict(_("This claim already has a published verdict."))
        claim.status = Claim.Status.DISMISSED
        claim.save(update_fields=["status", "updated_at"])
        audit.record(actor=actor, action="factcheck.claim_dismiss", obj=claim)
    return claim


def claims_merge(*, actor, target: Claim, duplicate: Claim) -> Claim:
    """Fold a duplicate claim (and its reports) into ``target``; rows locked in id order."""
    if target.pk == duplicate.pk:
        raise ValidationError.for_field("duplicate", _("Choose another claim."))
    with transaction.atomic():
        locked = {
            c.pk: c
            for c in Claim.objects.select_for_update()
            .filter(pk__in=[target.pk, duplicate.pk])
            .order_by("pk")
        }
        if len(locked) != 2:
            raise NotFound(_("Claim not found."))
        target, duplicate = locked[target.pk], locked[duplicate.pk]
        if hasattr(duplicate, "review") and duplicate.review.status == Review.Status.PUBLISHED:
            raise Conflict(_("A claim with a published verdict cannot be merged away."))
        moved = Report.objects.filter(claim=duplicate).update(claim=target)
        ClaimNote.objects.filter(claim=duplicate).update(claim=target)
        Claim.objects.filter(pk=target.pk).update(report_count=F("report_count") + moved)
        audit.record(
            actor=actor,
            action="factcheck.claims_merge",
            obj=target,
            after={"merged": duplicate.pk, "reports": moved},
        )
        duplicate.delete()
        target.refresh_from_db()
        review = Review.objects.filter(claim=target, status=Review.Status.PUBLISHED).first()
        if review is not None:
            _tell_reporters(review, None)
    return target


def claim_note_add(*, actor, claim: Claim, text: str, evidence_url: str = "") -> ClaimNote:
    text = clean_text("text", text, limit=MAX_TEXT)
    evidence_url = clean_url("evidence_url", evidence_url)
    with transaction.atomic():
        note = ClaimNote.objects.create(
            claim=claim, author=actor, text=text, evidence_url=evidence_url
        )
        audit.record(actor=actor, action="factcheck.note_add", obj=note)
    return note


# --- reviews -----------------------------------------------------------------------------

REVIEW_FIELDS = ["verdict", "summary", "summary_en", "explanation", "explanation_en", "sources"]


def review_save(
    *,
    actor,
    claim: Claim,
    verdict: str,
    summary: str,
    explanation: str,
    sources=(),
    summary_en: str = "",
    explanation_en: str = "",
) -> Review:
    """Write or change the review of a claim (a draft until published; a published one
    stays published and its change is audited)."""
    if verdict not in Verdict.values:
        raise ValidationError.for_field("verdict", _("Choose a verdict."))
    values = {
        "verdict": verdict,
        "summary": clean_text("summary", summary, limit=400),
        "summary_en": clean_text("summary_en", summary_en, limit=400, required=False),
        "explanation": clean_text("explanation", explanation, limit=20_000),
        "explanation_en": clean_text(
            "explanation_en", explanation_en, limit=20_000, required=False
        ),
        "sources": clean_sources("sources", sources),
    }
    with transaction.atomic():
        Claim.objects.select_for_update().get(pk=claim.pk)
        review = Review.objects.filter(claim=claim).first()
        before = audit.snapshot(review, REVIEW_FIELDS) if review else None
        if review is None:
            review = Review(claim=claim)
        for name, value in values.items():
            setattr(review, name, value)
        review.reviewer = actor
        review.reviewer_name = actor.display_name
        review.save()
        if claim.status == Claim.Status.NEW:
            Claim.objects.filter(pk=claim.pk).update(status=Claim.Status.IN_REVIEW)
        audit.record(
            actor=actor,
            action="factcheck.review_save",
            obj=review,
            before=before,
            after=audit.snapshot(review, REVIEW_FIELDS),
        )
    return review


def review_publish(*, actor, claim: Claim) -> Review:
    """Publish the claim's review and tell the reporters who asked for the verdict."""
    with transaction.atomic():
        claim = Claim.objects.select_for_update().get(pk=claim.pk)
        review = Review.objects.filter(claim=claim).first()
        if review is None:
            raise ValidationError.for_field("verdict", _("Write the review before publishing."))
        if review.status != Review.Status.PUBLISHED:
            review.status = Review.Status.PUBLISHED
            review.published_at = timezone.now()
            review.save(update_fields=["status", "published_at", "updated_at"])
        claim.status = Claim.Status.PUBLISHED
        claim.save(update_fields=["status", "updated_at"])
        told = _tell_reporters(review, None)
        audit.record(
            actor=actor,
            action="factcheck.review_publish",
            obj=review,
            after={"verdict": review.verdict, "told": told},
        )
    return review


def review_unpublish(*, actor, claim: Claim) -> Review:
    with transaction.atomic():
        claim = Claim.objects.select_for_update().get(pk=claim.pk)
        review = Review.objects.filter(claim=claim).first()
        if review is None or review.status != Review.Status.PUBLISHED:
            raise Conflict(_("This review is not published."))
        review.status = Review.Status.DRAFT
        review.published_at = None
        review.save(update_fields=["status", "published_at", "updated_at"])
        claim.status = Claim.Status.IN_REVIEW
        claim.save(update_fields=["status", "updated_at"])
        audit.record(actor=actor, action="factcheck.review_unpublish", obj=review)
    return review


def _verdict_message(review: Review, url: str) -> tuple[str, str]:
    subject = _("Fact check: %(verdict)s") % {"verdict": review.verdict}
    text = _(
        "You asked us about this message:\n\n%(claim)s\n\nVerdict: %(verdict)s. %(summary)s\n\n"
        "Explanation and sources: %(url)s\n\nThank you for checking before sharing."
    ) % {
        "claim": review.claim.text,
        "verdict": review.verdict,
        "summary": review.summary,
        "url": url,
    }
    return subject, text


def _tell_reporters(review: Review, reports: list[Report] | None) -> int:
    """Send the verdict to each reporter who asked and was not told yet; returns how many
    messages were queued. One message per address, however many times it reported."""
    if reports is None:
        reports = list(
            Report.objects.select_for_update(of=("self",))
            .filter(claim=review.claim, wants_verdict=True, notified_at__isnull=True)
            .select_related("reporter")
            .order_by("pk")
        )
    url = absolute(reverse("factcheck:claim", args=[review.claim_id]))
    with translation.override("id"):  # citizens are told in Indonesian, the first language
        subject, text = _verdict_message(review, url)
    sent: set[tuple[str, str]] = set()
    now = timezone.now()
    for report in reports:
        targets = []
        if report.contact_email:
            targets.append((report.contact_email, "email"))
        if report.reporter_id and report.reporter.is_active:
            targets.append((report.reporter.username, "inapp"))
        for address, channel in targets:
            if (address, channel) in sent:
                continue
            notify.send(
                module="factcheck",
                to=[address],
                subject=subject,
                text=text,
                channel=channel,
                tags=["factcheck", "verdict"],
            )
            sent.add((address, channel))
        Report.objects.filter(pk=report.pk).update(notified_at=now)
    return len(sent)


# --- articles ----------------------------------------------------------------------------

ARTICLE_FIELDS = [
    "title",
    "title_en",
    "summary",
    "summary_en",
    "body",
    "body_en",
    "sources",
    "topic",
]


def _unique_slug(title: str, exclude: int | None = None) -> str:
    base = slugify(title)[:100] or "artikel"
    slug, n = base, 2
    while Article.objects.filter(slug=slug).exclude(pk=exclude).exists():
        slug, n = f"{base}-{n}", n + 1
    return slug


def article_save(
    *,
    actor,
    agency,
    topic: Topic,
    title: str,
    summary: str,
    body: str,
    title_en: str = "",
    summary_en: str = "",
    body_en: str = "",
    sources=(),
    article: Article | None = None,
    publish: bool = True,
    correction: bool = False,
    note: str = "",
    author_name: str = "",
) -> Article:
    """Create or change an article. Each published change is a public revision; a
    correction must say what was wrong."""
    values = {
        "title": clean_text("title", title, limit=200),
        "title_en": clean_text("title_en", title_en, limit=200, required=False),
        "summary": clean_text("summary", summary, limit=400),
        "summary_en": clean_text("summary_en", summary_en, limit=400, required=False),
        "body": clean_text("body", body, limit=50_000),
        "body_en": clean_text("body_en", body_en, limit=50_000, required=False),
        "sources": clean_sources("sources", sources),
        "topic": topic,
    }
    note = clean_text("note", note, limit=500, required=correction)
    now = timezone.now()
    with transaction.atomic():
        if article is None:
            article = Article(
                agency=agency,
                author=actor if getattr(actor, "is_authenticated", False) else None,
                author_name=author_name or getattr(actor, "display_name", str(actor)),
                slug=_unique_slug(values["title"]),
            )
            before = None
        else:
            article = Article.objects.select_for_update().get(pk=article.pk)
            before = audit.snapshot(article, ARTICLE_FIELDS)
        for name, value in values.items():
            setattr(article, name, value)
        if publish:
            article.status = Article.Status.PUBLISHED
            article.published_at = article.published_at or now
            article.last_reviewed_at = now
        article.save()
        if publish:
            number = article.revisions.count() + 1
            kind = (
                ArticleRevision.Kind.FIRST
                if number == 1
                else ArticleRevision.Kind.CORRECTION
                if correction
                else ArticleRevision.Kind.UPDATE
            )
            ArticleRevision.objects.create(
                article=article,
                number=number,
                kind=kind,
                note=note,
                title=article.title,
                body=article.body,
                editor=actor if getattr(actor, "is_authenticated", False) else None,
            )
        audit.record(
            actor=actor,
            action="factcheck.article_save",
            obj=article,
            before=before,
            after=audit.snapshot(article, ARTICLE_FIELDS),
        )
    return article


def article_mark_reviewed(*, actor, article: Article) -> Article:
    """Someone checked the article is still right: the "last reviewed" date moves."""
    with transaction.atomic():
        article.last_reviewed_at = timezone.now()
        article.save(update_fields=["last_reviewed_at", "updated_at"])
        audit.record(actor=actor, action="factcheck.article_reviewed", obj=article)
    return article


# --- the weekly report by mail -----------------------------------------------------------

DIGEST_TOP = 5
DIGEST_AFTER_HOURS = 7  # Monday 07:00 WITA: the week just ended is mailed from then on


def _digest_week(now) -> tuple[date, datetime, datetime]:
    """The last whole week (Monday to Sunday, WITA) as of ``now``: its Monday and bounds."""
    local = timezone.localtime(now) - timedelta(hours=DIGEST_AFTER_HOURS)
    end_day = weekly.week_start(local.date())
    start_day = end_day - timedelta(days=7)
    zone = timezone.get_current_timezone()
    start = datetime.combine(start_day, datetime.min.time(), tzinfo=zone)
    end = datetime.combine(end_day, datetime.min.time(), tzinfo=zone)
    return start_day, start, end


def _digest_text(summary: dict, scope: str, start_day: date, url: str) -> tuple[str, str]:
    end_day = start_day + timedelta(days=6)
    period = f"{start_day:%d/%m/%Y} - {end_day:%d/%m/%Y}"
    subject = _("Weekly hoax report %(period)s") % {"period": period}
    lines = [
        _("Reports from %(scope)s, %(period)s.") % {"scope": scope, "period": period},
        "",
        _("%(reports)d reports about %(claims)d rumours.")
        % {"reports": summary["reports"], "claims": summary["claims"]},
    ]
    if summary["median_hours_to_verdict"] is not None:
        lines.append(
            _("Median time from first report to verdict: %(hours)s hours.")
            % {"hours": summary["median_hours_to_verdict"]}
        )
    if summary["most_reported"]:
        lines += ["", _("Most reported:")]
        for item in summary["most_reported"][:DIGEST_TOP]:
            verdict = item["verdict"] or _("not checked yet")
            lines.append(f"- {item['reports']}x [{verdict}] {item['text'][:160]}")
    lines += ["", _("The full report with charts: %(url)s") % {"url": url}]
    return subject, "\n".join(lines)


def weekly_digest_send(*, now=None) -> int:
    """Mail each fact-checker (the communication officers) the weekly hoax report of their
    reach for the week that ended. Safe to run every hour: one message per person and
    week (an idempotency key); a desk with no reports that week gets nothing."""
    from onedata.core.models import User
    from onedata.core.roles import Role
    from onedata.factcheck import permissions, selectors

    start_day, start, end = _digest_week(now or timezone.now())
    url = absolute(reverse("factcheck:weekly") + "?weeks=1")
    officers = (
        User.objects.filter(is_active=True, memberships__role=Role.FACT_CHECKER)
        .exclude(email="")
        .distinct()
        .order_by("pk")
    )
    sent = 0
    for officer in officers:
        summary = selectors.weekly_summary(officer, since=start, until=end)
        if not summary["reports"]:
            continue
        with translation.override("id"):
            scope = (
                _("the whole province")
                if permissions.desk_sees_all(officer)
                else ", ".join(
                    Region.objects.filter(code__in=permissions.desk_region_codes(officer))
                    .order_by("code")
                    .values_list("name", flat=True)
                )
            )
            subject, text = _digest_text(summary, scope, start_day, url)
        try:
            notify.send(
                module="factcheck",
                to=[officer.email],
                subject=subject,
                text=text,
                tags=["factcheck", "weekly"],
                idempotency_key=f"factcheck-weekly:{start_day.isoformat()}:{officer.pk}",
            )
        except Conflict:
            continue  # already sent for this week (the numbers moved since): not again
        sent += 1
    audit.record(
        actor="scheduler",
        action="factcheck.weekly_digest_send",
        object_type="factcheck.weekly",
        object_id=start_day.isoformat(),
        after={"week": start_day.isoformat(), "messages": sent},
    )
    return sent
