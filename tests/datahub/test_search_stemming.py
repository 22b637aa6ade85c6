"""Catalog search in Indonesian and English: stems, ranking, and what each audience sees."""

from __future__ import annotations

import pytest
from django.core.management import call_command
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from onedata.datahub import search_index, selectors, services, stemming
from onedata.datahub.models import SearchEntry
from tests.datahub.conftest import CSV, publish


class Anonymous:
    is_authenticated = False
    is_active = False
    is_superuser = False


def make(hub, name, title, **fields):
    """A published dataset whose only words are the ones given (the fixture's default tags,
    theme and ``penduduk.csv`` would match every query about population)."""
    fields.setdefault("tags", [])
    fields.setdefault("groups", [])
    fields.setdefault("csv", None)
    return publish(hub, name=name, title=title, **fields)


def names(user=None, **query) -> list[str]:
    result = selectors.search_datasets(user or Anonymous(), **query)
    return [e.name for e in result.entries]


# --- the stemmer -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("words", "root"),
    [
        (["penduduk", "kependudukan", "Kependudukan"], "duduk"),
        (["sehat", "kesehatan", "menyehatkan", "kesehatannya"], "sehat"),
        (["pariwisata", "wisatawan", "wisata"], "wisata"),
        (["ekonomi", "perekonomian"], "ekonomi"),
        (["pendidikan", "mendidik"], "didik"),
        (["perjalanan", "jalan"], "jalan"),
        (["pemerintah", "pemerintahan"], "perintah"),
        (["kunjungan", "berkunjung"], "kunjung"),
        (["ilmuwan", "ilmu"], "ilmu"),
    ],
)
def test_indonesian_words_meet_at_their_root(words, root):
    assert {stemming.stem(w) for w in words} == {root}


def test_agent_suffix_and_pari_are_taken_off_only_before_a_root():
    # lawan, kawan, parit are roots themselves: nothing is stripped from them.
    assert [stemming.stem(w) for w in ("lawan", "kawan", "parit")] == ["lawan", "kawan", "parit"]
    assert stemming.stem("wartawan") == stemming.stem("warta")


@pytest.mark.parametrize(
    ("word", "stem"),
    [
        ("caresses", "caress"),
        ("ponies", "poni"),
        ("agreed", "agre"),
        ("motoring", "motor"),
        ("hopping", "hop"),
        ("happy", "happi"),
        ("relational", "relat"),
        ("conditional", "condit"),
        ("rational", "ration"),
        ("generalizations", "gener"),
        ("electrical", "electr"),
        ("adjustment", "adjust"),
        ("controll", "control"),
    ],
)
def test_porter_stems_of_its_published_examples(word, stem):
    assert stemming.porter(word) == stem


def test_english_words_meet_at_their_stem():
    assert stemming.stem("hospitals") == stemming.stem("hospital") == "hospit"
    assert stemming.stem("Schools") == stemming.stem("school")


def test_codes_numbers_and_other_scripts_are_kept_as_written():
    assert [stemming.stem(w) for w in ("51.03", "2024", "kode_wilayah", "naïve")] == [
        "51.03",
        "2024",
        "kode_wilayah",
        "naïv",
    ]
    assert stemming.stem_text("Data kependudukan dan penduduk 2024") == "data duduk dan 2024"


# --- search by stem ----------------------------------------------------------------------


@pytest.mark.django_db
def test_search_finds_datasets_by_stem_in_title_description_and_tags(hub):
    make(hub, "kependudukan", "Statistik kependudukan Badung", tags=["sensus"])
    make(hub, "puskesmas", "Puskesmas", notes="Program menyehatkan warga")
    make(hub, "kunjungan", "Kunjungan", tags=["wisatawan"])
    make(hub, "rs", "Hospital beds per regency", tags=["rumah-sakit"])
    assert names(q="penduduk") == ["kependudukan"]
    assert names(q="kesehatan") == ["puskesmas"]  # description, "menyehatkan"
    assert names(q="pariwisata") == ["kunjungan"]  # tag "wisatawan"
    assert names(q="hospitals") == ["rs"]
    assert names(q="kesehatan warga") == ["puskesmas"]  # every word must match
    assert names(q="kesehatan sensus") == []
    assert names(q="kependu") == ["kependudukan"]  # a prefix of a word as written still works


@pytest.mark.django_db
def test_odd_queries_reach_neither_engine_as_operators(hub):
    make(hub, "kependudukan", "Data kependudukan")
    for q in [
        '"); DROP TABLE x; --',
        "naïve café",
        "_",
        "½",
        "AND OR NOT",
        "near",
        "a*b",
        "x" * 300,
    ]:
        assert names(q=q) == [], q
    assert names(q="KEPENDUDUKAN (data)") == ["kependudukan"]


@pytest.mark.django_db
def test_exact_words_rank_above_stem_only_matches(hub):
    make(hub, "exact", "Layanan kesehatan ibu")
    make(hub, "stem-only", "Program menyehatkan warga")  # modified later
    assert names(q="kesehatan") == ["exact", "stem-only"]
    assert names(q="kesehatan", sort="score desc, metadata_modified desc") == [
        "exact",
        "stem-only",
    ]
    assert names(q="kesehatan", sort="metadata_modified desc") == ["stem-only", "exact"]
    assert names(q="menyehatkan") == ["stem-only", "exact"]
    assert names(sort="score desc") == ["stem-only", "exact"]  # no words: newest first


@pytest.mark.django_db
def test_private_datasets_and_drafts_stay_out_of_stemmed_results_and_facets(hub):
    make(hub, "publik", "Jumlah penduduk", tags=["umum"])
    make(hub, "terbatas", "Data kependudukan", access="restricted", tags=["rahasia"])
    draft = make(hub, "berubah", "Curah hujan", tags=["iklim"])
    producer = hub["users"]["producer"]
    services.dataset_update(
        actor=producer, dataset=draft, title="Kependudukan draf", tags=["draf-tag"]
    )
    public = selectors.search_datasets(Anonymous(), q="penduduk", facet_fields=["tags"])
    assert [e.name for e in public.entries] == ["publik"]
    assert public.count == 1 and public.facets["tags"] == {"umum": 1}
    assert names(q="hujan") == ["berubah"]  # outsiders search the published version
    assert [e.title for e in selectors.search_datasets(Anonymous(), q="hujan").entries] == [
        "Curah hujan"
    ]
    # The producer (an editor of Badung) sees the restricted dataset and the draft.
    mine = selectors.search_datasets(producer, q="penduduk", facet_fields=["tags"])
    assert sorted(e.name for e in mine.entries) == ["berubah", "publik", "terbatas"]
    assert mine.facets["tags"] == {"draf-tag": 1, "rahasia": 1, "umum": 1}
    citizen = hub["users"]["citizen"]
    assert names(citizen, q="kependudukan") == ["publik"]


@pytest.mark.django_db
def test_ckan_package_search_by_stem_with_facets_and_score(client, hub):
    make(hub, "exact", "Layanan kesehatan ibu", tags=["ibu"], csv=CSV)
    make(hub, "stem-only", "Program menyehatkan warga", tags=["warga"])
    make(hub, "rahasia", "Kesehatan pegawai", access="restricted")
    body = client.get(
        "/api/3/action/package_search",
        {"q": "kesehatan", "facet.field": '["tags"]', "sort": "score desc"},
    ).json()
    assert body["success"] is True
    result = body["result"]
    assert [p["name"] for p in result["results"]] == ["exact", "stem-only"]
    assert result["count"] == 2 and result["facets"]["tags"] == {"ibu": 1, "warga": 1}
    assert result["results"][0]["resources"][0]["url"].startswith("http://testserver/")
    counted = client.get("/api/3/action/package_search", {"q": "sehat", "rows": 0}).json()
    assert counted["result"]["count"] == 2 and counted["result"]["results"] == []
    beyond = client.get("/api/3/action/package_search", {"q": "sehat", "start": 5}).json()
    assert beyond["result"]["count"] == 2 and beyond["result"]["results"] == []


@pytest.mark.django_db
def test_ckan_package_search_shows_outsiders_the_published_version(client, hub):
    dataset = make(hub, "penduduk", "Jumlah penduduk")
    services.dataset_update(actor=hub["users"]["producer"], dataset=dataset, title="Judul draf")
    result = client.get("/api/3/action/package_search", {"q": "penduduk"}).json()["result"]
    assert [p["title"] for p in result["results"]] == ["Jumlah penduduk"]


@pytest.mark.django_db
def test_search_page_finds_by_stem_and_shows_the_published_title(client, hub):
    dataset = make(hub, "kependudukan", "Statistik kependudukan Badung", csv=CSV)
    services.dataset_update(
        actor=hub["users"]["producer"], dataset=dataset, title="Judul draf kependudukan"
    )
    page = client.get("/data/", {"q": "penduduk"}).content.decode()
    assert "Statistik kependudukan Badung" in page
    assert "Judul draf" not in page
    assert f'href="{reverse("datahub:dataset_detail", args=["kependudukan"])}"' in page
    assert ">CSV<" in page  # the formats of the published document


# --- the index ---------------------------------------------------------------------------


@pytest.mark.django_db
def test_rebuild_restores_the_stems(hub):
    make(hub, "kependudukan", "Data kependudukan")
    SearchEntry.objects.update(stems="")
    assert names(q="penduduk") == []
    search_index.rebuild()
    assert "duduk" in SearchEntry.objects.get(kind="published").stems.split()
    assert names(q="penduduk") == ["kependudukan"]


@pytest.mark.django_db(transaction=True)
def test_migration_0006_reindexes_existing_documents(hub):
    make(hub, "kependudukan", "Data kependudukan")
    target = [("datahub", "0005_saved_chart_views")]
    try:
        MigrationExecutor(connection).migrate(target)
        assert not search_index.has_stems()
        with connection.cursor() as cursor:  # documents as 0003 indexed them, text only
            cursor.execute("SELECT count(*) FROM datahub_searchentry")
            assert cursor.fetchone()[0] == 2  # the published and the live document
        executor = MigrationExecutor(connection)
        executor.migrate([("datahub", "0006_search_stemming")])
        assert search_index.has_stems()
        assert names(q="penduduk") == ["kependudukan"]
    finally:
        call_command("migrate", verbosity=0)


# --- query counts ------------------------------------------------------------------------


def _queries(client, url: str, params: dict) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url, params).status_code == 200
    return len(captured)


@pytest.mark.django_db
def test_search_queries_do_not_grow_with_the_results(client, hub):
    """No query per dataset: package dicts, the versions of datasets with pending changes,
    formats on the page and facet titles are read for the whole page at once."""

    def add(n: int) -> None:
        for i in range(n):
            dataset = make(hub, f"data-{n}-{i}", f"Data kesehatan {i}", tags=[f"t{i}"], csv=CSV)
            services.dataset_update(
                actor=hub["users"]["producer"], dataset=dataset, title=f"Draf kesehatan {i}"
            )

    api = ("/api/3/action/package_search", {"q": "sehat", "facet.field": '["tags"]'})
    page = ("/data/", {"q": "sehat"})
    add(1)
    few = (_queries(client, *api), _queries(client, *page))
    add(4)
    many = (_queries(client, *api), _queries(client, *page))
    assert few == many
    result = client.get(*api).json()["result"]
    assert result["count"] == 5
    assert all(p["title"].startswith("Data kesehatan") for p in result["results"])
