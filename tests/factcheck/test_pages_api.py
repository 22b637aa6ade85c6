"""Pages and API: the search flow, reports with what was typed kept, escaping, ClaimReview
JSON-LD, feeds, posters, the desk's publish flow, the weekly report and its CSV."""

import json
import re

import pytest
from django.test import Client

from onedata.factcheck import claimreview
from onedata.factcheck.models import Claim, Report

pytestmark = pytest.mark.django_db


def _jsonld(html: str) -> dict:
    found = re.search(r'<script type="application/ld\+json">(.*?)</script>', html, re.S)
    return json.loads(found.group(1))


def test_pasting_a_rumour_shows_the_verdict(client, checked):
    response = client.get("/cek-fakta/", {"q": "katanya vaksin covid ada microchip nya"})
    body = response.content.decode()
    assert response.status_code == 200
    assert "HOAKS" in body and checked[0].text in body


def test_no_match_offers_to_report_with_the_text_carried_over(client, checked):
    response = client.get("/cek-fakta/", {"q": "jadwal liga sepak bola"})
    body = response.content.decode()
    assert "/cek-fakta/lapor/?text=jadwal+liga+sepak+bola" in body
    form = client.get("/cek-fakta/lapor/", {"text": "jadwal liga sepak bola"}).content.decode()
    assert "jadwal liga sepak bola</textarea>" in form


def test_report_form_keeps_what_was_typed_and_names_the_field(client, regions):
    response = client.post(
        "/cek-fakta/lapor/",
        {
            "text": "<script>alert(1)</script> vaksin chip",
            "channel": "whatsapp",
            "link": "javascript:alert(1)",
        },
    )
    body = response.content.decode()
    assert response.status_code == 400
    assert "http:// atau https://" in body or "http:// or https://" in body
    assert "&lt;script&gt;alert(1)&lt;/script&gt; vaksin chip" in body
    assert "<script>alert(1)</script>" not in body
    assert not Report.objects.exists()


def test_report_is_received_and_html_is_shown_escaped_on_the_desk(client, checker, regions):
    response = client.post(
        "/cek-fakta/lapor/",
        {
            "text": "<img src=x onerror=alert(1)> Rebusan sirih sembuhkan omicron",
            "channel": "whatsapp",
            "regency": "51.71",
            "wants_verdict": "on",
        },
    )
    assert response.status_code == 200
    claim = Claim.objects.get()
    desk = Client()
    desk.force_login(checker)
    body = desk.get(f"/cek-fakta/meja/klaim/{claim.pk}/").content.decode()
    assert "&lt;img src=x onerror=alert(1)&gt;" in body
    assert "<img src=x" not in body


def test_honeypot_report_is_dropped_quietly(client, regions):
    response = client.post(
        "/cek-fakta/lapor/", {"text": "vaksin chip", "channel": "whatsapp", "website": "spam"}
    )
    assert response.status_code == 200 and not Report.objects.exists()


def test_claim_page_embeds_a_valid_claimreview(client, checked):
    claim = checked[0]
    body = client.get(f"/cek-fakta/klaim/{claim.pk}/").content.decode()
    data = _jsonld(body)
    assert claimreview.problems(data) == []
    assert data["claimReviewed"] == claim.text
    assert data["reviewRating"]["alternateName"] == "HOAKS"
    assert data["reviewRating"]["ratingValue"] == 1
    assert data["author"]["@type"] == "Organization"
    assert data["itemReviewed"]["@type"] == "Claim"
    assert data["url"].endswith(f"/cek-fakta/klaim/{claim.pk}/")
    assert "https://wa.me/?text=" in body


def test_claimreview_json_cannot_close_its_script_tag():
    text = claimreview.script_json({"claimReviewed": "</script><script>alert(1)</script>"})
    assert "</script>" not in text and json.loads(text)["claimReviewed"].startswith("</script>")


def test_unpublished_claim_is_not_public(client, checker):
    from onedata.factcheck import services

    claim = services.claim_create(actor=checker, text="Belum dicek")
    assert client.get(f"/cek-fakta/klaim/{claim.pk}/").status_code == 404
    assert client.get(f"/api/v1/factcheck/claims/{claim.pk}").status_code == 404


def test_feeds_and_posters(client, checked):
    assert b"<rss" in client.get("/cek-fakta/feed/rss/").content
    assert b"<feed" in client.get("/cek-fakta/feed/atom/").content
    graph = client.get("/cek-fakta/feed/claimreview.json").json()["@graph"]
    assert len(graph) == len(checked) and all(not claimreview.problems(g) for g in graph)
    poster = client.get(f"/cek-fakta/klaim/{checked[0].pk}/poster/").content.decode()
    assert "data-print" in poster and "factcheck/print.js" in poster and "HOAKS" in poster


def test_desk_publishes_a_verdict_and_the_public_sees_it(client, checker, regions):
    from onedata.notifications.models import Message

    client.post(
        "/cek-fakta/lapor/",
        {
            "text": "Rebusan sirih sembuhkan omicron",
            "channel": "whatsapp",
            "contact_email": "a@example.id",
            "wants_verdict": "on",
        },
    )
    claim = Claim.objects.get()
    desk = Client()
    desk.force_login(checker)
    response = desk.post(
        f"/cek-fakta/meja/klaim/{claim.pk}/ulasan/",
        {
            "claim_text": "Rebusan sirih menyembuhkan omicron",
            "verdict": "SALAH",
            "summary": "Tidak terbukti.",
            "explanation": "Belum ada penelitian.",
            "sources": "WHO | https://www.who.int/",
            "publish": "1",
        },
    )
    assert response.status_code == 302
    assert Message.objects.filter(subject__endswith=": SALAH").count() == 1
    assert "SALAH" in client.get(f"/cek-fakta/klaim/{claim.pk}/").content.decode()


def test_desk_review_error_keeps_the_text(checker, regions):
    from onedata.factcheck import services

    claim = services.claim_create(actor=checker, text="Klaim uji")
    desk = Client()
    desk.force_login(checker)
    response = desk.post(
        f"/cek-fakta/meja/klaim/{claim.pk}/ulasan/",
        {
            "claim_text": "Klaim uji",
            "verdict": "SALAH",
            "summary": "Ringkas",
            "explanation": "Panjang",
            "sources": "ftp://x",
        },
    )
    assert response.status_code == 400
    assert "Ringkas" in response.content.decode()


def test_weekly_report_counts_by_channel_and_csv_is_safe(checker, regions):
    from onedata.factcheck import services

    services.report_submit(
        actor="t",
        text='=HYPERLINK("x") vaksin chip pelacak',
        channel="whatsapp",
        regency="51.71",
        ip="1.2.3.4",
    )
    desk = Client()
    desk.force_login(checker)
    page = desk.get("/cek-fakta/laporan-mingguan/").content.decode()
    assert "WhatsApp" in page
    csv_text = desk.get("/cek-fakta/laporan-mingguan.csv").content.decode()
    assert "'=HYPERLINK" in csv_text and '\n"=HYPERLINK' not in csv_text


def test_api_search_returns_ranked_matches(client, checked):
    response = client.get("/api/v1/factcheck/search", {"q": "5g nyebarin korona"})
    first = response.json()[0]
    assert first["verdict"] == "HOAKS" and "5G" in first["claim"]
    assert 0 < first["score"] <= 1 and first["url"].endswith(f"/klaim/{first['claim_id']}/")


def test_api_report_create_joins_a_checked_claim(client, checked):
    response = client.post(
        "/api/v1/factcheck/reports",
        {"text": "vaksin covid ada microchip buat melacak penduduk", "channel": "whatsapp"},
        content_type="application/json",
    )
    assert response.status_code == 201
    body = response.json()
    assert body["joined_existing"] and body["verdict"] == "HOAKS"


def test_api_report_refuses_a_bad_link_naming_the_field(client, regions):
    response = client.post(
        "/api/v1/factcheck/reports",
        {"text": "vaksin chip", "channel": "whatsapp", "link": "file:///etc/passwd"},
        content_type="application/json",
    )
    assert response.status_code == 422
    assert "link" in response.json()["error"]["fields"]


def test_api_claim_detail_carries_claimreview(client, checked):
    body = client.get(f"/api/v1/factcheck/claims/{checked[1].pk}").json()
    assert claimreview.problems(body["claim_review"]) == []


def test_api_desk_is_for_fact_checkers(client, checker, people):
    client.force_login(people["employee"])
    assert client.get("/api/v1/factcheck/desk/claims").status_code == 403
    client.force_login(checker)
    assert client.get("/api/v1/factcheck/desk/claims").status_code == 200
