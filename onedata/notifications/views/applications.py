"""Screens for application owners: their applications, sending keys, templates (with a
preview), the message log and a test send.

Every view: signed in, then ``permissions.can_manage_application`` on the application
(403 outside scope; 404 for a key or message that is not the application's). Writes go
through services; a form with errors comes back with what was typed and status 400.
"""

from __future__ import annotations

import re

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db import connection
from django.db.models import Count, Q
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST

from onedata.core import scope
from onedata.core.errors import DomainError, RateLimited
from onedata.core.models import Agency
from onedata.notifications import permissions, services, templating
from onedata.notifications.forms import (
    ApplicationForm,
    KeyForm,
    MessageSearchForm,
    TemplateForm,
    TrialSendForm,
    apply_service_error,
)
from onedata.notifications.models import Application, ApplicationKey, Message, Template

PAGE_SIZE = 50
MISSING_VARIABLE = re.compile(r"missing variable: '([^']+)' is undefined$")
TEST_TAG = "test"

Status = Message.Status
STATUS_BADGE = {
    Status.QUEUED: "badge-neutral",
    Status.SENDING: "badge-neutral",
    Status.DELIVERED: "badge-ok",
    Status.DEFERRED: "badge-warn",
    Status.SUPPRESSED: "badge-warn",
    Status.BOUNCED: "badge-danger",
    Status.FAILED: "badge-danger",
    Status.REJECTED: "badge-danger",
}
EVENT_WORDS = {
    "queued": gettext_lazy("Queued"),
    "attempt": gettext_lazy("Delivery attempt"),
    "deferred": gettext_lazy("Deferred, will retry"),
    "delivered": gettext_lazy("Delivered"),
    "bounced": gettext_lazy("Bounced"),
    "failed": gettext_lazy("Failed"),
    "suppressed": gettext_lazy("Suppressed"),
}
EVENT_BADGE = {
    "queued": "badge-neutral",
    "attempt": "badge-neutral",
    "deferred": "badge-warn",
    "delivered": "badge-ok",
    "bounced": "badge-danger",
    "failed": "badge-danger",
    "suppressed": "badge-warn",
}


# --- helpers -----------------------------------------------------------------------------


def _application(request, slug: str) -> Application:
    """The application, if this user may manage it (403 otherwise, 404 if none)."""
    application = get_object_or_404(
        Application.objects.select_related("agency__region", "created_by"), slug=slug
    )
    if not permissions.can_manage_application(request.user, application):
        raise PermissionDenied
    return application


def _creatable_agencies(user):
    return (
        Agency.objects.filter(scope.region_filter(user, permissions.APP_MANAGERS))
        .select_related("region")
        .order_by("region__code", "name")
    )


def _manageable_applications(user):
    return Application.objects.filter(
        scope.region_filter(user, permissions.APP_MANAGERS, field="agency__region__code")
    ).select_related("agency__region")


def _with_status_badges(page) -> None:
    page.object_list = list(page.object_list)
    for message in page.object_list:
        message.badge = STATUS_BADGE.get(message.status, "badge-neutral")


def _query_without_page(request) -> str:
    query = request.GET.copy()
    query.pop("page", None)
    return query.urlencode()


# --- applications ------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def app_list(request):
    """My applications, and a form to register a new one (POST here creates)."""
    user = request.user
    agencies = _creatable_agencies(user)
    applications = _manageable_applications(user).annotate(
        active_keys=Count("keys", filter=Q(keys__revoked_at__isnull=True))
    )
    can_create = agencies.exists()
    if not can_create and not applications.exists():
        raise PermissionDenied
    form = ApplicationForm(request.POST or None, agencies=agencies)
    if request.method == "POST":
        chosen = Agency.objects.select_related("region").filter(
            pk=request.POST.get("agency") if request.POST.get("agency", "").isdigit() else None
        )
        if chosen and not permissions.can_create_application(user, chosen[0]):
            raise PermissionDenied
        if form.is_valid():
            try:
                application = services.application_create(
                    actor=user, agency=form.cleaned_data["agency"], name=form.cleaned_data["name"]
                )
            except DomainError as error:
                apply_service_error(form, error)
            else:
                messages.success(
                    request,
                    _("%(name)s is registered. Create a key below to send from your server.")
                    % {"name": application.name},
                )
                return redirect("notifications:app_detail", slug=application.slug)
    page = Paginator(applications.order_by("name"), PAGE_SIZE).get_page(request.GET.get("page"))
    page.object_list = [a for a in page.object_list if permissions.can_manage_application(user, a)]
    context = {
        "page": page,
        "query": "",
        "form": form,
        "can_create": can_create,
    }
    return render(
        request, "notifications/app_list.html", context, status=400 if form.errors else 200
    )


def _detail(request, application, *, key_form=None, new_key=None, status=200):
    keys = ApplicationKey.objects.filter(application=application)
    context = {
        "application": application,
        "keys": keys,
        "key_form": key_form or KeyForm(),
        "new_key": new_key,
        "key_prefix": services.KEY_PREFIX,
        "current": "detail",
    }
    response = render(request, "notifications/app_detail.html", context, status=status)
    if new_key:
        response["Cache-Control"] = "no-store"  # the only copy of a secret
    return response


@login_required
def app_detail(request, slug: str):
    return _detail(request, _application(request, slug))


@login_required
@require_POST
def app_key_create(request, slug: str):
    application = _application(request, slug)
    form = KeyForm(request.POST)
    if form.is_valid():
        try:
            issued = services.application_key_create(
                actor=request.user, application=application, name=form.cleaned_data["name"]
            )
        except DomainError as error:
            apply_service_error(form, error)
        else:
            return _detail(request, application, new_key=issued)
    return _detail(request, application, key_form=form, status=400)


@login_required
@require_POST
def app_key_revoke(request, slug: str, key_id: int):
    application = _application(request, slug)
    key = get_object_or_404(ApplicationKey, pk=key_id, application=application)
    services.application_key_revoke(actor=request.user, key=key)
    messages.success(
        request,
        _("Key %(name)s is revoked. Requests sent with it are refused from now on.")
        % {"name": key.name},
    )
    return redirect("notifications:app_detail", slug=application.slug)


# --- templates ---------------------------------------------------------------------------


def _latest_templates(application) -> list[Template]:
    versions = (
        Template.objects.filter(application=application)
        .only("name", "language", "version", "subject", "created_at")
        .order_by("name", "language", "-version")
    )
    latest, seen = [], set()
    for template in versions:
        if (template.name, template.language) not in seen:
            seen.add((template.name, template.language))
            latest.append(template)
    # Per name, Indonesian first.
    return sorted(latest, key=lambda t: (t.name, t.language != Template.Language.ID, t.language))


def _template_initial(application, request) -> dict:
    """Editing starts from the latest version: ``?name=…&language=…``."""
    name, language = request.GET.get("name", ""), request.GET.get("language", "id")
    template = (
        Template.objects.filter(application=application, name=name, language=language)
        .order_by("-version")
        .first()
        if name
        else None
    )
    if template is None:
        return {"name": name, "language": language}
    return {
        "name": template.name,
        "language": template.language,
        "subject": template.subject,
        "text": template.text,
        "html": template.html,
    }


def _preview_problem(part: str, problem: str) -> str:
    missing = MISSING_VARIABLE.match(problem)
    if missing:
        return _(
            "The %(part)s uses %(name)s, which the sample data does not have. "
            "Add it to the sample data, or take it out of the template."
        ) % {"part": part, "name": missing.group(1)}
    return _("The preview failed in the %(part)s: %(problem)s") % {
        "part": part,
        "problem": problem,
    }


@login_required
@require_http_methods(["GET", "POST"])
def app_templates(request, slug: str):
    """The latest version of each template, and a form to preview or save a new version."""
    application = _application(request, slug)
    preview = request.POST.get("action") == "preview"
    form = TemplateForm(
        request.POST or None, initial=_template_initial(application, request), preview=preview
    )
    rendered = None
    if request.method == "POST" and form.is_valid():
        fields = form.template_fields()
        if preview:
            try:
                rendered = templating.render(
                    fields["subject"], fields["text"], fields["html"], form.cleaned_data["data"]
                )
            except templating.RenderError as error:
                part = error.part if error.part in form.fields else None
                label = form.fields[part].label if part else error.part
                form.add_error(part, _preview_problem(label, error.problem))
        else:
            try:
                template = services.template_save(
                    actor=request.user, application=application, **fields
                )
            except DomainError as error:
                apply_service_error(form, error)
            else:
                messages.success(
                    request,
                    _(
                        "Version %(version)d of %(name)s (%(language)s) is saved. "
                        "Messages sent from now on use it."
                    )
                    % {
                        "version": template.version,
                        "name": template.name,
                        "language": template.get_language_display(),
                    },
                )
                return redirect(
                    "notifications:app_template", slug=application.slug, name=template.name
                )
    context = {
        "application": application,
        "templates": _latest_templates(application),
        "form": form,
        "rendered": rendered,
        "current": "templates",
    }
    return render(
        request, "notifications/app_templates.html", context, status=400 if form.errors else 200
    )


@login_required
def app_template(request, slug: str, name: str):
    """Every version of one template, newest first, per language."""
    application = _application(request, slug)
    versions = sorted(
        Template.objects.filter(application=application, name=name).select_related("created_by"),
        key=lambda t: (t.language != Template.Language.ID, t.language, -t.version),
    )  # Indonesian first
    if not versions:
        raise Http404
    context = {
        "application": application,
        "name": name,
        "versions": versions,
        "current": "templates",
    }
    return render(request, "notifications/app_template.html", context)


# --- messages ----------------------------------------------------------------------------


def _search_messages(application, filters: dict):
    found = Message.objects.filter(application=application).defer("text", "html")
    if filters.get("status"):
        found = found.filter(status=filters["status"])
    if filters.get("to"):
        found = found.filter(to__icontains=filters["to"].strip().lower())
    if filters.get("tag"):
        tag = filters["tag"].strip()
        if connection.features.supports_json_field_contains:
            found = found.filter(tags__contains=[tag])
        else:
            found = found.filter(tags__icontains=f'"{tag}"')
    if filters.get("since"):
        found = found.filter(created_at__gte=filters["since"])
    return found


@login_required
def app_messages(request, slug: str):
    """The message log: search by status, recipient, tag and time."""
    application = _application(request, slug)
    form = MessageSearchForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    page = Paginator(_search_messages(application, filters), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    _with_status_badges(page)
    context = {
        "application": application,
        "form": form,
        "page": page,
        "query": _query_without_page(request),
        "filtered": any(filters.values()),
        "current": "messages",
    }
    return render(
        request, "notifications/app_messages.html", context, status=400 if form.errors else 200
    )


@login_required
def app_message(request, slug: str, message_id: int):
    """One message: its state first, then what happened to it."""
    application = _application(request, slug)
    message = get_object_or_404(
        Message.objects.select_related("template"), pk=message_id, application=application
    )
    message.badge = STATUS_BADGE.get(message.status, "badge-neutral")
    events = list(message.events.all())
    for event in events:
        event.words = EVENT_WORDS.get(event.kind, event.kind)
        event.badge = EVENT_BADGE.get(event.kind, "badge-neutral")
    context = {
        "application": application,
        "message": message,
        "recipients": services.recipients_verified(message),
        "events": events,
        "attachments": message.attachments.defer("content"),
        "current": "messages",
    }
    return render(request, "notifications/app_message.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def app_test_send(request, slug: str):
    """Send one test message through the whole path: queue, worker, SMTP."""
    application = _application(request, slug)
    form = TrialSendForm(
        request.POST or None,
        initial={
            "to": request.user.email,
            "subject": _("Test message from %(name)s") % {"name": application.name},
            "text": _("This is a test message. If you can read it, sending works."),
        },
    )
    status = 200
    if request.method == "POST" and form.is_valid():
        to = form.cleaned_data["to"].strip()
        try:
            message, _created = services.message_send(
                application=application,
                to=[to] if to else [],
                subject=form.cleaned_data["subject"],
                text=form.cleaned_data["text"],
                tags=[TEST_TAG],
            )
        except RateLimited as error:
            form.add_error(None, error.message)
            status = 429
        except DomainError as error:
            apply_service_error(form, error)
        else:
            if message.status == Status.SUPPRESSED:
                messages.warning(
                    request,
                    _("The message was not sent: the address is on the suppression list."),
                )
            else:
                messages.success(
                    request, _("The message is queued; a worker sends it within a few seconds.")
                )
            return redirect(
                "notifications:app_message", slug=application.slug, message_id=message.pk
            )
    if form.errors and status == 200:
        status = 400
    context = {"application": application, "form": form, "current": "test"}
    return render(request, "notifications/app_test_send.html", context, status=status)


urlpatterns = [
    path("aplikasi/", app_list, name="app_list"),
    path("aplikasi/<slug:slug>/", app_detail, name="app_detail"),
    path("aplikasi/<slug:slug>/kunci/", app_key_create, name="app_key_create"),
    path("aplikasi/<slug:slug>/kunci/<int:key_id>/cabut/", app_key_revoke, name="app_key_revoke"),
    path("aplikasi/<slug:slug>/templat/", app_templates, name="app_templates"),
    path("aplikasi/<slug:slug>/templat/<slug:name>/", app_template, name="app_template"),
    path("aplikasi/<slug:slug>/pesan/", app_messages, name="app_messages"),
    path("aplikasi/<slug:slug>/pesan/<int:message_id>/", app_message, name="app_message"),
    path("aplikasi/<slug:slug>/uji/", app_test_send, name="app_test_send"),
]
