"""Fact check: topics, trusted articles with their revisions, claims (clusters of reports),
claim reviews with a verdict, citizen reports and the fact-checkers' notes."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from onedata.core.models import Agency, Region


class Topic(models.Model):
    slug = models.SlugField(_("slug"), max_length=60, unique=True)
    name = models.CharField(_("name"), max_length=100)
    name_en = models.CharField(_("name in English"), max_length=100, blank=True)
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        verbose_name = _("topic")
        verbose_name_plural = _("topics")
        ordering = ["position", "name"]

    def __str__(self) -> str:
        return self.name

    def label(self, language: str) -> str:
        return self.name_en if language == "en" and self.name_en else self.name


class Verdict(models.TextChoices):
    """The labels Indonesian fact-checkers (MAFINDO, cekfakta.com) use, kept in Indonesian."""

    HOAKS = "HOAKS", "HOAKS"
    SALAH = "SALAH", "SALAH"
    DISINFORMASI = "DISINFORMASI", "DISINFORMASI"
    MISINFORMASI = "MISINFORMASI", "MISINFORMASI"
    MENYESATKAN = "MENYESATKAN", "MENYESATKAN"
    KLARIFIKASI = "KLARIFIKASI", "KLARIFIKASI"
    BENAR = "BENAR", "BENAR"


VERDICT_MEANING = {
    Verdict.HOAKS: _("Hoax: made up and spread as if it were true."),
    Verdict.SALAH: _("False: the claim is wrong."),
    Verdict.DISINFORMASI: _("Disinformation: false and spread on purpose to deceive."),
    Verdict.MISINFORMASI: _("Misinformation: false, but spread without intent to deceive."),
    Verdict.MENYESATKAN: _("Misleading: partly true, but presented so that it misleads."),
    Verdict.KLARIFIKASI: _("Clarification: the official explanation of what happened."),
    Verdict.BENAR: _("True: the claim is correct."),
}
VERDICT_BADGE = {
    Verdict.HOAKS: "badge-danger",
    Verdict.SALAH: "badge-danger",
    Verdict.DISINFORMASI: "badge-danger",
    Verdict.MISINFORMASI: "badge-warn",
    Verdict.MENYESATKAN: "badge-warn",
    Verdict.KLARIFIKASI: "badge-neutral",
    Verdict.BENAR: "badge-ok",
}
# schema.org ClaimReview reviewRating: 1 (false) .. 5 (true).
VERDICT_RATING = {
    Verdict.HOAKS: 1,
    Verdict.SALAH: 1,
    Verdict.DISINFORMASI: 1,
    Verdict.MISINFORMASI: 2,
    Verdict.MENYESATKAN: 2,
    Verdict.KLARIFIKASI: 3,
    Verdict.BENAR: 5,
}


class Channel(models.TextChoices):
    WHATSAPP = "whatsapp", _("WhatsApp group or chat")
    FACEBOOK = "facebook", _("Facebook")
    INSTAGRAM = "instagram", _("Instagram")
    TIKTOK = "tiktok", _("TikTok")
    TWITTER = "twitter", _("X / Twitter")
    YOUTUBE = "youtube", _("YouTube")
    WEBSITE = "website", _("Website or news site")
    SMS = "sms", _("SMS")
    SCHOOL = "school", _("School")
    VILLAGE = "village", _("Village or banjar")
    MARKET = "market", _("Market or shop")
    OTHER = "other", _("Other")


class Article(models.Model):
    """Trusted information published by an authorised agency, in two languages."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        PUBLISHED = "published", _("Published")

    slug = models.SlugField(_("slug"), max_length=120, unique=True)
    agency = models.ForeignKey(
        Agency, verbose_name=_("agency"), on_delete=models.PROTECT, related_name="+"
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("author"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    author_name = models.CharField(_("author name"), max_length=150)
    topic = models.ForeignKey(
        Topic, verbose_name=_("topic"), on_delete=models.PROTECT, related_name="articles"
    )
    title = models.CharField(_("title"), max_length=200)
    title_en = models.CharField(_("title in English"), max_length=200, blank=True)
    summary = models.CharField(_("summary"), max_length=400)
    summary_en = models.CharField(_("summary in English"), max_length=400, blank=True)
    body = models.TextField(_("text"))
    body_en = models.TextField(_("text in English"), blank=True)
    sources = models.JSONField(_("sources"), default=list, blank=True)
    status = models.CharField(
        _("status"), max_length=12, choices=Status.choices, default=Status.DRAFT
    )
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)
    last_reviewed_at = models.DateTimeField(_("last reviewed"), null=True, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("article")
        verbose_name_plural = _("articles")
        ordering = ["-published_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(status="draft") | Q(published_at__isnull=False),
                name="factcheck_article_published_has_date",
            )
        ]

    def __str__(self) -> str:
        return self.title

    def in_language(self, language: str) -> dict:
        english = language == "en" and bool(self.title_en and self.body_en)
        return {
            "title": self.title_en if english else self.title,
            "summary": (self.summary_en or self.summary) if english else self.summary,
            "body": self.body_en if english else self.body,
            "language": "en" if english else "id",
        }


class ArticleRevision(models.Model):
    """One published version of an article; corrections are marked and explained."""

    class Kind(models.TextChoices):
        FIRST = "first", _("First publication")
        UPDATE = "update", _("Update")
        CORRECTION = "correction", _("Correction")

    article = models.ForeignKey(
        Article, verbose_name=_("article"), on_delete=models.CASCADE, related_name="revisions"
    )
    number = models.PositiveIntegerField(_("number"))
    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices)
    note = models.CharField(_("what changed"), max_length=500, blank=True)
    title = models.CharField(_("title"), max_length=200)
    body = models.TextField(_("text"))
    editor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("editor"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("time"), auto_now_add=True)

    class Meta:
        verbose_name = _("article revision")
        verbose_name_plural = _("article revisions")
        ordering = ["article", "-number"]
        constraints = [
            models.UniqueConstraint(
                fields=["article", "number"], name="factcheck_revision_number_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.article} #{self.number}"


class Claim(models.Model):
    """A rumour as it circulates: one claim clusters every report of it."""

    class Status(models.TextChoices):
        NEW = "new", _("New")
        IN_REVIEW = "in_review", _("Being checked")
        PUBLISHED = "published", _("Verdict published")
        DISMISSED = "dismissed", _("Not checkable")

    text = models.TextField(_("claim"))
    text_en = models.TextField(_("claim in English"), blank=True)
    search_text = models.TextField(_("search terms"), blank=True, editable=False)
    fingerprint = models.CharField(
        _("fingerprint"), max_length=500, blank=True, db_index=True, editable=False
    )
    topic = models.ForeignKey(
        Topic,
        verbose_name=_("topic"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="claims",
    )
    status = models.CharField(
        _("status"), max_length=12, choices=Status.choices, default=Status.NEW, db_index=True
    )
    assigned_to = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("assigned to"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    report_count = models.PositiveIntegerField(_("reports"), default=0)
    first_seen_at = models.DateTimeField(_("first seen"), null=True, blank=True)
    first_appearance_url = models.URLField(_("first appearance"), max_length=500, blank=True)
    first_channel = models.CharField(
        _("first seen on"), max_length=12, choices=Channel.choices, blank=True
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("claim")
        verbose_name_plural = _("claims")
        ordering = ["-report_count", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=["new", "in_review", "published", "dismissed"]),
                name="factcheck_claim_status_valid",
            )
        ]

    def __str__(self) -> str:
        return self.text[:120]


class Review(models.Model):
    """The fact-checkers' verdict on a claim, with explanation and sources."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        PUBLISHED = "published", _("Published")

    claim = models.OneToOneField(
        Claim, verbose_name=_("claim"), on_delete=models.CASCADE, related_name="review"
    )
    verdict = models.CharField(_("verdict"), max_length=14, choices=Verdict.choices)
    summary = models.CharField(_("short explanation"), max_length=400)
    summary_en = models.CharField(_("short explanation in English"), max_length=400, blank=True)
    explanation = models.TextField(_("explanation"))
    explanation_en = models.TextField(_("explanation in English"), blank=True)
    sources = models.JSONField(_("sources"), default=list, blank=True)
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("reviewer"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    reviewer_name = models.CharField(_("reviewer name"), max_length=150, blank=True)
    status = models.CharField(
        _("status"), max_length=12, choices=Status.choices, default=Status.DRAFT
    )
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("claim review")
        verbose_name_plural = _("claim reviews")
        ordering = ["-published_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(verdict__in=[v.value for v in Verdict]),
                name="factcheck_review_verdict_valid",
            ),
            models.CheckConstraint(
                condition=Q(status="draft") | Q(published_at__isnull=False),
                name="factcheck_review_published_has_date",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.verdict}: {self.claim}"

    @property
    def verdict_meaning(self) -> str:
        return VERDICT_MEANING[Verdict(self.verdict)]

    @property
    def verdict_badge(self) -> str:
        return VERDICT_BADGE[Verdict(self.verdict)]


class Report(models.Model):
    """A citizen's report of a suspected hoax; clustered into a claim."""

    claim = models.ForeignKey(
        Claim, verbose_name=_("claim"), on_delete=models.CASCADE, related_name="reports"
    )
    text = models.TextField(_("message"))
    link = models.URLField(_("link"), max_length=500, blank=True)
    screenshot = models.CharField(_("screenshot"), max_length=200, blank=True)
    channel = models.CharField(_("where seen"), max_length=12, choices=Channel.choices)
    regency = models.ForeignKey(
        Region,
        verbose_name=_("regency / city"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    place = models.CharField(_("place"), max_length=120, blank=True)
    reporter = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("reporter"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    contact_email = models.EmailField(_("email for the verdict"), blank=True)
    wants_verdict = models.BooleanField(_("wants to be told the verdict"), default=False)
    notified_at = models.DateTimeField(_("told the verdict at"), null=True, blank=True)
    match_score = models.FloatField(_("match score"), null=True, blank=True)
    created_at = models.DateTimeField(_("time"), auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = _("report")
        verbose_name_plural = _("reports")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return self.text[:80]


class ClaimNote(models.Model):
    """A fact-checker's working note on a claim, with an evidence link."""

    claim = models.ForeignKey(
        Claim, verbose_name=_("claim"), on_delete=models.CASCADE, related_name="notes"
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("author"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    text = models.TextField(_("note"))
    evidence_url = models.URLField(_("evidence link"), max_length=500, blank=True)
    created_at = models.DateTimeField(_("time"), auto_now_add=True)

    class Meta:
        verbose_name = _("claim note")
        verbose_name_plural = _("claim notes")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return self.text[:80]
