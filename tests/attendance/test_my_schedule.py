"""My schedule: every source of a day's hours, the same answer as the daily attendance,
the page and the API with their permissions."""

from datetime import date, time, timedelta

import pytest

from onedata.attendance import selectors, timetable
from onedata.attendance.models import (
    DayCorrection,
    Holiday,
    LeaveRequest,
    RamadanPeriod,
    Schedule,
    ShiftAssignment,
)
from tests.conftest import login_client

pytestmark = pytest.mark.django_db
API = "/api/v1/attendance/schedule"
MONDAY = date(2027, 3, 1)


@pytest.fixture
def week(staff, annual):
    """Mon 1 - Sun 7 March 2027 for the worker, with one day of every kind."""
    worker = staff["worker"]
    office = worker.office
    office.schedule = Schedule.objects.create(name="Kantor", start=time(7, 30), end=time(16))
    office.save()
    night = Schedule.objects.create(name="Malam", code="M", start=time(21), end=time(7))
    ShiftAssignment.objects.create(employee=worker, date=MONDAY, schedule=night)
    Holiday.objects.create(date=MONDAY + timedelta(days=1), name="Galungan", kind="balinese")
    LeaveRequest.objects.create(
        employee=worker,
        leave_type=annual,
        start=MONDAY + timedelta(days=2),
        end=MONDAY + timedelta(days=2),
        halfdays=2,
        reason="Odalan",
        status=LeaveRequest.Status.APPROVED,
    )
    DayCorrection.objects.create(
        employee=worker, date=MONDAY + timedelta(days=3), kind="wfh", reason="WFH"
    )
    RamadanPeriod.objects.create(
        name="Ramadan", start=MONDAY + timedelta(days=4), end=MONDAY + timedelta(days=4)
    )
    return worker


def test_each_day_says_its_hours_and_where_they_come_from(week):
    days = timetable.days_of(week, MONDAY, MONDAY + timedelta(days=6))
    by_day = {d.date.weekday(): d for d in days}
    monday = by_day[0]
    assert (monday.source, monday.schedule, monday.start, monday.end, monday.overnight) == (
        "roster",
        "Malam",
        time(21),
        time(7),
        True,
    )
    assert by_day[1].status == "holiday" and by_day[1].holiday == "Galungan"
    assert by_day[1].start is None
    assert by_day[2].status == "leave" and not by_day[2].working
    assert by_day[3].status == "wfh" and by_day[3].start == time(7, 30)
    friday = by_day[4]
    assert friday.ramadan and (friday.start, friday.end) == (time(8), time(15, 30))
    assert friday.source == "office" and friday.schedule == "Kantor"
    assert by_day[5].status == "off" and by_day[5].start is None


def test_same_status_and_hours_as_the_daily_attendance(week):
    first, last = MONDAY, MONDAY + timedelta(days=6)
    planned = timetable.days_of(week, first, last)
    attended = selectors.days_for([week], first, last)[week.pk]
    assert [d.status for d in planned] == [d.result.status.value for d in attended]
    for day in planned:
        plan = selectors.plan_of(week, day.date)
        if day.start:
            assert (day.start, day.end) == (plan.start, plan.end)


def test_an_own_schedule_comes_before_the_office_schedule(week):
    week.schedule = Schedule.objects.create(name="Pribadi", start=time(8), end=time(15))
    week.save()
    thursday = timetable.days_of(week, MONDAY + timedelta(days=3), MONDAY + timedelta(days=3))
    assert thursday[0].source == "own" and thursday[0].start == time(8)


def test_the_page_is_in_the_employee_menu(week):
    client = login_client(week.user)
    home = client.get("/presensi/bulan/").content.decode()
    assert 'href="/presensi/jadwal/"' in home
    page = client.get(f"/presensi/jadwal/?from={MONDAY}").content.decode()
    assert "Jadwal saya" in page and "Galungan" in page and "21:00" in page


def test_others_see_it_only_as_supervisor_or_hr(staff, week):
    url = f"/presensi/jadwal/?employee={week.pk}"
    assert login_client(staff["boss"].user).get(url).status_code == 200
    assert login_client(staff["hr"]).get(url).status_code == 200
    assert login_client(staff["other"].user).get(url).status_code == 404


def test_schedule_api(staff, week):
    client = login_client(week.user)
    days = client.get(f"{API}?from={MONDAY}&to={MONDAY + timedelta(days=6)}").json()
    assert len(days) == 7
    assert days[0] == {
        "date": "2027-03-01",
        "status": "upcoming",
        "workday": True,
        "start": "21:00",
        "end": "07:00",
        "overnight": True,
        "late_after": "21:00",
        "source": "roster",
        "schedule": "Malam",
        "ramadan": False,
        "holiday": "",
    }
    boss = login_client(staff["boss"].user)
    assert boss.get(f"{API}?employee={week.pk}&from={MONDAY}").status_code == 200
    other = login_client(staff["other"].user)
    assert other.get(f"{API}?employee={week.pk}").status_code == 404
    too_long = client.get(f"{API}?from={MONDAY}&to={MONDAY + timedelta(days=90)}")
    assert too_long.status_code == 422 and "to" in too_long.json()["error"]["fields"]
    default = client.get(API).json()
    assert len(default) == timetable.DEFAULT_DAYS
