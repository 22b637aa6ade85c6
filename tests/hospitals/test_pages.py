"""Pages: the report form (prefilled, kept on error), dashboard, detail, plans, free beds."""

import pytest

from onedata.hospitals.models import AllocationPlan, Report
from tests.conftest import login_client
from tests.hospitals.access import REPORT_FORM
from tests.hospitals.factories import add_report

pytestmark = pytest.mark.django_db


def test_report_form_starts_from_the_last_report(hospital, staff):
    add_report(hospital, liquid_value=37)
    page = login_client(staff["reporter"]).get(f"/rumah-sakit/{hospital.pk}/lapor/")
    assert page.status_code == 200
    html = page.content.decode()
    assert 'name="liquid_value" value="37.0"' in html
    assert 'name="bed_icu_vent_occupied" value="8"' in html


def test_a_report_sent_from_the_form_is_saved_and_shows_the_new_status(hospital, staff):
    client = login_client(staff["reporter"])
    response = client.post(f"/rumah-sakit/{hospital.pk}/lapor/", REPORT_FORM, follow=True)
    assert response.redirect_chain[-1][0] == f"/rumah-sakit/{hospital.pk}/"
    assert Report.objects.count() == 1
    assert "Status" in response.content.decode() or "status" in response.content.decode()


def test_a_bad_report_keeps_what_was_typed_and_names_the_field(hospital, staff):
    data = {**REPORT_FORM, "bed_icu_vent_occupied": "12", "patients_severe": "7"}
    response = login_client(staff["reporter"]).post(f"/rumah-sakit/{hospital.pk}/lapor/", data)
    assert response.status_code == 200
    html = response.content.decode()
    assert 'name="patients_severe" value="7"' in html
    assert 'name="bed_icu_vent_occupied" value="12"' in html
    assert "field-error" in html and "error-summary" in html
    assert not Report.objects.exists()


def test_dashboard_lists_hospitals_with_status_in_words(hospital, other_hospital, staff):
    add_report(hospital, liquid_value=1, cylinders={})
    html = login_client(staff["province_analyst"]).get("/rumah-sakit/oksigen/").content.decode()
    assert hospital.agency.name in html and other_hospital.agency.name in html
    assert "rs-status rs-critical" in html or "rs-status rs-warning" in html
    assert "vendor/leaflet/leaflet.js" in html


def test_hospital_detail_draws_the_forecast_chart(hospital, staff):
    add_report(hospital, hours_ago=12, liquid_value=60)
    add_report(hospital, liquid_value=50)
    html = (
        login_client(staff["badung_analyst"]).get(f"/rumah-sakit/{hospital.pk}/").content.decode()
    )
    assert "<svg" in html and "polyline" in html


def test_analyst_makes_approves_and_exports_a_plan(hospital, staff):
    add_report(hospital, liquid_value=5, cylinders={})
    client = login_client(staff["province_analyst"])
    response = client.post("/rumah-sakit/alokasi/", {"supply_m3": "500", "horizon_days": "3"})
    plan = AllocationPlan.objects.get()
    assert response["Location"] == f"/rumah-sakit/alokasi/{plan.pk}/"
    assert hospital.agency.name in client.get(response["Location"]).content.decode()
    client.post(f"/rumah-sakit/alokasi/{plan.pk}/setujui/")
    plan.refresh_from_db()
    assert plan.status == "approved"
    csv = client.get(f"/rumah-sakit/alokasi/{plan.pk}/csv/").content.decode()
    assert csv.splitlines()[0].startswith("hospital,regency,source,day,date,amount_m3")
    pdf = client.get(f"/rumah-sakit/alokasi/{plan.pk}/pdf/")
    assert pdf["Content-Type"] == "application/pdf"
    assert pdf.content.startswith(b"%PDF-1.4") and b"RSUD BADUNG" in pdf.content


def test_a_plan_by_source_and_day_from_the_page_lists_each_days_deliveries(
    hospital, other_hospital, staff
):
    add_report(hospital, liquid_value=2, cylinders={})
    add_report(other_hospital, liquid_value=40, cylinders={})
    client = login_client(staff["province_analyst"])
    response = client.post(
        "/rumah-sakit/alokasi/",
        {
            "horizon_days": "3",
            "lot_source_1": "PT Samator Denpasar",
            "lot_day_1": "0",
            "lot_amount_1": "200",
            "lot_source_2": "Aneka Gas Gresik",
            "lot_day_2": "1",
            "lot_amount_2": "600",
        },
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    plan = AllocationPlan.objects.get()
    assert plan.supply_m3 == 800 and plan.lots.count() == 2
    html = client.get(response["Location"]).content.decode()
    assert 'id="plan-lots"' in html and "PT Samator Denpasar" in html
    csv = client.get(f"/rumah-sakit/alokasi/{plan.pk}/csv/").content.decode().splitlines()
    assert any(",PT Samator Denpasar,0," in row for row in csv[1:])
    assert any(",Aneka Gas Gresik,1," in row for row in csv[1:])
    pdf = client.get(f"/rumah-sakit/alokasi/{plan.pk}/pdf/")
    assert b"PT Samator Denpasar" in pdf.content


def test_a_source_outside_the_horizon_is_named_beside_its_field_and_kept(hospital, staff):
    add_report(hospital)
    response = login_client(staff["province_analyst"]).post(
        "/rumah-sakit/alokasi/",
        {"horizon_days": "3", "lot_source_1": "Samator", "lot_day_1": "5", "lot_amount_1": "90"},
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert 'value="Samator"' in html and 'value="5"' in html and 'value="90"' in html
    assert 'id="id_lot_day_1-error"' in html
    assert not AllocationPlan.objects.exists()


def test_a_plan_form_with_negative_supply_names_the_field(staff):
    response = login_client(staff["province_analyst"]).post(
        "/rumah-sakit/alokasi/", {"supply_m3": "-3", "horizon_days": "7"}
    )
    assert response.status_code == 200
    assert 'value="-3"' in response.content.decode()
    assert not AllocationPlan.objects.exists()


def test_free_beds_page_is_public_and_filters(client, hospital, other_hospital):
    add_report(hospital)
    add_report(other_hospital)
    html = client.get("/rumah-sakit/tempat-tidur/?bed_type=icu_vent&regency=51.04").content.decode()
    assert other_hospital.agency.name in html
    assert hospital.agency.name not in html


def test_what_if_compares_two_plans_without_saving(hospital, other_hospital, staff):
    add_report(hospital, liquid_value=5, cylinders={})
    add_report(other_hospital, liquid_value=3, cylinders={})
    page = login_client(staff["province_analyst"]).get(
        "/rumah-sakit/alokasi/bandingkan/",
        {"supply_a": "100", "supply_b": "1000", "horizon_days": "3", "severe_b": "15"},
    )
    assert page.status_code == 200
    html = page.content.decode()
    assert hospital.agency.name in html and other_hospital.agency.name in html
    assert not AllocationPlan.objects.exists()


def test_a_backlog_is_imported_from_csv_oldest_first(hospital, staff):
    from django.core.files.uploadedfile import SimpleUploadedFile

    body = (
        b"reported_at,liquid_value,liquid_unit,large_full,severe,bed_hcu_total,bed_hcu_occupied\n"
        b"2026-01-02T08:00:00+08:00,40,percent,5,3,10,4\n"
        b"2026-01-01T08:00:00+08:00,50,percent,6,2,10,5\n"
    )
    client = login_client(staff["reporter"])
    response = client.post(
        f"/rumah-sakit/{hospital.pk}/impor/",
        {"file": SimpleUploadedFile("backlog.csv", body, content_type="text/csv")},
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    reports = list(Report.objects.order_by("reported_at"))
    assert [r.liquid_value for r in reports] == [50, 40]
    assert reports[0].source == "csv"


def test_a_csv_with_a_bad_row_imports_nothing_and_names_the_row(hospital, staff):
    from django.core.files.uploadedfile import SimpleUploadedFile

    body = (
        b"reported_at,liquid_value,bed_hcu_total,bed_hcu_occupied\n"
        b"2026-01-01T08:00:00+08:00,50,10,5\n"
        b"2026-01-02T08:00:00+08:00,40,10,12\n"
    )
    response = login_client(staff["reporter"]).post(
        f"/rumah-sakit/{hospital.pk}/impor/",
        {"file": SimpleUploadedFile("backlog.csv", body, content_type="text/csv")},
    )
    assert response.status_code == 200
    html = response.content.decode()
    # The per-row report: row 3, naming its column.
    assert 'id="import-errors"' in html
    assert '<td class="num">3</td>' in html and "bed_hcu_occupied" in html
    assert not Report.objects.exists()


def test_dashboard_queries_do_not_grow_with_hospitals(staff, django_assert_max_num_queries):
    from tests.hospitals.factories import make_hospital

    for n in range(12):
        add_report(make_hospital(slug=f"rs-{n}", region_code="51.71"))
    client = login_client(staff["province_analyst"])
    client.get("/rumah-sakit/oksigen/")  # warm the session
    with django_assert_max_num_queries(15):
        assert client.get("/rumah-sakit/oksigen/").status_code == 200
