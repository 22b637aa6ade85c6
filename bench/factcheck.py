"""Claim search over 10,000 checked claims: our ranking against the bare full-text query.

The database holds the demo's 30 checked claims plus BENCH_CLAIMS (10,000) generated
rumours built from the same vocabulary (vaccines, oxygen, hospitals, remedies, places in
Bali), each with a published review, so the index is large and full of near misses.

Queries: the labelled set of tests/factcheck/test_relevance.py (46 paraphrased, typo'd
and forwarded WhatsApp messages, each with its expected claim), each run BENCH_ROUNDS
(5) times.

Figures per engine (SQLite FTS5; PostgreSQL ``to_tsvector('indonesian')`` when reachable):

- ``<engine>.search.p50`` / ``.p95`` (ms): ``search.search`` (stemming, typo correction,
  full-text candidates, rapidfuzz ranking, claims loaded with their reviews), against the
  bare full-text query (words as typed, OR-ed, ranked by the engine, ids only), measured
  in the same run on the same database.
- ``sqlite.search.cpu_p50`` (ms): the same two searches in CPU time of the thread (SQLite
  runs inside it), which a loaded machine does not stretch the way it stretches wall time.
- ``<engine>.top3`` (share of the labelled queries with the expected claim in the top 3):
  ours against the bare full-text query's top 3.

Knobs: BENCH_CLAIMS (10000), BENCH_ROUNDS (5), BENCH_FACTCHECK_POSTGRES_URL (a database
whose name starts with "bench": dropped and created again).
"""

from __future__ import annotations

import json
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from _harness import REPO_ROOT, django_env, emit, env_number, note, postgres_ready

BENCH = "factcheck"
POSTGRES_URL = os.environ.get(
    "BENCH_FACTCHECK_POSTGRES_URL", "postgres://postgres@127.0.0.1:5432/bench_factcheck"
)

SUBJECTS = [
    "Vaksin Sinovac",
    "Vaksin AstraZeneca",
    "Vaksin Pfizer",
    "Masker kain",
    "Tabung oksigen",
    "Obat herbal",
    "Jamu temulawak",
    "Air rebusan jahe",
    "Minyak kayu putih",
    "Bawang merah",
    "Madu hutan",
    "Teh hijau",
    "Rapid test antigen",
    "Tes PCR",
    "Hand sanitizer",
    "Rumah sakit rujukan",
    "Puskesmas",
    "Petugas kesehatan",
    "Pemerintah kabupaten",
    "Sekolah negeri",
    "Pasar tradisional",
    "Bandara Ngurah Rai",
    "Pelabuhan Gilimanuk",
]
CLAIMS = [
    "menyebabkan lumpuh",
    "menyebabkan serangan jantung",
    "mengandung logam berat",
    "membuat darah menggumpal",
    "menyembuhkan demam berdarah",
    "mencegah varian delta",
    "sudah kedaluwarsa",
    "dijual mahal",
    "dibagikan gratis",
    "ditarik dari peredaran",
    "menular lewat makanan",
    "membuat kebal seumur hidup",
    "merusak ginjal",
    "menyebabkan kebutaan",
    "menaikkan gula darah",
    "mengandung narkoba",
    "ditutup sampai akhir bulan",
    "menolak pasien BPJS",
    "memungut biaya tambahan",
    "kehabisan stok",
    "meliburkan semua siswa",
    "mewajibkan sertifikat vaksin",
]
PLACES = [
    "di Denpasar",
    "di Badung",
    "di Gianyar",
    "di Tabanan",
    "di Buleleng",
    "di Karangasem",
    "di Klungkung",
    "di Bangli",
    "di Jembrana",
    "di seluruh Bali",
    "untuk lansia",
    "untuk anak sekolah",
    "untuk ibu hamil",
    "bulan ini",
    "minggu depan",
]
SAYS = [
    "",
    "kata dokter",
    "menurut pesan berantai",
    "kata kepala desa",
    "menurut video TikTok",
    "kata petugas",
    "menurut grup banjar",
]
VERDICTS = ["HOAKS", "SALAH", "DISINFORMASI", "MISINFORMASI", "MENYESATKAN", "KLARIFIKASI"]


def _percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(share * (len(ordered) - 1))))]


def _child(engine: str) -> None:
    """Runs inside a subprocess whose environment names the database."""
    sys.path.insert(0, str(REPO_ROOT))
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import transaction

    from onedata.core.models import Agency, Region
    from onedata.core.regions import regions_load
    from onedata.core.roles import Role
    from onedata.factcheck import demo, matching, search
    from onedata.factcheck.models import Claim, Review
    from tests.conftest import make_user
    from tests.factcheck.test_relevance import CASES

    call_command("migrate", verbosity=0)
    if not Region.objects.filter(code="51").exists():
        regions_load()
    agency, _ = Agency.objects.get_or_create(
        slug="diskominfos",
        defaults={"name": "Diskominfos", "kind": "dinas", "region": Region.objects.get(code="51")},
    )
    checker = make_user("bench-cekfakta", Role.FACT_CHECKER, agency)
    demo.seed_claims(checker)
    count = int(env_number("BENCH_CLAIMS", 10_000))
    rng = random.Random(2026)
    note(f"{engine}: generating {count} claims")
    started = time.perf_counter()
    texts = set()
    possible = len(SUBJECTS) * len(CLAIMS) * len(PLACES) * len(SAYS)
    if count > possible:
        raise SystemExit(f"BENCH_CLAIMS at most {possible}")
    while len(texts) < count:
        parts = [rng.choice(SUBJECTS), rng.choice(CLAIMS), rng.choice(PLACES), rng.choice(SAYS)]
        texts.add(" ".join(part for part in parts if part))
    from django.utils import timezone

    now = timezone.now()
    with transaction.atomic():
        batch = [
            Claim(
                text=text,
                search_text=matching.index_text(text),
                fingerprint=matching.fingerprint(text),
                status=Claim.Status.PUBLISHED,
                first_seen_at=now,
            )
            for text in sorted(texts)
        ]
        made = Claim.objects.bulk_create(batch, batch_size=1000)
        if made and made[0].pk is None:
            made = list(Claim.objects.filter(text__in=texts))
        Review.objects.bulk_create(
            [
                Review(
                    claim=claim,
                    verdict=rng.choice(VERDICTS),
                    summary="Ringkasan",
                    explanation="Penjelasan",
                    status=Review.Status.PUBLISHED,
                    published_at=now,
                )
                for claim in made
            ],
            batch_size=1000,
        )
    from django.db import connection

    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:  # what autovacuum does after a bulk load
            cursor.execute("ANALYZE factcheck_claim")
    note(f"{engine}: {Claim.objects.count()} claims ready in {time.perf_counter() - started:.1f}s")
    search.vocabulary()  # warm the cache once, as a running server would be
    rounds = int(env_number("BENCH_ROUNDS", 5))
    ours, bare, ours_cpu, bare_cpu = [], [], [], []
    for _ in range(rounds):
        for query, _phrase in CASES:
            t0, c0 = time.perf_counter(), time.thread_time()
            search.search(query, limit=5)
            ours.append((time.perf_counter() - t0) * 1000)
            ours_cpu.append((time.thread_time() - c0) * 1000)
            t0, c0 = time.perf_counter(), time.thread_time()
            search.bare_fulltext(query, limit=5)
            bare.append((time.perf_counter() - t0) * 1000)
            bare_cpu.append((time.thread_time() - c0) * 1000)
    texts_by_id = dict(Claim.objects.values_list("id", "text"))
    hits_ours = hits_bare = 0
    for query, phrase in CASES:
        top = [m.claim.text for m in search.search(query, limit=3)]
        hits_ours += any(phrase.lower() in text.lower() for text in top)
        top_bare = [texts_by_id[i] for i in search.bare_fulltext(query, limit=3)]
        hits_bare += any(phrase.lower() in text.lower() for text in top_bare)
    print(
        json.dumps(
            {
                "p50": [statistics.median(ours), statistics.median(bare)],
                "p95": [_percentile(ours, 0.95), _percentile(bare, 0.95)],
                "top3": [hits_ours / len(CASES), hits_bare / len(CASES)],
                "cpu_p50": [statistics.median(ours_cpu), statistics.median(bare_cpu)],
            }
        ),
        flush=True,
    )


def _run(engine: str, database_url: str, var_dir: Path) -> None:
    env = django_env(var_dir, database_url, BENCH_CHILD=engine)
    completed = subprocess.run(
        [sys.executable, __file__],
        cwd=REPO_ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=1800,
    )
    sys.stderr.write(completed.stderr[-3000:])
    if completed.returncode != 0:
        raise RuntimeError(f"{engine} run failed:\n{completed.stdout[-2000:]}")
    result = json.loads(completed.stdout.strip().splitlines()[-1])
    emit(BENCH, f"{engine}.search.p50", result["p50"][0], result["p50"][1], "ms")
    emit(BENCH, f"{engine}.search.p95", result["p95"][0], result["p95"][1], "ms")
    emit(BENCH, f"{engine}.top3", result["top3"][0], result["top3"][1], "share")
    if engine == "sqlite":
        # CPU time of this thread: SQLite runs inside it, so both sides are counted whole,
        # and the figure holds when the machine is loaded (wall time then stretches a
        # multi-millisecond Python path far more than a sub-millisecond C call).
        emit(BENCH, f"{engine}.search.cpu_p50", result["cpu_p50"][0], result["cpu_p50"][1], "ms")


def main() -> None:
    with tempfile.TemporaryDirectory(prefix="bench-factcheck-") as folder:
        var_dir = Path(folder)
        _run("sqlite", "", var_dir)
        name = POSTGRES_URL.rsplit("/", 1)[-1]
        if not name.startswith("bench"):
            note("BENCH_FACTCHECK_POSTGRES_URL must name a database starting with 'bench'")
        elif postgres_ready(POSTGRES_URL):
            _drop_and_create(POSTGRES_URL)
            _run("postgresql", POSTGRES_URL, var_dir)
        else:
            note("PostgreSQL not reachable: its figures are skipped")


def _drop_and_create(url: str) -> None:
    import psycopg

    base, name = url.rsplit("/", 1)
    with psycopg.connect(base + "/postgres", autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        connection.execute(f'CREATE DATABASE "{name}"')


if __name__ == "__main__":
    engine = os.environ.get("BENCH_CHILD")
    if engine:
        _child(engine)
    else:
        main()
