"""Core API: who am I, regions, agencies and their members, API tokens, audit log."""

from datetime import datetime

from django.db.models import Q
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from ninja import Field, Router, Schema, Status
from ninja.pagination import paginate

from onedata.core import permissions, services
from onedata.core.errors import NotAuthorized, NotFound
from onedata.core.models import Agency, ApiToken, Membership, Region, User
from onedata.core.pagination import PagePagination
from onedata.core.roles import Role

router = Router(tags=["core"])


class RegionOut(Schema):
    code: str
    name: str
    level: str
    parent_code: str | None = Field(None, alias="parent.code")


class AgencyOut(Schema):
    slug: str
    name: str
    short_name: str
    kind: str
    region_code: str = Field(..., alias="region.code")
    region_name: str = Field(..., alias="region.name")


class MembershipOut(Schema):
    id: int
    username: str = Field(..., alias="user.username")
    name: str = Field(..., alias="user.name")
    agency: str = Field(..., alias="agency.slug")
    role: str


class MembershipIn(Schema):
    username: str
    role: Role


class MeOut(Schema):
    username: str
    name: str
    email: str
    email_verified: bool
    phone: str
    phone_verified: bool
    nik_masked: str
    memberships: list[MembershipOut]


class PhoneCodeOut(Schema):
    phone: str
    expires_at: datetime


class PhoneCodeIn(Schema):
    code: str = Field(..., max_length=20)


class TokenOut(Schema):
    id: int
    name: str
    prefix: str
    created_at: datetime
    expires_at: datetime | None
    last_used_at: datetime | None
    revoked_at: datetime | None


class TokenIn(Schema):
    name: str = Field(..., max_length=100)
    days: int | None = Field(None, ge=1, le=730)


class TokenCreatedOut(TokenOut):
    token: str = Field(..., description="The secret; shown only in this answer")


class AuditEventOut(Schema):
    id: int
    created_at: datetime
    actor: str = Field(..., alias="actor_label")
    action: str
    object_type: str
    object_id: str
    object_repr: str
    before: dict | None
    after: dict | None
    ip: str | None
    request_id: str


class PingOut(Schema):
    ok: bool


@router.get("/ping", response=PingOut, auth=None, summary="Is the API up? (no database)")
def ping(request):
    return {"ok": True}


@router.get("/me", response=MeOut, summary="The signed-in user")
def me(request):
    user: User = request.auth
    if not permissions.can_view_own_account(user):
        raise NotAuthorized(_("Not allowed."))
    memberships = Membership.objects.filter(user=user).select_related("user", "agency")
    return {
        "username": user.username,
        "name": user.name,
        "email": user.email,
        "email_verified": user.email_verified,
        "phone": user.phone,
        "phone_verified": user.phone_verified_at is not None,
        "nik_masked": user.nik_masked,
        "memberships": list(memberships),
    }


@router.post(
    "/me/phone/code",
    response={202: PhoneCodeOut},
    summary="Text a six-digit code to my phone number, to confirm it",
)
def phone_code_send(request):
    user: User = request.auth
    if not permissions.can_confirm_own_phone(user):
        raise NotAuthorized(_("Not allowed."))
    challenge = services.phone_verification_send(user=user)
    return Status(202, {"phone": challenge.phone, "expires_at": challenge.expires_at})


@router.post("/me/phone/verify", response=MeOut, summary="Confirm my phone number with the code")
def phone_verify(request, payload: PhoneCodeIn):
    user: User = request.auth
    if not permissions.can_confirm_own_phone(user):
        raise NotAuthorized(_("Not allowed."))
    services.phone_verify(user=user, code=payload.code)
    return me(request)


@router.get("/regions", response=list[RegionOut], auth=None, summary="Official regions")
@paginate(PagePagination)
def region_list(
    request, level: Region.Level | None = None, parent: str | None = None, q: str | None = None
):
    regions = Region.objects.select_related("parent")
    if level:
        regions = regions.filter(level=level)
    if parent:
        regions = regions.filter(parent__code=parent)
    if q:
        regions = regions.filter(Q(name__icontains=q) | Q(code__startswith=q))
    return regions


@router.get("/regions/{code}", response=RegionOut, auth=None, summary="One region by code")
def region_detail(request, code: str):
    region = Region.objects.select_related("parent").filter(code=code).first()
    if region is None:
        raise NotFound(_("No region with code %(code)s.") % {"code": code})
    return region


@router.get("/agencies", response=list[AgencyOut], auth=None, summary="Agencies")
@paginate(PagePagination)
def agency_list(
    request, region: str | None = None, kind: Agency.Kind | None = None, q: str | None = None
):
    agencies = Agency.objects.select_related("region")
    if region:
        agencies = agencies.filter(
            Q(region__code=region) | Q(region__code__startswith=region + ".")
        )
    if kind:
        agencies = agencies.filter(kind=kind)
    if q:
        agencies = agencies.filter(Q(name__icontains=q) | Q(short_name__icontains=q))
    return agencies


@router.get("/agencies/{slug}/members", response=list[MembershipOut], summary="Agency members")
@paginate(PagePagination)
def agency_member_list(request, slug: str):
    agency = services.agency_get(slug=slug)
    if not permissions.can_view_agency_members(request.auth, agency):
        raise NotAuthorized(_("You may not see the members of this agency."))
    return Membership.objects.filter(agency=agency).select_related("user", "agency")


@router.post("/agencies/{slug}/members", response={201: MembershipOut}, summary="Grant a role")
def membership_grant(request, slug: str, payload: MembershipIn):
    agency = services.agency_get(slug=slug)
    if not permissions.can_grant_membership(request.auth, agency, payload.role):
        raise NotAuthorized(_("You may not grant this role at this agency."))
    user = User.objects.filter(username=payload.username).first()
    if user is None:
        raise NotFound(_("No user named %(name)s.") % {"name": payload.username})
    membership = services.membership_grant(
        actor=request.auth, user=user, agency=agency, role=payload.role
    )
    return Status(201, membership)


@router.delete("/memberships/{membership_id}", response={204: None}, summary="Revoke a role")
def membership_revoke(request, membership_id: int):
    membership = (
        Membership.objects.select_related("agency__region", "user").filter(pk=membership_id).first()
    )
    if membership is None or not permissions.can_revoke_membership(
        request.auth, membership.agency, membership.role
    ):
        raise NotFound(_("No such membership."))
    services.membership_revoke(actor=request.auth, membership=membership)
    return Status(204, None)


@router.get("/tokens", response=list[TokenOut], summary="My API tokens")
def token_list(request):
    if not permissions.can_create_api_token(request.auth):
        raise NotAuthorized(_("Not allowed."))
    return ApiToken.objects.filter(user=request.auth)


@router.post("/tokens", response={201: TokenCreatedOut}, summary="Create an API token")
def token_create(request, payload: TokenIn):
    if not permissions.can_create_api_token(request.auth):
        raise NotAuthorized(_("Not allowed."))
    issued = services.api_token_create(
        actor=request.auth, user=request.auth, name=payload.name, days=payload.days
    )
    answer = TokenOut.from_orm(issued.token).dict()
    return Status(201, {**answer, "token": issued.plaintext})


@router.delete("/tokens/{token_id}", response={200: TokenOut}, summary="Revoke an API token")
def token_revoke(request, token_id: int):
    token = get_object_or_404(ApiToken, pk=token_id)
    if not permissions.can_revoke_api_token(request.auth, token):
        raise NotFound(_("No such token."))
    return services.api_token_revoke(actor=request.auth, token=token)


@router.get("/audit-events", response=list[AuditEventOut], summary="Search the audit log")
@paginate(PagePagination)
def audit_event_list(
    request,
    action: str | None = None,
    actor: str | None = None,
    object_type: str | None = None,
    object_id: str | None = None,
    since: datetime | None = None,
    until: datetime | None = None,
):
    if not permissions.can_view_audit_log(request.auth):
        raise NotAuthorized(_("Only platform admins may read the audit log."))
    from onedata.core.selectors import audit_events_search

    return audit_events_search(
        action=action,
        actor=actor,
        object_type=object_type,
        object_id=object_id,
        since=since,
        until=until,
    )
