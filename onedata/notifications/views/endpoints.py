"""Where an application's mail comes from and where its events go: verified sender
addresses, event webhooks (with their recent deliveries), and the platform's suppression
list. The same services as the API; every page checks its permission first."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST

from onedata.core.errors import DomainError
from onedata.notifications import permissions, services
from onedata.notifications.forms import apply_service_error
from onedata.notifications.models import (
    Suppression,
    VerifiedSender,
    WebhookDelivery,
    WebhookEndpoint,
)
from onedata.notifications.views.applications import _application

RECENT_DELIVERIES = 20
EVENT_CHOICES = [(event, event) for event in WebhookEndpoint.EVENTS]


class SenderForm(forms.Form):
    email = forms.CharField(
        label=gettext_lazy("Address to send from"),
        max_length=320,
        required=False,
        help_text=gettext_lazy("An address of your agency. We mail it a confirmation link."),
    )


class WebhookForm(forms.Form):
    url = forms.CharField(
        label=gettext_lazy("URL that receives the events"), max_length=500, required=False
    )
    events = forms.MultipleChoiceField(
        label=gettext_lazy("Events"),
        choices=EVENT_CHOICES,
        widget=forms.CheckboxSelectMultiple,
        required=False,
        help_text=gettext_lazy("None ticked: every event."),
    )


class SuppressionForm(forms.Form):
    email = forms.CharField(label=gettext_lazy("Address"), max_length=320, required=False)
    detail = forms.CharField(label=gettext_lazy("Why"), max_length=500, required=False)


# --- senders -----------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def app_senders(request, slug: str):
    application = _application(request, slug)
    form = SenderForm(request.POST or None)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                sender = services.sender_request(
                    actor=request.user, application=application, email=form.cleaned_data["email"]
                )
            except DomainError as error:
                apply_service_error(form, error)
            else:
                if sender.verified_at:
                    messages.info(
                        request, _("%(email)s is confirmed already.") % {"email": sender.email}
                    )
                else:
                    messages.success(
                        request,
                        _("We mailed a confirmation link to %(email)s. Open it within 3 days.")
                        % {"email": sender.email},
                    )
                return redirect("notifications:app_senders", slug=application.slug)
        status = 400
    context = {
        "application": application,
        "senders": VerifiedSender.objects.filter(agency=application.agency).order_by("email"),
        "form": form,
        "current": "senders",
    }
    return render(request, "notifications/app_senders.html", context, status=status)


# --- webhooks ----------------------------------------------------------------------------


def _webhooks_page(request, application, *, form=None, created=None, status=200):
    endpoints = list(WebhookEndpoint.objects.filter(application=application).order_by("id"))
    deliveries = (
        WebhookDelivery.objects.filter(endpoint__application=application)
        .select_related("endpoint")
        .order_by("-created_at", "-id")[:RECENT_DELIVERIES]
    )
    context = {
        "application": application,
        "endpoints": endpoints,
        "deliveries": deliveries,
        "form": form or WebhookForm(),
        "created": created,
        "current": "webhooks",
    }
    response = render(request, "notifications/app_webhooks.html", context, status=status)
    if created:
        response["Cache-Control"] = "no-store"  # the only time the secret is shown
    return response


@login_required
@require_http_methods(["GET", "POST"])
def app_webhooks(request, slug: str):
    application = _application(request, slug)
    if request.method == "GET":
        return _webhooks_page(request, application)
    form = WebhookForm(request.POST)
    if form.is_valid():
        try:
            created = services.webhook_create(
                actor=request.user,
                application=application,
                url=form.cleaned_data["url"].strip(),
                events=form.cleaned_data["events"] or None,
            )
        except DomainError as error:
            apply_service_error(form, error)
        else:
            return _webhooks_page(request, application, created=created)
    return _webhooks_page(request, application, form=form, status=400)


@login_required
@require_POST
def app_webhook_delete(request, slug: str, webhook_id: int):
    application = _application(request, slug)
    endpoint = get_object_or_404(WebhookEndpoint, pk=webhook_id, application=application)
    services.webhook_delete(actor=request.user, endpoint=endpoint)
    messages.success(request, _("The webhook %(url)s is removed.") % {"url": endpoint.url})
    return redirect("notifications:app_webhooks", slug=application.slug)


# --- suppression list --------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def suppressions(request):
    if not permissions.can_manage_suppressions(request.user):
        raise PermissionDenied
    form = SuppressionForm(request.POST or None)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                entry = services.suppression_add(actor=request.user, **form.cleaned_data)
            except DomainError as error:
                apply_service_error(form, error)
            else:
                messages.success(
                    request, _("Nothing more is sent to %(email)s.") % {"email": entry.email}
                )
                return redirect("notifications:suppressions")
        status = 400
    query = request.GET.get("q", "").strip()
    entries = Suppression.objects.order_by("-created_at", "email")
    if query:
        entries = entries.filter(email__icontains=query)
    page = Paginator(entries, 50).get_page(request.GET.get("page"))
    context = {
        "form": form,
        "page": page,
        "query": query,
        "pager_query": urlencode({"q": query}) if query else "",
    }
    return render(request, "notifications/suppressions.html", context, status=status)


@login_required
@require_POST
def suppression_remove(request, entry_id: int):
    if not permissions.can_manage_suppressions(request.user):
        raise PermissionDenied
    entry = get_object_or_404(Suppression, pk=entry_id)
    services.suppression_remove(actor=request.user, entry=entry)
    messages.success(request, _("%(email)s gets mail again.") % {"email": entry.email})
    return redirect("notifications:suppressions")


urlpatterns = [
    path("aplikasi/<slug:slug>/pengirim/", app_senders, name="app_senders"),
    path("aplikasi/<slug:slug>/webhook/", app_webhooks, name="app_webhooks"),
    path(
        "aplikasi/<slug:slug>/webhook/<int:webhook_id>/hapus/",
        app_webhook_delete,
        name="app_webhook_delete",
    ),
    path("daftar-tolak/", suppressions, name="suppressions"),
    path("daftar-tolak/<int:entry_id>/hapus/", suppression_remove, name="suppression_remove"),
]
