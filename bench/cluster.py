"""The scale-out topology under a mixed load: one app server against two.

Runs ``deploy/local-cluster.sh`` (nginx on 127.0.0.1:8080 in front of gunicorn app
servers, RQ workers, PostgreSQL database ``onedata_cluster``, Redis db 2, mail sink) and
drives the same mixed workload through nginx with one app server in nginx's upstream
list, then with two, alternating (1, 2, 1, 2: BENCH_ROUNDS rounds of BENCH_SECONDS each,
so that a change in the machine's other load falls on both alike), from an asyncio httpx
load generator in this process:

- ``booking``: clinic booking surge, ``POST /api/v1/clinics/bookings`` (a new NIK each)
- ``checkin``: attendance morning peak, ``POST /api/v1/attendance/checkins`` with a real
  selfie (/work/shared/testdata/faces, letterboxed to 640x480) from enrolled employees
- ``package_search`` / ``datastore_search``: data hub queries (CKAN Action API) on a
  published dataset whose CSV the workers loaded into the DataStore
- ``notify``: ``POST /api/v1/notify/messages`` with an application key (the RQ workers
  deliver to the mail sink)

For each configuration and operation: requests a second, p50/p95/p99 latency and errors
(any answer but the expected 2xx; a booking refused with 409 ``quota_full`` is counted
apart). Then what bounds the growth: CPU busy on the machine (from /proc/stat) and where
the CPU went (app servers, PostgreSQL backends, workers, nginx, Redis, this load
generator), from /proc/<pid>/stat.

Figures (JSON lines on stdout; the baseline is the one-app configuration of the same run):
``two_apps.<op>.throughput`` against ``one_app.<op>.throughput``, ``two_apps.total`` …

Knobs: BENCH_SECONDS (15), BENCH_ROUNDS (2), BENCH_WARMUP (3), CLUSTER_PORT (8080),
BENCH_KEEP=1 leaves the cluster running. Only loopback is ever addressed. Needs
PostgreSQL on 127.0.0.1:5432, Redis on 127.0.0.1:6379 and nginx; skipped (with a note)
when one is missing. On a machine shared with other work the figures say more about that
work than about the topology: read the "other processes" share it prints.
"""

from __future__ import annotations

import asyncio
import io
import json
import os
import random
import shutil
import subprocess
import sys
import time
import uuid
from collections import Counter, defaultdict
from pathlib import Path

import httpx
from _harness import REPO_ROOT, emit, env_number, note

BENCH = "cluster"
SCRIPT = REPO_ROOT / "deploy" / "local-cluster.sh"
FACES = Path(os.environ.get("ONEDATA_TESTDATA", "/work/shared/testdata")) / "faces"
PORT = int(os.environ.get("CLUSTER_PORT", "8080"))
BASE = f"http://127.0.0.1:{PORT}"
RENON = (-8.6726, 115.2330)
# The load comes from one address (nginx sees 127.0.0.1): lift the per-address limits for
# the run (the limiter still counts every request in Redis, so its cost is measured).
LIMITS = {
    "API_RATE_PER_MINUTE_IP": "100000000",
    "API_RATE_PER_MINUTE_TOKEN": "100000000",
    "CLINICS_BOOKINGS_PER_HOUR_IP": "100000000",
    "CLINICS_BOOKINGS_PER_HOUR_NIK": "100000000",
}
# Concurrent clients per operation (closed loop: each sends, waits, sends again).
CLIENTS = {"booking": 6, "checkin": 3, "package_search": 2, "datastore_search": 2, "notify": 3}
EXPECTED = {
    "booking": 201,
    "checkin": 201,
    "package_search": 200,
    "datastore_search": 200,
    "notify": 202,
}

SETUP = r"""
import json, time
from datetime import time as clock, timedelta
from django.core.files.uploadedfile import SimpleUploadedFile
from onedata.attendance import crypto, face
from onedata.attendance.models import Employee, FaceTemplate, Office, OfficeLocation
from onedata.clinics import services as clinics
from onedata.clinics.models import Clinic, Service, Session
from onedata.core import services as core
from onedata.core.models import Agency, Region, User
from onedata.core.regions import regions_load
from onedata.datahub import services as hub
from onedata.datahub.models import DataTable
from onedata.notifications import services as notify

tag = %(tag)r
if not Region.objects.filter(code="51.71.01").exists():
    regions_load()
district = Region.objects.get(code="51.71.01")
admin = User.objects.create_superuser(f"bench-{tag}", f"bench-{tag}@example.id", None)
agency = Agency.objects.create(slug=f"bench-{tag}", name=f"Bench {tag}", kind="dinas",
                               region=Region.objects.get(code="51"))
clinic_ids = []
for n in range(4):
    puskesmas = Agency.objects.create(slug=f"bench-{tag}-pkm-{n}", name=f"Puskesmas {tag} {n}",
                                      kind=Agency.Kind.PUSKESMAS, region=district)
    clinic = clinics.clinic_create(actor="bench", agency=puskesmas, kind=Clinic.Kind.PUSKESMAS,
                                   latitude=-8.68 + n / 1000, longitude=115.2)
    service = Service.objects.create(clinic=clinic, kind="umum", prefix="A")
    for weekday in range(7):
        Session.objects.create(service=service, weekday=weekday, starts_at=clock(7),
                               ends_at=clock(20), quota_online=100000, quota_walkin=0)
    clinic_ids.append(clinic.pk)
day = str(clinics.today_wita() + timedelta(days=1))

office = Office.objects.create(agency=agency, name=f"Kantor {tag}")
OfficeLocation.objects.create(office=office, name="Renon", latitude=%(lat)s, longitude=%(lon)s)
reference = face.analyse(face.load_rgb(open(%(photo)r, "rb").read())).descriptor
tokens = []
for i in range(60):
    user = User.objects.create(username=f"bench-{tag}-{i}")
    employee = Employee.objects.create(user=user, office=office, name=f"Pegawai {i}",
                                       employment_type="contract")
    FaceTemplate.objects.create(employee=employee, status="approved",
        descriptor=crypto.encrypt(face.to_bytes(reference),
                                  context=f"descriptor:{employee.pk}".encode()))
    tokens.append(core.api_token_create(actor="bench", user=user, name="bench").plaintext)

rows = ["kabupaten,kecamatan,tahun,penduduk"]
for i in range(3000):
    rows.append(f"Kab {i %% 9},Kec {i %% 57},{2020 + i %% 5},{1000 + i * 7 %% 20000}")
dataset = hub.dataset_create(actor=admin, organization=agency, name=f"penduduk-{tag}",
                             title=f"Jumlah penduduk {tag}", access_level="public",
                             tags=["penduduk"])
resource = hub.resource_create(actor=admin, dataset=dataset,
                               upload="\n".join(rows).encode(), upload_name="penduduk.csv")
for _ in range(240):  # the RQ workers load the file
    status = DataTable.objects.get(resource=resource).status
    if status in ("ready", "failed"):
        break
    time.sleep(0.5)
hub.dataset_submit(actor=admin, dataset=dataset)
hub.dataset_approve(actor=admin, dataset=dataset)

application = notify.application_create(actor="bench", agency=agency, name=f"Bench {tag}",
                                        rate_per_second=10**9, rate_per_day=10**9)
key = notify.application_key_create(actor="bench", application=application, name="b").plaintext
print(json.dumps({"clinics": clinic_ids, "date": day, "tokens": tokens, "key": key,
                  "resource": str(resource.pk), "datastore": status, "dataset": dataset.name}))
"""


# --------------------------------------------------------------------------- the cluster


def cluster(command: str, apps: int) -> None:
    env = {**os.environ, **LIMITS, "CLUSTER_APPS": str(apps), "CLUSTER_PORT": str(PORT)}
    subprocess.run(["bash", str(SCRIPT), command], check=True, env=env, timeout=300)


def cluster_env() -> dict[str, str]:
    out = subprocess.run(
        ["bash", str(SCRIPT), "env"], check=True, capture_output=True, text=True, timeout=30
    ).stdout
    pairs = dict(line.split("=", 1) for line in out.splitlines() if "=" in line)
    return {**os.environ, **LIMITS, **pairs, "LOG_LEVEL": "WARNING"}


def setup(tag: str) -> dict:
    script = SETUP % {
        "tag": tag,
        "lat": RENON[0],
        "lon": RENON[1],
        "photo": str(FACES / "obama_1.jpg"),
    }
    python = str(REPO_ROOT / ".venv" / "bin" / "python")
    out = subprocess.run(
        [python, "-m", "onedata.cli", "manage", "shell", "-c", script],
        cwd=REPO_ROOT,
        env=cluster_env(),
        capture_output=True,
        text=True,
        timeout=600,
    )
    if out.returncode:
        raise SystemExit(f"setup failed:\n{out.stderr[-3000:]}")
    return json.loads(out.stdout.strip().splitlines()[-1])


def selfies() -> list[bytes]:
    from PIL import Image

    images = []
    for name in ("obama_2.jpg", "obama_3.jpg"):
        image = Image.open(FACES / name).convert("RGB")
        image.thumbnail((640, 480))
        canvas = Image.new("RGB", (640, 480), (120, 120, 120))
        canvas.paste(image, ((640 - image.width) // 2, (480 - image.height) // 2))
        out = io.BytesIO()
        canvas.save(out, "JPEG", quality=85)
        images.append(out.getvalue())
    return images


# --------------------------------------------------------------------------- CPU


def cpu_total() -> tuple[int, int]:
    """(busy, all) jiffies of the whole machine, from the first line of /proc/stat."""
    fields = [int(v) for v in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:]]
    idle = fields[3] + fields[4]  # idle + iowait
    return sum(fields[:8]) - idle, sum(fields[:8])


def _processes() -> dict[int, tuple[int, str, int]]:
    """pid -> (parent pid, command line, CPU jiffies incl. reaped children)."""
    found = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
            cmdline = (entry / "cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
        except OSError:
            continue
        rest = stat[stat.rfind(")") + 2 :].split()
        ppid = int(rest[1])
        jiffies = sum(int(v) for v in rest[11:15])  # utime stime cutime cstime
        found[int(entry.name)] = (ppid, cmdline, jiffies)
    return found


def cpu_by_part(run_dir: Path) -> dict[str, int]:
    """CPU jiffies so far of each part of the topology (and of this process)."""
    procs = _processes()
    children = defaultdict(list)
    for pid, (ppid, _cmd, _j) in procs.items():
        children[ppid].append(pid)

    def tree(root: int) -> int:
        total, stack = 0, [root]
        while stack:
            pid = stack.pop()
            if pid in procs:
                total += procs[pid][2]
                stack.extend(children[pid])
        return total

    parts: Counter = Counter()
    for pidfile in run_dir.glob("*.pid"):
        try:
            pid = int(pidfile.read_text().strip())
        except ValueError:
            continue
        name = pidfile.stem.rstrip("0123456789") or pidfile.stem
        parts[{"app": "app servers", "worker": "RQ workers"}.get(name, name)] += tree(pid)
    for _ppid, cmd, jiffies in procs.values():
        if cmd.startswith("postgres: ") and " onedata_cluster " in cmd:
            parts["PostgreSQL backends"] += jiffies
        elif cmd.startswith("redis-server"):
            parts["Redis (shared)"] += jiffies
    parts["load generator"] = tree(os.getpid())
    return dict(parts)


# --------------------------------------------------------------------------- the load


def nik(n: int) -> str:
    return f"517101{1 + n // 10000 % 28:02d}0190{n % 10000:04d}"


class Load:
    def __init__(self, data: dict, images: list[bytes]):
        self.data = data
        self.images = images
        self.counter = random.randrange(10**6)  # new NIKs each run
        self.latency: dict[str, list[float]] = defaultdict(list)
        self.errors: dict[str, Counter] = defaultdict(Counter)
        self.refused: Counter = Counter()
        self.recording = False

    def request(self, op: str, n: int) -> dict:
        d = self.data
        if op == "booking":
            return {
                "method": "POST",
                "url": "/api/v1/clinics/bookings",
                "json": {
                    "clinic_id": d["clinics"][n % len(d["clinics"])],
                    "service": "umum",
                    "date": d["date"],
                    "nik": nik(self.counter + n),
                    "name": f"Pasien {n}",
                    "phone": "081234567890",
                },
            }
        if op == "checkin":
            return {
                "method": "POST",
                "url": "/api/v1/attendance/checkins",
                "headers": {"Authorization": f"Bearer {d['tokens'][n % len(d['tokens'])]}"},
                "data": {"kind": "in", "lat": RENON[0], "lon": RENON[1], "accuracy_m": 10},
                "files": {"photo": ("selfie.jpg", self.images[n % 2], "image/jpeg")},
            }
        if op == "package_search":
            return {
                "method": "GET",
                "url": "/api/3/action/package_search",
                "params": {"q": "penduduk", "rows": 10},
            }
        if op == "datastore_search":
            return {
                "method": "GET",
                "url": "/api/3/action/datastore_search",
                "params": {
                    "resource_id": d["resource"],
                    "filters": json.dumps({"kabupaten": f"Kab {n % 9}"}),
                    "limit": 20,
                },
            }
        return {
            "method": "POST",
            "url": "/api/v1/notify/messages",
            "headers": {"Authorization": f"Bearer {d['key']}"},
            "json": {
                "to": [f"warga{n}@example.id"],
                "subject": f"Nomor antrean A-{n:05d}",
                "text": "Nomor antrean Anda sudah terdaftar.",
            },
        }

    async def client(self, http, op: str, offset: int, stop_at: float) -> None:
        n = offset
        while time.monotonic() < stop_at:
            n += 1000
            began = time.perf_counter()
            try:
                response = await http.request(**self.request(op, n))
                status = response.status_code
                code = ""
                if status >= 400:
                    try:
                        code = response.json()["error"]["code"]
                    except (ValueError, KeyError, TypeError):
                        code = ""
            except httpx.HTTPError as error:
                status, code = type(error).__name__, ""
            elapsed = time.perf_counter() - began
            if not self.recording:
                continue
            self.latency[op].append(elapsed)
            if status == EXPECTED[op]:
                continue
            if op == "booking" and code == "quota_full":
                self.refused[op] += 1
            else:
                self.errors[op][f"{status} {code}".strip()] += 1

    async def run(self, warmup: float, seconds: float) -> float:
        limits = httpx.Limits(max_connections=64, max_keepalive_connections=64)
        async with httpx.AsyncClient(base_url=BASE, timeout=60, limits=limits) as http:
            stop_at = time.monotonic() + warmup + seconds
            tasks = [
                asyncio.create_task(self.client(http, op, i, stop_at))
                for op, count in CLIENTS.items()
                for i in range(count)
            ]
            await asyncio.sleep(warmup)
            self.recording = True
            began = time.monotonic()
            await asyncio.gather(*tasks)
            return time.monotonic() - began


def percentile(values: list[float], fraction: float) -> float:
    if not values:
        return 0.0
    ordered = sorted(values)
    return ordered[max(0, min(len(ordered) - 1, int(round(fraction * len(ordered))) - 1))]


def measure(apps: int, data: dict, images: list[bytes]) -> dict:
    """One round: the raw latencies, errors and CPU jiffies of ``apps`` app servers."""
    run_dir = Path(cluster_env()["ONEDATA_VAR_DIR"]) / "run"
    warmup, seconds = env_number("BENCH_WARMUP", 3), env_number("BENCH_SECONDS", 15)
    load = Load(data, images)
    note(f"{apps} app server(s): {warmup:.0f} s warm-up, then {seconds:.0f} s measured")

    async def go():
        task = asyncio.create_task(load.run(warmup, seconds))
        await asyncio.sleep(warmup)
        cpu0, parts0 = cpu_total(), cpu_by_part(run_dir)
        wall = await task
        cpu1, parts1 = cpu_total(), cpu_by_part(run_dir)
        return wall, cpu0, cpu1, parts0, parts1

    wall, cpu0, cpu1, parts0, parts1 = asyncio.run(go())
    return {
        "apps": apps,
        "wall": wall,
        "busy": cpu1[0] - cpu0[0],
        "all": cpu1[1] - cpu0[1],
        "parts": Counter({name: parts1.get(name, 0) - parts0.get(name, 0) for name in parts1}),
        "latency": load.latency,
        "errors": load.errors,
        "refused": load.refused,
        "load": os.getloadavg()[0],
    }


def combine(rounds: list[dict]) -> dict:
    """The rounds of one configuration as one result (figures over all their requests)."""
    wall = sum(r["wall"] for r in rounds)
    ticks, cores = os.sysconf("SC_CLK_TCK"), os.cpu_count() or 1
    parts: Counter = Counter()
    for r in rounds:
        parts.update(r["parts"])
    ops = {}
    for op in CLIENTS:
        values = [v for r in rounds for v in r["latency"][op]]
        errors: Counter = Counter()
        for r in rounds:
            errors.update(r["errors"][op])
        ops[op] = {
            "n": len(values),
            "rps": len(values) / wall,
            "p50": percentile(values, 0.50) * 1000,
            "p95": percentile(values, 0.95) * 1000,
            "p99": percentile(values, 0.99) * 1000,
            "errors": dict(errors),
            "refused": sum(r["refused"][op] for r in rounds),
        }
    shares = {name: jiffies / ticks / wall / cores for name, jiffies in parts.items()}
    busy = sum(r["busy"] for r in rounds) / max(1, sum(r["all"] for r in rounds))
    shares["other processes on the machine"] = max(0.0, busy - sum(shares.values()))
    return {
        "apps": rounds[0]["apps"],
        "wall": wall,
        "busy": busy,
        "parts": shares,
        "ops": ops,
        "load": sum(r["load"] for r in rounds) / len(rounds),
    }


def report(result: dict) -> None:
    print(
        f"\n{result['apps']} app server(s), {result['wall']:.0f} s measured "
        f"(CPU busy {result['busy']:.0%} of {os.cpu_count()} cores, "
        f"load average {result['load']:.1f})",
        file=sys.stderr,
    )
    print(
        f"  {'operation':<17}{'req/s':>8}{'p50 ms':>9}{'p95 ms':>9}{'p99 ms':>9}  errors",
        file=sys.stderr,
    )
    total = 0.0
    for op, f in result["ops"].items():
        total += f["rps"]
        errors = ", ".join(f"{k}: {v}" for k, v in f["errors"].items()) or "0"
        print(
            f"  {op:<17}{f['rps']:>8.1f}{f['p50']:>9.0f}{f['p95']:>9.0f}{f['p99']:>9.0f}  {errors}",
            file=sys.stderr,
        )
    print(f"  {'all':<17}{total:>8.1f}", file=sys.stderr)
    shares = sorted(result["parts"].items(), key=lambda kv: -kv[1])
    print(
        "  CPU by part (share of the machine): "
        + ", ".join(f"{name} {share:.0%}" for name, share in shares if share >= 0.005),
        file=sys.stderr,
    )


def available() -> str:
    if not FACES.exists():
        return f"no test photos at {FACES}"
    if not (shutil.which("nginx") or Path("/usr/sbin/nginx").exists()):
        return "nginx is not installed"
    for command in (["pg_isready", "-q", "-h", "127.0.0.1"], ["redis-cli", "ping"]):
        try:
            if subprocess.run(command, capture_output=True, timeout=10).returncode:
                return f"{command[0]}: the service does not answer"
        except (OSError, subprocess.TimeoutExpired):
            return f"{command[0]} is missing"
    return ""


def main() -> None:
    missing = available()
    if missing:
        note(f"{missing}: cluster benchmark skipped")
        return
    images = selfies()
    rounds: list[dict] = []
    try:
        cluster("stop", 1)
        cluster("start", 2)  # both app servers up; nginx is told which to use
        cluster("revive", 1)
        tag = uuid.uuid4().hex[:8]
        note(f"creating clinics, 60 enrolled employees, a dataset and an application ({tag})")
        data = setup(tag)
        if data["datastore"] != "ready":
            raise SystemExit(f"the workers did not load the dataset: {data['datastore']}")
        # Alternate 1, 2, 1, 2 … so that a change in the machine's other load over the run
        # falls on both configurations alike.
        for _ in range(int(env_number("BENCH_ROUNDS", 2))):
            for apps in (1, 2):
                cluster("revive", apps)  # nginx's upstream list: app 1, or apps 1 and 2
                rounds.append(measure(apps, data, images))
    finally:
        if os.environ.get("BENCH_KEEP") != "1":
            cluster("stop", 2)
    results = [combine([r for r in rounds if r["apps"] == apps]) for apps in (1, 2)]
    for result in results:
        report(result)
    one, two = results
    for op in CLIENTS:
        emit(BENCH, f"two_apps.{op}.throughput", two["ops"][op]["rps"], one["ops"][op]["rps"], "/s")
        emit(BENCH, f"two_apps.{op}.p95", two["ops"][op]["p95"], one["ops"][op]["p95"], "ms")
    total = [sum(f["rps"] for f in r["ops"].values()) for r in results]
    emit(BENCH, "two_apps.total.throughput", total[1], total[0], "/s")
    emit(BENCH, "two_apps.cpu_busy", two["busy"] * 100, one["busy"] * 100, "%")
    errors = [sum(sum(f["errors"].values()) for f in r["ops"].values()) for r in results]
    emit(BENCH, "two_apps.errors", errors[1], errors[0], "requests")
    ours = [sum(v for k, v in r["parts"].items() if not k.startswith("other")) for r in results]
    bound = "CPU" if two["busy"] > 0.9 else "not CPU (see the parts)"
    note(
        f"growth {total[1] / max(total[0], 1e-9):.2f}x with two app servers; machine CPU busy "
        f"{one['busy']:.0%} -> {two['busy']:.0%}, of which the topology and the load "
        f"generator {ours[0]:.0%} -> {ours[1]:.0%}: bounded by {bound}"
    )


if __name__ == "__main__":
    main()
