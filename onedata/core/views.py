"""Core pages: home, log in/out, register, account and API tokens, audit log."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login, logout
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from onedata.core import permissions, selectors, services
from onedata.core.errors import DomainError, RateLimited
from onedata.core.forms import (
    AuditSearchForm,
    LoginForm,
    ProfileForm,
    RegisterForm,
    TokenForm,
    apply_error,
)
from onedata.core.models import ApiToken, Membership, PhoneChallenge, User
from onedata.core.navigation import SERVICES
from onedata.notifications import services as notify


def home(request):
    return render(request, "core/home.html", {"services": SERVICES})


def _safe_next(request) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return reverse(settings.LOGIN_REDIRECT_URL)


@require_http_methods(["GET", "POST"])
def login_view(request):
    form = LoginForm(request.POST or None)
    status = 200
    if request.method == "POST" and form.is_valid():
        username = form.cleaned_data["username"]
        if "@" in username:
            match = User.objects.filter(email__iexact=username).first()
            username = match.username if match else username
        try:
            user = services.login_check(
                username=username,
                password=form.cleaned_data["password"],
                ip=request.client_ip,
                request=request,
            )
        except RateLimited as error:
            form.add_error(None, error.message)
            status = 429
        except DomainError as error:
            form.add_error(None, error.message)
            status = 400
        else:
            login(request, user)
            return redirect(_safe_next(request))
    elif request.method == "POST":
        status = 400
    return render(
        request,
        "core/login.html",
        {"form": form, "next": request.GET.get("next", "")},
        status=status,
    )


@require_POST
def logout_view(request):
    logout(request)
    messages.info(request, _("You are logged out."))
    return redirect("core:home")


@require_http_methods(["GET", "POST"])
def register(request):
    form = RegisterForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            user = services.user_register(**form.cleaned_data)
        except DomainError as error:
            apply_error(form, error)
        else:
            login(request, user, backend="django.contrib.auth.backends.ModelBackend")
            messages.success(
                request,
                _("Welcome! We sent a link to %(email)s to confirm it.") % {"email": user.email},
            )
            return redirect("core:account")
    return render(request, "core/register.html", {"form": form}, status=400 if form.errors else 200)


def verify_email(request, token: str):
    try:
        user = services.email_verify(token=token)
    except DomainError as error:
        return render(
            request,
            "core/message.html",
            {"title": _("Link not valid"), "text": error.message},
            status=400,
        )
    return render(
        request,
        "core/message.html",
        {
            "title": _("Email confirmed"),
            "text": _("Thank you, %(name)s. Your email address %(email)s is confirmed.")
            % {"name": user.display_name, "email": user.email},
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def account(request):
    user = request.user
    if not permissions.can_view_own_account(user):
        raise PermissionDenied
    initial = {"name": user.name, "email": user.email, "phone": user.phone, "nik": user.nik}
    profile_form = ProfileForm(
        request.POST if request.POST.get("form") == "profile" else None,
        initial=initial,
        prefix="profile",  # two forms on one page: distinct field ids
    )
    token_form = TokenForm(
        request.POST if request.POST.get("form") == "token" else None, prefix="token"
    )
    new_token = None
    if request.method == "POST" and profile_form.is_bound and profile_form.is_valid():
        try:
            services.user_update_profile(actor=user, user=user, **profile_form.cleaned_data)
        except DomainError as error:
            apply_error(profile_form, error)
        else:
            messages.success(request, _("Your profile is saved."))
            return redirect("core:account")
    if request.method == "POST" and token_form.is_bound and token_form.is_valid():
        if not permissions.can_create_api_token(user):
            raise PermissionDenied
        try:
            issued = services.api_token_create(actor=user, user=user, **token_form.cleaned_data)
        except DomainError as error:
            apply_error(token_form, error)
        else:
            new_token = issued.plaintext
            token_form = TokenForm(prefix="token")
    phone_code_error = None
    if request.method == "POST" and request.POST.get("form") in ("phone_send", "phone_verify"):
        try:
            if request.POST["form"] == "phone_send":
                services.phone_verification_send(user=user)
                messages.info(request, _("We texted a code to %(phone)s.") % {"phone": user.phone})
            else:
                services.phone_verify(user=user, code=request.POST.get("code", ""))
                messages.success(request, _("Your phone number is confirmed."))
        except RateLimited as error:
            phone_code_error = error.message
        except DomainError as error:
            phone_code_error = next(iter(error.fields.values()), [error.message])[0]
        else:
            return redirect("core:account")
    if request.method == "POST" and request.POST.get("form") == "verify":
        services.email_verification_send(user=user, base_url=request.build_absolute_uri("/")[:-1])
        messages.info(
            request, _("We sent a new confirmation link to %(email)s.") % {"email": user.email}
        )
        return redirect("core:account")
    context = {
        "profile_form": profile_form,
        "token_form": token_form,
        "new_token": new_token,
        "tokens": ApiToken.objects.filter(user=user),
        "phone_code_error": phone_code_error,
        "phone_code_sent": PhoneChallenge.objects.filter(user=user).exists(),
        "sms_available": notify.sms_available(),
        "memberships": Membership.objects.filter(user=user).select_related("agency__region"),
    }
    invalid = profile_form.errors or token_form.errors or phone_code_error
    return render(request, "core/account.html", context, status=400 if invalid else 200)


@login_required
@require_POST
def token_revoke(request, token_id: int):
    token = get_object_or_404(ApiToken, pk=token_id)
    if not permissions.can_revoke_api_token(request.user, token):
        raise PermissionDenied
    services.api_token_revoke(actor=request.user, token=token)
    messages.success(request, _("Token %(name)s is revoked.") % {"name": token.name})
    return redirect("core:account")


@login_required
def audit_log(request):
    if not permissions.can_view_audit_log(request.user):
        raise PermissionDenied
    form = AuditSearchForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    events = selectors.audit_events_search(**{k: v for k, v in filters.items() if v})
    page = Paginator(events, 50).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request, "core/audit_log.html", {"form": form, "page": page, "query": query.urlencode()}
    )
