"""Framework floor: how many requests a second the app serves before any real work.

Measured against a bare WSGI hello-world (``hello_app`` below) served by the same
gunicorn settings (2 workers x 4 threads, gthread, as ``onedata serve``) and loaded by
the same generator, in the same run. ratio = app / hello-world.

Scenarios (see bench/README.md):
  sqlite.ping              GET /api/v1/core/ping; the rate limiter counts in SQLite
  sqlite.ping_no_limiter   the same with ApiRateLimitMiddleware removed
  sqlite.region            GET /api/v1/core/regions/51 (one SELECT with a join)
  sqlite_redis.ping        ping with REDIS_URL set: the limiter counts in Redis
  postgres.ping            ping; the limiter counts in PostgreSQL
  postgres.region          GET /api/v1/core/regions/51 on PostgreSQL

Knobs: BENCH_SECONDS (5), BENCH_CONCURRENCY (8), BENCH_POSTGRES_URL, BENCH_REDIS_URL.
"""

from __future__ import annotations

import json
import os
import sys
import tempfile
from pathlib import Path

from _harness import (
    BENCH_DIR,
    LoadResult,
    Server,
    django_env,
    emit,
    env_number,
    load,
    note,
    postgres_ready,
    redis_ready,
    run_django,
)

BENCH = "framework_floor"
PING = "/api/v1/core/ping"
REGION = "/api/v1/core/regions/51"
APP = "onedata.wsgi:application"
PONG = {"ok": True}
REGION_51 = {"code": "51", "name": "Bali", "level": "province", "parent_code": None}
POSTGRES_URL = os.environ.get("BENCH_POSTGRES_URL", "postgres://postgres@127.0.0.1:5432/bench")
REDIS_URL = os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/15")
SECONDS = env_number("BENCH_SECONDS", 5.0)
CONCURRENCY = int(env_number("BENCH_CONCURRENCY", 8))

NO_LIMITER_SETTINGS = """\
from onedata.settings import *  # noqa: F403
from onedata.settings import MIDDLEWARE

MIDDLEWARE = [name for name in MIDDLEWARE if not name.endswith(".ApiRateLimitMiddleware")]
"""


def hello_app(environ, start_response):
    """The baseline: the least a WSGI app can do for the same JSON answer as ping."""
    body = b'{"ok": true}'
    start_response(
        "200 OK", [("Content-Type", "application/json"), ("Content-Length", str(len(body)))]
    )
    return [body]


def measure(server: Server, path: str, expected: dict) -> LoadResult:
    """Check the endpoint answers ``expected`` once, then load it."""
    status, body = server.get(path)
    if status != 200 or json.loads(body) != expected:
        raise RuntimeError(f"GET {path} answered {status}: {body[:500]!r}\n{server.log()}")
    result = load(server.port, path, seconds=SECONDS, concurrency=CONCURRENCY)
    note(f"  {server.app} GET {path}: {result.summary()}")
    if result.errors or set(result.statuses) != {200}:
        raise RuntimeError(f"GET {path} did not answer 200 every time:\n{server.log()}")
    return result


class Floor:
    """Each figure gets its own baseline, measured on the hello-world just before it,
    so that a change in the machine's load during the run moves both sides alike."""

    def __init__(self, hello: Server):
        self.hello = hello

    def figure(self, name: str, app: Server, path: str, expected: dict) -> None:
        baseline = measure(self.hello, "/", PONG)
        result = measure(app, path, expected)
        emit(BENCH, f"{name}.rps", result.rps, baseline.rps, "req/s")
        emit(BENCH, f"{name}.p99", result.p99, baseline.p99, "ms")


def prepare(env: dict[str, str]) -> None:
    run_django(env, "migrate", "--no-input", "-v", "0")
    run_django(env, "load_regions")


def main() -> int:
    note(
        f"gunicorn 2 workers x 4 threads (gthread), {CONCURRENCY} keep-alive connections, "
        f"{SECONDS:g} s per measurement after 1 s warm-up; "
        f"load average before start: {os.getloadavg()[0]:.2f}"
    )
    with (
        tempfile.TemporaryDirectory(prefix="onedata-bench-") as tmp,
        Server("framework_floor:hello_app", pythonpath=[BENCH_DIR]) as hello,
    ):
        tmpdir = Path(tmp)
        floor = Floor(hello)

        note("SQLite: migrate and load regions")
        sqlite_env = django_env(tmpdir, f"sqlite:///{tmpdir}/bench.sqlite3")
        prepare(sqlite_env)
        with Server(APP, env=sqlite_env, ready_path=PING) as app:
            floor.figure("sqlite.ping", app, PING, PONG)
            floor.figure("sqlite.region", app, REGION, REGION_51)

        (tmpdir / "bench_settings_no_limiter.py").write_text(NO_LIMITER_SETTINGS)
        no_limiter_env = {**sqlite_env, "DJANGO_SETTINGS_MODULE": "bench_settings_no_limiter"}
        with Server(APP, env=no_limiter_env, pythonpath=[tmpdir], ready_path=PING) as app:
            floor.figure("sqlite.ping_no_limiter", app, PING, PONG)

        if redis_ready(REDIS_URL):
            with Server(APP, env={**sqlite_env, "REDIS_URL": REDIS_URL}, ready_path=PING) as app:
                floor.figure("sqlite_redis.ping", app, PING, PONG)
        else:
            note("Redis unreachable: skipping sqlite_redis.ping")

        if postgres_ready(POSTGRES_URL):
            note("PostgreSQL: migrate and load regions")
            postgres_env = django_env(tmpdir, POSTGRES_URL)
            prepare(postgres_env)
            with Server(APP, env=postgres_env, ready_path=PING) as app:
                floor.figure("postgres.ping", app, PING, PONG)
                floor.figure("postgres.region", app, REGION, REGION_51)
        else:
            note("PostgreSQL unreachable: skipping the postgres figures")
    return 0


if __name__ == "__main__":
    sys.exit(main())
