"""Grants from the pages: staff record a grant in stages; the treasurer books spending
against a received stage; the accountability report per stage as page, Excel and PDF;
PDF of the cash book and the realisation report."""

import io
from datetime import date

import pytest
from openpyxl import load_workbook

from onedata.villagefinance import pdf, services
from onedata.villagefinance.models import Entry, Grant

from .conftest import TODAY, YEAR, account

pytestmark = pytest.mark.django_db


def grant_form(staff, **changes):
    return {
        "name": "BKK Provinsi Bali 2025",
        "grantor": str(staff["province"].pk),
        "year": str(YEAR),
        "account": "4.1.1",
        "stage_1": "100.000.000",
        "stage_2": "Rp 100.000.000",
        "stage_3": "100000000",
        "stage_4": "",
        **changes,
    }


def test_province_staff_record_a_grant_in_three_stages(client_for, village, staff):
    client = client_for(staff["province_admin"])
    assert client.get(f"/sikuat/desa/{village.pk}/hibah/baru/").status_code == 200
    response = client.post(f"/sikuat/desa/{village.pk}/hibah/baru/", grant_form(staff))
    assert response.status_code == 302
    grant = Grant.objects.get(desa_adat=village)
    assert grant.total == 300_000_000 and grant.source == "province"
    assert list(grant.stages.values_list("amount", flat=True)) == [100_000_000] * 3


def test_grant_form_keeps_what_was_typed_on_a_mistake(client_for, village, staff):
    client = client_for(staff["province_admin"])
    response = client.post(
        f"/sikuat/desa/{village.pk}/hibah/baru/",
        grant_form(staff, stage_2="seratus juta", name="BKK tahap"),
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert 'value="BKK tahap"' in page and 'value="seratus juta"' in page
    assert not Grant.objects.exists()


def test_grant_form_offers_only_agencies_the_staff_work_for(client_for, village, staff):
    """Regency staff of Gianyar do not even see the form of a village in Badung."""
    assert (
        client_for(staff["gianyar_admin"]).get(f"/sikuat/desa/{village.pk}/hibah/baru/").status_code
        == 404
    )
    client = client_for(staff["regency_admin"])
    page = client.get(f"/sikuat/desa/{village.pk}/hibah/baru/").content.decode()
    assert staff["badung"].name in page and staff["province"].name not in page
    response = client.post(f"/sikuat/desa/{village.pk}/hibah/baru/", grant_form(staff))
    assert response.status_code == 400  # the province is not their agency


@pytest.fixture
def received_stage(village, staff, treasurer):
    grant = services.grant_create(
        actor=staff["province_admin"],
        desa=village,
        grantor=staff["province"],
        year=YEAR,
        name="BKK 2025",
        account=account("4.1.1"),
        stages=[50_000_000, 50_000_000],
    )
    first = grant.stages.get(number=1)
    services.grant_stage_disburse(actor=staff["province_admin"], stage=first)
    services.grant_stage_receive(actor=treasurer, stage=first, date=date(YEAR, 2, 1), today=TODAY)
    return first


def test_treasurer_books_spending_on_the_stage_and_sees_its_report(
    client_for, received_stage, village, treasurer, settings
):
    client = client_for(treasurer)
    form = client.get(f"/sikuat/desa/{village.pk}/catat/pengeluaran/").content.decode()
    assert f'value="{received_stage.pk}"' in form
    day = date.today().isoformat()
    # The chart of this year exists for the form (the stage belongs to YEAR's grant).
    response = client.post(
        f"/sikuat/desa/{village.pk}/catat/pengeluaran/",
        {
            "date": day,
            "amount": "12.500.000",
            "account": "5.1.1",
            "fund": "bank",
            "description": "Upakara piodalan",
            "grant_stage": str(received_stage.pk),
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    entry = Entry.objects.get(description="Upakara piodalan")
    assert entry.grant_stage_id == received_stage.pk
    url = f"/sikuat/desa/{village.pk}/hibah/laporan/{received_stage.pk}/"
    page = client.get(url).content.decode()
    assert "Upakara piodalan" in page and "12.500.000" in page and "37.500.000" in page
    xlsx = client.get(url + "?format=xlsx")
    sheet = load_workbook(io.BytesIO(xlsx.content)).active
    values = [row for row in sheet.iter_rows(values_only=True)]
    assert values[1][2] == "Upakara piodalan" and values[1][4] == 12_500_000
    assert values[-1][4] == 37_500_000  # left
    report = client.get(url + "?format=pdf")
    assert report["Content-Type"] == "application/pdf"
    assert report.content.startswith(b"%PDF")


def test_cash_book_and_realisation_as_pdf(client_for, funded, treasurer):
    client = client_for(treasurer)
    book = client.get(
        f"/sikuat/desa/{funded.pk}/kas/?dari={YEAR}-01-01&sampai={YEAR}-12-31&format=pdf"
    )
    assert book.status_code == 200 and book.content.startswith(b"%PDF")
    assert "attachment" in book["Content-Disposition"]
    realisation = client.get(f"/sikuat/desa/{funded.pk}/realisasi/?tahun={YEAR}&format=pdf")
    assert realisation.status_code == 200 and realisation.content.startswith(b"%PDF")


def test_pdf_table_survives_long_books_and_odd_characters():
    rows = [
        [date(2025, 1, 1), f"2025-{n:05d}", "Banten “odalan” – Pura Désa ☺ " * 3, "5.1.1", n, "", n]
        for n in range(1, 400)
    ]
    data = pdf.table_report(
        title="Buku Kas Umum",
        lines=["Desa Adat Uji"],
        header=["Tanggal", "Nomor", "Uraian", "Akun", "Masuk", "Keluar", "Saldo"],
        rows=rows,
        widths=(18, 20, 62, 14, 24, 24, 26),
        numeric=(False, False, False, False, True, True, True),
        bold_rows=(0,),
        footer="SIKUAT",
    )
    assert (
        data.startswith(b"%PDF") and data.count(b"/Type /Page\n") + data.count(b"/Type /Page ") > 1
    )
    assert pdf.latin1("Pura Désa – ☺") == "Pura Désa - ?"
    assert pdf.money(1_250_000) == "1.250.000"
