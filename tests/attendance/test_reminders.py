"""Check-in and check-out reminders: who gets one and when, in-app and by real mail
(aiosmtpd), never twice, not on leave/holiday/WFH/travel, night shifts, opting out."""

from datetime import date, datetime, time
from zoneinfo import ZoneInfo

import pytest
from django.db import connection

from onedata.attendance import reminders
from onedata.attendance.models import (
    CheckIn,
    DayCorrection,
    Holiday,
    LeaveRequest,
    ReminderPreference,
    ReminderSent,
    Schedule,
    ShiftAssignment,
)
from onedata.notifications import services as notify
from onedata.notifications.models import Message
from tests.conftest import login_client
from tests.notifications.conftest import smtp_server  # noqa: F401 (a fixture)

pytestmark = pytest.mark.django_db
WITA = ZoneInfo("Asia/Makassar")
MONDAY = date(2026, 3, 2)


def at(day: date, hour: int, minute: int) -> datetime:
    return datetime(day.year, day.month, day.day, hour, minute, tzinfo=WITA)


def check(employee, kind: str, moment: datetime, status=CheckIn.Status.ACCEPTED, day=None):
    return CheckIn.objects.create(
        employee=employee,
        kind=kind,
        recorded_at=moment,
        work_date=day or moment.date(),
        status=status,
    )


def reminded(kind: str = "in") -> set[str]:
    return {
        r.employee.name for r in ReminderSent.objects.filter(kind=kind).select_related("employee")
    }


def test_no_check_in_15_minutes_after_start_sends_one_reminder_by_app_and_mail(
    staff,
    smtp_server,  # noqa: F811
):
    check(staff["boss"], "in", at(MONDAY, 7, 20))
    assert reminders.reminders_send(now=at(MONDAY, 7, 44)) == 0  # 07:30 + 15 not reached
    assert reminders.reminders_send(now=at(MONDAY, 7, 45)) == 2
    assert reminded() == {"Luh Pegawai", "Wayan Lain"}  # the boss checked in
    inapp = Message.objects.get(channel="inapp", recipient_user=staff["worker"].user)
    assert "07:30" in inapp.text
    notify.deliver_due(worker="test")
    subjects = {(tuple(to), message["Subject"]) for to, message in smtp_server.received}
    assert (("luh@example.test",), "Pengingat: Anda belum absen masuk (02-03-2026)") in subjects
    # Later sweeps the same day send nothing more.
    assert reminders.reminders_send(now=at(MONDAY, 8, 30)) == 0
    assert Message.objects.filter(recipient_user=staff["worker"].user).count() == 1


def test_two_schedulers_racing_send_each_reminder_once(staff):
    now = at(MONDAY, 8, 0)
    seen_by_first = reminders.due(now)
    seen_by_second = reminders.due(now)  # both looked before either sent
    assert len(seen_by_first) == len(seen_by_second) == 3
    assert [reminders._send(item, now) for item in seen_by_first] == [True] * 3
    assert [reminders._send(item, now) for item in seen_by_second] == [False] * 3
    assert Message.objects.filter(channel="inapp").count() == 3
    assert Message.objects.filter(channel="email").count() == 3


def test_no_reminder_on_leave_holiday_wfh_travel_or_after_a_pending_check_in(staff, annual):
    worker, boss, other = staff["worker"], staff["boss"], staff["other"]
    LeaveRequest.objects.create(
        employee=worker,
        leave_type=annual,
        start=MONDAY,
        end=MONDAY,
        halfdays=2,
        reason="Odalan",
        status=LeaveRequest.Status.APPROVED,
    )
    DayCorrection.objects.create(employee=boss, date=MONDAY, kind="wfh", reason="WFH")
    check(other, "in", at(MONDAY, 7, 40), status=CheckIn.Status.PENDING)
    assert reminders.reminders_send(now=at(MONDAY, 8, 0)) == 0
    tuesday = date(2026, 3, 3)
    DayCorrection.objects.create(employee=other, date=tuesday, kind="travel", reason="SPPD")
    Holiday.objects.create(date=date(2026, 3, 4), name="Hari Raya", kind="balinese")
    assert reminders.reminders_send(now=at(tuesday, 8, 0)) == 2  # worker and boss
    assert reminders.reminders_send(now=at(date(2026, 3, 4), 8, 0)) == 0  # holiday
    assert reminders.reminders_send(now=at(date(2026, 3, 7), 8, 0)) == 0  # Saturday


def test_check_out_reminder_after_the_end_only_when_checked_in_and_not_out(staff):
    worker, boss = staff["worker"], staff["boss"]
    check(worker, "in", at(MONDAY, 7, 25))
    check(boss, "in", at(MONDAY, 7, 25))
    check(boss, "out", at(MONDAY, 16, 5))
    ReminderPreference.objects.create(employee=staff["other"], checkin=False, checkout=True)
    assert reminders.reminders_send(now=at(MONDAY, 16, 14)) == 0
    assert reminders.reminders_send(now=at(MONDAY, 16, 15)) == 1
    assert reminded("out") == {"Luh Pegawai"}
    message = Message.objects.get(channel="inapp", recipient_user=worker.user)
    assert "16:00" in message.text
    assert reminders.reminders_send(now=at(MONDAY, 16, 40)) == 0
    # Hours later it is no longer worth a message.
    worker_2 = staff["other"]
    check(worker_2, "in", at(MONDAY, 7, 29))
    assert reminders.reminders_send(now=at(MONDAY, 23, 0)) == 0


def test_a_night_shift_is_reminded_in_the_evening_and_the_next_morning(staff):
    night = Schedule.objects.create(
        name="Malam", code="M", start=time(21), end=time(7), works_on_holidays=True
    )
    worker = staff["worker"]
    ShiftAssignment.objects.create(employee=worker, date=MONDAY, schedule=night)
    ShiftAssignment.objects.create(employee=worker, date=date(2026, 3, 3), schedule=None)
    for person in (staff["boss"], staff["other"]):
        ReminderPreference.objects.create(employee=person, checkin=False, checkout=False)
    assert reminders.reminders_send(now=at(MONDAY, 8, 0)) == 0  # not their hours
    assert reminders.reminders_send(now=at(MONDAY, 21, 15)) == 1
    check(worker, "in", at(MONDAY, 21, 20))
    tuesday = date(2026, 3, 3)
    assert reminders.reminders_send(now=at(tuesday, 7, 15)) == 1
    sent = ReminderSent.objects.get(kind="out")
    assert sent.date == MONDAY  # the shift's date, not the calendar date


def test_the_employee_turns_reminders_off_on_their_schedule_page(staff):
    client = login_client(staff["worker"].user)
    page = client.get("/presensi/jadwal/").content.decode()
    assert 'name="checkin"' in page and "checked" in page
    response = client.post("/presensi/pengingat/", {})  # both boxes unticked
    assert response.status_code == 302
    preference = ReminderPreference.objects.get(employee=staff["worker"])
    assert not preference.checkin and not preference.checkout
    reminders.reminders_send(now=at(MONDAY, 8, 0))
    assert "Luh Pegawai" not in reminded()
    response = client.post("/presensi/pengingat/", {"checkin": "on"})
    preference.refresh_from_db()
    assert preference.checkin and not preference.checkout


def test_reminder_settings_api(staff):
    client = login_client(staff["worker"].user)
    api = "/api/v1/attendance/reminders"
    assert client.get(api).json() == {"checkin": True, "checkout": True}
    changed = client.put(api, {"checkin": True, "checkout": False}, content_type="application/json")
    assert changed.json() == {"checkin": True, "checkout": False}
    assert client.get(api).json()["checkout"] is False


def test_the_minutes_are_configurable(staff, settings):
    settings.ATTENDANCE_REMINDER_CHECKIN_MINUTES = 5
    assert reminders.reminders_send(now=at(MONDAY, 7, 35)) == 3


def test_the_sweep_is_a_periodic_job_enqueued_once_per_slot_by_two_schedulers(staff):
    from onedata.attendance.schedule import SCHEDULE
    from onedata.core.models import PeriodicRun
    from onedata.core.scheduling import enqueue_due

    mine = [p for p in SCHEDULE if p.name == "attendance-reminders"]
    assert mine and mine[0].every.total_seconds() == 300
    now = at(MONDAY, 7, 50)
    assert enqueue_due(now=now, schedule=mine) == ["attendance-reminders"]
    assert enqueue_due(now=now, schedule=mine) == []  # the second scheduler
    assert PeriodicRun.objects.filter(name="attendance-reminders").count() == 1


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(connection.vendor != "postgresql", reason="threads need a server database")
def test_two_sweeps_running_at_the_same_moment_send_each_reminder_once(staff):
    import threading

    from django.db import connections

    now = at(MONDAY, 8, 0)
    counts = []
    barrier = threading.Barrier(2)

    def sweep():
        try:
            barrier.wait()
            counts.append(reminders.reminders_send(now=now))
        finally:
            connections.close_all()

    threads = [threading.Thread(target=sweep) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sum(counts) == 3
    assert ReminderSent.objects.count() == 3
    assert Message.objects.filter(channel="inapp").count() == 3
    assert Message.objects.filter(channel="email").count() == 3
