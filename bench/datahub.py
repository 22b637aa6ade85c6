"""DataStore ingestion against a bare bulk load, and datastore_search against bare SQL.

A CSV of BENCH_DATAHUB_ROWS rows (100,000 by default; the issue's full figure is
1,000,000) and 12 columns (text, integers, decimals, dates, region codes) is generated.
Per engine (SQLite; PostgreSQL when reachable), in a fresh database:

- ``<engine>.ingest``: our load end to end: every value of every column type-checked,
  the validation report (cell counts, duplicate rows), typed rows with a search text
  written into the generation's own table (COPY over one connection per core, at most 4 /
  executemany), indexed and switched live.
  Rows a second.
  Baseline, same run: ``csv.reader`` + ``executemany`` (SQLite) or ``COPY`` (PostgreSQL)
  of the same file into an all-text table.
- ``<engine>.search.p50`` / ``.p95``: ``datastore.search`` with a filter and a sort,
  milliseconds, against the same query in bare SQL on the all-text table.
- ``<engine>.search_sql.p50`` / ``.p95``: the same filter and sort through
  ``datastore_search_sql`` (checks, typed projection, plan check), against the same bare SQL.
- ``<engine>.package_search.p50`` / ``.p95``: catalog search (full-text index over words
  and their Indonesian/English stems, published documents, three facets, ranking) over
  BENCH_DATAHUB_CATALOG datasets (300), against a bare ``LIKE`` over titles and
  descriptions with a count. ``<engine>.package_search_api``: the same search through the
  CKAN action in-process (routing, rate counter, package dicts, JSON), same baseline.

Knobs: BENCH_DATAHUB_ROWS (100000), BENCH_DATAHUB_QUERIES (30), BENCH_DATAHUB_ENGINES
(``sqlite,postgresql``),
BENCH_DATAHUB_POSTGRES_URL (default postgres://postgres@127.0.0.1:5432/bench_datahub;
dropped and created again).
"""

from __future__ import annotations

import csv
import json
import os
import random
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _harness import REPO_ROOT, django_env, emit, env_number, note, postgres_ready  # noqa: E402

BENCH = "datahub"
ROWS = int(env_number("BENCH_DATAHUB_ROWS", 100_000))
QUERIES = int(env_number("BENCH_DATAHUB_QUERIES", 30))
CATALOG = int(env_number("BENCH_DATAHUB_CATALOG", 300))
PG_URL = os.environ.get(
    "BENCH_DATAHUB_POSTGRES_URL", "postgres://postgres@127.0.0.1:5432/bench_datahub"
)
ENGINES = os.environ.get("BENCH_DATAHUB_ENGINES", "sqlite,postgresql").split(",")
REGENCIES = ["51.01", "51.02", "51.03", "51.04", "51.05", "51.06", "51.07", "51.08", "51.71"]


def make_csv(path: Path, rows: int) -> None:
    rng = random.Random(7)
    with path.open("w", newline="", encoding="utf-8") as fp:
        writer = csv.writer(fp)
        writer.writerow(
            [
                "kode_wilayah",
                "kecamatan",
                "desa",
                "tahun",
                "bulan",
                "tanggal",
                "penduduk",
                "laki_laki",
                "perempuan",
                "luas_km2",
                "kepadatan",
                "keterangan",
            ]
        )
        for i in range(rows):
            code = rng.choice(REGENCIES)
            people = rng.randint(500, 20000)
            men = people // 2 + rng.randint(-100, 100)
            area = round(rng.uniform(0.5, 80.0), 2)
            writer.writerow(
                [
                    f"{code}.{rng.randint(1, 9):02d}",
                    f"Kecamatan {i % 57}",
                    f"Desa {i % 716}",
                    2020 + i % 5,
                    1 + i % 12,
                    f"202{i % 5}-{1 + i % 12:02d}-{1 + i % 28:02d}",
                    people,
                    men,
                    people - men,
                    area,
                    round(people / area, 3),
                    rng.choice(["", "data sementara", "revisi", "angka tetap"]),
                ]
            )


def child(csv_path: str) -> None:
    """Runs inside Django with a fresh database: prints JSON figures."""
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection, transaction

    call_command("migrate", verbosity=0)
    from onedata.core.models import Agency, Region
    from onedata.datahub import datastore
    from onedata.datahub.models import Dataset, DataTable, Resource

    region = Region.objects.create(code="51", name="Bali", level="province")
    agency = Agency.objects.create(slug="bench", name="Bench", kind="dinas", region=region)
    dataset = Dataset.objects.create(name="bench", title="Bench", organization=agency)
    resource = Resource.objects.create(dataset=dataset, name="bench.csv", format="CSV")
    table = DataTable.objects.create(resource=resource)
    path = Path(csv_path)
    out = {}

    # Baseline: all-text table, bare bulk load of the same file.
    with connection.cursor() as cursor:
        cursor.execute("DROP TABLE IF EXISTS bench_raw")
        cursor.execute(
            "CREATE TABLE bench_raw (" + ", ".join(f"c{i} text" for i in range(12)) + ")"
        )
    started = time.perf_counter()
    with transaction.atomic(), connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            with (
                path.open("rb") as fp,
                cursor.cursor.copy(
                    "COPY bench_raw FROM STDIN WITH (FORMAT csv, HEADER true)"
                ) as copy,
            ):
                while chunk := fp.read(1 << 20):
                    copy.write(chunk)
        else:
            with path.open(newline="", encoding="utf-8") as fp:
                reader = csv.reader(fp)
                next(reader)
                cursor.connection.executemany(
                    "INSERT INTO bench_raw VALUES (" + ",".join("?" * 12) + ")",  # noqa: S608
                    reader,
                )
    out["baseline_ingest"] = time.perf_counter() - started

    started = time.perf_counter()
    result = datastore.load_file(table, path, "CSV")
    datastore.switch_generation(table, result)
    out["ingest"] = time.perf_counter() - started
    out["rows"] = result.rows
    out["types"] = {c["name"]: c["type"] for c in result.columns}

    ours, bare = [], []
    for i in range(QUERIES):
        code = REGENCIES[i % len(REGENCIES)] + ".01"
        started = time.perf_counter()
        datastore.search(table, filters={"kode_wilayah": code}, sort="penduduk desc", limit=100)
        ours.append(time.perf_counter() - started)
        started = time.perf_counter()
        with connection.cursor() as cursor:
            placeholder = "%s"
            cursor.execute(
                f"SELECT * FROM bench_raw WHERE c0 = {placeholder} "  # noqa: S608 - constant
                "ORDER BY CAST(c6 AS integer) DESC LIMIT 100",
                [code],
            )
            cursor.fetchall()
            cursor.execute(
                f"SELECT count(*) FROM bench_raw WHERE c0 = {placeholder}",  # noqa: S608
                [code],
            )
            cursor.fetchall()
        bare.append(time.perf_counter() - started)
    out["search"] = ours
    out["bare_search"] = bare

    # datastore_search_sql: the same filter and sort as SQL, against bare SQL.
    from onedata.core.models import User

    admin = User.objects.create(username="bench-admin", is_superuser=True, is_staff=True)
    dataset.version = 1
    dataset.state = "published"
    dataset.save(update_fields=["version", "state"])
    ours_sql = []
    for i in range(QUERIES):
        code = REGENCIES[i % len(REGENCIES)] + ".01"
        started = time.perf_counter()
        datastore.search_sql(
            admin,
            f"SELECT * FROM \"{resource.pk}\" WHERE kode_wilayah = '{code}' "  # noqa: S608
            "ORDER BY penduduk DESC LIMIT 100",
        )
        ours_sql.append(time.perf_counter() - started)
    out["search_sql"] = ours_sql

    out.update(catalog_search(agency))
    print("RESULT " + json.dumps(out), flush=True)


def catalog_search(agency) -> dict:
    """Catalog search over CATALOG published datasets: full text (words and their stems),
    published documents, three facets; through the selector (``catalog``) and through the
    CKAN action over HTTP in-process (``catalog_api``: routing, token check, rate counter,
    package dicts, JSON), each against a bare ``LIKE`` over titles and descriptions with a
    count (``bare_catalog``), measured in turns."""
    from django.db import connection
    from django.test import Client

    from onedata.datahub import search_index, selectors
    from onedata.datahub.models import Dataset, DatasetVersion

    words = ["penduduk", "kesehatan", "pariwisata", "sekolah", "jalan", "air", "pajak"]
    for i in range(CATALOG):
        made = Dataset.objects.create(
            name=f"set-{i}",
            title=f"Data {words[i % 7]} {i}",
            notes=f"Keterangan {words[(i * 3) % 7]} kabupaten {i % 9}",
            organization=agency,
            version=1,
            state="published",
        )
        DatasetVersion.objects.create(
            dataset=made, number=1, metadata=selectors.package_dict(made), resources=[]
        )
        search_index.refresh(made.pk)
    if connection.vendor == "postgresql":
        # Planner statistics, as autovacuum keeps them on a live database.
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")

    class Anonymous:
        is_authenticated = False
        is_active = False
        is_superuser = False

    facets = ["organization", "tags", "res_format"]
    client = Client(SERVER_NAME="127.0.0.1")

    def selector(word):
        selectors.search_datasets(Anonymous(), q=word, rows=10, facet_fields=facets)

    def api(word):
        response = client.get(
            "/api/3/action/package_search", {"q": word, "facet.field": json.dumps(facets)}
        )
        assert response.status_code == 200, response.content[:300]

    def bare(word):
        with connection.cursor() as cursor:
            like = f"%{word}%"
            cursor.execute(
                "SELECT id, name, title FROM datahub_dataset WHERE title LIKE %s OR notes LIKE %s "
                "ORDER BY modified_at DESC LIMIT 10",
                [like, like],
            )
            cursor.fetchall()
            cursor.execute(
                "SELECT count(*) FROM datahub_dataset WHERE title LIKE %s OR notes LIKE %s",
                [like, like],
            )
            cursor.fetchall()

    timings = {"catalog": [], "catalog_api": [], "bare_catalog": []}
    for i in range(QUERIES):
        word = words[i % 7]
        for name, run in (("catalog", selector), ("catalog_api", api), ("bare_catalog", bare)):
            started = time.perf_counter()
            run(word)
            timings[name].append(time.perf_counter() - started)
    return timings


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(share * (len(ordered) - 1))))]


def run_engine(engine: str, database_url: str, var_dir: Path, csv_path: Path) -> None:
    env = django_env(var_dir, database_url)
    completed = subprocess.run(
        [sys.executable, __file__, "--child", str(csv_path)],
        cwd=REPO_ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=3600,
    )
    line = next((x for x in completed.stdout.splitlines() if x.startswith("RESULT ")), None)
    if completed.returncode != 0 or line is None:
        note(f"{engine}: failed\n{completed.stdout[-2000:]}\n{completed.stderr[-3000:]}")
        return
    data = json.loads(line[7:])
    note(f"{engine}: {data['rows']} rows, types {data['types']}")
    emit(
        BENCH,
        f"{engine}.ingest",
        data["rows"] / data["ingest"],
        data["rows"] / data["baseline_ingest"],
        "rows/s",
    )
    for share, label in ((0.5, "p50"), (0.95, "p95")):
        emit(
            BENCH,
            f"{engine}.search.{label}",
            percentile(data["search"], share) * 1000,
            percentile(data["bare_search"], share) * 1000,
            "ms",
        )
        emit(
            BENCH,
            f"{engine}.search_sql.{label}",
            percentile(data["search_sql"], share) * 1000,
            percentile(data["bare_search"], share) * 1000,
            "ms",
        )
        emit(
            BENCH,
            f"{engine}.package_search.{label}",
            percentile(data["catalog"], share) * 1000,
            percentile(data["bare_catalog"], share) * 1000,
            "ms",
        )
        emit(
            BENCH,
            f"{engine}.package_search_api.{label}",
            percentile(data["catalog_api"], share) * 1000,
            percentile(data["bare_catalog"], share) * 1000,
            "ms",
        )


def main() -> None:
    with tempfile.TemporaryDirectory(prefix="bench-datahub-") as tmp:
        tmp_path = Path(tmp)
        csv_path = tmp_path / "data.csv"
        note(f"generating {ROWS} rows")
        make_csv(csv_path, ROWS)
        note(f"file: {csv_path.stat().st_size / 1e6:.1f} MB")
        if "sqlite" in ENGINES:
            sqlite_url = f"sqlite:///{tmp_path / 'bench.sqlite3'}"
            run_engine("sqlite", sqlite_url, tmp_path / "sq", csv_path)
        if "postgresql" not in ENGINES:
            return
        if postgres_ready(PG_URL):
            import psycopg

            admin = PG_URL.rsplit("/", 1)[0] + "/postgres"
            name = PG_URL.rsplit("/", 1)[1]
            # Dropped and created again: only a database named as a benchmark's.
            if not (name.startswith("bench") or name.endswith("_bench")):
                note("PostgreSQL database name must start with bench or end with _bench; skipped")
                return
            with psycopg.connect(admin, autocommit=True) as conn:
                conn.execute(f'DROP DATABASE IF EXISTS "{name}"')
                conn.execute(f'CREATE DATABASE "{name}"')
            run_engine("postgresql", PG_URL, tmp_path / "pg", csv_path)
        else:
            note("PostgreSQL not reachable: its figures are skipped")


if __name__ == "__main__":
    if len(sys.argv) > 2 and sys.argv[1] == "--child":
        child(sys.argv[2])
    else:
        main()
