"""The chart of accounts by year, edited by provincial staff: add, rename, take out of use,
delete only when unused; the page and the API keep the same rules."""

from datetime import date

import pytest

from onedata.core.errors import Conflict, ValidationError
from onedata.core.models import AuditEvent
from onedata.villagefinance import selectors, services
from onedata.villagefinance.models import Account

from .conftest import YEAR, account, spend

pytestmark = pytest.mark.django_db


def test_account_create_takes_the_groups_kind_and_checks_the_code(chart, staff):
    actor = staff["province_admin"]
    new = services.account_create(
        actor=actor, year=YEAR, code="5.1.4", name="Pura dadia", group_code="5.1"
    )
    assert new.kind == "spending" and new.group_name.startswith("Parahyangan")
    assert AuditEvent.objects.filter(action="villagefinance.account_create").exists()
    with pytest.raises(ValidationError) as taken:
        services.account_create(actor=actor, year=YEAR, code="5.1.4", name="x", group_code="5.1")
    assert "code" in taken.value.fields
    with pytest.raises(ValidationError) as wrong_prefix:
        services.account_create(actor=actor, year=YEAR, code="5.2.9", name="x", group_code="5.1")
    assert "code" in wrong_prefix.value.fields
    with pytest.raises(ValidationError) as no_group:
        services.account_create(actor=actor, year=YEAR, code="7.1.1", name="x", group_code="7.1")
    assert "group_code" in no_group.value.fields
    with pytest.raises(ValidationError) as cash:
        services.account_create(actor=actor, year=YEAR, code="1.1.3", name="x", group_code="1.1")
    assert "group_code" in cash.value.fields
    with pytest.raises(ValidationError) as no_name:
        services.account_create(actor=actor, year=YEAR, code="5.1.5", name=" ", group_code="5.1")
    assert set(no_name.value.fields) == {"name"}


def test_a_used_account_is_never_deleted_an_unused_one_is(funded, treasurer, staff):
    actor = staff["province_admin"]
    spend(funded, treasurer, 100_000)  # 5.1.1 is used (budget and a transaction)
    with pytest.raises(Conflict):
        services.account_delete(actor=actor, account=account("5.1.1"))
    with pytest.raises(Conflict):  # the cash account, even unused
        services.account_delete(actor=actor, account=account("1.1.1"))
    services.account_delete(actor=actor, account=account("5.5.9"))
    assert not Account.objects.filter(year=YEAR, code="5.5.9").exists()
    assert AuditEvent.objects.filter(action="villagefinance.account_delete").exists()
    used = selectors.used_account_ids(YEAR)
    assert account("5.1.1").pk in used and account("4.1.1").pk in used
    assert account("5.2.1").pk not in used


def test_taking_an_account_out_of_use_hides_it_from_new_entries(funded, treasurer, staff):
    services.account_update(
        actor=staff["province_admin"], account=account("5.1.1"), name="Upakara", is_active=False
    )
    with pytest.raises(ValidationError) as refused:
        spend(funded, treasurer, 100_000)
    assert "account" in refused.value.fields
    with pytest.raises(ValidationError):  # cash and bank stay in use
        services.account_update(
            actor=staff["province_admin"], account=account("1.1.1"), name="Kas", is_active=False
        )


def test_chart_page_for_province_staff_adds_and_keeps_what_was_typed(client_for, chart, staff):
    client = client_for(staff["province_admin"])
    page = client.get(f"/sikuat/bagan-akun/?tahun={YEAR}")
    assert page.status_code == 200 and "5.1.1" in page.content.decode()
    bad = client.post(
        f"/sikuat/bagan-akun/?tahun={YEAR}",
        {"action": "create", "group_code": "5.1", "code": "5.2.7", "name": "Pura Segara"},
    )
    assert bad.status_code == 400
    assert 'value="Pura Segara"' in bad.content.decode()  # nothing typed is lost
    good = client.post(
        f"/sikuat/bagan-akun/?tahun={YEAR}",
        {"action": "create", "group_code": "5.1", "code": "5.1.7", "name": "Pura Segara"},
    )
    assert good.status_code == 302
    assert Account.objects.get(year=YEAR, code="5.1.7").name == "Pura Segara"


def test_chart_page_edit_and_delete_by_province_staff_only(client_for, chart, staff, treasurer):
    target = account("5.5.9")
    edit = {f"a{target.pk}-name": "Darurat lain", f"a{target.pk}-name_en": "", "action": "save"}
    assert client_for(staff["regency_admin"]).post(
        f"/sikuat/bagan-akun/{target.pk}/", edit
    ).status_code in (403, 404)
    assert client_for(treasurer).get(f"/sikuat/bagan-akun/?tahun={YEAR}").status_code == 200
    client = client_for(staff["province_admin"])
    assert client.post(f"/sikuat/bagan-akun/{target.pk}/", edit).status_code == 302
    target.refresh_from_db()
    assert target.name == "Darurat lain" and not target.is_active  # box left unticked
    empty = client.post(f"/sikuat/bagan-akun/{target.pk}/", {**edit, f"a{target.pk}-name": ""})
    assert empty.status_code == 400
    assert client.post(f"/sikuat/bagan-akun/{target.pk}/", {"action": "delete"}).status_code == 302
    assert not Account.objects.filter(pk=target.pk).exists()


def test_chart_page_starts_a_new_year_as_a_copy(client_for, chart, staff):
    client = client_for(staff["province_admin"])
    response = client.post(f"/sikuat/bagan-akun/?tahun={YEAR + 1}", {"action": "load"})
    assert response.status_code == 302
    assert Account.objects.filter(year=YEAR + 1).count() == chart.count()


def test_chart_api_lists_adds_renames_and_refuses_deleting_a_used_account(
    client_for, funded, staff, treasurer
):
    client = client_for(staff["province_admin"])
    listed = client.get(f"/api/v1/villages/chart?year={YEAR}").json()
    by_code = {a["code"]: a for a in listed}
    assert by_code["5.1.1"]["in_use"] and not by_code["5.2.1"]["in_use"]
    created = client.post(
        "/api/v1/villages/chart/accounts",
        {"year": YEAR, "group_code": "5.3", "code": "5.3.4", "name": "Penghijauan"},
        content_type="application/json",
    )
    assert created.status_code == 201 and created.json()["kind"] == "spending"
    bad = client.post(
        "/api/v1/villages/chart/accounts",
        {"year": YEAR, "group_code": "5.3", "code": "5.3.4", "name": "Lagi"},
        content_type="application/json",
    )
    assert bad.status_code == 422 and "code" in bad.json()["error"]["fields"]
    new_id = created.json()["id"]
    renamed = client.patch(
        f"/api/v1/villages/chart/accounts/{new_id}",
        {"name_en": "Greening"},
        content_type="application/json",
    )
    assert renamed.status_code == 200 and renamed.json()["name_en"] == "Greening"
    used = client.delete(f"/api/v1/villages/chart/accounts/{by_code['5.1.1']['id']}")
    assert used.status_code == 409 and used.json()["error"]["code"] == "conflict"
    assert client.delete(f"/api/v1/villages/chart/accounts/{new_id}").status_code == 204
    refused = client_for(treasurer).delete(f"/api/v1/villages/chart/accounts/{new_id}")
    assert refused.status_code == 403


# --- versioned by year ----------------------------------------------------------------------


def _chart_picture(year: int) -> list[tuple]:
    return list(
        Account.objects.filter(year=year)
        .order_by("code")
        .values_list("code", "name", "name_en", "kind", "group_code", "is_active")
    )


def _report_picture(village, year: int) -> list[tuple]:
    result = selectors.realisation(village, year)
    return [
        (line.code, line.name, line.budget, line.actual)
        for group in result.groups
        for line in group.lines
    ]


def test_a_new_year_starts_as_a_copy_of_the_previous_one_with_its_edits(chart, staff):
    admin = staff["province_admin"]
    services.account_update(actor=admin, account=account("5.5.9"), name="Lainnya", is_active=False)
    services.account_create(
        actor=admin, year=YEAR, group_code="5.1", code="5.1.8", name="Pura subak"
    )
    assert (
        services.chart_load(year=YEAR + 1, actor=admin) == Account.objects.filter(year=YEAR).count()
    )
    assert _chart_picture(YEAR + 1) == _chart_picture(YEAR)
    assert services.chart_load(year=YEAR + 1, actor=admin) == 0  # idempotent


def test_editing_one_years_chart_never_changes_another_year_or_its_reports(
    funded, treasurer, staff
):
    """Rename, take out of use, add and delete in next year's chart: this year's chart and
    this year's realisation report (names, budgets, actuals) stay exactly as they were;
    and the other way round."""
    admin = staff["province_admin"]
    spend(funded, treasurer, 400_000)
    services.chart_load(year=YEAR + 1, actor=admin)
    chart_before, report_before = _chart_picture(YEAR), _report_picture(funded, YEAR)

    services.account_update(
        actor=admin, account=account("5.1.1", YEAR + 1), name="Upacara (baru)", is_active=True
    )
    services.account_update(
        actor=admin, account=account("4.3.1", YEAR + 1), name="Punia", is_active=False
    )
    added = services.account_create(
        actor=admin, year=YEAR + 1, group_code="5.1", code="5.1.9", name="Pelinggih"
    )
    services.account_delete(actor=admin, account=account("5.5.9", YEAR + 1))
    assert _chart_picture(YEAR) == chart_before
    assert _report_picture(funded, YEAR) == report_before
    assert not Account.objects.filter(year=YEAR, code="5.1.9").exists()
    assert Account.objects.filter(year=YEAR, code="5.5.9").exists()
    assert account("4.3.1").is_active
    next_chart_before = _chart_picture(YEAR + 1)

    services.account_update(actor=admin, account=account("5.1.1"), name="Yadnya", is_active=True)
    assert _chart_picture(YEAR + 1) == next_chart_before
    assert added.year == YEAR + 1


def test_entries_take_the_chart_of_their_own_year(funded, treasurer, staff):
    services.chart_load(year=YEAR + 1, actor=staff["province_admin"])
    with pytest.raises(ValidationError) as caught:
        services.entry_record(
            actor=treasurer,
            desa=funded,
            date=date(YEAR, 6, 1),
            kind="spending",
            account=account("5.1.1", YEAR + 1),
            fund="cash",
            amount=1_000,
            description="Canang",
            today=date(YEAR, 6, 1),
        )
    assert "account" in caught.value.fields
