"""Tax book and bank statement pages and API: the spending form with PPh, the book and
its downloads, deposits, rates, statement upload and matching; who may do what."""

from datetime import date

import pytest
from django.utils import timezone

from onedata.core.models import Agency
from onedata.core.roles import Role
from onedata.villagefinance import services
from onedata.villagefinance.models import (
    Account,
    Entry,
)
from tests.conftest import make_agency, make_user

from .conftest import make_desa

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


@pytest.fixture
def year():
    return timezone.localdate().year


@pytest.fixture
def desa(regions, year):
    services.chart_load(year=year)
    return make_desa("desa-adat-pajak")


@pytest.fixture
def patengen(desa):
    return make_user("patengen.pajak", Role.VILLAGE_TREASURER, desa.agency)


@pytest.fixture
def funded(desa, patengen, year):
    services.entry_record(
        actor=patengen,
        desa=desa,
        date=date(year, 1, 1),
        kind="income",
        account=Account.objects.get(year=year, code="4.1.1"),
        fund="bank",
        amount=50_000_000,
        description="BKK",
    )
    return desa


def _spend_with_pph(client, desa, *, amount="2.000.000", extra=None):
    data = {
        "date": timezone.localdate().isoformat(),
        "amount": amount,
        "account": "5.3.3",
        "fund": "bank",
        "description": "Semen dan pasir",
        "counterparty": "UD Sumber Rejeki",
        "tax_pph22": "on",
        "tax_pph22_amount": "",
    }
    data.update(extra or {})
    return client.post(f"/sikuat/desa/{desa.pk}/catat/pengeluaran/", data)


def test_spending_form_with_pph_shows_in_the_tax_book(client_for, funded, patengen):
    client = client_for(patengen)
    form = client.get(f"/sikuat/desa/{funded.pk}/catat/pengeluaran/").content.decode()
    assert "PPh 22 1,5%" in form and 'name="tax_pph23_amount"' in form
    response = _spend_with_pph(client, funded)
    assert response.status_code == 302, response.content.decode()[:3000]
    entry = Entry.objects.get(desa_adat=funded, kind="spending")
    assert (entry.amount, entry.tax_amount, entry.fund_amount) == (2_000_000, 30_000, -1_970_000)
    page = client.get(f"/sikuat/desa/{funded.pk}/pajak/").content.decode()
    assert "Rp 30.000" in page and "Semen dan pasir" in page
    xlsx = client.get(f"/sikuat/desa/{funded.pk}/pajak/?format=xlsx")
    assert xlsx.status_code == 200 and xlsx.content[:2] == b"PK"
    pdf = client.get(f"/sikuat/desa/{funded.pk}/pajak/?format=pdf")
    assert pdf.status_code == 200 and pdf.content[:4] == b"%PDF"


def test_bad_tax_amount_keeps_what_was_typed(client_for, funded, patengen):
    response = _spend_with_pph(
        client_for(patengen), funded, extra={"tax_pph22_amount": "abc", "description": "Kayu"}
    )
    page = response.content.decode()
    assert response.status_code == 400
    assert 'value="Kayu"' in page and "Tulis" in page
    too_much = _spend_with_pph(
        client_for(patengen), funded, extra={"tax_pph22_amount": "2.000.000"}
    )
    assert too_much.status_code == 400
    assert not Entry.objects.filter(desa_adat=funded, kind="spending").exists()


def test_deposit_page_and_api(client_for, funded, patengen):
    client = client_for(patengen)
    _spend_with_pph(client, funded)
    form = client.get(f"/sikuat/desa/{funded.pk}/pajak/setor/").content.decode()
    assert 'value="30.000"' in form and "PPh 22 · belum disetor Rp 30.000" in form
    response = client.post(
        f"/sikuat/desa/{funded.pk}/pajak/setor/",
        {
            "tax": "pph22",
            "amount": "30.000",
            "date": timezone.localdate().isoformat(),
            "fund": "bank",
            "billing_code": "1234 5678 9012 345",
            "ntpn": "0A1B2C3D4E5F6G7H",
        },
    )
    assert response.status_code == 302
    book = client.get(f"/api/v1/villages/{funded.pk}/reports/tax").json()
    pph22 = next(t for t in book["totals"] if t["tax"] == "pph22")
    assert (pph22["withheld"], pph22["deposited"], pph22["outstanding"]) == (30_000, 30_000, 0)
    deposits = client.get(f"/api/v1/villages/{funded.pk}/tax-deposits").json()
    assert deposits[0]["ntpn"] == "0A1B2C3D4E5F6G7H"
    refused = client.post(
        f"/api/v1/villages/{funded.pk}/tax-deposits",
        {"tax": "pph22", "date": timezone.localdate().isoformat(), "amount": 1},
        content_type="application/json",
    )
    assert refused.status_code == 409 and "amount" in refused.json()["error"]["fields"]


def test_spending_with_tax_through_the_api(client_for, funded, patengen):
    response = client_for(patengen).post(
        f"/api/v1/villages/{funded.pk}/spending-with-tax",
        {
            "date": timezone.localdate().isoformat(),
            "account": "5.3.3",
            "amount": 1_000_000,
            "fund": "bank",
            "description": "Jasa tukang",
            "taxes": [{"tax": "pph23"}],
        },
        content_type="application/json",
    )
    assert response.status_code == 201, response.content
    assert response.json()["money_out"] == 980_000


def test_tax_rates_edited_by_province_staff_only(client_for, regions, year):
    province = make_agency("dpma-bali", "51")
    badung = make_agency("pemkab-badung", "51.03", Agency.Kind.GOVERNMENT)
    staff = make_user("staf.dpma", Role.AGENCY_ADMIN, province)
    regency = make_user("staf.badung", Role.AGENCY_ADMIN, badung)
    data = {"code": "pph23", "rate": "2,5", "year_from": str(year + 1), "year_to": ""}
    assert client_for(regency).post("/sikuat/tarif-pajak/", data).status_code == 403
    assert client_for(staff).post("/sikuat/tarif-pajak/", data).status_code == 302
    page = client_for(regency).get("/sikuat/tarif-pajak/").content.decode()
    assert "2,5%" in page
    bad = client_for(staff).post("/sikuat/tarif-pajak/", {**data, "rate": "abc"})
    assert bad.status_code == 400


def test_overdue_tax_warns_on_village_page_and_dashboard(client_for, desa, patengen, regions):
    last_year = timezone.localdate().year - 1
    services.chart_load(year=last_year)
    services.entry_record(
        actor=patengen,
        desa=desa,
        date=date(last_year, 1, 2),
        kind="income",
        account=Account.objects.get(year=last_year, code="4.1.1"),
        fund="bank",
        amount=5_000_000,
        description="BKK",
    )
    from onedata.villagefinance import tax_services

    rate = next(r for r in tax_services.rates_for(last_year) if r.code == "pph23")
    services.entry_record(
        actor=patengen,
        desa=desa,
        date=date(last_year, 1, 3),
        kind="spending",
        account=Account.objects.get(year=last_year, code="5.3.3"),
        fund="bank",
        amount=1_000_000,
        description="Jasa",
        taxes=[tax_services.withholding_for(rate, 1_000_000)],
    )
    page = client_for(patengen).get(f"/sikuat/desa/{desa.pk}/").content.decode()
    assert 'data-testid="tax-overdue"' in page and "Rp 20.000" in page
    province = make_agency("dpma-bali", "51")
    staff = make_user("staf.dpma", Role.AGENCY_ADMIN, province)
    dashboard = client_for(staff).get("/sikuat/").content.decode()
    assert 'data-testid="tax-overdue-villages"' in dashboard and desa.agency.name in dashboard


STATEMENT = (
    "Tanggal;Keterangan;Debit;Kredit;Saldo\n"
    "{d1};BKK;;50.000.000;50.000.000\n"
    "{d2};BIAYA ADM;10.000;;49.990.000\n"
)


def _statement_file(year):
    from django.core.files.uploadedfile import SimpleUploadedFile

    text = STATEMENT.format(d1=f"01/01/{year}", d2=f"31/01/{year}")
    return SimpleUploadedFile("rk.csv", text.encode(), content_type="text/csv")


def test_statement_page_upload_draft_and_complete(client_for, funded, patengen, year):
    client = client_for(patengen)
    response = client.post(
        f"/sikuat/desa/{funded.pk}/rekening-koran/", {"file": _statement_file(year)}
    )
    assert response.status_code == 302
    page = client.get(response["Location"]).content.decode()
    assert 'data-testid="matched"' in page and "BIAYA ADM" in page
    fee_line = funded.statements.get().lines.get(amount=-10_000)
    draft = client.post(
        f"/sikuat/desa/{funded.pk}/rekening-koran/aksi/",
        {"action": "draft", "line": fee_line.pk, "bulan": f"{year}-1"},
    )
    assert "/catat/pengeluaran/?draf=" in draft["Location"]
    form = client.get(draft["Location"]).content.decode()
    assert 'value="10000"' in form
    draft_id = draft["Location"].rsplit("=", 1)[1]
    saved = client.post(
        f"/sikuat/desa/{funded.pk}/catat/pengeluaran/",
        {
            "draft_id": draft_id,
            "date": f"{year}-01-31",
            "amount": "10000",
            "account": "5.4.2",
            "fund": "bank",
            "description": "Biaya administrasi bank",
        },
    )
    assert saved.status_code == 302
    client.post(
        f"/sikuat/desa/{funded.pk}/rekening-koran/aksi/", {"action": "auto", "bulan": f"{year}-1"}
    )
    done = client.post(
        f"/sikuat/desa/{funded.pk}/rekening-koran/aksi/",
        {"action": "complete", "bulan": f"{year}-1"},
    )
    assert done.status_code == 302
    month = client.get(f"/api/v1/villages/{funded.pk}/statements/months/{year}/1").json()
    assert month["complete"] and month["completed_by"] == "patengen.pajak"
    template = client.get(f"/sikuat/desa/{funded.pk}/rekening-koran/templat.csv")
    assert b"Tanggal;Keterangan;Debit;Kredit;Saldo" in template.content


def test_statement_api_upload_match_unmatch(client_for, funded, patengen, year):
    client = client_for(patengen)
    uploaded = client.post(
        f"/api/v1/villages/{funded.pk}/statements", {"file": _statement_file(year)}
    )
    assert uploaded.status_code == 201 and uploaded.json()["matched"] == 1
    lines = client.get(f"/api/v1/villages/{funded.pk}/statements/lines?matched=true").json()
    line_id, entry_id = lines[0]["id"], lines[0]["entry_id"]
    undone = client.delete(f"/api/v1/villages/{funded.pk}/statements/lines/{line_id}/match")
    assert undone.json()["entry_id"] is None
    redone = client.put(
        f"/api/v1/villages/{funded.pk}/statements/lines/{line_id}/match",
        {"entry_id": entry_id},
        content_type="application/json",
    )
    assert redone.json()["matched_by"] == "manual"
    bad = client.post(
        f"/api/v1/villages/{funded.pk}/statements",
        {
            "file": __import__("django.core.files.uploadedfile", fromlist=["x"]).SimpleUploadedFile(
                "x.csv", b"Tanggal;Debit;Kredit\nkemarin;1;\n"
            )
        },
    )
    assert bad.status_code == 422
    assert bad.json()["error"]["fields"]["file"][0].startswith("Baris 2, kolom Tanggal")


def test_permissions_other_village_and_other_regency(client_for, funded, regions):
    other = make_desa("desa-adat-lain", regency_code="51.04")
    stranger = make_user("patengen.lain", Role.VILLAGE_TREASURER, other.agency)
    client = client_for(stranger)
    for url in (
        f"/sikuat/desa/{funded.pk}/pajak/",
        f"/sikuat/desa/{funded.pk}/rekening-koran/",
        f"/api/v1/villages/{funded.pk}/reports/tax",
        f"/api/v1/villages/{funded.pk}/statements/lines",
    ):
        assert client.get(url).status_code == 404, url
    badung = make_agency("pemkab-badung", "51.03", Agency.Kind.GOVERNMENT)
    gianyar = make_agency("pemkab-gianyar", "51.04", Agency.Kind.GOVERNMENT)
    own_staff = client_for(make_user("staf.badung", Role.AGENCY_ADMIN, badung))
    far_staff = client_for(make_user("staf.gianyar", Role.AGENCY_ADMIN, gianyar))
    assert own_staff.get(f"/sikuat/desa/{funded.pk}/pajak/").status_code == 200
    assert own_staff.get(f"/api/v1/villages/{funded.pk}/reports/tax").status_code == 200
    assert far_staff.get(f"/api/v1/villages/{funded.pk}/reports/tax").status_code == 404
    # Staff read but do not deposit or match: that is the treasurer's work.
    assert own_staff.get(f"/sikuat/desa/{funded.pk}/pajak/setor/").status_code == 403
    assert own_staff.post(f"/api/v1/villages/{funded.pk}/statements/match").status_code == 403


def test_entry_page_shows_taxes_and_realisation_counts_the_gross(client_for, funded, patengen):
    client = client_for(patengen)
    _spend_with_pph(client, funded)
    entry = Entry.objects.get(desa_adat=funded, kind="spending")
    page = client.get(f"/sikuat/desa/{funded.pk}/transaksi/{entry.pk}/").content.decode()
    assert "PPh 22 dipotong" in page and "Rp 30.000" in page and "Rp 1.970.000" in page
    body = client.get(f"/api/v1/villages/{funded.pk}/reports/realisation").json()
    codes = {line["code"]: line for group in body["groups"] for line in group["lines"]}
    assert codes["5.3.3"]["actual"] == 2_000_000
    assert not any(code.startswith("2.") for code in codes)


def test_tax_and_statement_operations_are_in_the_openapi(client):
    paths = client.get("/api/v1/openapi.json").json()["paths"]
    for path in (
        "/api/v1/villages/{village_id}/reports/tax",
        "/api/v1/villages/{village_id}/tax-deposits",
        "/api/v1/villages/{village_id}/statements",
        "/api/v1/villages/{village_id}/statements/lines/{line_id}/match",
    ):
        assert path in paths, path
