"""Night shifts crossing midnight, the roster, Ramadan hours and the holiday calendar."""

from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest

from onedata.attendance import rules, selectors, services
from onedata.attendance.models import (
    CheckIn,
    Holiday,
    RamadanPeriod,
    Schedule,
    ShiftAssignment,
)
from onedata.core.errors import NotAuthorized, ValidationError
from onedata.core.models import AuditEvent
from tests.attendance.conftest import RENON
from tests.conftest import login_client

WITA = ZoneInfo("Asia/Makassar")
NIGHT = rules.DayPlan(workday=True, start=time(22, 0), end=time(7, 0), early_grace=30)
MON, TUE = date(2026, 11, 2), date(2026, 11, 3)


# --- pure rules ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("moment", "late"),
    [(time(21, 59), 0), (time(22, 0, 59), 0), (time(22, 1), 1), (time(0, 10), 130)],
)
def test_lateness_of_a_night_shift_counts_past_midnight(moment, late):
    assert rules.late_minutes(moment, NIGHT) == late


@pytest.mark.parametrize(
    ("moment", "early"),
    [(time(7, 5), 0), (time(6, 30), 0), (time(6, 29), 1), (time(23, 30), 420)],
)
def test_early_leave_of_a_night_shift_is_measured_the_next_morning(moment, early):
    assert rules.early_minutes(moment, NIGHT) == early


def test_a_whole_night_shift_is_one_present_day():
    result = rules.evaluate_day(NIGHT, check_in=time(21, 55), check_out=time(7, 2))
    assert (result.status, result.tl, result.psw) == ("present", 0, 0)
    assert rules.pivot(NIGHT) == 14 * 60 + 30
    assert rules.shift_ends_at(MON, NIGHT) == datetime(2026, 11, 3, 7, 0)


@pytest.mark.parametrize(
    ("moment", "kind", "checked_in", "open_", "expected"),
    [
        (datetime(2026, 11, 3, 7, 2), "out", True, True, MON),  # the morning check-out
        (datetime(2026, 11, 3, 14, 29), "out", True, True, MON),  # before the pivot
        (datetime(2026, 11, 3, 14, 30), "out", True, True, TUE),  # after it
        (datetime(2026, 11, 3, 7, 2), "out", True, False, TUE),  # already checked out
        (datetime(2026, 11, 3, 0, 10), "in", False, False, MON),  # late check-in
        (datetime(2026, 11, 3, 0, 10), "in", True, True, TUE),
        (datetime(2026, 11, 3, 21, 55), "in", False, False, TUE),  # tonight's shift
    ],
)
def test_the_work_date_of_a_moment_after_a_night_shift(moment, kind, checked_in, open_, expected):
    assert (
        rules.work_date_for(
            moment, kind, NIGHT, yesterday_checked_in=checked_in, yesterday_open=open_
        )
        == expected
    )


def test_day_shifts_always_count_on_their_calendar_date():
    day = rules.DayPlan(workday=True)
    moment = datetime(2026, 11, 3, 0, 30)
    assert (
        rules.work_date_for(moment, "out", day, yesterday_checked_in=True, yesterday_open=True)
        == TUE
    )


def test_ramadan_hours_replace_the_usual_ones_where_the_schedule_has_them():
    standard = Schedule(name="Standar")
    plan = selectors.plan_for(standard, date(2027, 2, 15), {}, ramadan=True)  # a Monday
    assert (plan.start, plan.end) == (time(8, 0), time(15, 0))
    friday = selectors.plan_for(standard, date(2027, 2, 19), {}, ramadan=True)
    assert friday.end == time(15, 30)
    assert selectors.plan_for(standard, date(2027, 2, 15), {}).start == time(7, 30)
    shift = Schedule(name="Jaga", start=time(7), end=time(14), ramadan_start=None)
    assert selectors.plan_for(shift, date(2027, 2, 15), {}, ramadan=True).start == time(7)
    # 08:10 in Ramadan is 10 minutes late; the same check-in outside it 40
    assert rules.late_minutes(time(8, 10), plan) == 10


# --- the roster and the services ------------------------------------------------------------


@pytest.fixture
def night(db):
    return Schedule.objects.create(
        name="Jaga malam",
        start=time(22, 0),
        end=time(7, 0),
        end_friday=time(7, 0),
        workdays="0123456",
        works_on_holidays=True,
        ramadan_start=None,
        ramadan_end=None,
        ramadan_end_friday=None,
    )


def _checkin(employee, kind, work_date, moment):
    return CheckIn.objects.create(
        employee=employee,
        kind=kind,
        recorded_at=moment,
        work_date=work_date,
        latitude=RENON[0],
        longitude=RENON[1],
        inside_geofence=True,
        status=CheckIn.Status.ACCEPTED,
    )


@pytest.mark.django_db
def test_a_rostered_night_shift_on_a_holiday_is_one_working_day(staff, night):
    worker, hr = staff["worker"], staff["hr"]
    Holiday.objects.create(date=MON, name="Hari Raya Galungan", kind="balinese")
    assert services.shift_assign(actor=hr, employee=worker, start=MON, end=MON, schedule=night)
    _checkin(worker, "in", MON, datetime(2026, 11, 2, 21, 58, tzinfo=WITA))
    # the next morning, the check-out belongs to Monday's shift
    morning = datetime(2026, 11, 3, 7, 4, tzinfo=WITA)
    assert services.work_date_of(worker, "out", morning) == MON
    _checkin(worker, "out", MON, morning)
    assert services.work_date_of(worker, "out", morning + timedelta(minutes=5)) == TUE
    days = selectors.days_for([worker], MON, TUE)[worker.pk]
    monday, tuesday = days[0].result, days[1].result
    assert (monday.status, monday.tl, monday.psw) == ("present", 0, 0)
    assert tuesday.status == "absent"  # not rostered: the office's Tuesday, no check-in
    assert AuditEvent.objects.filter(action="attendance.shift.assign").count() == 1


@pytest.mark.django_db
def test_a_rostered_day_off_and_replacing_the_roster(staff, night):
    worker, hr = staff["worker"], staff["hr"]
    services.shift_assign(actor=hr, employee=worker, start=MON, end=TUE, schedule=night)
    services.shift_assign(actor=hr, employee=worker, start=TUE, end=TUE, schedule=None)
    assert ShiftAssignment.objects.filter(employee=worker).count() == 2
    days = selectors.days_for([worker], MON, TUE)[worker.pk]
    assert days[1].result.status == "off"


@pytest.mark.django_db
def test_only_hr_sets_the_roster_and_dates_must_be_in_order(staff, night):
    worker = staff["worker"]
    with pytest.raises(NotAuthorized):
        services.shift_assign(
            actor=staff["boss"].user, employee=worker, start=MON, end=MON, schedule=night
        )
    with pytest.raises(ValidationError) as caught:
        services.shift_assign(actor=staff["hr"], employee=worker, start=TUE, end=MON, schedule=None)
    assert "end" in caught.value.fields


@pytest.mark.django_db
def test_ramadan_period_changes_the_lateness_of_the_day(staff):
    worker = staff["worker"]
    services.ramadan_period_create(
        actor=staff["hr"], name="Ramadan 1448 H", start=date(2027, 2, 8), end=date(2027, 3, 9)
    )
    _checkin(worker, "in", date(2027, 2, 15), datetime(2027, 2, 15, 8, 10, tzinfo=WITA))
    _checkin(worker, "out", date(2027, 2, 15), datetime(2027, 2, 15, 15, 0, tzinfo=WITA))
    day = selectors.days_for([worker], date(2027, 2, 15), date(2027, 2, 15))[worker.pk][0]
    assert (day.result.late_minutes, day.result.tl, day.result.psw) == (10, 1, 0)
    with pytest.raises(ValidationError):  # overlapping periods are refused
        services.ramadan_period_create(
            actor=staff["hr"], name="x", start=date(2027, 3, 1), end=date(2027, 3, 5)
        )
    assert RamadanPeriod.objects.count() == 1


# --- pages --------------------------------------------------------------------------------


@pytest.mark.django_db
def test_hr_creates_a_night_shift_and_rosters_it_from_the_page(staff):
    office = staff["worker"].office
    hr = login_client(staff["hr"])
    url = f"/presensi/sdm/kantor/{office.pk}/jadwal/"
    assert hr.get(url).status_code == 200
    response = hr.post(
        url,
        {
            "action": "schedule",
            "schedule-name": "Jaga malam IGD",
            "schedule-start": "22:00",
            "schedule-end": "07:00",
            "schedule-workdays": ["0", "1", "2", "3", "4", "5", "6"],
            "schedule-late_grace": "0",
            "schedule-early_grace": "0",
            "schedule-works_on_holidays": "on",
        },
    )
    assert response.status_code == 302, response.content.decode()[-2000:]
    shift = Schedule.objects.get(name="Jaga malam IGD")
    assert shift.overnight and shift.works_on_holidays and shift.ramadan_start is None
    assert shift.end_friday == time(7, 0)
    office.refresh_from_db()
    assert office.schedule is None  # "use for this office" was not ticked
    response = hr.post(
        url,
        {
            "action": "shift",
            "shift-employee": staff["worker"].pk,
            "shift-schedule": shift.pk,
            "shift-start": "2026-12-07",
            "shift-end": "2026-12-13",
        },
    )
    assert response.status_code == 302
    assert ShiftAssignment.objects.filter(employee=staff["worker"], schedule=shift).count() == 7
    bad = hr.post(
        url,
        {
            "action": "shift",
            "shift-employee": staff["worker"].pk,
            "shift-start": "2026-12-13",
            "shift-end": "2026-12-07",
        },
    )
    assert bad.status_code == 422 and 'value="2026-12-13"' in bad.content.decode()
    boss = login_client(staff["boss"].user)
    assert boss.get(url).status_code == 404


@pytest.mark.django_db
def test_hr_edits_the_holiday_calendar(staff):
    hr = login_client(staff["hr"])
    url = "/presensi/sdm/kalender/"
    response = hr.post(
        url,
        {
            "action": "holiday",
            "holiday-date": "2026-12-24",
            "holiday-name": "Penampahan Galungan",
            "holiday-kind": "balinese",
        },
    )
    assert response.status_code == 302
    holiday = Holiday.objects.get(date=date(2026, 12, 24))
    assert "Penampahan Galungan" in hr.get(url).content.decode()
    response = hr.post(
        url,
        {
            "action": "ramadan",
            "ramadan-name": "Ramadan",
            "ramadan-start": "2027-02-08",
            "ramadan-end": "2027-03-09",
        },
    )
    assert response.status_code == 302 and RamadanPeriod.objects.count() == 1
    hr.post(url, {"action": "delete_holiday", "id": holiday.pk})
    assert not Holiday.objects.filter(pk=holiday.pk).exists()
    assert login_client(staff["worker"].user).get(url).status_code == 403
