"""Pages: the treasurer's home, the one-column form that keeps what was typed and the
photo taken, books and reports with downloads, the public page."""

import io
from datetime import date

import pytest
from django.utils import timezone

from onedata.core.roles import Role
from onedata.villagefinance import services
from onedata.villagefinance.models import Account, Entry, Receipt
from tests.conftest import make_user

from .conftest import make_desa, photo

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


@pytest.fixture
def desa(regions):
    services.chart_load(year=timezone.localdate().year)
    return make_desa("desa-adat-halaman")


@pytest.fixture
def patengen(desa):
    return make_user("patengen.hal", Role.VILLAGE_TREASURER, desa.agency, name="Wayan Patengen")


@pytest.fixture
def with_money(desa, patengen):
    year = timezone.localdate().year
    services.entry_record(
        actor=patengen,
        desa=desa,
        date=date(year, 1, 1),
        kind="income",
        account=Account.objects.get(year=year, code="4.3.1"),
        fund="cash",
        amount=2_000_000,
        description="Sumbangan Galungan",
    )
    return desa


def test_treasurer_lands_on_the_village_home_with_balance_and_big_buttons(
    client_for, with_money, patengen
):
    response = client_for(patengen).get("/sikuat/", follow=True)
    page = response.content.decode()
    assert response.redirect_chain[-1][0] == f"/sikuat/desa/{with_money.pk}/"
    assert "Rp 2.000.000" in page
    assert "Catat pemasukan" in page and "Catat pengeluaran" in page


def test_a_mistake_keeps_what_was_typed_and_the_photo_taken(client_for, with_money, patengen):
    url = f"/sikuat/desa/{with_money.pk}/catat/pengeluaran/"
    upload = io.BytesIO(photo(5))
    upload.name = "nota.jpg"
    response = client_for(patengen).post(
        url,
        {
            "date": timezone.localdate().isoformat(),
            "amount": "0",
            "account": "5.1.1",
            "fund": "cash",
            "description": "Canang odalan",
            "receipt": upload,
        },
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert "Canang odalan" in page
    receipt = Receipt.objects.get(desa_adat=with_money)
    assert f'name="receipt_id" value="{receipt.pk}"' in page
    assert f"/sikuat/kuitansi/{receipt.pk}/" in page
    assert "lebih dari nol" in page  # the amount's message, in Indonesian
    # Second try: the photo is not sent again, only its id.
    response = client_for(patengen).post(
        url,
        {
            "date": timezone.localdate().isoformat(),
            "amount": "Rp 150.000",
            "account": "5.1.1",
            "fund": "cash",
            "description": "Canang odalan",
            "receipt_id": str(receipt.pk),
        },
    )
    assert response.status_code == 302
    entry = Entry.objects.get(desa_adat=with_money, kind="spending")
    assert (entry.amount, entry.receipt_id) == (150_000, receipt.pk)


def test_form_has_the_camera_input(client_for, with_money, patengen):
    page = client_for(patengen).get(f"/sikuat/desa/{with_money.pk}/catat/pengeluaran/")
    html = page.content.decode()
    assert 'accept="image/*"' in html and 'capture="environment"' in html


def test_cash_book_downloads_csv_and_xlsx(client_for, with_money, patengen):
    client = client_for(patengen)
    csv = client.get(f"/sikuat/desa/{with_money.pk}/kas/?format=csv")
    assert csv["Content-Type"] == "text/csv"
    assert "2000000" in csv.content.decode("utf-8-sig")
    xlsx = client.get(f"/sikuat/desa/{with_money.pk}/realisasi/?format=xlsx")
    assert xlsx.content[:2] == b"PK"
    year = timezone.localdate().year
    page = client.get(f"/sikuat/desa/{with_money.pk}/kas/?dari={year}-01-01").content.decode()
    assert "Sumbangan Galungan" in page and "2.000.000" in page


def test_public_page_shows_totals_and_no_personal_data(client, with_money, patengen):
    page = client.get(f"/sikuat/publik/{with_money.pk}/").content.decode()
    assert "Rp 2.000.000" in page
    assert "Wayan Patengen" not in page and "Sumbangan Galungan" not in page


def test_receipt_file_is_only_for_those_who_see_the_village(client_for, with_money, patengen):
    receipt = services.receipt_store(actor=patengen, desa=with_money, upload=photo(2))
    assert client_for(patengen).get(f"/sikuat/kuitansi/{receipt.pk}/").status_code == 200
    other = make_desa("desa-adat-lain", regency_code="51.04")
    stranger = make_user("patengen.lain", Role.VILLAGE_TREASURER, other.agency)
    assert client_for(stranger).get(f"/sikuat/kuitansi/{receipt.pk}/").status_code == 404


def test_month_submitted_by_treasurer_and_approved_by_head(client_for, with_money, patengen):
    head = make_user("bendesa.hal", Role.VILLAGE_HEAD, with_money.agency)
    today = timezone.localdate()
    first = today.replace(day=1)
    prev = (
        first.replace(year=first.year - 1, month=12)
        if first.month == 1
        else first.replace(month=first.month - 1)
    )
    url = f"/sikuat/desa/{with_money.pk}/laporan-bulanan/"
    client_for(patengen).post(url, {"action": "submit", "month": f"{prev.year}-{prev.month}"})
    report = with_money.month_reports.get()
    assert (
        client_for(patengen).post(url, {"action": "approve", "report": report.pk}).status_code
        == 403
    )
    client_for(head).post(url, {"action": "approve", "report": report.pk})
    report.refresh_from_db()
    assert report.status == "approved"
