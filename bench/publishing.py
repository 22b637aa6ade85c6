"""One Data: what publishing a module's table through the hub costs beside the module's
own query.

Per engine (SQLite in a fresh file; PostgreSQL when reachable), on the demo data of every
module (``onedata seed``), for each publication:

- ``<engine>.refresh.<name>``: a full refresh (``publishing.services.publication_refresh``:
  query, CSV, resource file, schema, DataStore load, data dictionary, new version, search
  index), against the module's query alone (``Publication.table``) measured in the same
  run. Milliseconds, best of 3 (less is better).
- ``<engine>.refresh.all``: the same summed over every publication.

Knobs: BENCH_PUBLISHING_POSTGRES_URL (a database whose name starts with "bench": dropped and
created again).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from _harness import REPO_ROOT, django_env, drop_postgres, emit, note, postgres_ready, run_django

BENCH = "publishing"
POSTGRES_URL = os.environ.get(
    "BENCH_PUBLISHING_POSTGRES_URL", "postgres://postgres@127.0.0.1:5432/bench_publishing"
)


def run_engine(engine: str, database_url: str, var_dir: Path) -> None:
    env = django_env(var_dir, database_url)
    note(f"{engine}: migrating and loading every module's demo data")
    run_django(env, "migrate", "--no-input", "-v0", timeout=900)
    completed = subprocess.run(
        [sys.executable, str(Path(__file__).resolve()), "--inner"],
        cwd=REPO_ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=3600,
    )
    sys.stderr.write(completed.stderr[-4000:])
    if completed.returncode != 0:
        raise RuntimeError(f"{engine}: inner run failed:\n{completed.stdout[-3000:]}")
    for name, value, baseline, unit in json.loads(completed.stdout.strip().splitlines()[-1]):
        emit(BENCH, f"{engine}.{name}", value, baseline, unit)


def _best(fn, repeat: int = 3) -> float:
    best = float("inf")
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        best = min(best, time.perf_counter() - start)
    return best


def inner() -> None:
    import io

    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command
    from django.utils import timezone

    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    call_command("seed", stdout=io.StringIO())  # publishes each dataset once, too
    from onedata.publishing import registry, services

    figures = []
    total_refresh = total_query = 0.0
    for publication in registry.all_publications():
        now = timezone.now()
        query = _best(lambda p=publication, n=now: p.table(n))
        refresh = _best(lambda p=publication: services.publication_refresh(name=p.name))
        status = services.status_for(publication)
        if status.failures:
            raise RuntimeError(f"{publication.name}: {status.last_error}")
        note(f"{publication.name}: {status.last_rows} rows, version {status.last_version}")
        figures.append((f"refresh.{publication.name}", refresh * 1000, query * 1000, "ms"))
        total_refresh += refresh
        total_query += query
    figures.append(("refresh.all", total_refresh * 1000, total_query * 1000, "ms"))
    print(json.dumps(figures))


def main() -> None:
    with tempfile.TemporaryDirectory(prefix="bench-publishing-") as tmp:
        run_engine("sqlite", f"sqlite:///{tmp}/sqlite/onedata.sqlite3", Path(tmp) / "sqlite")
        if postgres_ready(POSTGRES_URL):
            drop_postgres(POSTGRES_URL)
            postgres_ready(POSTGRES_URL)  # creates it again, empty
            try:
                run_engine("postgres", POSTGRES_URL, Path(tmp) / "pg")
            finally:
                drop_postgres(POSTGRES_URL)
        else:
            note("PostgreSQL not reachable: SQLite only")


if __name__ == "__main__":
    inner() if "--inner" in sys.argv else main()
