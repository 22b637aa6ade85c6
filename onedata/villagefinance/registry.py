"""The registry of customary villages (desa adat) and their officers: use cases.

Regency and provincial staff register a desa adat (its identity is a core Agency of kind
DESA_ADAT), edit it, mark it as sample data, deactivate it, and appoint or end the terms
of its officers. An officer's post gives their login its access: the Bendesa holds the
core role VILLAGE_HEAD at the desa adat's agency, the Patengen VILLAGE_TREASURER; the
Penyarikan reads the books through the officer row itself (``permissions``). Ending a
term keeps the officer row (history) and takes the role away, so access ends at once.
"""

from __future__ import annotations

import re
import secrets
from dataclasses import dataclass
from datetime import date

from django.contrib.auth import get_user_model
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from onedata.core import audit, scope
from onedata.core import services as core_services
from onedata.core.errors import Conflict, ValidationError
from onedata.core.models import Agency, Membership, Region
from onedata.core.phone import PhoneError, normalise_phone
from onedata.core.roles import Role
from onedata.villagefinance.models import DesaAdat, Fund, FundBalance, Officer

Position = Officer.Position

# The core role each post gives at the desa adat's agency. The Penyarikan has none: the
# secretary reads the books (permissions.is_current_secretary) but records nothing.
POSITION_ROLES = {Position.BENDESA: Role.VILLAGE_HEAD, Position.PATENGEN: Role.VILLAGE_TREASURER}
BANK_NUMBER = re.compile(r"^\d{6,20}$")
VILLAGE_FIELDS = [
    "bank_name",
    "bank_account_number",
    "bank_account_holder",
    "is_active",
    "regency",
]


@dataclass
class VillageInput:
    """What the registration form or the API sends (already typed, not yet checked)."""

    name: str
    regency: Region | None
    districts: list[Region]
    villages: list[Region]
    bank_name: str = ""
    bank_account_number: str = ""
    bank_account_holder: str = ""
    is_sample: bool = False


def bank_number_clean(raw: str) -> str:
    """The account number as digits: ``0012-01-234567`` -> ``001201234567``."""
    return re.sub(r"[\s.\-]", "", raw or "")


def _check_village(data: VillageInput, *, exclude: DesaAdat | None = None) -> dict:
    fields: dict[str, list[str]] = {}

    def fail(name: str, message: str) -> None:
        fields.setdefault(name, []).append(message)

    name = (data.name or "").strip()
    if not name:
        fail("name", _("Write the name of the desa adat, e.g. Desa Adat Kuta."))
    elif len(name) > 200:
        fail("name", _("At most 200 characters."))
    else:
        same = DesaAdat.objects.filter(agency__name__iexact=name, regency=data.regency)
        if exclude is not None:
            same = same.exclude(pk=exclude.pk)
        if data.regency is not None and same.exists():
            fail("name", _("A desa adat with this name is already registered in this regency."))
    regency = data.regency
    if regency is None or regency.level != Region.Level.REGENCY:
        fail("regency", _("Choose the regency or city."))
        regency = None
    if not data.districts:
        fail("districts", _("Choose at least one district (kecamatan)."))
    elif regency is not None and any(
        d.level != Region.Level.DISTRICT or not regency.covers(d) for d in data.districts
    ):
        fail("districts", _("Choose districts of the chosen regency."))
    if not data.villages:
        fail("villages", _("Choose at least one administrative village (desa/kelurahan)."))
    elif any(
        v.level != Region.Level.VILLAGE or not any(d.covers(v) for d in data.districts)
        for v in data.villages
    ):
        fail("villages", _("Choose villages that lie in the chosen districts."))
    number = bank_number_clean(data.bank_account_number)
    bank_given = [
        bool(data.bank_name.strip()),
        bool(number),
        bool(data.bank_account_holder.strip()),
    ]
    if any(bank_given) and not all(bank_given):
        if not bank_given[0]:
            fail("bank_name", _("Write the bank's name, e.g. BPD Bali."))
        if not bank_given[1]:
            fail("bank_account_number", _("Write the account number."))
        if not bank_given[2]:
            fail("bank_account_holder", _("Write the name on the account."))
    if number and not BANK_NUMBER.match(number):
        fail(
            "bank_account_number",
            _("An account number has 6 to 20 digits (spaces and dashes are ignored)."),
        )
    if len(data.bank_name) > 80:
        fail("bank_name", _("At most 80 characters."))
    if len(data.bank_account_holder) > 120:
        fail("bank_account_holder", _("At most 120 characters."))
    if fields:
        raise ValidationError(_("Please check what you entered."), fields=fields)
    return {
        "name": name,
        "bank_name": data.bank_name.strip(),
        "bank_account_number": number,
        "bank_account_holder": data.bank_account_holder.strip(),
    }


def _home_region(data: VillageInput) -> Region:
    """The agency's region: its one administrative village, else the one district, else the
    regency (staff scope follows this region)."""
    if len(data.villages) == 1:
        return data.villages[0]
    if len(data.districts) == 1:
        return data.districts[0]
    return data.regency


def _unique_slug(name: str) -> str:
    base = (slugify(name) or "desa-adat")[:60]
    slug = base
    while Agency.objects.filter(slug=slug).exists():
        slug = f"{base}-{secrets.token_hex(3)}"
    return slug


def _village_picture(desa: DesaAdat) -> dict:
    picture = audit.snapshot(desa, VILLAGE_FIELDS)
    picture.update(
        name=desa.agency.name,
        is_sample=desa.agency.is_sample,
        districts=sorted(desa.districts.values_list("code", flat=True)),
        villages=sorted(desa.villages.values_list("code", flat=True)),
    )
    return picture


def desa_adat_create(*, actor, data: VillageInput) -> DesaAdat:
    """Register a desa adat: its agency, the village row, its cash box and bank fund."""
    clean = _check_village(data)
    with transaction.atomic():
        agency = Agency.objects.create(
            slug=_unique_slug(clean["name"]),
            name=clean["name"],
            kind=Agency.Kind.DESA_ADAT,
            region=_home_region(data),
            is_sample=data.is_sample,
        )
        desa = DesaAdat.objects.create(
            agency=agency,
            regency=data.regency,
            bank_name=clean["bank_name"],
            bank_account_number=clean["bank_account_number"],
            bank_account_holder=clean["bank_account_holder"],
        )
        desa.districts.set(data.districts)
        desa.villages.set(data.villages)
        FundBalance.objects.bulk_create(
            FundBalance(desa_adat=desa, fund=fund) for fund in Fund.values
        )
        audit.record(
            actor=actor,
            action="villagefinance.desa_adat_create",
            obj=desa,
            after=_village_picture(desa),
        )
    return desa


def desa_adat_update(*, actor, desa: DesaAdat, data: VillageInput) -> DesaAdat:
    """Change a registered desa adat (name, regions, bank account, sample mark)."""
    clean = _check_village(data, exclude=desa)
    with transaction.atomic():
        desa = DesaAdat.objects.select_for_update().select_related("agency").get(pk=desa.pk)
        before = _village_picture(desa)
        agency = desa.agency
        agency.name = clean["name"]
        agency.region = _home_region(data)
        agency.is_sample = data.is_sample
        agency.save(update_fields=["name", "region", "is_sample"])
        desa.regency = data.regency
        desa.bank_name = clean["bank_name"]
        desa.bank_account_number = clean["bank_account_number"]
        desa.bank_account_holder = clean["bank_account_holder"]
        desa.save(
            update_fields=["regency", "bank_name", "bank_account_number", "bank_account_holder"]
        )
        desa.districts.set(data.districts)
        desa.villages.set(data.villages)
        audit.record(
            actor=actor,
            action="villagefinance.desa_adat_update",
            obj=desa,
            before=before,
            after=_village_picture(desa),
        )
    return desa


def desa_adat_set_active(*, actor, desa: DesaAdat, active: bool) -> DesaAdat:
    """Deactivate (or activate again) a desa adat: its books stay, nothing new is recorded
    while it is inactive and it leaves the public lists."""
    with transaction.atomic():
        desa = DesaAdat.objects.select_for_update().select_related("agency").get(pk=desa.pk)
        if desa.is_active == active:
            return desa
        desa.is_active = active
        desa.save(update_fields=["is_active"])
        audit.record(
            actor=actor,
            action="villagefinance.desa_adat_activate"
            if active
            else "villagefinance.desa_adat_deactivate",
            obj=desa,
            before={"is_active": not active},
            after={"is_active": active},
        )
    return desa


# --- officers ------------------------------------------------------------------------------


@dataclass
class OfficerInput:
    """An appointment. ``account`` says how the login is found: ``existing`` (a username or
    email in ``username``), ``new`` (``username`` and ``password`` make one) or ``none``."""

    position: str
    name: str = ""
    phone: str = ""
    since: date | None = None
    account: str = "new"
    username: str = ""
    password: str = ""
    email: str = ""


def _find_user(text: str):
    text = (text or "").strip()
    if not text:
        return None
    return (
        get_user_model()
        .objects.filter(Q(username__iexact=text) | (Q(email__iexact=text) & ~Q(email="")))
        .first()
    )


def _check_officer(data: OfficerInput, today: date) -> tuple[dict, dict]:
    fields: dict[str, list[str]] = {}

    def fail(name: str, message: str) -> None:
        fields.setdefault(name, []).append(message)

    if data.position not in Position.values:
        fail("position", _("Choose the position: Bendesa, Penyarikan or Patengen."))
    user = None
    if data.account == "existing":
        user = _find_user(data.username)
        if user is None:
            fail("username", _("No account with this username or email. Check the spelling."))
        elif not user.is_active:
            fail("username", _("This account is switched off."))
    elif data.account == "new":
        username = (data.username or "").strip()
        if not re.fullmatch(r"[\w.@+-]{3,150}", username):
            fail(
                "username",
                _("Choose a username of 3 or more letters or digits, e.g. patengen.kuta."),
            )
        elif get_user_model().objects.filter(username__iexact=username).exists():
            fail("username", _("This username is taken. Choose another, or link the account."))
        email = (data.email or "").strip().lower()
        if email and get_user_model().objects.filter(email__iexact=email).exists():
            fail("email", _("This email address already has an account: link that account."))
        try:
            validate_password(data.password, get_user_model()(username=username, email=email))
        except DjangoValidationError as error:
            fields["password"] = list(error.messages)
    elif data.account != "none":
        fail("account", _("Choose how the officer logs in."))
    name = (data.name or "").strip() or (user.display_name if user else "")
    if not name:
        fail("name", _("Write the officer's full name."))
    elif len(name) > 150:
        fail("name", _("At most 150 characters."))
    phone = ""
    if (data.phone or "").strip():
        try:
            phone = normalise_phone(data.phone)
        except PhoneError:
            fail("phone", _("Enter a phone number of 8 to 15 digits, e.g. 081234567890."))
    since = data.since or today
    if since > today:
        fail("since", _("The date is in the future. Use today's date or an earlier one."))
    if fields:
        raise ValidationError(_("Please check what you entered."), fields=fields)
    return {"name": name, "phone": phone, "since": since}, {"user": user}


def _create_login(*, actor, data: OfficerInput, name: str, phone: str):
    user = get_user_model()(
        username=data.username.strip(),
        name=name,
        email=(data.email or "").strip().lower(),
        phone=phone,
    )
    user.set_password(data.password)
    user.save()
    audit.record(
        actor=actor,
        action="villagefinance.officer_login_create",
        obj=user,
        after={"username": user.username},
    )
    return user


def officer_appoint(*, actor, desa: DesaAdat, data: OfficerInput, today=None) -> Officer:
    """Appoint the officer of a post. The current holder's term (and access) ends on
    the new officer's first day; the new officer's login gets the post's role at the desa
    adat."""
    today = today or timezone.localdate()
    clean, found = _check_officer(data, today)
    with transaction.atomic():
        DesaAdat.objects.select_for_update().filter(pk=desa.pk).first()
        user = found["user"]
        if data.account == "new":
            user = _create_login(actor=actor, data=data, name=clean["name"], phone=clean["phone"])
        for current in Officer.objects.filter(
            desa_adat=desa, position=data.position, ended_on__isnull=True
        ):
            term_end(
                actor=actor, officer=current, on=max(clean["since"], current.started_on or today)
            )
        officer = Officer.objects.create(
            desa_adat=desa,
            position=data.position,
            name=clean["name"][:150],
            user=user,
            phone=clean["phone"],
            started_on=clean["since"],
        )
        role = POSITION_ROLES.get(data.position)
        if user is not None and role is not None and not _holds(user, desa, role):
            core_services.membership_grant(actor=actor, user=user, agency=desa.agency, role=role)
        audit.record(
            actor=actor,
            action="villagefinance.officer_appoint",
            obj=officer,
            after={
                "position": data.position,
                "name": officer.name,
                "user": user.pk if user else None,
                "since": officer.started_on.isoformat(),
            },
        )
    if user is not None:
        scope.forget(user)
    return officer


def _holds(user, desa: DesaAdat, role: str) -> bool:
    return Membership.objects.filter(user=user, agency=desa.agency, role=role).exists()


def officer_end(*, actor, officer: Officer, on: date | None = None, today=None) -> Officer:
    """End an officer's term: the row stays (history), the post's role is taken away."""
    today = today or timezone.localdate()
    on = on or today
    if officer.ended_on is not None:
        raise Conflict(_("This officer's term has already ended."))
    if on > today:
        raise ValidationError.for_field(
            "ended_on", _("The date is in the future. Use today's date or an earlier one.")
        )
    if officer.started_on and on < officer.started_on:
        raise ValidationError.for_field("ended_on", _("The term cannot end before it started."))
    with transaction.atomic():
        officer = term_end(actor=actor, officer=officer, on=on)
    if officer.user is not None:
        scope.forget(officer.user)
    return officer


def term_end(*, actor, officer: Officer, on: date) -> Officer:
    """End a term inside the caller's transaction: the row stays, the post's role goes."""
    locked = (
        Officer.objects.select_for_update().select_related("desa_adat__agency").get(pk=officer.pk)
    )
    locked.ended_on = on
    locked.save(update_fields=["ended_on"])
    role = POSITION_ROLES.get(locked.position)
    if locked.user_id and role is not None:
        still_holds = Officer.objects.filter(
            desa_adat=locked.desa_adat,
            user_id=locked.user_id,
            position=locked.position,
            ended_on__isnull=True,
        ).exists()
        if not still_holds:
            for membership in Membership.objects.filter(
                user_id=locked.user_id, agency=locked.desa_adat.agency, role=role
            ):
                core_services.membership_revoke(actor=actor, membership=membership)
    audit.record(
        actor=actor,
        action="villagefinance.officer_end",
        obj=locked,
        before={"ended_on": None},
        after={"ended_on": on.isoformat()},
    )
    if locked.user is not None:
        scope.forget(locked.user)
    return locked
