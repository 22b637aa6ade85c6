"""Core use cases. Each write is one transaction and leaves an audit event."""

from __future__ import annotations

import hashlib
import hmac
import secrets
from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.contrib.auth import authenticate
from django.contrib.auth.password_validation import validate_password
from django.core import signing
from django.core.exceptions import ValidationError as DjangoValidationError
from django.core.mail import send_mail
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from onedata.core import audit, bearer, ratelimit, scope
from onedata.core.errors import Conflict, NotFound, RateLimited, ValidationError
from onedata.core.models import Agency, ApiToken, Membership, PhoneChallenge, User
from onedata.core.nik import NikError, validate_nik
from onedata.core.phone import PhoneError, normalise_phone
from onedata.core.regions import known_district_codes
from onedata.core.roles import Role

TOKEN_PREFIX = "od_"  # noqa: S105 - a public marker, not a secret
EMAIL_VERIFY_SALT = "onedata.core.email-verify"
EMAIL_VERIFY_MAX_AGE = 3 * 24 * 3600

PROFILE_FIELDS = ["name", "email", "phone", "nik"]


# --- people ---------------------------------------------------------------------------


def clean_nik(nik: str | None) -> str | None:
    if not nik:
        return None
    try:
        return validate_nik(nik, known_district_codes())
    except NikError as error:
        raise ValidationError.for_field("nik", _(str(error))) from None


def _clean_profile(*, name: str, email: str, phone: str, nik: str | None) -> dict:
    fields: dict[str, list[str]] = {}
    email = (email or "").strip().lower()
    if email:
        try:
            validate_email(email)
        except DjangoValidationError:
            fields["email"] = [_("Enter a valid email address.")]
    if (phone or "").strip():
        try:
            phone = normalise_phone(phone)
        except PhoneError:
            fields["phone"] = [_("Enter a phone number of 8 to 15 digits, e.g. 081234567890.")]
    else:
        phone = ""
    try:
        nik = clean_nik(nik)
    except ValidationError as error:
        fields.update(error.fields)
    if len(name or "") > 150:
        fields["name"] = [_("At most 150 characters.")]
    if fields:
        raise ValidationError(_("Please correct the marked fields."), fields=fields)
    return {"name": (name or "").strip(), "email": email, "phone": phone, "nik": nik}


def _unique_violation(error: IntegrityError) -> ValidationError:
    text = str(error).lower()
    field = "nik" if "nik" in text else "email" if "email" in text else "username"
    messages = {
        "nik": _("This NIK is already registered."),
        "email": _("This email address is already registered."),
        "username": _("This username is taken."),
    }
    return ValidationError.for_field(field, messages[field])


def user_register(
    *, username: str, password: str, name: str, email: str, phone: str = "", nik: str = ""
) -> User:
    """A citizen creates an account; we send an email verification link.

    Every field is checked before answering, so the person fixes all mistakes in one go.
    """
    fields: dict[str, list[str]] = {}
    try:
        profile = _clean_profile(name=name, email=email, phone=phone, nik=nik)
    except ValidationError as error:
        fields.update(error.fields)
        profile = {
            "name": name or "",
            "email": (email or "").strip().lower(),
            "phone": phone or "",
            "nik": None,
        }
    if not (name or "").strip():
        fields["name"] = [_("Enter your full name.")]
    username = (username or "").strip()
    if not username:
        fields["username"] = [_("Choose a username.")]
    elif User.objects.filter(username__iexact=username).exists():
        fields["username"] = [_("This username is taken.")]
    if not profile["email"] and "email" not in fields:
        fields["email"] = [_("An email address is required.")]
    candidate = User(username=username, **profile)
    try:
        validate_password(password, candidate)
    except DjangoValidationError as error:
        fields["password"] = list(error.messages)
    if fields:
        raise ValidationError(_("Please correct the marked fields."), fields=fields)
    try:
        with transaction.atomic():
            candidate.set_password(password)
            candidate.save()
            audit.record(
                actor=candidate,
                action="user.register",
                obj=candidate,
                after=audit.snapshot(candidate, PROFILE_FIELDS),
            )
    except IntegrityError as error:
        raise _unique_violation(error) from None
    _queue_email_verification(candidate)
    return candidate


def user_update_profile(
    *, actor, user: User, name: str, email: str, phone: str, nik: str | None
) -> User:
    profile = _clean_profile(name=name, email=email, phone=phone, nik=nik)
    before = audit.snapshot(user, PROFILE_FIELDS)
    email_changed = profile["email"] != user.email
    phone_changed = profile["phone"] != user.phone
    try:
        with transaction.atomic():
            for key, value in profile.items():
                setattr(user, key, value)
            fields = list(profile)
            if email_changed:
                user.email_verified_at = None
                fields.append("email_verified_at")
            if phone_changed:
                user.phone_verified_at = None
                fields.append("phone_verified_at")
                PhoneChallenge.objects.filter(user=user).delete()
            user.save(update_fields=fields)
            audit.record(
                actor=actor,
                action="user.update_profile",
                obj=user,
                before=before,
                after=audit.snapshot(user, PROFILE_FIELDS),
            )
    except IntegrityError as error:
        raise _unique_violation(error) from None
    if email_changed and user.email:
        _queue_email_verification(user)
    return user


def _queue_email_verification(user: User) -> None:
    """Mail the link from a worker once the account is committed (SMTP can be slow)."""
    from onedata.core.tasks import email_verification_send as send_task

    transaction.on_commit(lambda: send_task.enqueue(user.pk))


def email_verification_token(user: User) -> str:
    return signing.dumps({"u": user.pk, "e": user.email}, salt=EMAIL_VERIFY_SALT)


def email_verification_send(*, user: User, base_url: str = "") -> None:
    from django.urls import reverse

    if not user.email:
        return
    link = (base_url or settings.SITE_URL) + reverse(
        "core:verify_email", args=[email_verification_token(user)]
    )
    send_mail(
        subject=_("Confirm your email address for Bali One Data"),
        message=_(
            "Hello %(name)s,\n\nOpen this link to confirm your email address:\n%(link)s\n\n"
            "The link is valid for 3 days. If you did not ask for it, ignore this mail."
        )
        % {"name": user.display_name, "link": link},
        from_email=None,
        recipient_list=[user.email],
        fail_silently=True,
    )


@transaction.atomic
def email_verify(*, token: str) -> User:
    try:
        data = signing.loads(token, salt=EMAIL_VERIFY_SALT, max_age=EMAIL_VERIFY_MAX_AGE)
    except signing.BadSignature:
        raise ValidationError.for_field("token", _("This link is invalid or expired.")) from None
    user = User.objects.select_for_update().filter(pk=data.get("u")).first()
    if user is None or user.email != data.get("e"):
        raise ValidationError.for_field("token", _("This link is invalid or expired."))
    if user.email_verified_at is None:
        user.email_verified_at = timezone.now()
        user.save(update_fields=["email_verified_at"])
        audit.record(actor=user, action="user.verify_email", obj=user, after={"email": user.email})
    return user


# --- phone verification ----------------------------------------------------------------

PHONE_CODE_SECONDS = 10 * 60
PHONE_CODE_ATTEMPTS = 5
PHONE_CODES_PER_HOUR = 3


def _phone_code_hash(user: User, phone: str, code: str) -> str:
    message = f"{user.pk}:{phone}:{code}".encode()
    return hmac.new(settings.SECRET_KEY.encode(), message, hashlib.sha256).hexdigest()


def phone_verification_send(*, user: User) -> PhoneChallenge:
    """Text a six-digit code to the user's phone (through the notification service's SMS
    channel); it is valid for 10 minutes and 5 tries, at most 3 codes an hour."""
    from onedata.notifications import services as notify

    if not user.phone:
        raise ValidationError.for_field("phone", _("Add a phone number to your profile first."))
    if user.phone_verified_at is not None:
        raise Conflict(_("This phone number is already confirmed."))
    if not notify.sms_available():
        raise Conflict(_("Text messages are not set up on this platform yet."))
    decision = ratelimit.hit(f"phone-code:{user.pk}", limit=PHONE_CODES_PER_HOUR, period=3600)
    if not decision.allowed:
        raise RateLimited(
            _("Too many codes asked for. Try again later."), retry_after=decision.retry_after
        )
    code = f"{secrets.randbelow(1_000_000):06d}"
    with transaction.atomic():
        PhoneChallenge.objects.filter(user=user).delete()
        challenge = PhoneChallenge.objects.create(
            user=user,
            phone=user.phone,
            code_hash=_phone_code_hash(user, user.phone, code),
            expires_at=timezone.now() + timedelta(seconds=PHONE_CODE_SECONDS),
        )
        notify.send(
            module="core",
            to=[user.phone],
            channel="sms",
            text=_("Bali One Data: your code is %(code)s. It is valid for 10 minutes.")
            % {"code": code},
        )
        audit.record(actor=user, action="user.phone_code_send", obj=user)
    return challenge


def phone_verify(*, user: User, code: str) -> User:
    """Check the code; a wrong one uses up a try (the count is kept even when it fails)."""
    code = (code or "").strip()
    with transaction.atomic():
        challenge = PhoneChallenge.objects.select_for_update().filter(user=user).first()
        if challenge is None or challenge.phone != user.phone:
            raise ValidationError.for_field("code", _("Ask for a new code first."))
        if challenge.expires_at < timezone.now() or challenge.attempts >= PHONE_CODE_ATTEMPTS:
            raise ValidationError.for_field("code", _("This code has expired. Ask for a new one."))
        expected = _phone_code_hash(user, challenge.phone, code)
        if not hmac.compare_digest(expected, challenge.code_hash):
            challenge.attempts += 1
            challenge.save(update_fields=["attempts"])
            wrong = True
        else:
            wrong = False
            user.phone_verified_at = timezone.now()
            user.save(update_fields=["phone_verified_at"])
            challenge.delete()
            audit.record(
                actor=user, action="user.verify_phone", obj=user, after={"phone": user.phone}
            )
    if wrong:  # raised outside the block, so the used-up try is committed
        raise ValidationError.for_field("code", _("That code is not right."))
    return user


# --- log in with lock-out --------------------------------------------------------------


def _login_keys(username: str, ip: str | None) -> list[str]:
    keys = [f"login:user:{username.strip().lower()}"]
    if ip:
        keys.append(f"login:ip:{ip}")
    return keys


def login_check(*, username: str, password: str, ip: str | None, request=None) -> User:
    """Authenticate; after LOGIN_MAX_FAILURES failures the name (and the IP, at 4x) is locked
    for LOGIN_LOCKOUT_SECONDS, even for the right password."""
    period = settings.LOGIN_LOCKOUT_SECONDS
    limit = settings.LOGIN_MAX_FAILURES
    user_key, *ip_keys = _login_keys(username, ip)
    limits = {user_key: limit, **{key: limit * 4 for key in ip_keys}}
    for key, key_limit in limits.items():
        if ratelimit.peek(key, period=period) >= key_limit:
            audit.record(
                actor=username or "anonymous",
                action="auth.login_locked",
                object_type="core.user",
                object_repr=username[:200],
            )
            raise RateLimited(
                _("Too many failed attempts. Try again in %(minutes)d minutes.")
                % {"minutes": max(1, period // 60)},
                retry_after=period,
            )
    user = authenticate(request, username=username, password=password)
    if user is None:
        for key in limits:
            ratelimit.hit(key, limit=limits[key], period=period)
        audit.record(
            actor=username or "anonymous",
            action="auth.login_failed",
            object_type="core.user",
            object_repr=username[:200],
        )
        raise ValidationError(
            _("Username or password is wrong."), fields={"__all__": [_("Wrong credentials.")]}
        )
    ratelimit.reset(user_key, period=period)
    return user


# --- memberships -----------------------------------------------------------------------


def membership_grant(*, actor, user: User, agency: Agency, role: str) -> Membership:
    if role not in Role.values:
        raise ValidationError.for_field("role", _("Unknown role."))
    with transaction.atomic():
        membership, created = Membership.objects.get_or_create(user=user, agency=agency, role=role)
        if not created:
            raise Conflict(_("This person already has that role at this agency."))
        audit.record(
            actor=actor,
            action="membership.grant",
            obj=membership,
            after={"user": user.pk, "agency": agency.pk, "role": role},
        )
    scope.forget(user)
    return membership


def membership_revoke(*, actor, membership: Membership) -> None:
    with transaction.atomic():
        before = {
            "user": membership.user_id,
            "agency": membership.agency_id,
            "role": membership.role,
        }
        audit.record(actor=actor, action="membership.revoke", obj=membership, before=before)
        membership.delete()


# --- API tokens ------------------------------------------------------------------------


@dataclass(frozen=True)
class IssuedToken:
    token: ApiToken
    plaintext: str  # shown once, never stored


def api_token_create(*, actor, user: User, name: str, days: int | None = None) -> IssuedToken:
    name = (name or "").strip()
    if not name:
        raise ValidationError.for_field("name", _("Give the token a name, e.g. 'sync script'."))
    if len(name) > 100:
        raise ValidationError.for_field("name", _("At most 100 characters."))
    days = settings.API_TOKEN_DEFAULT_DAYS if days is None else days
    if not 1 <= days <= 730:
        raise ValidationError.for_field("days", _("Choose between 1 and 730 days."))
    secret = bearer.issue(TOKEN_PREFIX)
    prefix, plaintext = secret.prefix, secret.plaintext
    with transaction.atomic():
        token = ApiToken.objects.create(
            user=user,
            name=name,
            prefix=prefix,
            token_hash=secret.digest,
            expires_at=timezone.now() + timedelta(days=days),
        )
        audit.record(
            actor=actor,
            action="api_token.create",
            obj=token,
            after={"name": name, "prefix": prefix, "expires_at": token.expires_at.isoformat()},
        )
    return IssuedToken(token=token, plaintext=plaintext)


def api_token_revoke(*, actor, token: ApiToken) -> ApiToken:
    with transaction.atomic():
        token = ApiToken.objects.select_for_update().get(pk=token.pk)
        if token.revoked_at is None:
            token.revoked_at = timezone.now()
            token.save(update_fields=["revoked_at"])
            audit.record(
                actor=actor,
                action="api_token.revoke",
                obj=token,
                after={"revoked_at": token.revoked_at.isoformat()},
            )
    return token


def api_token_authenticate(plaintext: str) -> User | None:
    """The user behind a bearer token, or None when it is unknown, revoked or expired."""
    prefix = bearer.prefix_of(plaintext, TOKEN_PREFIX)
    if prefix is None:
        return None
    token = ApiToken.objects.select_related("user").filter(prefix=prefix).first()
    if token is None or not bearer.matches(token.token_hash, plaintext):
        return None
    now = timezone.now()
    if not token.is_usable(now) or not token.user.is_active:
        return None
    # Last-used time at minute precision: one write a minute, not one per request.
    if token.last_used_at is None or now - token.last_used_at > timedelta(minutes=1):
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
    token.user.api_token = token
    return token.user


def agency_get(*, slug: str) -> Agency:
    agency = Agency.objects.select_related("region").filter(slug=slug).first()
    if agency is None:
        raise NotFound(_("No agency with that name."))
    return agency
