"""Offices and locations edited by HR: pages, API, permissions, audit, geofence effect."""

import pytest

from onedata.attendance import geo, offices
from onedata.attendance.models import Office, OfficeLocation, Schedule
from onedata.core.errors import NotAuthorized, ValidationError
from onedata.core.models import AuditEvent
from onedata.core.roles import Role
from tests.attendance.conftest import RENON
from tests.conftest import login_client, make_user

pytestmark = pytest.mark.django_db
API = "/api/v1/attendance"


def policy_defaults(model, prefix: str = "") -> dict:
    """What the browser sends for the policy fields (e.g. liveness) left at their default."""
    return {
        f"{prefix}{name}": model._meta.get_field(name).get_default()
        for name in offices.policy_fields(model)
    }


@pytest.fixture
def badung_office(agencies):
    return Office.objects.create(agency=agencies["badung"], name="Kantor Bupati Badung")


@pytest.fixture
def hr_people(agencies):
    return {
        "badung": make_user("sdm.badung", Role.HR_ADMIN, agencies["badung"]),
        "gianyar": make_user("sdm.gianyar", Role.HR_ADMIN, agencies["gianyar"]),
        "province": make_user("sdm.prov", Role.HR_ADMIN, agencies["province"]),
        "worker": make_user("pegawai.biasa", Role.EMPLOYEE, agencies["badung"]),
    }


def test_hr_creates_an_office_from_the_page_and_lands_on_its_locations(hr_people, agencies):
    schedule = Schedule.objects.create(name="Pelayanan")
    client = login_client(hr_people["badung"])
    page = client.get("/presensi/sdm/kantor/baru/").content.decode()
    assert "Pemkab Badung" in page and "Pemkab Gianyar" not in page  # agencies in scope only
    response = client.post(
        "/presensi/sdm/kantor/baru/",
        {
            "agency": agencies["badung"].pk,
            "name": "Puskesmas Kuta",
            "schedule": schedule.pk,
            **policy_defaults(Office),
        },
    )
    office = Office.objects.get(name="Puskesmas Kuta")
    assert response.status_code == 302 and response["Location"].endswith(
        f"/kantor/{office.pk}/ubah/"
    )
    assert office.schedule == schedule
    assert AuditEvent.objects.filter(action="attendance.office.create").exists()


def test_hr_cannot_create_an_office_for_an_agency_outside_their_scope(hr_people, agencies):
    with pytest.raises(NotAuthorized):
        offices.office_create(actor=hr_people["gianyar"], agency=agencies["badung"], name="X")
    client = login_client(hr_people["gianyar"])
    response = client.post(
        "/presensi/sdm/kantor/baru/", {"agency": agencies["badung"].pk, "name": "X"}
    )
    assert response.status_code == 422  # not a choice for them
    assert not Office.objects.filter(name="X").exists()
    assert login_client(hr_people["worker"]).get("/presensi/sdm/kantor/baru/").status_code == 403


def test_office_edit_page_only_for_hr_of_that_office(hr_people, badung_office):
    url = f"/presensi/sdm/kantor/{badung_office.pk}/ubah/"
    assert login_client(hr_people["badung"]).get(url).status_code == 200
    assert login_client(hr_people["province"]).get(url).status_code == 200
    assert login_client(hr_people["gianyar"]).get(url).status_code == 404
    assert login_client(hr_people["worker"]).get(url).status_code == 404


def test_adding_two_locations_shows_both_in_the_table_and_the_sketch(hr_people, badung_office):
    client = login_client(hr_people["badung"])
    url = f"/presensi/sdm/kantor/{badung_office.pk}/ubah/"
    for name, lat, lon in (("Gedung A", -8.58, 115.18), ("Gedung B", -8.5812, 115.1815)):
        response = client.post(
            url,
            {
                "action": "location",
                "location-name": name,
                "location-latitude": str(lat),
                "location-longitude": str(lon),
                "location-radius_m": "100",
                **policy_defaults(OfficeLocation, "location-"),
            },
        )
        assert response.status_code == 302
    page = client.get(url).content.decode()
    assert page.count("<circle") == 2 and "Gedung A" in page and "Gedung B" in page
    assert "Gunakan lokasi saya sekarang" in page and "office.js" in page
    assert "tile" not in page.lower()  # a sketch, no map tiles


@pytest.mark.parametrize(
    ("field", "value", "words"),
    [
        ("latitude", "-95", "-90"),
        ("latitude", "abc", ""),
        ("longitude", "200", "180"),
        ("radius_m", "5", "10"),
    ],
)
def test_bad_coordinates_are_named_and_what_was_typed_is_kept(
    hr_people, badung_office, field, value, words
):
    client = login_client(hr_people["badung"])
    data = {
        "action": "location",
        "location-name": "Gedung Baru",
        "location-latitude": "-8.58",
        "location-longitude": "115.18",
        "location-radius_m": "100",
        **policy_defaults(OfficeLocation, "location-"),
    }
    data[f"location-{field}"] = value
    response = client.post(f"/presensi/sdm/kantor/{badung_office.pk}/ubah/", data)
    page = response.content.decode()
    assert response.status_code == 422
    error = page.split(f'id="id_location-{field}-error">')[1].split("</p>")[0]
    assert words in error and error.strip()  # the page speaks Indonesian by default
    assert 'value="Gedung Baru"' in page
    assert not OfficeLocation.all_objects.filter(office=badung_office).exists()


def test_service_rejects_bad_coordinates_with_field_errors(hr_people, badung_office):
    with pytest.raises(ValidationError) as caught:
        offices.location_create(
            actor=hr_people["badung"],
            office=badung_office,
            name="",
            latitude="nan",
            longitude=181,
            radius_m=100,
        )
    assert set(caught.value.fields) == {"name", "latitude", "longitude"}


def test_default_radius_is_100_m(hr_people, badung_office):
    location = offices.location_create(
        actor=hr_people["badung"], office=badung_office, name="A", latitude=-8.5, longitude=115.2
    )
    assert location.radius_m == 100


def test_a_deactivated_location_no_longer_counts_for_check_ins(hr_people, badung_office):
    first = offices.location_create(
        actor=hr_people["badung"],
        office=badung_office,
        name="Lama",
        latitude=RENON[0],
        longitude=RENON[1],
    )
    offices.location_create(
        actor=hr_people["badung"], office=badung_office, name="Baru", latitude=-8.5, longitude=115.3
    )
    client = login_client(hr_people["badung"])
    response = client.post(
        f"/presensi/sdm/kantor/{badung_office.pk}/lokasi/{first.pk}/aktif/", {"active": "0"}
    )
    assert response.status_code == 302
    # What the check-in service reads (office.locations) skips it; the history keeps it.
    assert [loc.name for loc in badung_office.locations.all()] == ["Baru"]
    assert OfficeLocation.all_objects.get(pk=first.pk).active is False
    fences = [
        geo.Fence(loc.pk, loc.latitude, loc.longitude, loc.radius_m)
        for loc in badung_office.locations.all()
    ]
    assert not geo.nearest_fence(RENON[0], RENON[1], fences).inside
    page = client.get(f"/presensi/sdm/kantor/{badung_office.pk}/ubah/").content.decode()
    assert "Tidak dipakai" in page and "Pakai lagi" in page
    assert AuditEvent.objects.filter(action="attendance.location.deactivate").count() == 1
    client.post(
        f"/presensi/sdm/kantor/{badung_office.pk}/lokasi/{first.pk}/aktif/", {"active": "1"}
    )
    assert badung_office.locations.count() == 2


def test_location_edit_page_moves_a_point(hr_people, badung_office):
    location = offices.location_create(
        actor=hr_people["badung"], office=badung_office, name="A", latitude=-8.5, longitude=115.2
    )
    client = login_client(hr_people["badung"])
    url = f"/presensi/sdm/kantor/{badung_office.pk}/lokasi/{location.pk}/"
    assert client.get(url).status_code == 200
    response = client.post(
        url,
        {
            "name": "A",
            "latitude": "-8.51",
            "longitude": "115.21",
            "radius_m": "150",
            **policy_defaults(OfficeLocation),
        },
    )
    assert response.status_code == 302
    location.refresh_from_db()
    assert (location.latitude, location.radius_m) == (-8.51, 150)
    event = AuditEvent.objects.get(action="attendance.location.update")
    assert event.before["latitude"] == -8.5 and event.after["latitude"] == -8.51
    assert login_client(hr_people["gianyar"]).get(url).status_code == 404


def test_office_name_and_default_schedule_change_with_an_audit_event(hr_people, badung_office):
    schedule = Schedule.objects.create(name="Shift Pagi", start="07:00", end="14:00")
    client = login_client(hr_people["badung"])
    response = client.post(
        f"/presensi/sdm/kantor/{badung_office.pk}/ubah/",
        {
            "action": "office",
            "office-name": "Kantor Bupati",
            "office-schedule": schedule.pk,
            **policy_defaults(Office, "office-"),
        },
    )
    assert response.status_code == 302
    badung_office.refresh_from_db()
    assert badung_office.name == "Kantor Bupati" and badung_office.schedule == schedule
    assert AuditEvent.objects.filter(action="attendance.office.update").exists()


def test_office_form_includes_policy_fields_when_the_model_has_them():
    from onedata.attendance.forms import LocationForm, OfficeForm

    names = offices.policy_fields(Office)
    assert "liveness_policy" in names  # the other helper's field, picked up by name
    form = OfficeForm(agencies=Office.objects.none())
    assert all(name in form.fields for name in names)
    location_names = offices.policy_fields(OfficeLocation)
    assert all(name in LocationForm().fields for name in location_names)


def test_a_policy_value_outside_its_choices_is_refused(hr_people, badung_office):
    with pytest.raises(ValidationError) as caught:
        offices.office_update(
            actor=hr_people["badung"],
            office=badung_office,
            name=badung_office.name,
            schedule=None,
            policy={"liveness_policy": "sometimes"},
        )
    assert "liveness_policy" in caught.value.fields


def test_offices_api_create_locate_and_deactivate(hr_people, agencies):
    client = login_client(hr_people["badung"])
    created = client.post(
        f"{API}/offices",
        {"agency": "pemkab-badung", "name": "RSUD Mangusada"},
        content_type="application/json",
    )
    assert created.status_code == 201, created.content
    office_id = created.json()["id"]
    bad = client.post(
        f"{API}/offices/{office_id}/locations",
        {"name": "IGD", "latitude": -91, "longitude": 115.2},
        content_type="application/json",
    )
    assert bad.status_code == 422 and "latitude" in bad.json()["error"]["fields"]
    location = client.post(
        f"{API}/offices/{office_id}/locations",
        {"name": "IGD", "latitude": -8.59, "longitude": 115.18},
        content_type="application/json",
    ).json()
    assert location["radius_m"] == 100 and location["active"] is True
    patched = client.patch(
        f"{API}/offices/{office_id}/locations/{location['id']}",
        {"active": False},
        content_type="application/json",
    )
    assert patched.status_code == 200 and patched.json()["active"] is False
    detail = client.get(f"{API}/offices/{office_id}").json()
    assert detail["locations"][0]["active"] is False
    listed = client.get(f"{API}/offices").json()
    assert [o["name"] for o in listed] == ["RSUD Mangusada"]
    other = login_client(hr_people["gianyar"])
    assert other.get(f"{API}/offices/{office_id}").status_code == 404
    assert (
        other.post(
            f"{API}/offices",
            {"agency": "pemkab-badung", "name": "Y"},
            content_type="application/json",
        ).status_code
        == 404
    )


def test_preview_puts_far_points_apart_and_near_points_together():
    near = [
        OfficeLocation(name="A", latitude=-8.58, longitude=115.18, radius_m=100),
        OfficeLocation(name="B", latitude=-8.5809, longitude=115.18, radius_m=100),
    ]
    sketch = offices.preview(near)
    a, b = sketch.circles
    assert a.x == pytest.approx(b.x) and b.y > a.y  # B is south of A: lower on the sketch
    assert min(c.y - c.r for c in sketch.circles) >= 0
    assert max(c.y + c.r for c in sketch.circles) <= sketch.height
    assert offices.preview([]) is None


def test_the_admin_still_shows_a_location_no_longer_in_use(people, badung_office):
    OfficeLocation.objects.create(
        office=badung_office, name="Gedung Tua", latitude=-8.5, longitude=115.2, active=False
    )
    admin_user = people["platform_admin"]
    admin_user.is_staff = admin_user.is_superuser = True
    admin_user.save(update_fields=["is_staff", "is_superuser"])
    client = login_client(admin_user)
    page = client.get(f"/admin/attendance/office/{badung_office.pk}/change/")
    assert page.status_code == 200 and "Gedung Tua" in page.content.decode()
