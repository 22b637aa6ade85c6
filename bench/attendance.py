"""Face check-ins through the full HTTP path against bare dlib on the same images.

Selfies are 640x480 JPEGs (test photos of one person, letterboxed), sent as
``POST /api/v1/attendance/checkins`` (multipart photo + location, an API token per
employee) to gunicorn (2 workers x 4 threads, as ``onedata serve``) on SQLite. Each
employee has one enrolled face (encrypted descriptor). Baselines, measured in the same
run on the same images: the bare dlib call (decode JPEG, detect, 5-point shape,
128-d descriptor) in this process, and for throughput the same call in two processes.

Figures:

- ``verify.p50`` / ``verify.p95``: seconds per check-in, one client at a time, against
  the bare call's p50 / p95 (aim: ratio <= 1.3)
- ``peak.throughput``: check-ins a second with BENCH_CLIENTS concurrent clients
  (BENCH_CHECKINS, default 2,000), against bare dlib on two processes
- ``peak.p95``: seconds per check-in under that load, against the bare p95
- ``peak.minutes_for_20000``: minutes to absorb 20,000 employees at that rate (goal <= 30)

Knobs: BENCH_CHECKINS (2000), BENCH_CLIENTS (16), BENCH_SEQUENTIAL (40), BENCH_EMPLOYEES
(200). About 5-8 minutes on 2 cores.
"""

from __future__ import annotations

import http.client
import io
import json
import multiprocessing
import sys
import tempfile
import threading
import time
import uuid
from pathlib import Path

from _harness import LOOPBACK, REPO_ROOT, Server, django_env, emit, env_number, note, run_django

BENCH = "attendance"
FACES = REPO_ROOT.parent / "shared" / "testdata" / "faces"
if not FACES.exists():
    FACES = Path("/work/shared/testdata/faces")
PING = "/api/v1/core/ping"
RENON = (-8.6726, 115.2330)

SETUP = """
import json
import numpy as np
from onedata.attendance import crypto, face
from onedata.attendance.models import Employee, FaceTemplate, Office, OfficeLocation
from onedata.core import services
from onedata.core.models import Agency, Region, User
region, _ = Region.objects.get_or_create(code="51", defaults={"name": "Bali", "level": "province"})
agency = Agency.objects.create(slug="bench", name="Bench", kind="dinas", region=region)
office = Office.objects.create(agency=agency, name="Kantor Bench")
OfficeLocation.objects.create(office=office, name="Renon", latitude=%(lat)s, longitude=%(lon)s)
reference = face.analyse(face.load_rgb(open(%(photo)r, "rb").read())).descriptor
tokens = []
for i in range(%(n)d):
    user = User.objects.create(username=f"bench{i}")
    employee = Employee.objects.create(user=user, office=office, name=f"Bench {i}",
                                       employment_type="contract")
    FaceTemplate.objects.create(
        employee=employee, status="approved",
        descriptor=crypto.encrypt(
            face.to_bytes(reference), context=f"descriptor:{employee.pk}".encode()
        ),
    )
    tokens.append(services.api_token_create(actor="bench", user=user, name="bench").plaintext)
print(json.dumps(tokens))
"""


def selfies() -> list[bytes]:
    from PIL import Image

    images = []
    for name in ("obama_2.jpg", "obama_3.jpg", "obama_1.jpg"):
        image = Image.open(FACES / name).convert("RGB")
        image.thumbnail((640, 480))
        canvas = Image.new("RGB", (640, 480), (120, 120, 120))
        canvas.paste(image, ((640 - image.width) // 2, (480 - image.height) // 2))
        out = io.BytesIO()
        canvas.save(out, "JPEG", quality=85)
        images.append(out.getvalue())
    return images


def bare_once(data: bytes) -> None:
    """The baseline: what any face check-in must do at least."""
    import numpy as np
    from PIL import Image

    sys.path.insert(0, str(REPO_ROOT))
    from onedata.attendance.face import models

    detector, predictor, recogniser = models()
    rgb = np.asarray(Image.open(io.BytesIO(data)).convert("RGB"))
    boxes = detector(rgb, 1 if max(rgb.shape[:2]) < 640 else 0)
    shape = predictor(rgb, boxes[0])
    recogniser.compute_face_descriptor(rgb, shape, 0)


def _bare_worker(args) -> int:
    images, count = args
    for i in range(count):
        bare_once(images[i % len(images)])
    return count


def percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(fraction * len(ordered)))]


def multipart(photo: bytes, fields: dict[str, str]) -> tuple[bytes, str]:
    boundary = uuid.uuid4().hex
    parts = []
    for key, value in fields.items():
        parts.append(
            f"--{boundary}\r\n"
            f'Content-Disposition: form-data; name="{key}"\r\n\r\n{value}\r\n'.encode()
        )
    parts.append(
        f'--{boundary}\r\nContent-Disposition: form-data; name="photo"; filename="s.jpg"\r\n'
        "Content-Type: image/jpeg\r\n\r\n".encode()
        + photo
        + b"\r\n"
    )
    parts.append(f"--{boundary}--\r\n".encode())
    return b"".join(parts), f"multipart/form-data; boundary={boundary}"


class Client:
    def __init__(self, port: int):
        self.connection = http.client.HTTPConnection(LOOPBACK, port, timeout=120)

    def check_in(self, token: str, photo: bytes) -> tuple[float, int, str]:
        body, content_type = multipart(
            photo, {"kind": "in", "lat": str(RENON[0]), "lon": str(RENON[1]), "accuracy_m": "10"}
        )
        started = time.perf_counter()
        self.connection.request(
            "POST",
            "/api/v1/attendance/checkins",
            body=body,
            headers={"Authorization": f"Bearer {token}", "Content-Type": content_type},
        )
        response = self.connection.getresponse()
        payload = response.read()
        elapsed = time.perf_counter() - started
        answer = json.loads(payload) if payload.startswith(b"{") else {}
        status = answer.get("status", "") if response.status == 201 else str(answer)[:300]
        return elapsed, response.status, status


def main() -> None:
    if not FACES.exists():
        note(f"no test photos at {FACES}: attendance benchmark skipped")
        return
    checkins = int(env_number("BENCH_CHECKINS", 2000))
    clients = int(env_number("BENCH_CLIENTS", 16))
    sequential = int(env_number("BENCH_SEQUENTIAL", 40))
    employees = int(env_number("BENCH_EMPLOYEES", 200))
    images = selfies()

    note("baseline: bare dlib detection + descriptor in this process")
    bare_once(images[0])  # load the models
    bare = []
    for i in range(sequential):
        started = time.perf_counter()
        bare_once(images[i % len(images)])
        bare.append(time.perf_counter() - started)

    with tempfile.TemporaryDirectory(prefix="bench-attendance-") as tmp:
        var_dir = Path(tmp)
        env = django_env(
            var_dir, f"sqlite:///{var_dir / 'bench.sqlite3'}", MEDIA_ROOT=str(var_dir / "media")
        )
        run_django(env, "migrate", "--no-input", "-v", "0")
        script = SETUP % {
            "lat": RENON[0],
            "lon": RENON[1],
            "photo": str(FACES / "obama_1.jpg"),
            "n": employees,
        }
        tokens = json.loads(run_django(env, "shell", "-c", script).strip().splitlines()[-1])
        with Server("onedata.wsgi:application", env=env, ready_path=PING) as server:
            note("warming up every worker thread (each loads the models once)")
            warm = Client(server.port)

            def warm_up(index: int) -> None:
                client = Client(server.port)
                for _ in range(3):
                    client.check_in(tokens[index % len(tokens)], images[0])

            warmers = [threading.Thread(target=warm_up, args=(i,)) for i in range(16)]
            for thread in warmers:
                thread.start()
            for thread in warmers:
                thread.join()
            note(f"sequential: {sequential} check-ins, one client")
            timings = []
            for i in range(sequential):
                elapsed, code, status = warm.check_in(
                    tokens[i % len(tokens)], images[i % len(images)]
                )
                if code != 201 or status != "accepted":
                    raise SystemExit(f"check-in answered {code} {status}: {server.log()[-2000:]}")
                timings.append(elapsed)
            emit(BENCH, "verify.p50", percentile(timings, 0.5), percentile(bare, 0.5), "s")
            emit(BENCH, "verify.p95", percentile(timings, 0.95), percentile(bare, 0.95), "s")

            note(f"peak: {checkins} check-ins from {clients} clients")
            latencies: list[float] = []
            failures: list[str] = []
            counter = iter(range(checkins))
            lock = threading.Lock()

            def run() -> None:
                client = Client(server.port)
                while True:
                    with lock:
                        index = next(counter, None)
                    if index is None:
                        return
                    elapsed, code, status = client.check_in(
                        tokens[index % len(tokens)], images[index % len(images)]
                    )
                    with lock:
                        latencies.append(elapsed)
                        if code != 201 or status != "accepted":
                            failures.append(f"{code} {status}")

            threads = [threading.Thread(target=run) for _ in range(clients)]
            started = time.perf_counter()
            for thread in threads:
                thread.start()
            for thread in threads:
                thread.join()
            wall = time.perf_counter() - started
            if failures:
                note(f"{len(failures)} check-ins not accepted, e.g. {failures[:3]}")

    note("baseline: bare dlib on two processes")
    per_process = max(20, checkins // 10)
    with multiprocessing.get_context("spawn").Pool(2) as pool:
        pool.map(_bare_worker, [(images, 1), (images, 1)])
        started = time.perf_counter()
        done = sum(pool.map(_bare_worker, [(images, per_process), (images, per_process)]))
        bare_rate = done / (time.perf_counter() - started)
    rate = checkins / wall
    emit(BENCH, "peak.throughput", rate, bare_rate, "checkins/s")
    emit(BENCH, "peak.p95", percentile(latencies, 0.95), percentile(bare, 0.95), "s")
    emit(BENCH, "peak.minutes_for_20000", 20000 / rate / 60, 20000 / bare_rate / 60, "min")


if __name__ == "__main__":
    main()
