"""Role scope follows the region tree: a regency role covers its regency, not another."""

from onedata.core import permissions, scope
from onedata.core.models import Membership
from onedata.core.roles import Role


def test_regency_admin_covers_own_regency_and_below(people, regions):
    badung_admin = people["badung_admin"]
    assert scope.covers(badung_admin, {Role.AGENCY_ADMIN}, regions.get(code="51.03"))
    assert scope.covers(badung_admin, {Role.AGENCY_ADMIN}, regions.get(code="51.03.01"))
    assert not scope.covers(badung_admin, {Role.AGENCY_ADMIN}, regions.get(code="51.04"))
    assert not scope.covers(badung_admin, {Role.AGENCY_ADMIN}, regions.get(code="51"))


def test_code_prefix_does_not_leak_to_a_sibling_with_the_same_digits():
    assert scope.code_covers("51.7", "51.71") is False
    assert scope.code_covers("51.71", "51.71.01") is True


def test_agency_members_list_by_agency_admin_of_same_regency(people, agencies, client_for):
    answer = client_for(people["badung_admin"]).get("/api/v1/core/agencies/dinkes-badung/members")
    assert answer.status_code == 200


def test_agency_members_list_by_agency_admin_of_other_regency_is_refused(
    people, agencies, client_for
):
    answer = client_for(people["gianyar_admin"]).get("/api/v1/core/agencies/pemkab-badung/members")
    assert answer.status_code == 403
    assert answer.json()["error"]["code"] == "forbidden"


def test_agency_members_list_by_employee_is_refused(people, agencies, client_for):
    answer = client_for(people["employee"]).get("/api/v1/core/agencies/pemkab-badung/members")
    assert answer.status_code == 403


def test_province_admin_sees_every_regency(people, agencies, client_for):
    for slug in ("pemkab-badung", "pemkab-gianyar"):
        answer = client_for(people["platform_admin"]).get(f"/api/v1/core/agencies/{slug}/members")
        assert answer.status_code == 200


def test_region_filter_returns_only_objects_in_scope(people, agencies):
    from onedata.core.models import Agency

    visible = Agency.objects.filter(
        scope.region_filter(people["badung_admin"], {Role.AGENCY_ADMIN})
    )
    assert set(visible.values_list("slug", flat=True)) == {"pemkab-badung", "dinkes-badung"}
    nothing = Agency.objects.filter(scope.region_filter(people["citizen"], {Role.AGENCY_ADMIN}))
    assert not nothing.exists()
    everything = Agency.objects.filter(scope.region_filter(people["platform_admin"], {"x"}))
    assert everything.count() == 4


def test_grant_role_by_agency_admin_in_scope(people, agencies, client_for):
    client = client_for(people["badung_admin"])
    answer = client.post(
        "/api/v1/core/agencies/dinkes-badung/members",
        {"username": "warga", "role": "data_producer"},
        content_type="application/json",
    )
    assert answer.status_code == 201
    assert Membership.objects.filter(user=people["citizen"], role="data_producer").exists()


def test_grant_role_outside_scope_is_refused_and_nothing_written(people, agencies, client_for):
    client = client_for(people["badung_admin"])
    answer = client.post(
        "/api/v1/core/agencies/pemkab-gianyar/members",
        {"username": "warga", "role": "data_producer"},
        content_type="application/json",
    )
    assert answer.status_code == 403
    assert not Membership.objects.filter(user=people["citizen"]).exists()


def test_agency_admin_cannot_make_a_platform_admin(people, agencies):
    assert not permissions.can_grant_membership(
        people["badung_admin"], agencies["badung"], Role.PLATFORM_ADMIN
    )
    assert permissions.can_grant_membership(
        people["platform_admin"], agencies["badung"], Role.PLATFORM_ADMIN
    )


def test_grant_role_with_unknown_role_names_the_field(people, agencies, client_for):
    answer = client_for(people["badung_admin"]).post(
        "/api/v1/core/agencies/dinkes-badung/members",
        {"username": "warga", "role": "emperor"},
        content_type="application/json",
    )
    assert answer.status_code == 422
    assert "role" in answer.json()["error"]["fields"]


def test_revoke_membership_of_other_regency_looks_missing(people, agencies, client_for):
    membership = Membership.objects.get(user=people["gianyar_admin"])
    answer = client_for(people["badung_admin"]).delete(f"/api/v1/core/memberships/{membership.pk}")
    assert answer.status_code == 404
    assert Membership.objects.filter(pk=membership.pk).exists()
