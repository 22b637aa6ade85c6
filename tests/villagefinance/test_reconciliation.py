"""Bank reconciliation: the statement's balance beside the bank book's on a date."""

from datetime import date

import pytest

from onedata.core.errors import ValidationError
from onedata.villagefinance import services
from onedata.villagefinance.models import BankReconciliation

from .conftest import TODAY, YEAR, spend

pytestmark = pytest.mark.django_db


def test_statement_beside_the_bank_book_on_a_date(funded, treasurer):
    # The bank book: 50,000,000 on 10 January; a bank spending of 2,000,000 on 1 February.
    spend(funded, treasurer, 2_000_000, fund="bank", day=date(YEAR, 2, 1))
    january = services.bank_reconcile(
        actor=treasurer,
        desa=funded,
        date=date(YEAR, 1, 31),
        statement_balance=50_000_000,
        today=TODAY,
    )
    assert january.book_balance == 50_000_000 and january.difference == 0
    february = services.bank_reconcile(
        actor=treasurer,
        desa=funded,
        date=date(YEAR, 2, 28),
        statement_balance=47_990_000,  # a bank fee of 10,000 not yet recorded
        note="biaya administrasi bank",
        today=TODAY,
    )
    assert february.book_balance == 48_000_000 and february.difference == -10_000
    again = services.bank_reconcile(  # a corrected statement replaces the figure
        actor=treasurer,
        desa=funded,
        date=date(YEAR, 2, 28),
        statement_balance=48_000_000,
        today=TODAY,
    )
    assert again.pk == february.pk and again.difference == 0
    assert BankReconciliation.objects.filter(desa_adat=funded).count() == 2


def test_bad_statement_input_names_the_field(funded, treasurer):
    with pytest.raises(ValidationError) as future:
        services.bank_reconcile(
            actor=treasurer,
            desa=funded,
            date=date(YEAR + 1, 1, 1),
            statement_balance=1,
            today=TODAY,
        )
    assert set(future.value.fields) == {"date"}
    with pytest.raises(ValidationError) as negative:
        services.bank_reconcile(
            actor=treasurer, desa=funded, date=TODAY, statement_balance=-5, today=TODAY
        )
    assert set(negative.value.fields) == {"statement_balance"}


def test_reconciliation_page_keeps_what_was_typed_and_shows_a_difference(
    client_for, funded, treasurer
):
    client = client_for(treasurer)
    url = f"/sikuat/desa/{funded.pk}/rekonsiliasi/"
    bad = client.post(url, {"date": "", "statement_balance": "49.000.000", "note": "cek"})
    assert bad.status_code == 400 and 'value="49.000.000"' in bad.content.decode()
    good = client.post(
        url, {"date": f"{YEAR}-06-30", "statement_balance": "49.000.000", "note": "cek"}
    )
    assert good.status_code == 302
    page = client.get(url).content.decode()
    assert "Rp 49.000.000" in page and "-Rp 1.000.000" in page
