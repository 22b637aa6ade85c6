"""The hospitals API: reports, forecast, allocation plans, public beds."""

from datetime import timedelta

import pytest
from django.utils import timezone

from onedata.hospitals.models import AlertState, AllocationPlan, Report
from onedata.notifications.models import Message
from tests.conftest import login_client
from tests.hospitals.factories import add_report

pytestmark = pytest.mark.django_db

BODY = {
    "liquid_value": 50,
    "liquid_unit": "percent",
    "cylinders": [{"type": "large", "full": 10, "empty": 5, "delivered": 2}],
    "delivered_liquid_litres": 1000,
    "patients": {"moderate": 10, "severe": 5, "critical": 2, "ventilated": 1},
    "beds": [{"bed_type": "icu_vent", "total": 10, "occupied": 8, "available": 2}],
}


def post_report(client, hospital, **changes):
    body = {**BODY, **changes}
    return client.post(
        f"/api/v1/hospitals/{hospital.pk}/reports", body, content_type="application/json"
    )


def test_report_by_its_hospitals_reporter_is_stored_in_m3(hospital, staff):
    response = post_report(login_client(staff["reporter"]), hospital)
    assert response.status_code == 201, response.content
    body = response.json()
    # 50 % of 10,000 L = 5,000 L x 0.861 = 4,305 m3; 10 large x 6 = 60 m3.
    assert body["liquid_m3"] == pytest.approx(4305)
    assert body["cylinders_m3"] == pytest.approx(60)
    assert body["stock_m3"] == pytest.approx(4365)
    # 1,000 L x 0.861 + 2 large x 6 = 873 m3 delivered.
    assert body["delivered_m3"] == pytest.approx(873)
    report = Report.objects.get()
    assert report.beds.get().available == 2
    assert report.created_by == staff["reporter"]


def test_report_by_another_hospitals_reporter_is_refused(hospital, staff):
    response = post_report(login_client(staff["other_reporter"]), hospital)
    assert response.status_code in (403, 404)
    assert not Report.objects.exists()


def test_report_by_an_analyst_is_refused_even_in_scope(hospital, staff):
    response = post_report(login_client(staff["badung_analyst"]), hospital)
    assert response.status_code == 403


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"liquid_value": -1}, "liquid_value"),
        ({"liquid_value": 120}, "liquid_value"),
        ({"liquid_value": 20000, "liquid_unit": "litre"}, "liquid_value"),
        ({"liquid_unit": "gallon"}, "liquid_unit"),
        ({"cylinders": [{"type": "jumbo", "full": 1}]}, "cylinders.jumbo"),
        ({"cylinders": [{"type": "large", "full": -3}]}, "cylinders.large.full"),
        ({"cylinders": [{"type": "large", "full": 200}]}, "cylinders"),
        ({"patients": {"severe": -2}}, "patients.severe"),
        ({"beds": [{"bed_type": "sauna", "total": 1, "occupied": 0}]}, "beds.sauna"),
        ({"beds": [{"bed_type": "hcu", "total": 5, "occupied": 6}]}, "beds.hcu.occupied"),
        (
            {"beds": [{"bed_type": "hcu", "total": 5, "occupied": 1, "available": 3}]},
            "beds.hcu.available",
        ),
        ({"reported_at": (timezone.now() + timedelta(days=1)).isoformat()}, "reported_at"),
    ],
)
def test_bad_input_is_refused_naming_the_field(hospital, staff, changes, field):
    response = post_report(login_client(staff["reporter"]), hospital, **changes)
    assert response.status_code == 422, response.content
    error = response.json()["error"]
    assert field in error["fields"], error
    assert not Report.objects.exists()


def test_a_report_dated_before_the_previous_one_is_refused(hospital, staff):
    add_report(hospital)
    earlier = (timezone.now() - timedelta(hours=3)).isoformat()
    response = post_report(login_client(staff["reporter"]), hospital, reported_at=earlier)
    assert response.status_code == 422
    assert "reported_at" in response.json()["error"]["fields"]


def test_forecast_lists_the_fields_the_issue_names(hospital, other_hospital, staff):
    add_report(hospital)
    response = login_client(staff["province_analyst"]).get(
        "/api/v1/hospitals/oxygen/forecast?horizon_days=3"
    )
    assert response.status_code == 200
    rows = {row["hospital_id"]: row for row in response.json()}
    row = rows[hospital.pk]
    for key in (
        "stock_m3",
        "demand_m3_per_day",
        "hours_left",
        "hours_left_low",
        "hours_left_high",
        "runout_at",
        "status",
        "stale",
    ):
        assert key in row
    # 10 moderate x 5 + 5 severe x 10 + 2 x 30 + 1 x 30 = 190 L/min = 273.6 m3/day.
    assert row["demand_m3_per_day"] == pytest.approx(273.6)
    assert len(row["demand_by_day"]) == 3
    assert rows[other_hospital.pk]["status"] == "no_report"


def test_a_regency_analyst_sees_only_hospitals_of_their_regency(hospital, other_hospital, staff):
    response = login_client(staff["badung_analyst"]).get("/api/v1/hospitals/")
    assert [row["hospital_id"] for row in response.json()] == [hospital.pk]


def test_a_reporter_sees_only_their_hospital(hospital, other_hospital, staff):
    response = login_client(staff["reporter"]).get("/api/v1/hospitals/")
    assert [row["hospital_id"] for row in response.json()] == [hospital.pk]


def test_a_citizen_cannot_see_the_oxygen_dashboard(staff):
    response = login_client(staff["citizen"]).get("/api/v1/hospitals/")
    assert response.status_code == 403


def test_province_analyst_proposes_and_approves_a_plan(hospital, other_hospital, staff):
    add_report(hospital, liquid_value=5, cylinders={})  # 430.5 m3 at 273.6 m3/day
    add_report(other_hospital, liquid_value=20)
    client = login_client(staff["province_analyst"])
    response = client.post(
        "/api/v1/hospitals/oxygen/allocations",
        {"supply_m3": 1000, "horizon_days": 3},
        content_type="application/json",
    )
    assert response.status_code == 201, response.content
    plan = response.json()
    assert plan["solver_status"] == "optimal"
    assert sum(a["amount_m3"] for a in plan["allocations"]) <= 1000 + 1e-6
    first = {a["hospital_id"]: a for a in plan["allocations"]}[hospital.pk]
    assert first["amount_m3"] > 0
    assert first["cover_hours_after"] > first["cover_hours_before"]
    approve = f"/api/v1/hospitals/oxygen/allocations/{plan['id']}/approve"
    assert client.post(approve).json()["status"] == "approved"
    again = client.post(approve)
    assert again.status_code == 409
    assert AllocationPlan.objects.get().approved_by == staff["province_analyst"]


def test_a_regency_analyst_cannot_plan(staff):
    response = login_client(staff["badung_analyst"]).post(
        "/api/v1/hospitals/oxygen/allocations", {"supply_m3": 10}, content_type="application/json"
    )
    assert response.status_code == 403


@pytest.mark.parametrize(
    ("body", "field"),
    [({"supply_m3": -5}, "supply_m3"), ({"supply_m3": 5, "horizon_days": 0}, "horizon_days")],
)
def test_a_plan_with_bad_input_names_the_field(staff, body, field):
    response = login_client(staff["province_analyst"]).post(
        "/api/v1/hospitals/oxygen/allocations", body, content_type="application/json"
    )
    assert response.status_code == 422
    assert field in response.json()["error"]["fields"]


def test_a_plan_without_any_demand_answers_clearly(staff):
    response = login_client(staff["province_analyst"]).post(
        "/api/v1/hospitals/oxygen/allocations", {"supply_m3": 100}, content_type="application/json"
    )
    assert response.status_code == 201
    assert response.json()["solver_status"] == "no_demand"
    assert response.json()["min_cover_hours"] is None


def test_free_beds_are_public_and_filter_by_type_and_regency(client, hospital, other_hospital):
    add_report(hospital)
    add_report(other_hospital)
    rows = client.get("/api/v1/hospitals/beds?bed_type=icu_vent&regency=51.03").json()
    assert [(r["hospital_id"], r["available"]) for r in rows] == [(hospital.pk, 2)]
    assert client.get("/api/v1/hospitals/beds?bed_type=sauna").status_code == 422


def test_free_beds_come_from_the_latest_report(client, hospital):
    from onedata.hospitals import services

    add_report(hospital, hours_ago=2)
    add_report(hospital, beds={"icu_vent": services.BedCount(total=10, occupied=3)})
    rows = client.get("/api/v1/hospitals/beds?bed_type=icu_vent").json()
    assert [r["available"] for r in rows] == [7]


def test_alerts_go_out_once_per_crossing_not_on_every_report(
    hospital, staff, django_capture_on_commit_callbacks
):
    def report(level, hours_ago):
        with django_capture_on_commit_callbacks(execute=True):
            add_report(hospital, liquid_value=level, cylinders={}, hours_ago=hours_ago)

    def alerts():
        return Message.objects.filter(channel="inapp").values_list("subject", flat=True).distinct()

    # 273.6 m3/day. 40 % = 3,444 m3: safe. 2 % = 172 m3: about 15 h: warning.
    report(40, 3)
    assert not alerts().exists()
    report(2, 2)
    assert AlertState.objects.get().level == "warning"
    first = set(alerts())
    assert len(first) == 1 and "24" in next(iter(first))
    report(1.9, 1)  # still warning: no new alert
    assert set(alerts()) == first
    recipients = set(Message.objects.values_list("recipient_user__username", flat=True))
    assert {"pelapor", "analis", "analis.badung"} <= recipients
    assert "analis.gianyar" not in recipients


def test_a_stale_report_alerts_once_when_checked_later(hospital, staff):
    from onedata.hospitals import services

    add_report(hospital, liquid_value=90, hours_ago=30)
    assert services.alerts_check_all() == 1
    assert services.alerts_check_all() == 0
    assert AlertState.objects.get().stale_alerted


def test_a_dispatched_share_confirmed_by_the_hospital_raises_its_stock(hospital, staff):
    add_report(hospital, liquid_value=5, cylinders={})  # 430.5 m3
    analyst = login_client(staff["province_analyst"])
    plan = analyst.post(
        "/api/v1/hospitals/oxygen/allocations",
        {"supply_m3": 300, "horizon_days": 3},
        content_type="application/json",
    ).json()
    share = {a["hospital_id"]: a for a in plan["allocations"]}[hospital.pk]["amount_m3"]
    assert share == pytest.approx(300, abs=0.01)
    base = f"/api/v1/hospitals/oxygen/allocations/{plan['id']}"
    assert analyst.post(f"{base}/dispatch").status_code == 409  # not approved yet
    analyst.post(f"{base}/approve")
    assert analyst.post(f"{base}/dispatch").json()["status"] == "dispatched"
    reporter = login_client(staff["reporter"])
    receipt = reporter.post(f"/api/v1/hospitals/{hospital.pk}/receipts/{plan['id']}")
    assert receipt.status_code == 200, receipt.content
    assert receipt.json()["stock_m3"] == pytest.approx(430.5 + 300, abs=0.01)
    assert AllocationPlan.objects.get().status == "received"
    again = reporter.post(f"/api/v1/hospitals/{hospital.pk}/receipts/{plan['id']}")
    assert again.status_code == 409


def _csv(body: bytes):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile("backlog.csv", body, content_type="text/csv")


IMPORT_OK = (
    b"reported_at,liquid_value,liquid_unit,large_full,severe,bed_hcu_total,bed_hcu_occupied\n"
    b"2026-01-02T08:00:00+08:00,40,percent,5,3,10,4\n"
    b"2026-01-01T08:00:00+08:00,50,percent,6,2,10,5\n"
)


def test_a_csv_backlog_is_imported_through_the_api_oldest_first(hospital, staff):
    client = login_client(staff["reporter"])
    url = f"/api/v1/hospitals/{hospital.pk}/reports/import"
    response = client.post(url, {"file": _csv(IMPORT_OK)})
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["imported"] == 2 and not body["dry_run"]
    # 50 % of 10,000 L = 4,305 m3 + 6 large x 6 = 4,341 m3 (row 3 is the older one).
    assert [(r["row"], round(r["stock_m3"])) for r in body["rows"]] == [(2, 3474), (3, 4341)]
    assert list(Report.objects.order_by("reported_at").values_list("source", flat=True)) == [
        "csv",
        "csv",
    ]


def test_a_dry_run_checks_every_row_and_writes_nothing(hospital, staff):
    response = login_client(staff["reporter"]).post(
        f"/api/v1/hospitals/{hospital.pk}/reports/import?dry_run=true", {"file": _csv(IMPORT_OK)}
    )
    assert response.status_code == 200, response.content
    assert response.json()["checked"] == 2 and response.json()["imported"] == 0
    assert not Report.objects.exists()


def test_a_csv_with_bad_rows_writes_nothing_and_reports_each_row(hospital, staff):
    add_report(hospital, hours_ago=1)
    body = (
        b"reported_at,liquid_value,severe,bed_hcu_total,bed_hcu_occupied,bed_xyz_total\n"
        b"2026-01-01T08:00:00+08:00,50,2,10,5,\n"  # before the last report
        b"2099-01-02T08:00:00+08:00,40,x,10,12,\n"  # future, not a number, occupied > total
        b"not a date,40,1,10,1,\n"
        b"2026-01-03T08:00:00+08:00,-4,1,10,1,\n"  # negative
    )
    before = Report.objects.count()
    response = login_client(staff["reporter"]).post(
        f"/api/v1/hospitals/{hospital.pk}/reports/import", {"file": _csv(body)}
    )
    assert response.status_code == 422, response.content
    error = response.json()["error"]
    fields = error["fields"]
    assert list(fields) == ["row 2", "row 3", "row 4", "row 5"]
    assert any(m.startswith("reported_at:") for m in fields["row 2"])
    assert any("severe" in m for m in fields["row 3"])
    assert any(m.startswith("bed_hcu_occupied:") for m in fields["row 3"])
    assert any(m.startswith("reported_at:") for m in fields["row 4"])
    assert any(m.startswith("liquid_value:") for m in fields["row 5"])
    assert Report.objects.count() == before


def test_a_csv_import_for_another_hospital_is_refused(hospital, staff):
    response = login_client(staff["other_reporter"]).post(
        f"/api/v1/hospitals/{hospital.pk}/reports/import", {"file": _csv(IMPORT_OK)}
    )
    assert response.status_code in (403, 404)
    assert not Report.objects.exists()


def test_a_plan_by_source_and_day_says_who_gets_what_from_which_source_when(
    hospital, other_hospital, staff
):
    # Both use 273.6 m3/day; hospital A holds 2 % of its tank (172.2 m3), B 40 %.
    add_report(hospital, liquid_value=2, cylinders={})
    add_report(other_hospital, liquid_value=40, cylinders={})
    analyst = login_client(staff["province_analyst"])
    response = analyst.post(
        "/api/v1/hospitals/oxygen/allocations",
        {
            "horizon_days": 3,
            "sources": [
                {"source": "PT Samator Denpasar", "day": 0, "amount_m3": 200},
                {"source": "Aneka Gas Gresik", "day": 1, "amount_m3": 600},
            ],
        },
        content_type="application/json",
    )
    assert response.status_code == 201, response.content
    plan = response.json()
    assert plan["supply_m3"] == 800
    lots = {(s["source"], s["day"]): s for s in plan["sources"]}
    assert set(lots) == {("PT Samator Denpasar", 0), ("Aneka Gas Gresik", 1)}
    assert lots[("Aneka Gas Gresik", 1)]["date"] > lots[("PT Samator Denpasar", 0)]["date"]
    sent = {}
    for d in plan["deliveries"]:
        sent[(d["source"], d["day"])] = sent.get((d["source"], d["day"]), 0) + d["amount_m3"]
        assert d["amount_m3"] > 0
    for key, lot in lots.items():
        assert sent.get(key, 0) == pytest.approx(lot["allocated_m3"])
        assert lot["allocated_m3"] <= lot["amount_m3"] + 1e-6
    # Today's oxygen goes to the hospital that is about to run out.
    today = [d for d in plan["deliveries"] if d["day"] == 0]
    assert {d["hospital_id"] for d in today} == {hospital.pk}
    totals = {a["hospital_id"]: a["amount_m3"] for a in plan["allocations"]}
    for hospital_id, total in totals.items():
        mine = sum(d["amount_m3"] for d in plan["deliveries"] if d["hospital_id"] == hospital_id)
        assert mine == pytest.approx(total)
    again = analyst.get(f"/api/v1/hospitals/oxygen/allocations/{plan['id']}").json()
    assert again["deliveries"] == plan["deliveries"]


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"sources": [{"source": "A", "day": 7, "amount_m3": 10}]}, "sources[0].day"),
        ({"sources": [{"source": " ", "day": 0, "amount_m3": 10}]}, "sources[0].source"),
        ({"sources": [{"source": "A", "day": 0, "amount_m3": -1}]}, "sources[0].amount_m3"),
        (
            {
                "sources": [
                    {"source": "A", "day": 1, "amount_m3": 5},
                    {"source": "A", "day": 1, "amount_m3": 5},
                ]
            },
            "sources[1].source",
        ),
        ({"supply_m3": 50, "sources": [{"source": "A", "day": 0, "amount_m3": 10}]}, "supply_m3"),
        ({}, "supply_m3"),
    ],
)
def test_bad_sources_are_refused_naming_the_field(hospital, staff, body, field):
    add_report(hospital)
    response = login_client(staff["province_analyst"]).post(
        "/api/v1/hospitals/oxygen/allocations",
        {"horizon_days": 7, **body},
        content_type="application/json",
    )
    assert response.status_code == 422, response.content
    assert field in response.json()["error"]["fields"]
    assert not AllocationPlan.objects.exists()
