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


# --- drafts in the API ---------------------------------------------------------------------


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def _api(village, suffix=""):
    return f"/api/v1/villages/{village.pk}/drafts{suffix}"


def test_api_draft_lifecycle_keeps_everything_and_submits(client_for, funded, treasurer, media):
    from django.utils import timezone, translation

    from .conftest import photo

    year = timezone.localdate().year
    services.chart_load(year=year)
    client = client_for(treasurer)
    created = client.post(
        _api(funded),
        {"kind": "spending", "description": "Canang odalan", "amount": "-5", "receipt": _file()},
    )
    assert created.status_code == 201, created.content
    body = created.json()
    assert body["amount"] is None and body["receipt_id"] is not None
    # The form's own words for what is still missing.
    with translation.override("id"):
        assert body["problems"]["date"] == [translation.gettext("Write the date, e.g. 15/03/2026.")]
    assert set(body["problems"]) >= {"date", "account", "amount"}
    draft_id = body["id"]
    listed = client.get(_api(funded)).json()
    assert [d["id"] for d in listed] == [draft_id]
    today = timezone.localdate().isoformat()
    updated = client.post(
        _api(funded, f"/{draft_id}"), {"date": today, "account": "5.1.1", "fund": "cash"}
    )
    assert updated.status_code == 200
    assert updated.json()["description"] == "Canang odalan"  # left out: kept
    assert updated.json()["account"] == "5.1.1"
    # A refused submit names the field like the form and keeps what was sent in the draft.
    refused = client.post(_api(funded, f"/{draft_id}/submit"), {"amount": "-5000"})
    assert refused.status_code == 422
    assert list(refused.json()["error"]["fields"]) == ["amount"]
    assert EntryDraft.objects.filter(pk=draft_id).exists()
    replaced = client.post(_api(funded, f"/{draft_id}/submit"), {"receipt": _file(photo(3))})
    assert replaced.status_code == 422  # the amount is still missing
    kept = EntryDraft.objects.get(pk=draft_id)
    assert kept.receipt_id != body["receipt_id"]  # the new photo was kept with the draft
    done = client.post(_api(funded, f"/{draft_id}/submit"), {"amount": "125.000"})
    assert done.status_code == 201, done.content
    assert done.json()["amount"] == 125_000 and done.json()["receipt_id"] == kept.receipt_id
    assert not EntryDraft.objects.filter(pk=draft_id).exists()
    assert client.post(_api(funded, f"/{draft_id}/submit"), {}).status_code == 404


def test_api_draft_delete_and_permissions(client_for, village, treasurer, other_village, staff):
    client = client_for(treasurer)
    created = client.post(_api(village), {"kind": "income", "description": "Punia"})
    draft_id = created.json()["id"]
    staff_client = client_for(staff["regency_admin"])
    assert staff_client.get(_api(village)).status_code == 200
    assert staff_client.delete(_api(village, f"/{draft_id}")).status_code == 403
    assert client.get(_api(other_village)).status_code == 404
    assert client.delete(_api(village, f"/{draft_id}")).status_code == 204
    assert not EntryDraft.objects.exists()


def _file(data=None):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from .conftest import photo

    return SimpleUploadedFile("kuitansi.jpg", data or photo(2), content_type="image/jpeg")
