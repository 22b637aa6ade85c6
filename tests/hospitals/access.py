"""What the hospitals module expects for every role (see tests/access/matrix.py).

The matrix's target hospital is the agency "own" (Badung). A hospital reporter reports only
for the hospital where they hold the role; health analysts see hospitals in their region
(own, sibling in Badung, province); planning and approving allocations is for health
analysts at the province. Public bed availability is for everyone.
"""

from onedata.core.roles import Role
from tests.access.matrix import Case, public
from tests.hospitals.factories import make_hospital, report_input

ADMIN = Role.PLATFORM_ADMIN
ANALYST = Role.HEALTH_ANALYST
REPORTER = Role.HOSPITAL_REPORTER


def extend_world(world):
    from onedata.core.models import User
    from onedata.hospitals import services

    hospital = make_hospital(world.agencies["own"])
    admin = User.objects.get(username=f"{ADMIN}.province")
    services.report_submit(actor=admin, hospital=hospital, data=report_input())
    world.extra["hospital"] = hospital
    world.extra["plan"] = services.allocation_propose(actor=admin, supply_m3=100)
    sent = services.allocation_propose(actor=admin, supply_m3=100)
    services.allocation_approve(actor=admin, plan=sent)
    world.extra["sent_plan"] = services.allocation_dispatch(actor=admin, plan=sent)
    world.extra["sent_line"] = sent.lines.get(hospital=hospital)


def reporter_of_hospital(actor) -> bool:
    return actor.role == ADMIN or (actor.role == REPORTER and actor.place == "own")


def sees_hospital(actor) -> bool:
    if actor.role == ADMIN:
        return True
    if actor.role == ANALYST:
        return actor.place in ("own", "sibling", "province")
    return actor.role == REPORTER and actor.place == "own"


def dashboard_user(actor) -> bool:
    return actor.role in (ADMIN, ANALYST, REPORTER)


def province_analyst(actor) -> bool:
    return actor.role == ADMIN or (actor.role == ANALYST and actor.place == "province")


def _csv_file():
    from django.core.files.uploadedfile import SimpleUploadedFile

    body = b"reported_at,liquid_value,severe\n2026-01-01T08:00:00+08:00,40,3\n"
    return SimpleUploadedFile("backlog.csv", body, content_type="text/csv")


def _hid(world):
    return world.extra["hospital"].pk


def _plan(world):
    return world.extra["plan"].pk


def no_hidden_hospital(world, actor, response):
    """The list must not carry the target hospital to someone who may not see it."""
    if sees_hospital(actor):
        return None
    body = response.content.decode()
    name = world.extra["hospital"].agency.name
    ids = (
        [row.get("hospital_id") for row in response.json()]
        if response.get("Content-Type", "").startswith("application/json")
        else []
    )
    if _hid(world) in ids or (not ids and name in body):
        return "the target hospital is listed"
    return None


REPORT_BODY = {
    "liquid_value": 40,
    "liquid_unit": "percent",
    "cylinders": [{"type": "large", "full": 8, "empty": 7}],
    "patients": {"moderate": 10, "severe": 5, "critical": 2, "ventilated": 1},
    "beds": [{"bed_type": "icu_vent", "total": 10, "occupied": 9}],
}

REPORT_FORM = {
    "liquid_value": "40",
    "liquid_unit": "percent",
    "delivered_liquid_litres": "0",
    "cyl_large_full": "5",
    "cyl_large_empty": "5",
    "cyl_large_delivered": "0",
    "patients_severe": "3",
    "bed_icu_vent_total": "10",
    "bed_icu_vent_occupied": "4",
}

CASES = {
    "hospitals:home": [Case("GET", lambda w: "/rumah-sakit/", public)],
    "hospitals:beds": [Case("GET", lambda w: "/rumah-sakit/tempat-tidur/", public)],
    "hospitals:dashboard": [
        Case(
            "GET",
            lambda w: "/rumah-sakit/oksigen/",
            dashboard_user,
            leak_check=no_hidden_hospital,
        )
    ],
    "hospitals:detail": [Case("GET", lambda w: f"/rumah-sakit/{_hid(w)}/", sees_hospital)],
    "hospitals:report": [
        Case("GET", lambda w: f"/rumah-sakit/{_hid(w)}/lapor/", reporter_of_hospital),
        Case(
            "POST",
            lambda w: f"/rumah-sakit/{_hid(w)}/lapor/",
            reporter_of_hospital,
            data=lambda w: REPORT_FORM,
        ),
    ],
    "hospitals:report_import": [
        Case("GET", lambda w: f"/rumah-sakit/{_hid(w)}/impor/", reporter_of_hospital),
        Case(
            "POST",
            lambda w: f"/rumah-sakit/{_hid(w)}/impor/",
            reporter_of_hospital,
            data=lambda w: {"file": _csv_file()},
        ),
    ],
    "hospitals:plans": [
        Case("GET", lambda w: "/rumah-sakit/alokasi/", province_analyst),
        Case(
            "POST",
            lambda w: "/rumah-sakit/alokasi/",
            province_analyst,
            data=lambda w: {"supply_m3": "100", "horizon_days": "7"},
        ),
    ],
    "hospitals:plans_compare": [
        Case(
            "GET",
            lambda w: "/rumah-sakit/alokasi/bandingkan/?supply_a=100&supply_b=200&horizon_days=7",
            province_analyst,
        )
    ],
    "hospitals:plan": [
        Case("GET", lambda w: f"/rumah-sakit/alokasi/{_plan(w)}/", province_analyst)
    ],
    "hospitals:plan_approve": [
        Case("POST", lambda w: f"/rumah-sakit/alokasi/{_plan(w)}/setujui/", province_analyst)
    ],
    "hospitals:plan_dispatch": [
        Case("POST", lambda w: f"/rumah-sakit/alokasi/{_plan(w)}/kirim/", province_analyst)
    ],
    "hospitals:plan_pdf": [
        Case("GET", lambda w: f"/rumah-sakit/alokasi/{_plan(w)}/pdf/", province_analyst)
    ],
    "hospitals:plan_csv": [
        Case("GET", lambda w: f"/rumah-sakit/alokasi/{_plan(w)}/csv/", province_analyst)
    ],
    "api:hospitals_report_create": [
        Case(
            "POST",
            lambda w: f"/api/v1/hospitals/{_hid(w)}/reports",
            reporter_of_hospital,
            json=True,
            data=lambda w: REPORT_BODY,
        )
    ],
    "api:hospitals_reports_import": [
        Case(
            "POST",
            lambda w: f"/api/v1/hospitals/{_hid(w)}/reports/import?dry_run=true",
            reporter_of_hospital,
            data=lambda w: {"file": _csv_file()},
        )
    ],
    "api:hospitals_list": [
        Case(
            "GET",
            lambda w: "/api/v1/hospitals/",
            dashboard_user,
            leak_check=no_hidden_hospital,
        )
    ],
    "api:hospitals_forecast": [
        Case(
            "GET",
            lambda w: "/api/v1/hospitals/oxygen/forecast",
            dashboard_user,
            leak_check=no_hidden_hospital,
        )
    ],
    "api:hospitals_allocation_create": [
        Case(
            "POST",
            lambda w: "/api/v1/hospitals/oxygen/allocations",
            province_analyst,
            json=True,
            data=lambda w: {"supply_m3": 200},
        )
    ],
    "api:hospitals_allocation_detail": [
        Case("GET", lambda w: f"/api/v1/hospitals/oxygen/allocations/{_plan(w)}", province_analyst)
    ],
    "api:hospitals_allocation_approve": [
        Case(
            "POST",
            lambda w: f"/api/v1/hospitals/oxygen/allocations/{_plan(w)}/approve",
            province_analyst,
            json=True,
        )
    ],
    "api:hospitals_allocation_dispatch": [
        Case(
            "POST",
            lambda w: f"/api/v1/hospitals/oxygen/allocations/{_plan(w)}/dispatch",
            province_analyst,
            json=True,
        )
    ],
    "api:hospitals_receipt_confirm": [
        Case(
            "POST",
            lambda w: f"/api/v1/hospitals/{_hid(w)}/receipts/{w.extra['sent_plan'].pk}",
            reporter_of_hospital,
            json=True,
        )
    ],
    "hospitals:receipt_confirm": [
        Case(
            "POST",
            lambda w: f"/rumah-sakit/alokasi/baris/{w.extra['sent_line'].pk}/terima/",
            reporter_of_hospital,
        )
    ],
    "api:hospitals_beds": [Case("GET", lambda w: "/api/v1/hospitals/beds", public)],
}
