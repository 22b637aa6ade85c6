"""Draft -> submitted -> verified: a draft keeps what was typed with no effect on the
ledger; submitting it records the entry with every rule; verifying makes it final."""

from datetime import date

import pytest

from onedata.core.errors import Conflict, ValidationError
from onedata.villagefinance import selectors, services
from onedata.villagefinance.models import Entry, EntryDraft

from .conftest import TODAY, YEAR, account

pytestmark = pytest.mark.django_db


def test_a_draft_changes_nothing_until_it_is_submitted(funded, treasurer, staff):
    before = selectors.balances(funded)
    entries = Entry.objects.count()
    draft = services.entry_draft_save(
        actor=treasurer,
        desa=funded,
        kind="spending",
        date=date(YEAR, 3, 1),
        account=account("5.1.1"),
        fund="cash",
        amount=None,  # not known yet
        description="Canang odalan",
    )
    assert selectors.balances(funded) == before and Entry.objects.count() == entries
    with pytest.raises(ValidationError) as missing:
        services.entry_draft_submit(actor=treasurer, draft=draft, today=TODAY)
    assert set(missing.value.fields) == {"amount"}
    assert EntryDraft.objects.filter(pk=draft.pk).exists()  # kept after a refusal
    draft = services.entry_draft_save(
        actor=treasurer,
        desa=funded,
        kind="spending",
        draft=draft,
        date=date(YEAR, 3, 1),
        account=account("5.1.1"),
        fund="cash",
        amount=250_000,
        description="Canang odalan",
    )
    posted = services.entry_draft_submit(actor=treasurer, draft=draft, today=TODAY)
    assert posted.entry.status == "submitted" and posted.entry.amount == 250_000
    assert selectors.balances(funded)["cash"] == before["cash"] - 250_000
    assert not EntryDraft.objects.filter(pk=draft.pk).exists()
    with pytest.raises(Conflict):
        services.entry_draft_submit(actor=treasurer, draft=draft, today=TODAY)
    verified = services.entry_verify(actor=staff["regency_admin"], entry=posted.entry)
    assert verified.status == "verified"


def test_draft_of_another_village_is_refused(village, other_village, treasurer):
    draft = services.entry_draft_save(actor=treasurer, desa=other_village, kind="income")
    with pytest.raises(ValidationError):
        services.entry_draft_save(actor=treasurer, desa=village, kind="income", draft=draft)


def test_treasurer_saves_a_draft_from_the_form_and_finishes_it_later(
    client_for, village, treasurer
):
    from django.utils import timezone

    services.chart_load(year=timezone.localdate().year)
    client = client_for(treasurer)
    url = f"/sikuat/desa/{village.pk}/catat/pemasukan/"
    saved = client.post(
        url,
        {"intent": "draft", "description": "Punia odalan", "amount": "", "fund": "cash"},
    )
    assert saved.status_code == 302
    draft = EntryDraft.objects.get(desa_adat=village)
    assert draft.description == "Punia odalan" and draft.amount is None
    home = client.get(f"/sikuat/desa/{village.pk}/").content.decode()
    assert "Punia odalan" in home and f"?draf={draft.pk}" in home
    form = client.get(f"{url}?draf={draft.pk}").content.decode()
    assert 'value="Punia odalan"' in form and f'name="draft_id" value="{draft.pk}"' in form
    done = client.post(
        url,
        {
            "draft_id": str(draft.pk),
            "date": timezone.localdate().isoformat(),
            "amount": "300.000",
            "account": "4.3.1",
            "fund": "cash",
            "description": "Punia odalan",
        },
    )
    assert done.status_code == 302
    assert not EntryDraft.objects.exists()
    assert Entry.objects.get(desa_adat=village).amount == 300_000
    other = services.entry_draft_save(actor=treasurer, desa=village, kind="spending")
    assert client.post(f"/sikuat/desa/{village.pk}/draf/{other.pk}/hapus/").status_code == 302
    assert not EntryDraft.objects.exists()
