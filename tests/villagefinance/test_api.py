"""The API: multipart transactions with receipts, cash book, realisation, scope."""

import io
from datetime import date

import pytest
from django.utils import timezone

from onedata.villagefinance import services
from onedata.villagefinance.models import Account, Entry

from .conftest import make_desa, photo

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


@pytest.fixture
def year_chart(regions):
    year = timezone.localdate().year
    services.chart_load(year=year)
    return year


@pytest.fixture
def desa(year_chart):
    return make_desa("desa-adat-api")


@pytest.fixture
def patengen(desa):
    from onedata.core.roles import Role
    from tests.conftest import make_user

    return make_user("patengen.api", Role.VILLAGE_TREASURER, desa.agency)


def _income(desa, actor, amount=1_000_000):
    year = timezone.localdate().year
    return services.entry_record(
        actor=actor,
        desa=desa,
        date=date(year, 1, 1),
        kind="income",
        account=Account.objects.get(year=year, code="4.3.1"),
        fund="cash",
        amount=amount,
        description="Punia",
    ).entry


def test_treasurer_records_spending_with_a_receipt_photo(client_for, desa, patengen):
    _income(desa, patengen)
    upload = io.BytesIO(photo(3))
    upload.name = "nota.jpg"
    response = client_for(patengen).post(
        f"/api/v1/villages/{desa.pk}/transactions",
        {
            "date": timezone.localdate().isoformat(),
            "kind": "spending",
            "account": "5.1.1",
            "fund": "cash",
            "amount": 150_000,
            "description": "Canang",
            "receipt": upload,
        },
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["money_out"] == 150_000 and body["receipt_id"]
    assert body["warnings"]  # no budget line: warned
    book = client_for(patengen).get(f"/api/v1/villages/{desa.pk}/cashbook").json()
    assert book["closing"] == 850_000
    assert [row["balance"] for row in book["rows"]] == [1_000_000, 850_000]


@pytest.mark.parametrize(
    "change,field",
    [
        ({"amount": 0}, "amount"),
        ({"amount": -5}, "amount"),
        ({"account": "4.3.1"}, "account"),
        ({"date": "2999-01-01"}, "date"),
        ({"account": "9.9.9"}, "account"),
    ],
)
def test_bad_input_names_the_field(client_for, desa, patengen, change, field):
    data = {
        "date": timezone.localdate().isoformat(),
        "kind": "spending",
        "account": "5.1.1",
        "fund": "cash",
        "amount": 1,
        "description": "x",
        **change,
    }
    response = client_for(patengen).post(f"/api/v1/villages/{desa.pk}/transactions", data)
    assert response.status_code == 422
    assert field in response.json()["error"]["fields"]


def test_a_receipt_that_is_not_an_image_is_refused(client_for, desa, patengen):
    upload = io.BytesIO(b"%PDF-1.4\n%%EOF")
    upload.name = "nota.jpg"
    response = client_for(patengen).post(f"/api/v1/villages/{desa.pk}/receipts", {"photo": upload})
    assert response.status_code == 422
    assert "photo" in response.json()["error"]["fields"]


def test_overdraft_is_a_conflict(client_for, desa, patengen):
    response = client_for(patengen).post(
        f"/api/v1/villages/{desa.pk}/transactions",
        {
            "date": timezone.localdate().isoformat(),
            "kind": "spending",
            "account": "5.1.1",
            "amount": 1,
            "description": "x",
        },
    )
    assert response.status_code == 409
    assert "amount" in response.json()["error"]["fields"]


def test_realisation_report_per_account_with_percent(client_for, desa, patengen):
    _income(desa, patengen, 2_000_000)
    year = timezone.localdate().year
    services.budget_set(
        actor=patengen,
        desa=desa,
        account=Account.objects.get(year=year, code="5.1.1"),
        amount=400_000,
    )
    services.entry_record(
        actor=patengen,
        desa=desa,
        date=date(year, 1, 1),
        kind="spending",
        account=Account.objects.get(year=year, code="5.1.1"),
        fund="cash",
        amount=100_000,
        description="Canang",
    )
    body = client_for(patengen).get(f"/api/v1/villages/{desa.pk}/reports/realisation").json()
    assert body["spending_budget"] == 400_000 and body["spending_actual"] == 100_000
    line = body["groups"][-1]["lines"][0]
    assert (line["code"], line["percent"]) == ("5.1.1", 25.0)


def test_officers_of_another_village_get_404(client_for, desa, year_chart):
    from onedata.core.roles import Role
    from tests.conftest import make_user

    other = make_desa("desa-adat-lain", regency_code="51.04")
    stranger = make_user("patengen.lain", Role.VILLAGE_TREASURER, other.agency)
    assert client_for(stranger).get(f"/api/v1/villages/{desa.pk}/cashbook").status_code == 404
    listed = client_for(stranger).get("/api/v1/villages/").json()["items"]
    assert [v["id"] for v in listed] == [other.pk]


def test_public_summary_and_open_dataset_need_no_login(client, desa, patengen):
    _income(desa, patengen)
    summary = client.get(f"/api/v1/villages/{desa.pk}/summary").json()
    assert summary["income_actual"] == 1_000_000 and "officers" not in summary
    rows = client.get("/api/v1/villages/open/realisation").json()["items"]
    assert rows[0]["income_actual"] == 1_000_000
    desa.is_published = False
    desa.save(update_fields=["is_published"])
    assert client.get(f"/api/v1/villages/{desa.pk}/summary").status_code == 404


def test_reverse_through_the_api(client_for, desa, patengen):
    entry = _income(desa, patengen)
    response = client_for(patengen).post(
        f"/api/v1/villages/{desa.pk}/transactions/{entry.pk}/reverse",
        {"reason": "salah catat"},
        content_type="application/json",
    )
    assert response.status_code == 201
    assert response.json()["reverses"] == entry.number
    assert Entry.objects.filter(desa_adat=desa).count() == 2
