"""The registry API, mounted at /api/v1/villages/registry: regency and provincial staff
register desa adat and manage their officers. Same services and permission functions as
the registry pages; a desa adat outside the caller's reach answers 404."""

from datetime import date as Date

from django.utils.translation import gettext as _
from ninja import Field, Router, Schema, Status

from onedata.core.errors import NotAuthorized, NotFound
from onedata.core.models import Region
from onedata.villagefinance import permissions, registry
from onedata.villagefinance.models import DesaAdat, Officer

router = Router(tags=["villagefinance"])


class OfficerOut(Schema):
    id: int
    position: str
    name: str
    username: str | None
    phone: str
    started_on: Date | None
    ended_on: Date | None


class RegistryVillageOut(Schema):
    id: int
    name: str
    regency: str
    districts: list[str]
    villages: list[str]
    bank_name: str
    bank_account_number: str
    bank_account_holder: str
    is_sample: bool
    is_active: bool
    officers: list[OfficerOut]


class RegistryVillageIn(Schema):
    name: str = Field(..., max_length=200)
    regency: str = Field(..., max_length=20, description="Region code, e.g. 51.03")
    districts: list[str] = Field(..., max_length=50, description="District codes")
    villages: list[str] = Field(..., max_length=200, description="Village codes it overlaps")
    bank_name: str = Field("", max_length=80)
    bank_account_number: str = Field("", max_length=40)
    bank_account_holder: str = Field("", max_length=120)
    is_sample: bool = False


class RegistryVillagePatch(Schema):
    name: str | None = Field(None, max_length=200)
    regency: str | None = Field(None, max_length=20)
    districts: list[str] | None = Field(None, max_length=50)
    villages: list[str] | None = Field(None, max_length=200)
    bank_name: str | None = Field(None, max_length=80)
    bank_account_number: str | None = Field(None, max_length=40)
    bank_account_holder: str | None = Field(None, max_length=120)
    is_sample: bool | None = None
    is_active: bool | None = None


class OfficerIn(Schema):
    position: str = Field(..., description="bendesa, penyarikan or patengen")
    account: str = Field("new", description="new, existing or none")
    name: str = Field("", max_length=150)
    username: str = Field("", max_length=150, description="New username, or an existing one")
    password: str = Field("", max_length=128, description="For a new account")
    email: str = Field("", max_length=254)
    phone: str = Field("", max_length=20)
    since: Date | None = None


class OfficerEndIn(Schema):
    ended_on: Date | None = None


def _officer_out(officer: Officer) -> dict:
    return {
        "id": officer.pk,
        "position": officer.position,
        "name": officer.name,
        "username": officer.user.username if officer.user_id else None,
        "phone": officer.phone,
        "started_on": officer.started_on,
        "ended_on": officer.ended_on,
    }


def _village_out(desa: DesaAdat) -> dict:
    return {
        "id": desa.pk,
        "name": desa.agency.name,
        "regency": desa.regency.code,
        "districts": sorted(desa.districts.values_list("code", flat=True)),
        "villages": sorted(desa.villages.values_list("code", flat=True)),
        "bank_name": desa.bank_name,
        "bank_account_number": desa.bank_account_number,
        "bank_account_holder": desa.bank_account_holder,
        "is_sample": desa.agency.is_sample,
        "is_active": desa.is_active,
        "officers": [
            _officer_out(o)
            for o in desa.officers.select_related("user").order_by("position", "-started_on")
        ],
    }


def _village(request, village_id: int) -> DesaAdat:
    desa = (
        DesaAdat.objects.select_related("agency__region", "regency").filter(pk=village_id).first()
    )
    if desa is None or not permissions.can_edit_village(request.user, desa):
        raise NotFound(_("No such customary village (or not visible to you)."))
    return desa


def _regions(codes: list[str], level: str) -> list[Region]:
    return list(Region.objects.filter(code__in=codes, level=level))


def _input(payload, current: DesaAdat | None = None) -> registry.VillageInput:
    """The payload (a PATCH keeps what it leaves out) as the service's input."""

    def pick(name: str, saved):
        value = getattr(payload, name, None)
        return saved if value is None else value

    regency_code = pick("regency", current.regency.code if current else "")
    districts = pick(
        "districts", list(current.districts.values_list("code", flat=True)) if current else []
    )
    villages = pick(
        "villages", list(current.villages.values_list("code", flat=True)) if current else []
    )
    regency = Region.objects.filter(code=regency_code, level=Region.Level.REGENCY).first()
    return registry.VillageInput(
        name=pick("name", current.agency.name if current else ""),
        regency=regency,
        districts=_regions(districts, Region.Level.DISTRICT),
        villages=_regions(villages, Region.Level.VILLAGE),
        bank_name=pick("bank_name", current.bank_name if current else ""),
        bank_account_number=pick(
            "bank_account_number", current.bank_account_number if current else ""
        ),
        bank_account_holder=pick(
            "bank_account_holder", current.bank_account_holder if current else ""
        ),
        is_sample=pick("is_sample", current.agency.is_sample if current else False),
    )


@router.get("/", response=list[RegistryVillageOut], summary="Registered desa adat you may edit")
def villagefinance_registry_list(request):
    if not permissions.can_view_registry(request.user):
        raise NotAuthorized(_("Only regency and provincial staff keep the register."))
    villages = (
        DesaAdat.objects.filter(permissions.registry_filter(request.user))
        .select_related("agency", "regency")
        .order_by("regency__code", "agency__name")[:500]
    )
    return [_village_out(d) for d in villages]


@router.post(
    "/",
    response={201: RegistryVillageOut},
    summary="Register a desa adat (regency staff in their regency, provincial staff anywhere)",
)
def villagefinance_registry_create(request, payload: RegistryVillageIn):
    data = _input(payload)
    if not permissions.can_view_registry(request.user):
        raise NotAuthorized(_("Only regency and provincial staff keep the register."))
    if data.regency is not None and not permissions.can_register_village(
        request.user, data.regency
    ):
        raise NotAuthorized(_("You may register desa adat only in your own regency."))
    desa = registry.desa_adat_create(actor=request.user, data=data)
    return Status(201, _village_out(desa))


@router.get("/{village_id}", response={200: RegistryVillageOut}, summary="One registered desa adat")
def villagefinance_registry_detail(request, village_id: int):
    return _village_out(_village(request, village_id))


@router.patch(
    "/{village_id}",
    response={200: RegistryVillageOut},
    summary="Change a desa adat: data, sample mark, active or not",
)
def villagefinance_registry_update(request, village_id: int, payload: RegistryVillagePatch):
    desa = _village(request, village_id)
    data = _input(payload, desa)
    if data.regency is not None and not permissions.can_register_village(
        request.user, data.regency
    ):
        raise NotAuthorized(_("You may register desa adat only in your own regency."))
    fields = payload.model_dump(exclude_unset=True)
    if set(fields) - {"is_active"}:
        desa = registry.desa_adat_update(actor=request.user, desa=desa, data=data)
    if payload.is_active is not None:
        desa = registry.desa_adat_set_active(
            actor=request.user, desa=desa, active=payload.is_active
        )
    return _village_out(desa)


@router.post(
    "/{village_id}/officers",
    response={201: OfficerOut},
    summary="Appoint an officer (a new or an existing login); the current holder steps down",
)
def villagefinance_officer_appoint(request, village_id: int, payload: OfficerIn):
    desa = _village(request, village_id)
    if not permissions.can_manage_officers(request.user, desa):
        raise NotAuthorized(_("Only staff over this desa adat appoint its officers."))
    officer = registry.officer_appoint(
        actor=request.user, desa=desa, data=registry.OfficerInput(**payload.model_dump())
    )
    return Status(201, _officer_out(officer))


@router.post(
    "/{village_id}/officers/{officer_id}/end",
    response={200: OfficerOut},
    summary="End an officer's term (kept as history; the login loses access)",
)
def villagefinance_officer_end(request, village_id: int, officer_id: int, payload: OfficerEndIn):
    desa = _village(request, village_id)
    if not permissions.can_manage_officers(request.user, desa):
        raise NotAuthorized(_("Only staff over this desa adat appoint its officers."))
    officer = Officer.objects.select_related("user").filter(pk=officer_id, desa_adat=desa).first()
    if officer is None:
        raise NotFound(_("No such officer."))
    return _officer_out(
        registry.officer_end(actor=request.user, officer=officer, on=payload.ended_on)
    )
