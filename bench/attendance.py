"""Face check-ins through the full HTTP path against bare dlib on the same images.

Selfies are 640x480 JPEGs (test photos of one person, letterboxed), sent as
``POST /api/v1/attendance/checkins`` (multipart photo + location, an API token per
employee) to gunicorn (2 workers x 4 threads, as ``onedata serve``) on SQLite. Each
employee has one enrolled face (encrypted descriptor).

The baseline is the bare dlib call with the same settings as ours (face.py): decode the
JPEG, detect on the copy reduced to about ``DETECT_SIDE`` without upsampling, the 5-point
shape on the full image, the 128-d descriptor with ``num_jitters`` 0. So a ratio shows
only what the service adds (HTTP, upload checks, encryption, database, audit), never a
difference in face settings. Single-client timings alternate one bare call and one HTTP
check-in, so both see the same load from whatever else runs on the machine.

Figures:

- ``verify.p50`` / ``verify.p95``: seconds per check-in, one client at a time, against
  the bare call's p50 / p95 (aim: ratio <= 1.3)
- ``verify.cpu``: CPU seconds the server spent per check-in (all gunicorn processes),
  against the bare call's CPU seconds; unlike wall time it hardly moves with the load
- ``peak.throughput``: check-ins a second with BENCH_CLIENTS concurrent clients
  (BENCH_CHECKINS, default 2,000), against bare dlib on two processes
- ``peak.p95``: seconds per check-in under that load, against the bare p95
- ``peak.minutes_for_20000``: minutes to absorb 20,000 employees at the measured rate
  (goal <= 30), against bare dlib's rate on two processes
- ``peak.minutes_for_20000_cpu``: the same projected from the CPU per check-in at the
  peak on the two cores this machine has, i.e. with no other work on it
- ``liveness.p50`` / ``liveness.cpu``: a check-in at an office that requires liveness
  (selfie + a 10-frame burst with a blink), against bare dlib doing the same work
  (the selfie as above; per frame decode, reduced detection, 68-point shape; descriptors
  of the blink's closed frame and the open frame after it)
- ``machine.load1``: the 1-minute load average at the end, against the number of cores

Knobs: BENCH_CHECKINS (2000), BENCH_CLIENTS (16), BENCH_SEQUENTIAL (40), BENCH_EMPLOYEES
(200), BENCH_LIVENESS (20). About 5-8 minutes on 2 idle cores.
"""

from __future__ import annotations

import http.client
import io
import json
import multiprocessing
import os
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
tokens = {}
for label, policy, photo, n in (
    ("plain", "off", %(photo)r, %(n)d), ("liveness", "required", %(live_photo)r, %(n_live)d)
):
    office = Office.objects.create(agency=agency, name=f"Kantor {label}", liveness_policy=policy)
    OfficeLocation.objects.create(office=office, name="Renon", latitude=%(lat)s, longitude=%(lon)s)
    reference = face.analyse(face.load_rgb(open(photo, "rb").read())).descriptor
    tokens[label] = []
    for i in range(n):
        user = User.objects.create(username=f"bench-{label}-{i}")
        employee = Employee.objects.create(user=user, office=office, name=f"Bench {i}",
                                           employment_type="contract")
        FaceTemplate.objects.create(
            employee=employee, status="approved",
            descriptor=crypto.encrypt(
                face.to_bytes(reference), context=f"descriptor:{employee.pk}".encode()
            ),
        )
        tokens[label].append(
            services.api_token_create(actor="bench", user=user, name="bench").plaintext
        )
print(json.dumps(tokens))
"""


def _repo_on_path() -> None:
    if str(REPO_ROOT) not in sys.path:
        sys.path.insert(0, str(REPO_ROOT))


def letterboxed(name: str):
    from PIL import Image

    image = Image.open(FACES / name).convert("RGB")
    image.thumbnail((640, 480))
    canvas = Image.new("RGB", (640, 480), (120, 120, 120))
    canvas.paste(image, ((640 - image.width) // 2, (480 - image.height) // 2))
    return canvas


def jpeg(image) -> bytes:
    out = io.BytesIO()
    image.save(out, "JPEG", quality=85)
    return out.getvalue()


def selfies() -> list[bytes]:
    return [jpeg(letterboxed(name)) for name in ("obama_2.jpg", "obama_3.jpg", "obama_1.jpg")]


def close_eyes(image):
    """The photo with both eyes painted shut where the 68 landmarks put them (the same
    recipe as tests/attendance/test_liveness_checkin.py, which checks the EAR drops)."""
    import numpy as np
    from PIL import Image, ImageDraw, ImageFilter

    _repo_on_path()
    from onedata.attendance import face

    rgb = np.asarray(image)
    points = np.array(face.landmarks68(rgb, face.one_face(rgb)))
    closed = image.copy()
    for eye in (points[36:42], points[42:48]):
        width = float(eye[3, 0] - eye[0, 0])
        cx, cy = float(eye[:, 0].mean()), float(eye[:, 1].mean())
        below = int(cy + 0.6 * width)
        skin = rgb[below - 2 : below + 3, int(cx - width / 4) : int(cx + width / 4)]
        colour = tuple(int(c) for c in np.median(skin.reshape(-1, 3), axis=0))
        mask = Image.new("L", image.size, 0)
        pad = 0.15 * width
        ImageDraw.Draw(mask).ellipse(
            [eye[0, 0] - pad, cy - 0.35 * width, eye[3, 0] + pad, cy + 0.25 * width], fill=255
        )
        mask = mask.filter(ImageFilter.GaussianBlur(max(1.0, width * 0.06)))
        closed = Image.composite(Image.new("RGB", image.size, colour), closed, mask)
        lash = [(float(p[0]), float(p[1])) for p in (eye[0], eye[5], eye[4], eye[3])]
        ImageDraw.Draw(closed).line(
            lash, fill=(25, 20, 20), width=max(2, int(width * 0.14)), joint="curve"
        )
    return closed


def liveness_burst() -> tuple[bytes, list[bytes]]:
    """(selfie, 10 frames: open x4, closed x2, open x4) of one person."""
    opened = letterboxed("leslie_1.jpg")
    o, c = jpeg(opened), jpeg(close_eyes(opened))
    return o, [o, o, o, o, c, c, o, o, o, o]


def _bare_face(data: bytes, predictor_name: str = "five"):
    """Decode, detect on the reduced copy, shape on the full image: face.py's settings."""
    import dlib
    import numpy as np
    from PIL import Image

    _repo_on_path()
    from onedata.attendance.face import DETECT_SIDE, eye_model, models

    detector, predictor, recogniser = models()
    image = Image.open(io.BytesIO(data)).convert("RGB")
    rgb = np.asarray(image)
    factor = max(1, max(image.size) // DETECT_SIDE)
    found = detector(np.asarray(image.reduce(factor)), 0)[0]
    box = dlib.rectangle(
        found.left() * factor, found.top() * factor, found.right() * factor, found.bottom() * factor
    )
    shape = (predictor if predictor_name == "five" else eye_model())(rgb, box)
    return rgb, box, shape, recogniser


def bare_once(data: bytes) -> None:
    """The baseline: what any face check-in must do at least."""
    rgb, _box, shape, recogniser = _bare_face(data)
    recogniser.compute_face_descriptor(rgb, shape, 0)


def bare_liveness(selfie: bytes, frames: list[bytes]) -> None:
    """The baseline for a liveness check-in: the selfie, then each frame's 68 points, then
    descriptors of two frames (the blink's closed frame and the open one after it)."""
    bare_once(selfie)
    seen = [_bare_face(frame, "sixty-eight") for frame in frames]
    from onedata.attendance.face import models

    predictor = models()[1]
    for rgb, box, _shape, recogniser in (seen[4], seen[6]):
        recogniser.compute_face_descriptor(rgb, predictor(rgb, box), 0)


def _bare_worker(args) -> int:
    images, count = args
    for i in range(count):
        bare_once(images[i % len(images)])
    return count


def percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(fraction * len(ordered)))]


def tree_cpu(pid: int) -> float:
    """CPU seconds (user + system) of ``pid`` and its children (the gunicorn workers)."""
    ticks = os.sysconf("SC_CLK_TCK")
    total = 0.0
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        # after the name: state ppid ... utime (14th field) stime (15th)
        if int(entry.name) == pid or int(fields[1]) == pid:
            total += (int(fields[11]) + int(fields[12])) / ticks
    return total


def multipart(photo: bytes, fields: dict[str, str], frames: list[bytes] = ()) -> tuple[bytes, str]:
    boundary = uuid.uuid4().hex
    parts = []
    for key, value in fields.items():
        parts.append(
            f"--{boundary}\r\n"
            f'Content-Disposition: form-data; name="{key}"\r\n\r\n{value}\r\n'.encode()
        )
    for name, data in [("photo", photo), *(("frames", frame) for frame in frames)]:
        parts.append(
            f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"; filename="s.jpg"\r\n'
            "Content-Type: image/jpeg\r\n\r\n".encode()
            + data
            + b"\r\n"
        )
    parts.append(f"--{boundary}--\r\n".encode())
    return b"".join(parts), f"multipart/form-data; boundary={boundary}"


class Client:
    def __init__(self, port: int):
        self.connection = http.client.HTTPConnection(LOOPBACK, port, timeout=120)

    def check_in(
        self, token: str, photo: bytes, frames: list[bytes] = ()
    ) -> tuple[float, int, str]:
        body, content_type = multipart(
            photo,
            {"kind": "in", "lat": str(RENON[0]), "lon": str(RENON[1]), "accuracy_m": "10"},
            frames,
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
        if status == "rejected":
            status += f" {answer.get('reasons')}"
        return elapsed, response.status, status


def _timed(call) -> tuple[float, float]:
    wall, cpu = time.perf_counter(), time.process_time()
    call()
    return time.perf_counter() - wall, time.process_time() - cpu


def sequential_pairs(server, tokens, count, ours, bare) -> tuple[list, list, list, float]:
    """Alternate one bare call and one HTTP check-in: (ours, bare wall, bare cpu, server
    CPU seconds per check-in)."""
    client = Client(server.port)
    timings, bare_wall, bare_cpu = [], [], []
    cpu_before = tree_cpu(server.process.pid)
    for i in range(count):
        wall, cpu = _timed(lambda i=i: bare(i))
        bare_wall.append(wall)
        bare_cpu.append(cpu)
        elapsed, code, status = ours(client, tokens[i % len(tokens)], i)
        if code != 201 or status != "accepted":
            raise SystemExit(f"check-in answered {code} {status}: {server.log()[-2000:]}")
        timings.append(elapsed)
    server_cpu = (tree_cpu(server.process.pid) - cpu_before) / count
    return timings, bare_wall, bare_cpu, server_cpu


def main() -> None:
    if not FACES.exists():
        note(f"no test photos at {FACES}: attendance benchmark skipped")
        return
    checkins = int(env_number("BENCH_CHECKINS", 2000))
    clients = int(env_number("BENCH_CLIENTS", 16))
    sequential = int(env_number("BENCH_SEQUENTIAL", 40))
    employees = int(env_number("BENCH_EMPLOYEES", 200))
    live_count = int(env_number("BENCH_LIVENESS", 20))
    cores = os.cpu_count() or 1
    note(f"load average at the start: {os.getloadavg()} on {cores} cores")
    images = selfies()
    live_selfie, live_frames = liveness_burst()
    bare_once(images[0])  # load the models
    bare_liveness(live_selfie, live_frames)

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
            "live_photo": str(FACES / "leslie_2.jpg"),
            "n": employees,
            "n_live": max(1, live_count),
        }
        tokens = json.loads(run_django(env, "shell", "-c", script).strip().splitlines()[-1])
        plain, live = tokens["plain"], tokens["liveness"]
        with Server("onedata.wsgi:application", env=env, ready_path=PING) as server:
            note("warming up every worker thread (each loads the models once)")

            def warm_up(index: int) -> None:
                # A new connection each time, so both workers and all their threads load
                # the models here rather than during the timed runs.
                for _ in range(3):
                    Client(server.port).check_in(plain[index % len(plain)], images[0])
                Client(server.port).check_in(live[index % len(live)], live_selfie, live_frames)

            warmers = [threading.Thread(target=warm_up, args=(i,)) for i in range(24)]
            for thread in warmers:
                thread.start()
            for thread in warmers:
                thread.join()

            note(f"sequential: {sequential} check-ins, one client, alternating with bare dlib")
            timings, bare, bare_cpu, server_cpu = sequential_pairs(
                server,
                plain,
                sequential,
                lambda client, token, i: client.check_in(token, images[i % len(images)]),
                lambda i: bare_once(images[i % len(images)]),
            )
            emit(BENCH, "verify.p50", percentile(timings, 0.5), percentile(bare, 0.5), "s")
            emit(BENCH, "verify.p95", percentile(timings, 0.95), percentile(bare, 0.95), "s")
            emit(BENCH, "verify.cpu", server_cpu, percentile(bare_cpu, 0.5), "s")

            if live_count:
                note(f"liveness: {live_count} check-ins with a 10-frame burst, one client")
                live_timings, live_bare, live_bare_cpu, live_cpu = sequential_pairs(
                    server,
                    live,
                    live_count,
                    lambda client, token, i: client.check_in(token, live_selfie, live_frames),
                    lambda i: bare_liveness(live_selfie, live_frames),
                )
                emit(
                    BENCH,
                    "liveness.p50",
                    percentile(live_timings, 0.5),
                    percentile(live_bare, 0.5),
                    "s",
                )
                emit(BENCH, "liveness.cpu", live_cpu, percentile(live_bare_cpu, 0.5), "s")

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
                        plain[index % len(plain)], images[index % len(images)]
                    )
                    with lock:
                        latencies.append(elapsed)
                        if code != 201 or status != "accepted":
                            failures.append(f"{code} {status}")

            threads = [threading.Thread(target=run) for _ in range(clients)]
            cpu_before = tree_cpu(server.process.pid)
            started = time.perf_counter()
            for thread in threads:
                thread.start()
            for thread in threads:
                thread.join()
            wall = time.perf_counter() - started
            peak_cpu = (tree_cpu(server.process.pid) - cpu_before) / checkins
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
    bare_cpu_each = percentile(bare_cpu, 0.5)
    emit(BENCH, "peak.throughput", rate, bare_rate, "checkins/s")
    emit(BENCH, "peak.p95", percentile(latencies, 0.95), percentile(bare, 0.95), "s")
    emit(BENCH, "peak.minutes_for_20000", 20000 / rate / 60, 20000 / bare_rate / 60, "min")
    emit(
        BENCH,
        "peak.minutes_for_20000_cpu",
        20000 * peak_cpu / cores / 60,
        20000 * bare_cpu_each / cores / 60,
        "min",
    )
    load = os.getloadavg()
    note(f"load average at the end: {load} on {cores} cores (other work shares the machine)")
    emit(BENCH, "machine.load1", load[0], cores, "load")


if __name__ == "__main__":
    main()
