"""Pages of the fact check module: "Is this true?", reports, checked claims with
ClaimReview, trusted articles, feeds, posters, the fact-checkers' desk and the weekly report.

Views parse, call ``permissions``, call one service, shape the answer.
"""

from __future__ import annotations

import csv
from datetime import timedelta

import segno
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.syndication.views import Feed
from django.core.exceptions import PermissionDenied
from django.core.files.storage import default_storage
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import FileResponse, Http404, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.feedgenerator import Atom1Feed
from django.utils.http import urlencode
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from onedata.core import scope
from onedata.core.errors import DomainError, RateLimited
from onedata.core.middleware import client_ip
from onedata.core.models import Agency, Region, User
from onedata.core.roles import Role
from onedata.factcheck import claimreview, permissions, search, selectors, services
from onedata.factcheck.forms import (
    ArticleForm,
    AssignForm,
    MergeForm,
    NoteForm,
    ReportForm,
    ReviewForm,
    SearchForm,
    apply_error,
)
from onedata.factcheck.models import (
    VERDICT_RATING,
    Article,
    Claim,
    Report,
    Review,
    Topic,
    Verdict,
)

PAGE_SIZE = 20


# --- helpers -----------------------------------------------------------------------------


def published_reviews():
    return Review.objects.filter(status=Review.Status.PUBLISHED).select_related(
        "claim", "claim__topic"
    )


def _published_claim(claim_id: int) -> Claim:
    claim = get_object_or_404(
        Claim.objects.select_related("review", "topic"),
        pk=claim_id,
        review__status=Review.Status.PUBLISHED,
    )
    return claim


def claim_review_data(review: Review, request) -> dict:
    claim = review.claim
    url = request.build_absolute_uri(reverse("factcheck:claim", args=[claim.pk]))
    return claimreview.build(
        url=url,
        claim=claim.text,
        verdict=review.verdict,
        rating=VERDICT_RATING[Verdict(review.verdict)],
        published=review.published_at,
        organisation=_("Bali One Data fact check"),
        organisation_url=request.build_absolute_uri(reverse("factcheck:home")),
        first_seen=claim.first_seen_at,
        first_appearance=claim.first_appearance_url,
    )


def _whatsapp_link(text: str, url: str) -> str:
    return "https://wa.me/?" + urlencode({"text": f"{text}\n{url}"})


def _share(request, title: str, path: str) -> dict:
    url = request.build_absolute_uri(path)
    return {
        "whatsapp": _whatsapp_link(title, url),
        "facebook": "https://www.facebook.com/sharer/sharer.php?" + urlencode({"u": url}),
        "telegram": "https://t.me/share/url?" + urlencode({"url": url, "text": title}),
        "x": "https://twitter.com/intent/tweet?" + urlencode({"url": url, "text": title}),
        "url": url,
    }


def _qr(url: str) -> str:
    """An inline SVG QR code of the page's address, for printed posters."""
    return segno.make(url, error="m").svg_inline(scale=4, border=2)


def _require(allowed: bool) -> None:
    if not allowed:
        raise PermissionDenied


# --- public pages ------------------------------------------------------------------------


def home(request):
    """ "Is this true?": paste a message, see the checked claims that match."""
    form = SearchForm(request.GET or None)
    query = ""
    matches = None
    if form.is_valid():
        query = form.cleaned_data["q"].strip()
        if query:
            matches = search.search(query, limit=5)
    context = {
        "form": form,
        "query": query,
        "matches": matches,
        "report_url": reverse("factcheck:report") + "?" + urlencode({"text": query[:4000]}),
        "latest": published_reviews()[:6] if matches is None else [],
        "articles": Article.objects.filter(status=Article.Status.PUBLISHED).select_related(
            "agency", "topic"
        )[:3]
        if matches is None
        else [],
        "can_desk": permissions.can_view_desk(request.user),
    }
    template = (
        "factcheck/_results.html" if request.headers.get("HX-Request") else "factcheck/home.html"
    )
    return render(request, template, context)


def report(request):
    """Report a suspected hoax. What was typed is kept on an error."""
    _require(permissions.can_submit_report(request.user))
    if request.method == "POST":
        form = ReportForm(request.POST, request.FILES)
        if form.is_valid():
            data = form.cleaned_data
            if data["website"]:  # the hidden field: a bot
                return render(request, "factcheck/report_done.html", {"claim": None})
            try:
                submitted = services.report_submit(
                    actor=request.user,
                    text=data["text"],
                    link=data["link"],
                    screenshot=data["screenshot"],
                    channel=data["channel"],
                    regency=data["regency"] or None,
                    place=data["place"],
                    contact_email=data["contact_email"],
                    wants_verdict=data["wants_verdict"],
                    ip=client_ip(request),
                )
            except RateLimited as error:
                form.add_error(None, error.message)
                response = render(request, "factcheck/report.html", {"form": form}, status=429)
                response["Retry-After"] = str(error.retry_after)
                return response
            except DomainError as error:
                apply_error(form, error)
            else:
                claim = submitted.claim
                review = Review.objects.filter(claim=claim, status=Review.Status.PUBLISHED).first()
                return render(
                    request,
                    "factcheck/report_done.html",
                    {"claim": claim, "review": review, "report": submitted.report},
                )
        return render(request, "factcheck/report.html", {"form": form}, status=400)
    initial = {"text": request.GET.get("text", "")[:5000], "wants_verdict": True}
    if request.user.is_authenticated and request.user.email:
        initial["contact_email"] = request.user.email
    return render(request, "factcheck/report.html", {"form": ReportForm(initial=initial)})


def claims(request):
    reviews = published_reviews()
    verdict = request.GET.get("verdict", "")
    topic = request.GET.get("topic", "")
    if verdict in Verdict.values:
        reviews = reviews.filter(verdict=verdict)
    if topic:
        reviews = reviews.filter(claim__topic__slug=topic)
    page = Paginator(reviews, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "factcheck/claims.html",
        {
            "page": page,
            "verdicts": Verdict.values,
            "topics": Topic.objects.all(),
            "verdict": verdict,
            "topic": topic,
        },
    )


def claim(request, claim_id: int):
    claim = _published_claim(claim_id)
    review = claim.review
    data = claim_review_data(review, request)
    english = get_language() == "en"
    return render(
        request,
        "factcheck/claim.html",
        {
            "claim": claim,
            "review": review,
            "summary": (review.summary_en or review.summary) if english else review.summary,
            "explanation": (review.explanation_en or review.explanation)
            if english
            else review.explanation,
            "claim_text_en": claim.text_en if english else "",
            "jsonld": claimreview.script_json(data),
            "share": _share(
                request,
                f"{review.verdict}: {claim.text}",
                reverse("factcheck:claim", args=[claim.pk]),
            ),
            "can_edit": permissions.can_review_claim(request.user, claim),
        },
    )


def claim_poster(request, claim_id: int):
    claim = _published_claim(claim_id)
    url = request.build_absolute_uri(reverse("factcheck:claim", args=[claim.pk]))
    return render(
        request,
        "factcheck/poster.html",
        {"claim": claim, "review": claim.review, "url": url, "qr": _qr(url)},
    )


def claimreview_feed(request):
    """Every published review as schema.org ClaimReview (a JSON list)."""
    items = [claim_review_data(review, request) for review in published_reviews()[:500]]
    return JsonResponse({"@context": "https://schema.org", "@graph": items})


def articles(request):
    queryset = Article.objects.filter(status=Article.Status.PUBLISHED).select_related(
        "agency", "topic"
    )
    topic = request.GET.get("topic", "")
    if topic:
        queryset = queryset.filter(topic__slug=topic)
    page = Paginator(queryset, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "factcheck/articles.html",
        {"page": page, "topics": Topic.objects.all(), "topic": topic},
    )


def _published_article(slug: str) -> Article:
    return get_object_or_404(
        Article.objects.select_related("agency", "topic"),
        slug=slug,
        status=Article.Status.PUBLISHED,
    )


def article(request, slug: str):
    article = _published_article(slug)
    language = request.GET.get("bahasa") or get_language()
    version = article.in_language("en" if language == "en" else "id")
    return render(
        request,
        "factcheck/article.html",
        {
            "article": article,
            "version": version,
            "paragraphs": [p for p in version["body"].split("\n\n") if p.strip()],
            "revisions": article.revisions.select_related("editor"),
            "share": _share(
                request, version["title"], reverse("factcheck:article", args=[article.slug])
            ),
            "can_edit": permissions.can_edit_article(request.user, article),
        },
    )


def article_poster(request, slug: str):
    article = _published_article(slug)
    version = article.in_language(get_language())
    url = request.build_absolute_uri(reverse("factcheck:article", args=[article.slug]))
    return render(
        request,
        "factcheck/poster.html",
        {
            "article": article,
            "version": version,
            "paragraphs": [p for p in version["body"].split("\n\n") if p.strip()],
            "url": url,
            "qr": _qr(url),
        },
    )


class _LatestFeed(Feed):
    def title(self):
        return _("Fact check: Bali One Data")

    def link(self):
        return reverse("factcheck:home")

    def description(self):
        return _("Checked claims and trusted health information from the Province of Bali.")

    def items(self):
        reviews = list(published_reviews()[:30])
        articles = list(
            Article.objects.filter(status=Article.Status.PUBLISHED).select_related("agency")[:20]
        )
        both = reviews + articles
        return sorted(both, key=lambda item: item.published_at, reverse=True)[:40]

    def item_title(self, item):
        if isinstance(item, Review):
            return f"{item.verdict}: {item.claim.text}"
        return item.title

    def item_description(self, item):
        return item.summary

    def item_link(self, item):
        if isinstance(item, Review):
            return reverse("factcheck:claim", args=[item.claim_id])
        return reverse("factcheck:article", args=[item.slug])

    def item_pubdate(self, item):
        return item.published_at

    def item_updateddate(self, item):
        return item.updated_at


class RssFeed(_LatestFeed):
    pass


class AtomFeed(_LatestFeed):
    feed_type = Atom1Feed

    def subtitle(self):
        return self.description()


# --- the desk ----------------------------------------------------------------------------


def _desk(request) -> None:
    if not request.user.is_authenticated:
        raise PermissionDenied
    _require(permissions.can_view_desk(request.user))


def _checkers(claim: Claim | None = None):
    """Fact-checkers who may take the claim (whose desk it is on)."""
    users = (
        User.objects.filter(
            Q(memberships__role=Role.FACT_CHECKER) | Q(is_superuser=True), is_active=True
        )
        .distinct()
        .order_by("username")
    )
    if claim is None:
        return users
    allowed = [u.pk for u in users if permissions.can_view_claim_internal(u, claim)]
    return users.filter(pk__in=allowed)


@login_required
def desk(request):
    _desk(request)
    status = request.GET.get("status", "open")
    queryset = (
        selectors.desk_claims(request.user)
        .select_related("assigned_to", "topic")
        .order_by("-report_count", "-id")
    )
    if status == "open":
        queryset = queryset.filter(status__in=[Claim.Status.NEW, Claim.Status.IN_REVIEW])
    elif status in Claim.Status.values:
        queryset = queryset.filter(status=status)
    if request.GET.get("mine"):
        queryset = queryset.filter(assigned_to=request.user)
    query = request.GET.get("q", "").strip()
    if query:
        ids = [s.key for s in search.rank_ids(query, published_only=False, limit=50)]
        queryset = queryset.filter(pk__in=ids)
    page = Paginator(queryset, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "factcheck/desk.html",
        {
            "page": page,
            "status": status,
            "statuses": Claim.Status.choices,
            "query": query,
            "scope": _scope_label(request.user),
        },
    )


def _scope_label(user) -> str:
    """Whose reports the desk shows: "Provinsi Bali" or the regencies' names."""
    if permissions.desk_sees_all(user):
        return _("the whole province")
    codes = permissions.desk_region_codes(user)
    names = Region.objects.filter(code__in=codes).order_by("code").values_list("name", flat=True)
    return ", ".join(names)


def _desk_claim(request, claim_id: int) -> Claim:
    _desk(request)
    claim = get_object_or_404(Claim.objects.select_related("topic", "assigned_to"), pk=claim_id)
    _require(permissions.can_view_claim_internal(request.user, claim))
    return claim


def _review_initial(claim: Claim) -> dict:
    review = Review.objects.filter(claim=claim).first()
    initial = {"claim_text": claim.text, "claim_text_en": claim.text_en, "topic": claim.topic}
    if review is not None:
        initial.update(
            verdict=review.verdict,
            summary=review.summary,
            summary_en=review.summary_en,
            explanation=review.explanation,
            explanation_en=review.explanation_en,
            sources=services.sources_as_text(review.sources),
        )
    return initial


def _desk_page(request, claim: Claim, *, status=200, **forms):
    review = Review.objects.filter(claim=claim).first()
    all_reports = claim.reports.all()
    reports = (
        selectors.desk_reports(request.user, all_reports)
        .select_related("regency")
        .order_by("-created_at")
    )
    shown_total = reports.count()
    context = {
        "claim": claim,
        "review": review,
        "reports": reports[:50],
        "report_total": claim.report_count,
        "reports_here": shown_total,
        "reports_elsewhere": max(0, claim.report_count - shown_total),
        "waiting": all_reports.filter(wants_verdict=True, notified_at__isnull=True).count(),
        "notes": claim.notes.select_related("author"),
        "assign_form": forms.get("assign_form")
        or AssignForm(checkers=_checkers(claim), initial={"assignee": claim.assigned_to_id or ""}),
        "note_form": forms.get("note_form") or NoteForm(),
        "review_form": forms.get("review_form") or ReviewForm(initial=_review_initial(claim)),
        "merge_form": forms.get("merge_form") or MergeForm(),
        "similar": _similar(request.user, claim),
    }
    return render(request, "factcheck/desk_claim.html", context, status=status)


def _similar(user, claim: Claim) -> list:
    """Claims like this one on the same desk (candidates for merging)."""
    ranked = [
        m
        for m in search.rank_ids(claim.text, published_only=False, limit=12, min_score=0.45)
        if m.key != claim.pk
    ]
    visible = set(
        selectors.desk_claims(user)
        .filter(pk__in=[m.key for m in ranked])
        .values_list("pk", flat=True)
    )
    return [m for m in ranked if m.key in visible][:5]


@login_required
def desk_claim(request, claim_id: int):
    claim = _desk_claim(request, claim_id)
    return _desk_page(request, claim)


@login_required
@require_POST
def desk_assign(request, claim_id: int):
    claim = _desk_claim(request, claim_id)
    _require(permissions.can_assign_claim(request.user, claim))
    checkers = _checkers(claim)
    form = AssignForm(request.POST, checkers=checkers)
    if not form.is_valid():
        return _desk_page(request, claim, status=400, assign_form=form)
    assignee = checkers.filter(pk=form.cleaned_data["assignee"] or 0).first()
    services.claim_assign(actor=request.user, claim=claim, assignee=assignee)
    messages.success(request, _("Assignment saved."))
    return redirect("factcheck:desk_claim", claim_id=claim.pk)


@login_required
@require_POST
def desk_note(request, claim_id: int):
    claim = _desk_claim(request, claim_id)
    _require(permissions.can_add_note(request.user, claim))
    form = NoteForm(request.POST)
    if form.is_valid():
        try:
            services.claim_note_add(actor=request.user, claim=claim, **form.cleaned_data)
        except DomainError as error:
            apply_error(form, error)
        else:
            messages.success(request, _("Note added."))
            return redirect("factcheck:desk_claim", claim_id=claim.pk)
    return _desk_page(request, claim, status=400, note_form=form)


@login_required
@require_POST
def desk_review(request, claim_id: int):
    """Save the review; with ``publish`` also publish it and tell the reporters."""
    claim = _desk_claim(request, claim_id)
    _require(permissions.can_review_claim(request.user, claim))
    form = ReviewForm(request.POST)
    publish = "publish" in request.POST
    if publish:
        _require(permissions.can_publish_review(request.user, claim))
    if form.is_valid():
        data = form.cleaned_data
        try:
            claim = services.claim_update(
                actor=request.user,
                claim=claim,
                text=data["claim_text"],
                text_en=data["claim_text_en"],
                topic=data["topic"],
            )
            services.review_save(
                actor=request.user,
                claim=claim,
                verdict=data["verdict"],
                summary=data["summary"],
                summary_en=data["summary_en"],
                explanation=data["explanation"],
                explanation_en=data["explanation_en"],
                sources=data["sources"],
            )
            if publish:
                services.review_publish(actor=request.user, claim=claim)
        except DomainError as error:
            apply_error(form, error)
        else:
            if publish:
                messages.success(
                    request, _("Verdict published. Reporters who asked are being told.")
                )
                return redirect("factcheck:claim", claim_id=claim.pk)
            messages.success(request, _("Draft saved."))
            return redirect("factcheck:desk_claim", claim_id=claim.pk)
    return _desk_page(request, claim, status=400, review_form=form)


@login_required
@require_POST
def desk_merge(request, claim_id: int):
    claim = _desk_claim(request, claim_id)
    _require(permissions.can_merge_claims(request.user, claim))
    form = MergeForm(request.POST)
    if form.is_valid():
        duplicate = (
            selectors.desk_claims(request.user).filter(pk=form.cleaned_data["duplicate"]).first()
        )
        if duplicate is None or not permissions.can_merge_claims(request.user, claim, duplicate):
            form.add_error("duplicate", _("There is no claim with this number."))
        else:
            try:
                services.claims_merge(actor=request.user, target=claim, duplicate=duplicate)
            except DomainError as error:
                apply_error(form, error)
            else:
                messages.success(request, _("Claims merged."))
                return redirect("factcheck:desk_claim", claim_id=claim.pk)
    return _desk_page(request, claim, status=400, merge_form=form)


@login_required
@require_POST
def desk_dismiss(request, claim_id: int):
    claim = _desk_claim(request, claim_id)
    _require(permissions.can_dismiss_claim(request.user, claim))
    try:
        services.claim_dismiss(actor=request.user, claim=claim)
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("Claim set aside as not checkable."))
    return redirect("factcheck:desk_claim", claim_id=claim.pk)


@login_required
def desk_screenshot(request, report_id: int):
    _desk(request)
    report = get_object_or_404(Report, pk=report_id)
    _require(permissions.can_view_screenshot(request.user, report))
    if not report.screenshot or not default_storage.exists(report.screenshot):
        raise Http404
    response = FileResponse(default_storage.open(report.screenshot, "rb"))
    response["Content-Security-Policy"] = "default-src 'none'"
    response["X-Content-Type-Options"] = "nosniff"
    return response


def _article_agencies(user):
    if scope.is_platform_admin(user):
        return Agency.objects.all()
    return Agency.objects.filter(
        Q(memberships__user=user) | Q(kind__in=[Agency.Kind.DINAS, Agency.Kind.HOSPITAL])
    ).distinct()


@login_required
def article_edit(request, slug: str | None = None):
    _desk(request)
    article = get_object_or_404(Article, slug=slug) if slug else None
    _require(permissions.can_edit_article(request.user, article))
    agencies = _article_agencies(request.user)
    if request.method == "POST":
        form = ArticleForm(request.POST, agencies=agencies)
        if form.is_valid():
            data = form.cleaned_data
            try:
                article = services.article_save(actor=request.user, article=article, **data)
            except DomainError as error:
                apply_error(form, error)
            else:
                messages.success(request, _("Article published."))
                return redirect("factcheck:article", slug=article.slug)
        return render(
            request, "factcheck/article_form.html", {"form": form, "article": article}, status=400
        )
    initial = {}
    if article is not None:
        initial = {
            name: getattr(article, name)
            for name in ("agency", "topic", "title", "title_en", "summary", "summary_en")
        }
        initial.update(
            body=article.body,
            body_en=article.body_en,
            sources=services.sources_as_text(article.sources),
        )
    form = ArticleForm(initial=initial, agencies=agencies)
    return render(request, "factcheck/article_form.html", {"form": form, "article": article})


# --- weekly report -----------------------------------------------------------------------


def _weekly(request) -> tuple[dict, int]:
    try:
        weeks = max(1, min(52, int(request.GET.get("weeks", 8))))
    except ValueError:
        weeks = 8
    since = timezone.now() - timedelta(weeks=weeks)
    return selectors.weekly_summary(request.user, since=since), weeks


@login_required
def weekly_report(request):
    _require(permissions.can_view_weekly_report(request.user))
    summary, weeks = _weekly(request)
    peak = max([w["reports"] for w in summary["weeks"]] or [1])
    for week in summary["weeks"]:
        week["percent"] = round(100 * week["reports"] / peak)
    tables = [
        (_("By topic"), summary["by_topic"]),
        (_("By channel"), summary["by_channel"]),
        (_("By regency"), summary["by_regency"]),
    ]
    return render(
        request,
        "factcheck/weekly.html",
        {"summary": summary, "weeks": weeks, "tables": tables, "scope": _scope_label(request.user)},
    )


@login_required
def weekly_csv(request):
    _require(permissions.can_view_weekly_report(request.user))
    summary, _weeks = _weekly(request)
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="laporan-hoaks-mingguan.csv"'
    writer = csv.writer(response)
    writer.writerow(["section", "key", "reports", "new_claims"])
    for week in summary["weeks"]:
        writer.writerow(["week", week["week"].isoformat(), week["reports"], week["new_claims"]])
    for section in ("by_topic", "by_channel", "by_regency"):
        for key, count in summary[section]:
            writer.writerow([section.removeprefix("by_"), _csv_safe(key), count, ""])
    for item in summary["most_reported"]:
        writer.writerow(["claim", _csv_safe(item["text"]), item["reports"], ""])
    return response


def _csv_safe(value: str) -> str:
    """No formula injection when the CSV is opened in a spreadsheet."""
    value = str(value)
    return "'" + value if value[:1] in ("=", "+", "-", "@", "\t", "\r") else value
