"""The check-in reminder sweep over a province-sized staff, against the attendance
computation it is built on.

The periodic job (every 5 minutes) asks who is due a reminder: every active employee's
day, by the same rules as the daily attendance. Set-up: BENCH_EMPLOYEES (20,000) employees
in 40 offices on SQLite, a working Monday 07:50 WITA, two thirds of them checked in.

Figures:

- ``sweep.seconds``: ``reminders.due()`` for everybody, against the baseline
  ``selectors.days_for()`` for the same employees and the same two days (what the live
  board and the month pages compute), i.e. what the reminder rules add on top
- ``send.ms_per_reminder``: recording and sending one reminder (ReminderSent row, in-app
  and mail messages queued in one transaction), against two bare ``notifications.send``
  calls of the same messages
- ``machine.load1``: the 1-minute load average at the end, against the number of cores

Knobs: BENCH_EMPLOYEES (20000), BENCH_SEND (500). About a minute on 2 idle cores.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
import time

from _harness import REPO_ROOT, django_env, emit, env_number, note, run_django

BENCH = "attendance_reminders"


def _inner() -> None:
    import django

    django.setup()
    from datetime import date, datetime
    from zoneinfo import ZoneInfo

    from django.contrib.auth.hashers import make_password

    from onedata.attendance import reminders, selectors
    from onedata.attendance.models import CheckIn, Employee, Office
    from onedata.core.models import Agency, Region, User
    from onedata.core.regions import regions_load
    from onedata.notifications import services as notify

    employees_wanted = int(env_number("BENCH_EMPLOYEES", 20000))
    to_send = int(env_number("BENCH_SEND", 500))
    wita = ZoneInfo("Asia/Makassar")
    monday = date(2026, 3, 2)
    now = datetime(2026, 3, 2, 7, 50, tzinfo=wita)

    if not Region.objects.filter(code="51").exists():
        regions_load()
    agency = Agency.objects.create(
        slug="bench-agency",
        name="Bench",
        kind=Agency.Kind.DINAS,
        region=Region.objects.get(code="51"),
    )
    offices = [Office.objects.create(agency=agency, name=f"Kantor {n}") for n in range(40)]
    password = make_password(None)
    users = User.objects.bulk_create(
        [
            User(username=f"p{n}", email=f"p{n}@example.test", password=password)
            for n in range(employees_wanted)
        ],
        batch_size=1000,
    )
    people = Employee.objects.bulk_create(
        [
            Employee(
                user=user, office=offices[n % 40], name=f"Pegawai {n}", employment_type="contract"
            )
            for n, user in enumerate(users)
        ],
        batch_size=1000,
    )
    CheckIn.objects.bulk_create(
        [
            CheckIn(
                employee=person,
                kind="in",
                recorded_at=datetime(2026, 3, 2, 7, 20, tzinfo=wita),
                work_date=monday,
                status="accepted",
            )
            for n, person in enumerate(people)
            if n % 3
        ],
        batch_size=1000,
    )
    note(f"{len(people)} employees, {CheckIn.objects.count()} check-ins")

    def everyone():
        return list(
            Employee.objects.filter(active=True).select_related(
                "office", "schedule", "office__schedule", "user"
            )
        )

    started = time.perf_counter()
    baseline_days = selectors.days_for(everyone(), date(2026, 3, 1), monday)
    baseline = time.perf_counter() - started
    started = time.perf_counter()
    due = reminders.due(now)
    ours = time.perf_counter() - started
    assert len(baseline_days) == len(people)
    note(f"{len(due)} reminders due")
    emit(BENCH, "sweep.seconds", ours, baseline, "s")

    items = due[:to_send]
    started = time.perf_counter()
    for item in items:
        reminders._send(item, now)
    ours = (time.perf_counter() - started) / max(1, len(items))
    started = time.perf_counter()
    for n, item in enumerate(items):
        user = item.employee.user
        notify.send(
            module="bench",
            to=[user.username],
            subject="S",
            text="T",
            channel="inapp",
            idempotency_key=f"b-in-{n}",
        )
        notify.send(
            module="bench",
            to=[user.email],
            subject="S",
            text="T",
            channel="email",
            idempotency_key=f"b-mail-{n}",
        )
    baseline = (time.perf_counter() - started) / max(1, len(items))
    emit(BENCH, "send.ms_per_reminder", ours * 1000, baseline * 1000, "ms")
    emit(BENCH, "machine.load1", os.getloadavg()[0], os.cpu_count() or 1, "load")


def main() -> None:
    var_dir = tempfile.mkdtemp(prefix="bench-reminders-")
    try:
        env = django_env(var_dir, f"sqlite:///{var_dir}/bench.sqlite3", BENCH_INNER="1")
        note("migrating a fresh SQLite database")
        run_django(env, "migrate", "--noinput", timeout=600)
        completed = subprocess.run(
            [sys.executable, __file__], cwd=REPO_ROOT, env=env, timeout=1800, check=False
        )
        if completed.returncode:
            raise SystemExit(completed.returncode)
    finally:
        shutil.rmtree(var_dir, ignore_errors=True)


if __name__ == "__main__":
    if os.environ.get("BENCH_INNER"):
        sys.path.insert(0, str(REPO_ROOT))
        _inner()
    else:
        main()
