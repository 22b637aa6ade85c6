"""A throwaway copy of the scale-out topology for the fault tests.

Its own PostgreSQL (initdb + pg_ctl in a temporary folder, on a free port), its own
redis-server (free port, no persistence), and ``deploy/local-cluster.sh`` pointed at both
with its own folder and ports: nginx, two gunicorn app servers, two RQ workers and the
mail sink. Nothing here touches the machine's shared PostgreSQL or Redis, so restarting
or killing them disturbs nobody. Every process is started in its own session and ended
(group by group) when the topology stops, also when a test fails.
"""

from __future__ import annotations

import contextlib
import json
import os
import pwd
import shutil
import signal
import socket
import subprocess
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
SCRIPT = REPO / "deploy" / "local-cluster.sh"
PYTHON = REPO / ".venv" / "bin" / "python"
LOOPBACK = "127.0.0.1"
# The load comes from one address; per-address limits would answer 429 (not what these
# tests are about). The limiter itself still runs on every request.
LIMITS = {
    "API_RATE_PER_MINUTE_IP": "100000000",
    "API_RATE_PER_MINUTE_TOKEN": "100000000",
    "CLINICS_BOOKINGS_PER_HOUR_IP": "100000000",
    "CLINICS_BOOKINGS_PER_HOUR_NIK": "100000000",
    "WEB_CONCURRENCY": "1",
    "WEB_THREADS": "4",
}
# The pytest process's own settings must not leak into the cluster's processes.
SCRUB = (
    "DATABASE_URL",
    "REDIS_URL",
    "ONEDATA_MODE",
    "ONEDATA_VAR_DIR",
    "SECRET_KEY",
    "DJANGO_SETTINGS_MODULE",
    "ONEDATA_TEST_REAL_TASKS",
    "EMAIL_URL",
    "MEDIA_ROOT",
    "STATIC_ROOT",
    "PROMETHEUS_MULTIPROC_DIR",
    "DEBUG",
)


def pg_bin(name: str) -> str:
    found = sorted(Path("/usr/lib/postgresql").glob(f"*/bin/{name}"))
    if found:
        return str(found[-1])
    located = shutil.which(name)
    if not located:
        raise FileNotFoundError(f"{name} (PostgreSQL server binaries) not found")
    return located


def free_port_block(start: int, size: int = 1) -> int:
    """The first port >= start such that start..start+size-1 are all free on loopback."""
    port = start
    while port < 65000:
        if all(_free(p) for p in range(port, port + size)):
            return port
        port += size
    raise RuntimeError("no free port block")


def _free(port: int) -> bool:
    with socket.socket() as probe:
        try:
            probe.bind((LOOPBACK, port))
        except OSError:
            return False
    return True


def _wait(check, seconds: float, what: str) -> None:
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        if check():
            return
        time.sleep(0.2)
    raise TimeoutError(f"gave up after {seconds:.0f} s waiting for {what}")


class OwnPostgres:
    """initdb + pg_ctl on a free port; run as the postgres user when we are root."""

    def __init__(self, root: Path):
        self.dir = root / "pg"
        self.socket_dir = root / "pgsock"
        self.port = free_port_block(5440)
        self.as_user: list[str] = []
        if os.geteuid() == 0:
            self.as_user = ["runuser", "-u", "postgres", "--"]
            pwd.getpwnam("postgres")  # KeyError: no postgres user to run the server as

    def _run(self, *argv: str, timeout: float = 60) -> None:
        subprocess.run(
            [*self.as_user, *argv],
            check=True,
            timeout=timeout,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            cwd="/",
        )

    def start(self) -> None:
        for folder in (self.dir, self.socket_dir):
            folder.mkdir(mode=0o700)
            if self.as_user:
                shutil.chown(folder, "postgres", "postgres")
        self._run(
            pg_bin("initdb"),
            "-D",
            str(self.dir),
            "-U",
            "postgres",
            "--auth=trust",
            "--no-sync",
            "-E",
            "UTF8",
            "--locale=C.UTF-8",
        )
        options = (
            f"-p {self.port} -k {self.socket_dir} -c listen_addresses={LOOPBACK} "
            "-c fsync=off -c synchronous_commit=off -c full_page_writes=off "
            "-c max_connections=80 -c shared_buffers=64MB"
        )
        self.options = options
        self._run(
            pg_bin("pg_ctl"),
            "-D",
            str(self.dir),
            "-o",
            options,
            "-l",
            str(self.dir / "server.log"),
            "-w",
            "-t",
            "60",
            "start",
            timeout=90,
        )

    def restart(self) -> None:
        """What `pg_ctlcluster 15 main restart` does: fast shutdown (clients are cut off),
        then start again."""
        self._run(
            pg_bin("pg_ctl"),
            "-D",
            str(self.dir),
            "-o",
            self.options,
            "-l",
            str(self.dir / "server.log"),
            "-m",
            "fast",
            "-w",
            "-t",
            "60",
            "restart",
            timeout=90,
        )

    def stop(self) -> None:
        if (self.dir / "postmaster.pid").exists():
            try:
                self._run(
                    pg_bin("pg_ctl"),
                    "-D",
                    str(self.dir),
                    "-m",
                    "immediate",
                    "-w",
                    "-t",
                    "30",
                    "stop",
                    timeout=45,
                )
            except (subprocess.SubprocessError, OSError):
                pid = int((self.dir / "postmaster.pid").read_text().split()[0])
                _kill(pid, signal.SIGKILL, group=False)

    def url(self, database: str) -> str:
        return f"postgres://postgres@{LOOPBACK}:{self.port}/{database}"

    def query(self, sql: str, database: str = "onedata_cluster", **values) -> list[list[str]]:
        """Rows of one statement; ``:'name'`` in it is ``values[name]``, quoted by psql."""
        argv = ["psql", self.url(database), "-AtX", "-F", "\t", "-v", "ON_ERROR_STOP=1"]
        for name, value in values.items():
            argv += ["-v", f"{name}={value}"]
        out = subprocess.run(
            argv, input=sql, check=True, capture_output=True, text=True, timeout=60
        ).stdout
        return [line.split("\t") for line in out.splitlines() if line]


class OwnRedis:
    def __init__(self, root: Path):
        self.dir = root / "redis"
        self.port = free_port_block(6390)
        self.process: subprocess.Popen | None = None

    def start(self) -> None:
        self.dir.mkdir(exist_ok=True)
        self.process = subprocess.Popen(
            [
                "redis-server",
                "--port",
                str(self.port),
                "--bind",
                LOOPBACK,
                "--save",
                "",
                "--appendonly",
                "no",
                "--dir",
                str(self.dir),
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            start_new_session=True,
        )
        _wait(lambda: not _free(self.port), 20, f"redis-server on port {self.port}")

    def kill(self) -> None:
        if self.process and self.process.poll() is None:
            self.process.kill()
            self.process.wait(10)

    def url(self) -> str:
        return f"redis://{LOOPBACK}:{self.port}/0"


def _kill(pid: int, sig: int, group: bool = True) -> None:
    try:
        if group:
            os.killpg(pid, sig)
        else:
            os.kill(pid, sig)
    except (ProcessLookupError, PermissionError):
        pass


class Topology:
    """Own PostgreSQL and Redis, and local-cluster.sh (2 apps, 2 workers) on top."""

    def __init__(self):
        self.root = Path(tempfile.mkdtemp(prefix="onedata-faults-"))
        os.chmod(self.root, 0o755)  # noqa: S103 - the postgres user walks through it
        self.pg = OwnPostgres(self.root)
        self.redis = OwnRedis(self.root)
        self.port = free_port_block(18080, 30)  # nginx, apps at +21, +22, mail sink at +25
        self.dir = self.root / "cluster"
        self.base = f"http://{LOOPBACK}:{self.port}"

    # --- life cycle
    def start(self) -> None:
        self.pg.start()
        self.redis.start()
        self.cluster("start", timeout=600)

    def stop(self) -> None:
        # Its data is thrown away: no graceful stop, every process group is killed at once.
        for pidfile in (self.dir / "run").glob("*.pid"):
            with contextlib.suppress(ValueError, OSError):
                self.kill9(pidfile.stem)
        self.redis.kill()
        self.pg.stop()
        shutil.rmtree(self.root, ignore_errors=True)

    def env(self) -> dict[str, str]:
        env = {k: v for k, v in os.environ.items() if k not in SCRUB}
        env.update(LIMITS)
        env.update(
            CLUSTER_DIR=str(self.dir),
            CLUSTER_PORT=str(self.port),
            CLUSTER_APPS="2",
            CLUSTER_WORKERS="2",
            CLUSTER_DATABASE_URL=self.pg.url("onedata_cluster"),
            CLUSTER_REDIS_URL=self.redis.url(),
            PYTHON=str(PYTHON),
        )
        return env

    def cluster(self, command: str, timeout: float = 180) -> str:
        out = subprocess.run(
            ["bash", str(SCRIPT), command],
            env=self.env(),
            timeout=timeout,
            capture_output=True,
            text=True,
            cwd=REPO,
        )
        if out.returncode:
            raise RuntimeError(f"local-cluster.sh {command} failed:\n{out.stderr[-4000:]}")
        return out.stdout

    def process_env(self) -> dict[str, str]:
        """The environment every process of the topology runs with (for manage shell)."""
        pairs = dict(line.split("=", 1) for line in self.cluster("env").splitlines() if "=" in line)
        return {**self.env(), **pairs, "LOG_LEVEL": "WARNING"}

    def shell(self, script: str, timeout: float = 300):
        """Run Python inside Django against the topology; returns the last stdout line as JSON."""
        out = subprocess.run(
            [str(PYTHON), "-m", "onedata.cli", "manage", "shell", "-c", script],
            env=self.process_env(),
            capture_output=True,
            text=True,
            timeout=timeout,
            cwd=REPO,
        )
        if out.returncode:
            raise RuntimeError(f"manage shell failed:\n{out.stderr[-4000:]}")
        return json.loads(out.stdout.strip().splitlines()[-1])

    # --- processes
    def pid(self, name: str) -> int:
        return int((self.dir / "run" / f"{name}.pid").read_text().strip())

    def kill9(self, name: str) -> None:
        """kill -9 the process and everything under it (gunicorn master and workers; the
        RQ worker and its work horse, which RQ puts in a session of its own), as a crashed
        host would leave it."""
        family = self.children(name)  # before the kill: orphans are adopted by init
        _kill(self.pid(name), signal.SIGKILL)
        for pid in family:
            _kill(pid, signal.SIGKILL, group=False)

    def children(self, name: str) -> list[int]:
        """Descendant pids of a topology process (an RQ worker's work horse, when busy)."""
        root = self.pid(name)
        parents: dict[int, int] = {}
        for entry in Path("/proc").iterdir():
            if entry.name.isdigit():
                try:
                    stat = (entry / "stat").read_text()
                except OSError:
                    continue
                parents[int(entry.name)] = int(stat[stat.rfind(")") + 2 :].split()[1])
        found, frontier = [], [root]
        while frontier:
            current = frontier.pop()
            kids = [pid for pid, parent in parents.items() if parent == current]
            found.extend(kids)
            frontier.extend(kids)
        return found

    def revive(self) -> None:
        self.cluster("revive", timeout=180)

    def outbox(self) -> list[str]:
        """Subjects of every mail the sink received."""
        subjects = []
        for path in (self.dir / "outbox").glob("*.eml"):
            for line in path.read_text(errors="replace").splitlines():
                if line.lower().startswith("subject:"):
                    subjects.append(line.split(":", 1)[1].strip())
                    break
        return subjects
