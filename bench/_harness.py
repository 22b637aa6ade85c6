"""Helpers every benchmark in bench/ uses: figures, servers, load, databases.

A benchmark prints one JSON line per figure on stdout (``emit``) and everything else
(progress, notices) on stderr, so ``make bench > figures.jsonl`` keeps only figures.

Traffic goes only to 127.0.0.1: servers bind the loopback interface on a free port and
the load generator has no way to name another host. Every server is started in its
own process group and stopped (TERM, then KILL) when its ``with`` block ends, when the
benchmark exits, or when it is interrupted.

Run as a script this module does nothing (``make bench`` loops over ``bench/*.py``).
"""

from __future__ import annotations

import atexit
import http.client
import itertools
import json
import os
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

BENCH_DIR = Path(__file__).resolve().parent
REPO_ROOT = BENCH_DIR.parent
LOOPBACK = "127.0.0.1"
# 50 characters, only ever used by benchmark servers on the loopback interface.
BENCH_SECRET_KEY = "bench-only-secret-key-0123456789-abcdefghijklmnopq"  # noqa: S105
VERY_HIGH_RATE = "100000000"

# Variables a benchmark must not inherit from the shell that runs it: each benchmark
# states the engines it measures.
_INHERITED_SETTINGS = (
    "DATABASE_URL",
    "REDIS_URL",
    "EMAIL_URL",
    "S3_BUCKET",
    "DEBUG",
    "SECURE_SSL",
    "ALLOWED_HOSTS",
    "ONEDATA_MODE",
    "ONEDATA_VAR_DIR",
    "SECRET_KEY",
    "DJANGO_SETTINGS_MODULE",
    "API_RATE_PER_MINUTE_IP",
    "API_RATE_PER_MINUTE_TOKEN",
    "WEB_CONCURRENCY",
    "WEB_THREADS",
    "PROMETHEUS_MULTIPROC_DIR",
    "LOG_FORMAT",
)


# --------------------------------------------------------------------------- figures


def emit(bench: str, figure: str, value: float, baseline: float, unit: str) -> dict:
    """Print one figure as a JSON line on stdout and return it.

    ``ratio`` is value / baseline (None when the baseline is zero).
    """
    ratio = round(value / baseline, 4) if baseline else None
    line = {
        "bench": bench,
        "figure": figure,
        "value": round(value, 3),
        "baseline": round(baseline, 3),
        "ratio": ratio,
        "unit": unit,
    }
    print(json.dumps(line), flush=True)
    return line


def note(message: str) -> None:
    """Progress and notices: stderr, so stdout keeps only figures."""
    print(f"[bench] {message}", file=sys.stderr, flush=True)


def env_number(name: str, default: float) -> float:
    """A tuning knob from the environment (e.g. BENCH_SECONDS=2 for a quick run)."""
    raw = os.environ.get(name, "").strip()
    return float(raw) if raw else default


# --------------------------------------------------------------------------- environment


def django_env(var_dir: Path | str, database_url: str, **extra: str) -> dict[str, str]:
    """Environment for the app in production mode against ``database_url``.

    Rate limits are set very high so that the limiter counts every request (its cost
    is measured) without ever answering 429. Like ``onedata serve``, the gunicorn
    workers share their Prometheus metrics through files (PROMETHEUS_MULTIPROC_DIR).
    The request log stays on (one line per request, as in production); it goes to the
    server's log file. ``extra`` overrides or adds variables.
    """
    metrics_dir = Path(var_dir) / "prometheus"
    metrics_dir.mkdir(parents=True, exist_ok=True)
    env = {key: value for key, value in os.environ.items() if key not in _INHERITED_SETTINGS}
    env.update(
        {
            "DJANGO_SETTINGS_MODULE": "onedata.settings",
            "ONEDATA_MODE": "production",
            "SECRET_KEY": BENCH_SECRET_KEY,
            "ALLOWED_HOSTS": LOOPBACK,
            "ONEDATA_VAR_DIR": str(var_dir),
            "DATABASE_URL": database_url,
            "EMAIL_URL": "console://",
            "API_RATE_PER_MINUTE_IP": VERY_HIGH_RATE,
            "API_RATE_PER_MINUTE_TOKEN": VERY_HIGH_RATE,
            "LOG_LEVEL": "WARNING",
            "PROMETHEUS_MULTIPROC_DIR": str(metrics_dir),
            "PYTHONDONTWRITEBYTECODE": "1",
        }
    )
    env.update(extra)
    return env


def run_django(env: dict[str, str], *args: str, timeout: float = 300) -> str:
    """``python -m django <args>`` in the repository root; raises with its output on failure."""
    completed = subprocess.run(
        [sys.executable, "-m", "django", *args],
        cwd=REPO_ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
    )
    if completed.returncode != 0:
        raise RuntimeError(
            f"python -m django {' '.join(args)} failed ({completed.returncode}):\n"
            f"{completed.stdout[-3000:]}\n{completed.stderr[-3000:]}"
        )
    return completed.stdout


def drop_postgres(url: str) -> None:
    """Drop a benchmark database (its name must start with "bench"), with its sessions."""
    import psycopg
    from psycopg import sql

    parts = urlsplit(url)
    name = parts.path.lstrip("/")
    if not name.startswith("bench"):
        raise ValueError("the benchmark database's name must start with 'bench'")
    with psycopg.connect(
        host=parts.hostname,
        port=parts.port or 5432,
        user=parts.username or "postgres",
        dbname="postgres",
        autocommit=True,
    ) as connection:
        connection.execute(
            sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name))
        )


def postgres_ready(url: str) -> bool:
    """True when the server in ``url`` answers; creates the database when it is missing.

    Only loopback servers are accepted, like everything else here.
    """
    try:
        import psycopg
        from psycopg import sql
    except ImportError:
        note("psycopg is not installed")
        return False
    parts = urlsplit(url)
    if parts.hostname not in (LOOPBACK, "localhost"):
        raise ValueError(f"benchmarks only talk to {LOOPBACK}, not {parts.hostname!r}")
    name = parts.path.lstrip("/")
    try:
        with psycopg.connect(
            host=parts.hostname,
            port=parts.port or 5432,
            user=parts.username or "postgres",
            password=parts.password or None,
            dbname="postgres",
            connect_timeout=3,
            autocommit=True,
        ) as connection:
            exists = connection.execute(
                "SELECT 1 FROM pg_database WHERE datname = %s", [name]
            ).fetchone()
            if not exists:
                connection.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
                note(f"created PostgreSQL database {name!r}")
    except psycopg.Error as error:
        note(f"PostgreSQL at {parts.hostname}:{parts.port or 5432} unreachable: {error}")
        return False
    return True


def redis_ready(url: str) -> bool:
    """True when a loopback Redis answers PING."""
    parts = urlsplit(url)
    if parts.hostname not in (LOOPBACK, "localhost"):
        raise ValueError(f"benchmarks only talk to {LOOPBACK}, not {parts.hostname!r}")
    try:
        with socket.create_connection((LOOPBACK, parts.port or 6379), timeout=2) as connection:
            connection.sendall(b"PING\r\n")
            return connection.recv(16).startswith(b"+PONG")
    except OSError as error:
        note(f"Redis at {LOOPBACK}:{parts.port or 6379} unreachable: {error}")
        return False


# --------------------------------------------------------------------------- servers


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind((LOOPBACK, 0))
        return probe.getsockname()[1]


_RUNNING: set[Server] = set()
_SIGNALS_INSTALLED = False


def _stop_all() -> None:
    for server in list(_RUNNING):
        server.stop()


def _on_signal(signum, frame):  # pragma: no cover - interactive
    raise SystemExit(128 + signum)


def _install_cleanup() -> None:
    global _SIGNALS_INSTALLED
    if _SIGNALS_INSTALLED:
        return
    _SIGNALS_INSTALLED = True
    atexit.register(_stop_all)
    if threading.current_thread() is threading.main_thread():
        signal.signal(signal.SIGTERM, _on_signal)
        signal.signal(signal.SIGHUP, _on_signal)


class Server:
    """A gunicorn server for ``app`` (``module:callable``) on a free loopback port.

    Use as a context manager: it returns once the server answers ``ready_path``.
    The defaults match ``onedata serve``: 2 workers x 4 threads, gthread worker class
    (which keeps connections alive), no access log.
    """

    def __init__(
        self,
        app: str,
        *,
        env: dict[str, str] | None = None,
        workers: int = 2,
        threads: int = 4,
        pythonpath: list[Path | str] | None = None,
        ready_path: str = "/",
        ready_timeout: float = 60,
        extra_args: list[str] | None = None,
    ):
        self.app = app
        self.env = dict(os.environ if env is None else env)
        self.workers = workers
        self.threads = threads
        self.pythonpath = [str(path) for path in pythonpath or []]
        self.ready_path = ready_path
        self.ready_timeout = ready_timeout
        self.extra_args = extra_args or []
        self.port: int | None = None
        self.process: subprocess.Popen | None = None
        self._log = None

    def argv(self) -> list[str]:
        argv = [
            sys.executable,
            "-m",
            "gunicorn",
            self.app,
            "--bind",
            f"{LOOPBACK}:{self.port}",
            "--workers",
            str(self.workers),
            "--threads",
            str(self.threads),
            "--worker-class",
            "gthread",
            "--graceful-timeout",
            "5",
            "--log-level",
            "warning",
        ]
        for path in self.pythonpath:
            argv += ["--pythonpath", path]
        return argv + self.extra_args

    def start(self) -> Server:
        _install_cleanup()
        self.port = free_port()
        # Open for the server's whole life; closed in stop().
        self._log = tempfile.TemporaryFile(mode="w+b")  # noqa: SIM115
        self.process = subprocess.Popen(
            self.argv(),
            cwd=REPO_ROOT,
            env=self.env,
            stdin=subprocess.DEVNULL,
            stdout=self._log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        _RUNNING.add(self)
        try:
            self.wait_ready()
        except BaseException:
            self.stop()
            raise
        return self

    def wait_ready(self) -> int:
        """Poll until the server answers (any HTTP status); returns that status."""
        deadline = time.monotonic() + self.ready_timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(
                    f"gunicorn {self.app} exited with {self.process.returncode}:\n{self.log()}"
                )
            connection = http.client.HTTPConnection(LOOPBACK, self.port, timeout=2)
            try:
                connection.request("GET", self.ready_path)
                response = connection.getresponse()
                response.read()
                return response.status
            except (OSError, http.client.HTTPException):
                time.sleep(0.1)
            finally:
                connection.close()
        raise RuntimeError(f"gunicorn {self.app} did not answer in {self.ready_timeout} s")

    def get(self, path: str) -> tuple[int, bytes]:
        """One request, for checking an endpoint answers as expected before loading it."""
        connection = http.client.HTTPConnection(LOOPBACK, self.port, timeout=10)
        try:
            connection.request("GET", path)
            response = connection.getresponse()
            return response.status, response.read()
        finally:
            connection.close()

    def log(self) -> str:
        if self._log is None or self._log.closed:
            return ""
        self._log.seek(0)
        return self._log.read().decode("utf-8", "replace")[-5000:]

    def stop(self) -> None:
        process, self.process = self.process, None
        _RUNNING.discard(self)
        if process is not None and process.poll() is None:
            try:
                os.killpg(process.pid, signal.SIGTERM)
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait(timeout=10)
            except ProcessLookupError:
                pass
        if self._log is not None and process is not None:
            self._log.close()

    def __enter__(self) -> Server:
        return self.start()

    def __exit__(self, *exc_info) -> None:
        self.stop()


# --------------------------------------------------------------------------- load


@dataclass
class LoadResult:
    requests: int
    errors: int
    seconds: float
    statuses: Counter = field(default_factory=Counter)
    latencies_ms: list[float] = field(default_factory=list, repr=False)

    @property
    def rps(self) -> float:
        return self.requests / self.seconds if self.seconds else 0.0

    def percentile(self, fraction: float) -> float:
        """Nearest-rank percentile of the latencies in milliseconds."""
        if not self.latencies_ms:
            return 0.0
        ordered = sorted(self.latencies_ms)
        rank = max(0, min(len(ordered) - 1, int(round(fraction * len(ordered))) - 1))
        return ordered[rank]

    @property
    def p50(self) -> float:
        return self.percentile(0.50)

    @property
    def p90(self) -> float:
        return self.percentile(0.90)

    @property
    def p99(self) -> float:
        return self.percentile(0.99)

    def summary(self) -> str:
        statuses = ", ".join(f"{code}: {count}" for code, count in sorted(self.statuses.items()))
        return (
            f"{self.requests} requests in {self.seconds:.2f} s = {self.rps:.0f}/s; "
            f"latency p50 {self.p50:.2f} ms, p90 {self.p90:.2f} ms, p99 {self.p99:.2f} ms; "
            f"errors {self.errors}; statuses {{{statuses}}}"
        )


def load(
    port: int,
    path: str,
    *,
    requests: int = 50_000,
    seconds: float = 5.0,
    concurrency: int = 8,
    warmup_seconds: float = 1.0,
    headers: dict[str, str] | None = None,
) -> LoadResult:
    """GET ``path`` on 127.0.0.1:``port`` from ``concurrency`` keep-alive connections.

    Stops after ``requests`` requests in all or ``seconds`` seconds, whichever comes
    first. A warm-up of ``warmup_seconds`` (not counted) fills connection pools and
    caches first. A request that fails at the socket level counts as an error and its
    connection is reopened; every HTTP answer is counted under its status.
    """
    if warmup_seconds > 0:
        _load(port, path, requests, warmup_seconds, concurrency, headers or {})
    return _load(port, path, requests, seconds, concurrency, headers or {})


def _load(port, path, requests, seconds, concurrency, headers) -> LoadResult:
    tickets = itertools.count()  # next() on a count is atomic under the GIL
    start_line = threading.Barrier(concurrency + 1)
    results: list[tuple[list[float], Counter, int]] = []
    results_lock = threading.Lock()
    deadline_box: list[float] = []

    def client() -> None:
        latencies: list[float] = []
        statuses: Counter = Counter()
        errors = 0
        connection = http.client.HTTPConnection(LOOPBACK, port, timeout=30)
        start_line.wait()
        deadline = deadline_box[0]
        clock = time.perf_counter
        try:
            while clock() < deadline and next(tickets) < requests:
                began = clock()
                try:
                    connection.request("GET", path, headers=headers)
                    response = connection.getresponse()
                    response.read()
                except (OSError, http.client.HTTPException):
                    errors += 1
                    connection.close()
                    connection = http.client.HTTPConnection(LOOPBACK, port, timeout=30)
                    continue
                latencies.append((clock() - began) * 1000)
                statuses[response.status] += 1
        finally:
            connection.close()
            with results_lock:
                results.append((latencies, statuses, errors))

    threads = [threading.Thread(target=client, daemon=True) for _ in range(concurrency)]
    for thread in threads:
        thread.start()
    began = time.perf_counter()
    deadline_box.append(began + seconds)
    start_line.wait()
    for thread in threads:
        thread.join()
    elapsed = time.perf_counter() - began
    total = LoadResult(requests=0, errors=0, seconds=elapsed)
    for latencies, statuses, errors in results:
        total.latencies_ms.extend(latencies)
        total.statuses.update(statuses)
        total.errors += errors
    total.requests = len(total.latencies_ms)
    return total


if __name__ == "__main__":
    # A helper, not a benchmark: `make bench` runs every bench/*.py, this one included.
    sys.exit(0)
