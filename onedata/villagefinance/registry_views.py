"""Registry pages: regency and provincial staff register customary villages and manage
their officers (Bendesa, Penyarikan, Patengen).

Every view: the village is looked up, ``permissions.can_*`` decides (404 for a village
outside the user's reach, 403 for an action they may not take), then one service.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from onedata.core.errors import DomainError
from onedata.core.forms import apply_error
from onedata.core.models import Region
from onedata.villagefinance import permissions, registry
from onedata.villagefinance.models import DesaAdat, Officer
from onedata.villagefinance.registry_forms import BANKS, OfficerEndForm, OfficerForm, VillageForm

PAGE_SIZE = 50


def _allowed_regencies(user) -> list[Region]:
    return [
        region
        for region in Region.objects.filter(level=Region.Level.REGENCY).order_by("code")
        if permissions.can_register_village(user, region)
    ]


def _registry_village(request, pk: int) -> DesaAdat:
    desa = get_object_or_404(DesaAdat.objects.select_related("agency__region", "regency"), pk=pk)
    if not permissions.can_edit_village(request.user, desa):
        raise Http404
    return desa


@login_required
def registry_list(request):
    if not permissions.can_view_registry(request.user):
        raise PermissionDenied
    query = (request.GET.get("q") or "").strip()[:100]
    villages = (
        DesaAdat.objects.filter(permissions.registry_filter(request.user))
        .select_related("agency", "regency")
        .order_by("regency__code", "agency__name")
    )
    if query:
        villages = villages.filter(agency__name__icontains=query)
    count = villages.count()
    context = {
        "villages": villages[:PAGE_SIZE],
        "count": count,
        "more": max(count - PAGE_SIZE, 0),
        "q": query,
        "can_register": bool(_allowed_regencies(request.user)),
    }
    return render(request, "villagefinance/registry_list.html", context)


def _region_list(codes: list[str], level: str) -> list[Region]:
    return list(Region.objects.filter(code__in=codes, level=level).order_by("code"))


def _chosen_regency(request, regencies: list[Region], fallback: Region | None) -> Region | None:
    code = request.POST.get("regency") if request.method == "POST" else request.GET.get("regency")
    by_code = {r.code: r for r in regencies}
    if code in by_code:
        return by_code[code]
    if fallback is not None:
        return fallback
    return regencies[0] if len(regencies) == 1 else None


def _refuse_foreign_regency(request, regencies: list[Region]) -> None:
    """Sending a real regency outside one's reach is refused (403), not a form error."""
    code = request.POST.get("regency") if request.method == "POST" else None
    allowed = {r.code for r in regencies}
    foreign = code and code not in allowed
    if foreign and Region.objects.filter(code=code, level=Region.Level.REGENCY).exists():
        raise PermissionDenied


def _village_input(form: VillageForm, regency: Region | None) -> registry.VillageInput:
    data = form.cleaned_data
    return registry.VillageInput(
        name=data["name"],
        regency=regency,
        districts=_region_list(data["districts"], Region.Level.DISTRICT),
        villages=_region_list(data["villages"], Region.Level.VILLAGE),
        bank_name=data["bank_name"],
        bank_account_number=data["bank_account_number"],
        bank_account_holder=data["bank_account_holder"],
        is_sample=data["is_sample"],
    )


def _render_village_form(request, form, *, desa=None, status=200):
    context = {"form": form, "desa": desa, "banks": BANKS, "groups": form.picker_groups()}
    return render(request, "villagefinance/registry_form.html", context, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def registry_new(request):
    regencies = _allowed_regencies(request.user)
    if not regencies:
        raise PermissionDenied
    _refuse_foreign_regency(request, regencies)
    regency = _chosen_regency(request, regencies, None)
    if request.method != "POST":
        initial = {"regency": regency.code if regency else ""}
        form = VillageForm(initial=initial, regencies=regencies, regency=regency)
        return _render_village_form(request, form)
    form = VillageForm(request.POST, regencies=regencies, regency=regency)
    if request.POST.get("action") == "refresh" or not form.is_valid():
        return _render_village_form(request, form, status=200 if form.is_valid() else 400)
    try:
        desa = registry.desa_adat_create(actor=request.user, data=_village_input(form, regency))
    except DomainError as error:
        apply_error(form, error)
        return _render_village_form(request, form, status=400)
    messages.success(
        request,
        _("%(name)s is registered. Next: add its officers (Bendesa, Penyarikan, Patengen).")
        % {"name": desa.name},
    )
    return redirect("villagefinance:registry_detail", pk=desa.pk)


@login_required
@require_http_methods(["GET", "POST"])
def registry_edit(request, pk: int):
    desa = _registry_village(request, pk)
    regencies = _allowed_regencies(request.user) or [desa.regency]
    _refuse_foreign_regency(request, regencies)
    regency = _chosen_regency(request, regencies, desa.regency)
    if request.method != "POST":
        initial = {
            "name": desa.agency.name,
            "regency": desa.regency.code,
            "districts": list(desa.districts.values_list("code", flat=True)),
            "villages": list(desa.villages.values_list("code", flat=True)),
            "bank_name": desa.bank_name,
            "bank_account_number": desa.bank_account_number,
            "bank_account_holder": desa.bank_account_holder,
            "is_sample": desa.agency.is_sample,
        }
        form = VillageForm(initial=initial, regencies=regencies, regency=regency)
        return _render_village_form(request, form, desa=desa)
    form = VillageForm(request.POST, regencies=regencies, regency=regency)
    if request.POST.get("action") == "refresh" or not form.is_valid():
        return _render_village_form(
            request, form, desa=desa, status=200 if form.is_valid() else 400
        )
    if not permissions.can_register_village(request.user, regency):
        raise PermissionDenied
    try:
        registry.desa_adat_update(actor=request.user, desa=desa, data=_village_input(form, regency))
    except DomainError as error:
        apply_error(form, error)
        return _render_village_form(request, form, desa=desa, status=400)
    messages.success(request, _("The data of %(name)s is saved.") % {"name": desa.agency.name})
    return redirect("villagefinance:registry_detail", pk=desa.pk)


@login_required
def registry_detail(request, pk: int):
    desa = _registry_village(request, pk)
    officers = list(desa.officers.select_related("user").order_by("position", "-started_on"))
    current = {o.position: o for o in officers if o.ended_on is None}
    context = {
        "desa": desa,
        "districts": desa.districts.order_by("name"),
        "villages": desa.villages.order_by("name"),
        "posts": [
            {"value": value, "label": label, "officer": current.get(value)}
            for value, label in Officer.Position.choices
        ],
        "history": [o for o in officers if o.ended_on is not None],
        "end_form": OfficerEndForm(),
    }
    return render(request, "villagefinance/registry_detail.html", context)


@login_required
@require_POST
def registry_status(request, pk: int):
    desa = _registry_village(request, pk)
    active = request.POST.get("active") == "1"
    registry.desa_adat_set_active(actor=request.user, desa=desa, active=active)
    if active:
        messages.success(request, _("%(name)s is active again.") % {"name": desa.agency.name})
    else:
        messages.success(
            request,
            _("%(name)s is deactivated: its books stay, nothing new can be recorded.")
            % {"name": desa.agency.name},
        )
    return redirect("villagefinance:registry_detail", pk=desa.pk)


@login_required
@require_http_methods(["GET", "POST"])
def officer_new(request, pk: int):
    desa = _registry_village(request, pk)
    if not permissions.can_manage_officers(request.user, desa):
        raise PermissionDenied
    status = 200
    if request.method == "POST":
        form = OfficerForm(request.POST)
        if form.is_valid():
            data = form.cleaned_data
            try:
                officer = registry.officer_appoint(
                    actor=request.user,
                    desa=desa,
                    data=registry.OfficerInput(
                        position=data["position"],
                        name=data["name"],
                        phone=data["phone"],
                        since=data["since"],
                        account=data["account"],
                        username=data["username"],
                        password=data["password"],
                        email=data["email"],
                    ),
                )
            except DomainError as error:
                apply_error(form, error)
            else:
                messages.success(
                    request,
                    _("%(name)s is now %(position)s of %(village)s.")
                    % {
                        "name": officer.name,
                        "position": officer.get_position_display(),
                        "village": desa.agency.name,
                    },
                )
                return redirect("villagefinance:registry_detail", pk=desa.pk)
        status = 400
    else:
        position = request.GET.get("jabatan")
        form = OfficerForm(
            initial={"position": position} if position in Officer.Position.values else None
        )
    return render(
        request, "villagefinance/officer_form.html", {"desa": desa, "form": form}, status=status
    )


@login_required
@require_POST
def officer_end(request, pk: int, officer_id: int):
    desa = _registry_village(request, pk)
    officer = get_object_or_404(Officer, pk=officer_id, desa_adat=desa)
    if not permissions.can_manage_officers(request.user, desa):
        raise PermissionDenied
    form = OfficerEndForm(request.POST)
    try:
        if not form.is_valid():
            raise DomainError(_("Write a valid date."))
        registry.officer_end(actor=request.user, officer=officer, on=form.cleaned_data["ended_on"])
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(
            request,
            _("The term of %(name)s has ended; the login no longer opens this village.")
            % {"name": officer.name},
        )
    return redirect("villagefinance:registry_detail", pk=desa.pk)
