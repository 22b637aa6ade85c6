"""The registry of desa adat and officers: services, permissions, pages and API."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.utils import timezone

from onedata.core.errors import Conflict, ValidationError
from onedata.core.models import AuditEvent, Membership, Region
from onedata.core.roles import Role
from onedata.villagefinance import permissions, registry
from onedata.villagefinance.models import DesaAdat, FundBalance, Officer
from tests.conftest import PASSWORD, make_user

pytestmark = pytest.mark.django_db


def _regions(regency_code: str = "51.03"):
    regency = Region.objects.get(code=regency_code)
    district = Region.objects.filter(parent=regency).order_by("code").first()
    villages = list(Region.objects.filter(parent=district).order_by("code")[:2])
    return regency, district, villages


def _input(name="Desa Adat Kuta", regency_code="51.03", **extra) -> registry.VillageInput:
    regency, district, villages = _regions(regency_code)
    values = {
        "name": name,
        "regency": regency,
        "districts": [district],
        "villages": villages,
        "bank_name": "BPD Bali",
        "bank_account_number": "0012-01-234567",
        "bank_account_holder": "Desa Adat Kuta",
    }
    values.update(extra)
    return registry.VillageInput(**values)


def test_create_registers_agency_funds_and_audit(staff):
    desa = registry.desa_adat_create(actor=staff["regency_admin"], data=_input())
    assert desa.agency.kind == "desa_adat" and desa.agency.name == "Desa Adat Kuta"
    assert desa.bank_account_number == "001201234567"
    assert set(FundBalance.objects.filter(desa_adat=desa).values_list("fund", flat=True)) == {
        "cash",
        "bank",
    }
    assert desa.villages.count() == 2 and desa.districts.count() == 1
    assert AuditEvent.objects.filter(action="villagefinance.desa_adat_create").exists()


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"name": " "}, "name"),
        ({"bank_account_number": "12ab"}, "bank_account_number"),
        ({"bank_account_number": "12345"}, "bank_account_number"),
        ({"bank_name": ""}, "bank_name"),
        ({"districts": []}, "districts"),
        ({"villages": []}, "villages"),
    ],
)
def test_bad_input_names_the_field(staff, changes, field):
    with pytest.raises(ValidationError) as caught:
        registry.desa_adat_create(actor=staff["regency_admin"], data=_input(**changes))
    assert field in caught.value.fields


def test_villages_must_lie_in_the_chosen_districts(staff):
    _, _, gianyar_villages = _regions("51.04")
    with pytest.raises(ValidationError) as caught:
        registry.desa_adat_create(
            actor=staff["regency_admin"], data=_input(villages=gianyar_villages)
        )
    assert "villages" in caught.value.fields


def test_the_same_name_twice_in_a_regency_is_refused(staff):
    registry.desa_adat_create(actor=staff["regency_admin"], data=_input())
    with pytest.raises(ValidationError) as caught:
        registry.desa_adat_create(actor=staff["regency_admin"], data=_input(name="desa adat kuta"))
    assert "name" in caught.value.fields


def test_regency_staff_register_only_in_their_regency(staff):
    badung, gianyar = Region.objects.get(code="51.03"), Region.objects.get(code="51.04")
    assert permissions.can_register_village(staff["regency_admin"], badung)
    assert not permissions.can_register_village(staff["regency_admin"], gianyar)
    assert permissions.can_register_village(staff["province_admin"], gianyar)


def test_update_and_deactivate_keep_the_books_read_only(staff, village, treasurer):
    desa = registry.desa_adat_update(
        actor=staff["province_admin"],
        desa=village,
        data=_input(name="Desa Adat Uji Baru", is_sample=False),
    )
    assert desa.agency.name == "Desa Adat Uji Baru" and not desa.agency.is_sample
    assert permissions.can_record_entry(treasurer, desa)
    registry.desa_adat_set_active(actor=staff["province_admin"], desa=desa, active=False)
    desa.refresh_from_db()
    assert not desa.is_active
    assert permissions.can_view_village(treasurer, desa)
    assert not permissions.can_record_entry(treasurer, desa)
    assert AuditEvent.objects.filter(action="villagefinance.desa_adat_deactivate").exists()


def test_appoint_with_a_new_login_gives_the_role(staff, village):
    officer = registry.officer_appoint(
        actor=staff["regency_admin"],
        desa=village,
        data=registry.OfficerInput(
            position="patengen",
            name="Ni Made Sari",
            account="new",
            username="patengen.kuta",
            password="Rahasia-Desa-2025",
            phone="0812-3456-7890",
        ),
    )
    assert officer.user.username == "patengen.kuta" and officer.phone == "+6281234567890"
    assert officer.user.check_password("Rahasia-Desa-2025")
    assert Membership.objects.filter(
        user=officer.user, agency=village.agency, role=Role.VILLAGE_TREASURER
    ).exists()
    assert permissions.can_record_entry(officer.user, village)


def test_appoint_links_an_existing_login_and_replaces_the_holder(staff, village):
    first = make_user("bendesa.lama")
    second = make_user("bendesa.baru", name="I Wayan Baru")
    old = registry.officer_appoint(
        actor=staff["regency_admin"],
        desa=village,
        data=registry.OfficerInput(
            position="bendesa", name="I Ketut Lama", account="existing", username="bendesa.lama"
        ),
        today=timezone.localdate(),
    )
    assert Role.VILLAGE_HEAD in permissions.officer_roles(first, village)
    new = registry.officer_appoint(
        actor=staff["regency_admin"],
        desa=village,
        data=registry.OfficerInput(
            position="bendesa", account="existing", username="bendesa.baru@example.test"
        ),
    )
    old.refresh_from_db()
    assert old.ended_on is not None and new.name == "I Wayan Baru"
    first = type(first).objects.get(pk=first.pk)  # fresh: memberships are cached per object
    assert not permissions.can_view_village(first, village)
    assert Role.VILLAGE_HEAD in permissions.officer_roles(second, village)


def test_end_term_keeps_history_and_ends_access(staff, village):
    officer = registry.officer_appoint(
        actor=staff["regency_admin"],
        desa=village,
        data=registry.OfficerInput(
            position="patengen",
            name="Ni Luh Sari",
            account="new",
            username="patengen.sari",
            password="Rahasia-Desa-2025",
            since=timezone.localdate() - timedelta(days=30),
        ),
    )
    user = officer.user
    registry.officer_end(actor=staff["regency_admin"], officer=officer)
    assert Officer.objects.filter(pk=officer.pk, ended_on=timezone.localdate()).exists()
    user = type(user).objects.get(pk=user.pk)
    assert not permissions.can_view_village(user, village)
    assert not Membership.objects.filter(user=user, agency=village.agency).exists()
    with pytest.raises(Conflict):
        registry.officer_end(
            actor=staff["regency_admin"], officer=Officer.objects.get(pk=officer.pk)
        )


def test_the_secretary_reads_but_does_not_record(staff, village):
    officer = registry.officer_appoint(
        actor=staff["regency_admin"],
        desa=village,
        data=registry.OfficerInput(
            position="penyarikan",
            name="I Made Juru",
            account="new",
            username="penyarikan.uji",
            password="Rahasia-Desa-2025",
        ),
    )
    assert permissions.can_view_village(officer.user, village)
    assert DesaAdat.objects.filter(
        permissions.villages_filter(officer.user), pk=village.pk
    ).exists()
    assert not permissions.can_record_entry(officer.user, village)
    registry.officer_end(actor=staff["regency_admin"], officer=officer)
    assert not permissions.can_view_village(officer.user, village)


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"position": "raja"}, "position"),
        ({"account": "new", "username": "x", "password": "Rahasia-Desa-2025"}, "username"),
        ({"account": "new", "username": "patengen.ok", "password": "123"}, "password"),
        ({"account": "existing", "username": "nobody.here"}, "username"),
        ({"phone": "12"}, "phone"),
        ({"since": date(2999, 1, 1)}, "since"),
        ({"account": "none", "name": ""}, "name"),
    ],
)
def test_bad_officer_input_names_the_field(staff, village, changes, field):
    values = {"position": "patengen", "name": "Ni Made", "account": "none"}
    values.update(changes)
    with pytest.raises(ValidationError) as caught:
        registry.officer_appoint(
            actor=staff["regency_admin"], desa=village, data=registry.OfficerInput(**values)
        )
    assert field in caught.value.fields


# --- pages ---------------------------------------------------------------------------------


def _form(regency="51.03", **extra):
    _, district, villages = _regions(regency)
    data = {
        "action": "save",
        "name": "Desa Adat Legian",
        "regency": regency,
        "districts": [district.code],
        "villages": [v.code for v in villages],
        "bank_name": "BPD Bali",
        "bank_account_number": "0012 0123 4567",
        "bank_account_holder": "Desa Adat Legian",
    }
    data.update(extra)
    return data


def test_regency_staff_register_through_the_page(client, staff):
    client.login(username="staf.badung", password=PASSWORD)
    page = client.get("/sikuat/registri/baru/")
    assert page.status_code == 200 and "51.03" in page.content.decode()
    response = client.post("/sikuat/registri/baru/", _form())
    desa = DesaAdat.objects.get(agency__name="Desa Adat Legian")
    assert response.status_code == 302 and response.url == f"/sikuat/registri/{desa.pk}/"
    assert client.get(response.url).status_code == 200


def test_a_bad_form_keeps_what_was_typed(client, staff):
    client.login(username="staf.badung", password=PASSWORD)
    response = client.post("/sikuat/registri/baru/", _form(bank_account_number="12-ab-3"))
    body = response.content.decode()
    assert response.status_code == 400
    assert 'value="Desa Adat Legian"' in body and 'value="12-ab-3"' in body
    district = _form()["districts"][0]
    assert f'value="{district}" checked' in body


def test_regency_staff_cannot_register_in_another_regency(client, staff):
    client.login(username="staf.badung", password=PASSWORD)
    response = client.post("/sikuat/registri/baru/", _form(regency="51.04"))
    assert response.status_code == 403
    assert not DesaAdat.objects.filter(agency__name="Desa Adat Legian").exists()


def test_officer_page_appoints_and_ends(client, staff, village):
    client.login(username="staf.badung", password=PASSWORD)
    response = client.post(
        f"/sikuat/registri/{village.pk}/pengurus/baru/",
        {
            "position": "patengen",
            "account": "new",
            "name": "Ni Kadek Ayu",
            "username": "patengen.ayu",
            "password": "Rahasia-Desa-2025",
        },
    )
    assert response.status_code == 302
    officer = Officer.objects.get(user__username="patengen.ayu")
    response = client.post(f"/sikuat/registri/{village.pk}/pengurus/{officer.pk}/akhiri/", {})
    assert response.status_code == 302
    officer.refresh_from_db()
    assert officer.ended_on == timezone.localdate()


def test_officers_and_citizens_cannot_open_the_registry(client, village, treasurer):
    client.login(username="patengen.uji", password=PASSWORD)
    assert client.get("/sikuat/registri/").status_code == 403
    assert client.get(f"/sikuat/registri/{village.pk}/").status_code == 404


# --- API -----------------------------------------------------------------------------------


def test_api_create_patch_and_officers(client, staff):
    client.login(username="staf.badung", password=PASSWORD)
    _, district, villages = _regions()
    body = {
        "name": "Desa Adat Seminyak",
        "regency": "51.03",
        "districts": [district.code],
        "villages": [v.code for v in villages],
        "bank_name": "BPD Bali",
        "bank_account_number": "001201234567",
        "bank_account_holder": "Desa Adat Seminyak",
        "is_sample": True,
    }
    created = client.post("/api/v1/villages/registry/", body, content_type="application/json")
    assert created.status_code == 201, created.content
    village_id = created.json()["id"]
    patched = client.patch(
        f"/api/v1/villages/registry/{village_id}",
        {"is_active": False, "bank_account_number": "9999 8888 77"},
        content_type="application/json",
    )
    assert patched.status_code == 200
    assert patched.json()["is_active"] is False
    assert patched.json()["bank_account_number"] == "9999888877"
    bad = client.patch(
        f"/api/v1/villages/registry/{village_id}",
        {"bank_account_number": "abc"},
        content_type="application/json",
    )
    assert bad.status_code == 422 and "bank_account_number" in bad.json()["error"]["fields"]
    appointed = client.post(
        f"/api/v1/villages/registry/{village_id}/officers",
        {"position": "bendesa", "account": "none", "name": "I Nyoman Bendesa"},
        content_type="application/json",
    )
    assert appointed.status_code == 201
    ended = client.post(
        f"/api/v1/villages/registry/{village_id}/officers/{appointed.json()['id']}/end",
        {},
        content_type="application/json",
    )
    assert ended.status_code == 200 and ended.json()["ended_on"]
    listed = client.get("/api/v1/villages/registry/").json()
    assert [v["name"] for v in listed] == ["Desa Adat Seminyak"]


def test_api_refuses_another_regency(client, staff):
    client.login(username="staf.badung", password=PASSWORD)
    _, district, villages = _regions("51.04")
    response = client.post(
        "/api/v1/villages/registry/",
        {
            "name": "Desa Adat Ubud",
            "regency": "51.04",
            "districts": [district.code],
            "villages": [v.code for v in villages],
        },
        content_type="application/json",
    )
    assert response.status_code == 403


def test_demo_registers_a_sample_village_through_the_registry(regions, settings, tmp_path):
    from onedata.core import demo as core_demo
    from onedata.villagefinance import demo

    settings.MEDIA_ROOT = tmp_path
    core_demo.seed()
    demo.seed()
    demo.seed()  # twice changes nothing
    sample = DesaAdat.objects.get(agency__name=demo.REGISTRY_SAMPLE)
    assert sample.agency.is_sample and not sample.officers.exists()
    assert DesaAdat.objects.filter(agency__name=demo.REGISTRY_SAMPLE).count() == 1
    for desa in DesaAdat.objects.all():
        assert registry.BANK_NUMBER.match(desa.bank_account_number), desa
    badung_admin = Membership.objects.get(user__username="admin.badung").user
    assert permissions.can_edit_village(badung_admin, sample)
