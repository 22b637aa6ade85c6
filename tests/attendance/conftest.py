"""Attendance fixtures: an office in Renon, an HR admin, a supervisor and an employee."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from onedata.attendance.models import Employee, LeaveType, Office, OfficeLocation
from onedata.core.roles import Role
from tests.conftest import make_user

FACES = Path(__file__).resolve().parents[2].parent / "shared" / "testdata" / "faces"
if not FACES.exists():
    FACES = Path("/work/shared/testdata/faces")
RENON = (-8.6726, 115.2330)


def photo(name: str) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, (FACES / name).read_bytes(), content_type="image/jpeg")


def blank_photo(size=(320, 240), colour=(200, 180, 160)) -> SimpleUploadedFile:
    buffer = io.BytesIO()
    Image.new("RGB", size, colour).save(buffer, "JPEG")
    return SimpleUploadedFile("blank.jpg", buffer.getvalue(), content_type="image/jpeg")


@pytest.fixture(autouse=True)
def english_messages():
    """Services' messages in English, the source language the tests read."""
    from django.utils import translation

    with translation.override("en"):
        yield


@pytest.fixture(autouse=True)
def private_media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def office(agencies):
    office = Office.objects.create(agency=agencies["province"], name="Kantor Gubernur Bali")
    OfficeLocation.objects.create(
        office=office, name="Niti Mandala Renon", latitude=RENON[0], longitude=RENON[1]
    )
    return office


@pytest.fixture
def staff(office, agencies):
    hr_user = make_user("sdm", Role.HR_ADMIN, agencies["province"])
    boss_user = make_user("atasan", Role.SUPERVISOR, agencies["province"])
    worker_user = make_user("luh", Role.EMPLOYEE, agencies["province"])
    other_user = make_user("wayan", Role.EMPLOYEE, agencies["province"])
    boss = Employee.objects.create(
        user=boss_user, office=office, name="Made Atasan", nip="197001011995031001"
    )
    worker = Employee.objects.create(
        user=worker_user,
        office=office,
        name="Luh Pegawai",
        nip="199002142015032001",
        supervisor=boss,
        tpp_base=5_000_000,
    )
    other = Employee.objects.create(
        user=other_user, office=office, name="Wayan Lain", employment_type="contract"
    )
    return {"hr": hr_user, "boss": boss, "worker": worker, "other": other}


@pytest.fixture
def annual(db):
    leave_type, _ = LeaveType.objects.get_or_create(
        code="annual", defaults={"name": "Cuti tahunan", "days_per_year": 12, "half_days": True}
    )
    return leave_type
