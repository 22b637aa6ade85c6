"""The live board of an office and the team's leave calendar."""

from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone

from onedata.attendance.models import CheckIn, LeaveRequest
from tests.attendance.conftest import RENON
from tests.conftest import login_client

WITA = ZoneInfo("Asia/Makassar")
pytestmark = pytest.mark.django_db


def test_the_board_groups_people_by_todays_status(staff, annual, django_assert_max_num_queries):
    today = timezone.localdate()
    CheckIn.objects.create(
        employee=staff["worker"],
        kind="in",
        recorded_at=datetime.combine(today, time(7, 50), tzinfo=WITA),
        work_date=today,
        latitude=RENON[0],
        longitude=RENON[1],
        inside_geofence=True,
        status=CheckIn.Status.ACCEPTED,
    )
    LeaveRequest.objects.create(
        employee=staff["other"],
        leave_type=annual,
        start=today,
        end=today,
        halfdays=2,
        reason="Odalan",
        status=LeaveRequest.Status.APPROVED,
    )
    office = staff["worker"].office
    url = f"/presensi/kantor/{office.pk}/papan/"
    hr = login_client(staff["hr"])
    with django_assert_max_num_queries(20):
        page = hr.get(url).content.decode()
    if today.weekday() < 5:  # a working day: the worker is late (or in), the other away
        assert "Luh Pegawai" in page and "Wayan Lain" in page
        assert "TL1" in page
    fragment = hr.get(url, headers={"HX-Request": "true"}).content.decode()
    assert fragment.startswith('<div id="att-board"') and 'hx-trigger="every 30s"' in fragment
    boss = login_client(staff["boss"].user)  # a supervisor in this office
    assert boss.get(url).status_code == 200
    worker = login_client(staff["worker"].user)
    assert worker.get(url).status_code == 404


def test_the_team_page_lists_the_leave_of_the_next_weeks(staff, annual):
    start = timezone.localdate() + timedelta(days=7)
    LeaveRequest.objects.create(
        employee=staff["worker"],
        leave_type=annual,
        start=start,
        end=start,
        halfdays=2,
        reason="Odalan",
        status=LeaveRequest.Status.VERIFIED,
    )
    page = login_client(staff["boss"].user).get("/presensi/tim/").content.decode()
    assert "Cuti tahunan" in page and f"/presensi/kantor/{staff['worker'].office_id}/papan/" in page
