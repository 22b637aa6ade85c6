"""20,000 employees in one import (slow: run with ATTENDANCE_SCALE=1)."""

import io
import os
import time

import pytest

from onedata.attendance import importer
from onedata.attendance.models import Employee

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(not os.environ.get("ATTENDANCE_SCALE"), reason="ATTENDANCE_SCALE=1 runs it"),
]


def test_twenty_thousand_rows_in_one_go(staff):
    lines = ["nip,nama,jenis,tpp"]
    for i in range(20_000):
        month = i // 999 % 12 + 1
        year = 1970 + i // (999 * 12)
        lines.append(
            f"{year}{month:02d}15{year + 25}01{1 + i % 2}{i % 999 + 1:03d},Pegawai {i},pns,3000000"
        )
    upload = io.BytesIO(("\n".join(lines) + "\n").encode())
    started = time.perf_counter()
    report = importer.employees_import(
        actor=staff["hr"], office=staff["worker"].office, upload=upload
    )
    elapsed = time.perf_counter() - started
    assert report.ok, report.errors[:3]
    assert Employee.objects.count() == 20_003
    print(f"20,000 rows imported in {elapsed:.1f} s")
