"""Desk scope per regency: a regency's communication officers (fact-checkers at an agency
of that regency) see and handle the claims reported from it, and only its reports; the
province sees everything."""

import pytest

from onedata.core.roles import Role
from onedata.factcheck import permissions, selectors, services
from onedata.factcheck.models import Claim, Report
from tests.conftest import login_client, make_user

pytestmark = pytest.mark.django_db


def _report(text, regency, ip, **fields):
    return services.report_submit(
        actor="test", text=text, channel="whatsapp", regency=regency, ip=ip, **fields
    )


@pytest.fixture
def desks(agencies):
    return {
        "province": make_user("cf.prov", Role.FACT_CHECKER, agencies["province"]),
        "badung": make_user("cf.badung", Role.FACT_CHECKER, agencies["badung"]),
        "gianyar": make_user("cf.gianyar", Role.FACT_CHECKER, agencies["gianyar"]),
    }


@pytest.fixture
def reported(regions):
    badung = _report("Sekolah di Kuta diliburkan karena klaster baru", "51.03", "1.0.0.1")
    gianyar = _report("Pasar Ubud ditutup sebulan karena wabah", "51.04", "1.0.0.2")
    both = _report(
        "Air rebusan daun sirih menyembuhkan omicron",
        "51.03",
        "1.0.0.3",
        contact_email="warga.badung@example.test",
        wants_verdict=True,
    )
    _report(
        "Air rebusan daun sirih bisa menyembuhkan omicron",
        "51.04",
        "1.0.0.4",
        contact_email="warga.gianyar@example.test",
        wants_verdict=True,
    )
    nowhere = _report("Bandara Ngurah Rai ditutup total mulai besok", None, "1.0.0.5")
    assert both.claim.report_count == 1 and Claim.objects.get(pk=both.claim.pk).report_count == 2
    return {
        "badung": badung.claim,
        "gianyar": gianyar.claim,
        "both": both.claim,
        "nowhere": nowhere.claim,
    }


def test_each_desk_lists_the_claims_of_its_reach(desks, reported):
    def ids(user):
        return set(selectors.desk_claims(user).values_list("pk", flat=True))

    assert ids(desks["province"]) == {c.pk for c in reported.values()}
    assert ids(desks["badung"]) == {reported["badung"].pk, reported["both"].pk}
    assert ids(desks["gianyar"]) == {reported["gianyar"].pk, reported["both"].pk}
    body = login_client(desks["badung"]).get("/cek-fakta/meja/?status=all").content.decode()
    assert "Sekolah di Kuta" in body and "Pasar Ubud" not in body and "Bandara" not in body


def test_a_regency_desk_cannot_open_or_handle_another_regencys_claim(desks, reported):
    client = login_client(desks["badung"])
    gianyar = reported["gianyar"]
    assert client.get(f"/cek-fakta/meja/klaim/{gianyar.pk}/").status_code == 403
    response = client.post(
        f"/cek-fakta/meja/klaim/{gianyar.pk}/catatan/", {"text": "cek", "evidence_url": ""}
    )
    assert response.status_code == 403
    api = client.post(
        f"/api/v1/factcheck/desk/claims/{gianyar.pk}/review",
        {"verdict": "SALAH", "summary": "Tidak benar.", "explanation": "Pasar buka."},
        content_type="application/json",
    )
    assert api.status_code == 403
    listed = client.get("/api/v1/factcheck/desk/claims?status=new").json()
    assert {item["id"] for item in listed["items"]} == {
        reported["badung"].pk,
        reported["both"].pk,
    }
    assert not permissions.can_view_claim_internal(desks["badung"], reported["nowhere"])
    assert permissions.can_view_claim_internal(desks["province"], reported["nowhere"])


def test_a_shared_claim_shows_each_desk_only_its_own_reports(desks, reported):
    both = reported["both"]
    body = login_client(desks["badung"]).get(f"/cek-fakta/meja/klaim/{both.pk}/").content.decode()
    assert "warga.badung" not in body  # contacts are never on the page
    assert "Air rebusan daun sirih menyembuhkan omicron" in body
    assert "Air rebusan daun sirih bisa menyembuhkan omicron" not in body
    assert "Kabupaten Gianyar" not in body
    province = login_client(desks["province"]).get(f"/cek-fakta/meja/klaim/{both.pk}/")
    assert "Air rebusan daun sirih bisa menyembuhkan omicron" in province.content.decode()


def test_a_regency_desk_publishes_and_every_reporter_who_asked_is_told(desks, reported):
    from onedata.notifications.models import Message

    both = reported["both"]
    client = login_client(desks["badung"])
    response = client.post(
        f"/api/v1/factcheck/desk/claims/{both.pk}/review",
        {
            "verdict": "HOAKS",
            "summary": "Tidak ada bukti.",
            "explanation": "Belum ada penelitian.",
            "publish": True,
        },
        content_type="application/json",
    )
    assert response.status_code == 200, response.content
    told = " ".join(str(m.to) for m in Message.objects.all())
    assert "warga.badung@example.test" in told and "warga.gianyar@example.test" in told
    assert Report.objects.filter(claim=both, notified_at__isnull=True).count() == 0


def test_screenshots_and_assignment_stay_inside_the_regency(desks, reported):
    gianyar_report = Report.objects.get(claim=reported["gianyar"])
    assert not permissions.can_view_screenshot(desks["badung"], gianyar_report)
    assert permissions.can_view_screenshot(desks["gianyar"], gianyar_report)
    assert permissions.can_view_screenshot(desks["province"], gianyar_report)
    client = login_client(desks["badung"])
    refused = client.post(
        f"/api/v1/factcheck/desk/claims/{reported['badung'].pk}/assign",
        {"assignee": "cf.gianyar"},
        content_type="application/json",
    )
    assert refused.status_code == 422 and "assignee" in refused.json()["error"]["fields"]
    accepted = client.post(
        f"/api/v1/factcheck/desk/claims/{reported['badung'].pk}/assign",
        {"assignee": "cf.prov"},
        content_type="application/json",
    )
    assert accepted.status_code == 200 and accepted.json()["assigned_to"] == "cf.prov"


def test_merging_needs_both_claims_on_the_desk(desks, reported):
    client = login_client(desks["badung"])
    response = client.post(
        f"/cek-fakta/meja/klaim/{reported['badung'].pk}/gabung/",
        {"duplicate": reported["gianyar"].pk},
    )
    assert response.status_code == 400
    assert Claim.objects.filter(pk=reported["gianyar"].pk).exists()


def test_the_weekly_report_counts_the_regencys_reports_only(desks, reported):
    badung = login_client(desks["badung"]).get("/cek-fakta/laporan-mingguan.csv").content
    province = login_client(desks["province"]).get("/cek-fakta/laporan-mingguan.csv").content
    assert b"Kabupaten Gianyar" not in badung and b"Kabupaten Badung" in badung
    assert b"Kabupaten Gianyar" in province
