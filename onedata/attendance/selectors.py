"""Read queries shared by pages and the API: schedules, a month of days, team today,
allowances of an office."""

from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from django.utils import timezone

from onedata.attendance import rules, tpp
from onedata.attendance.models import (
    CheckIn,
    DayCorrection,
    Employee,
    Holiday,
    LeaveRequest,
    Office,
    Schedule,
)

DEFAULT_SCHEDULE = Schedule(name="Standard")


def schedule_of(employee: Employee) -> Schedule:
    return employee.schedule or employee.office.schedule or DEFAULT_SCHEDULE


def plan_for(schedule: Schedule, day: date, holidays: dict[date, str]) -> rules.DayPlan:
    weekday = day.weekday()
    return rules.DayPlan(
        workday=schedule.works_on(weekday),
        start=schedule.start,
        end=schedule.end_on(weekday),
        late_grace=schedule.late_grace,
        early_grace=schedule.early_grace,
        holiday=holidays.get(day, ""),
    )


def month_dates(month: date) -> list[date]:
    last = calendar.monthrange(month.year, month.month)[1]
    return [month.replace(day=d) for d in range(1, last + 1)]


@dataclass(frozen=True)
class Day:
    date: date
    result: rules.DayResult


def _local_time(moment: datetime):
    return timezone.localtime(moment).time().replace(microsecond=0)


def days_for(employees: list[Employee], start: date, end: date) -> dict[int, list[Day]]:
    """Each employee's days from ``start`` to ``end``: a fixed number of queries."""
    ids = [e.pk for e in employees]
    holidays = dict(Holiday.objects.filter(date__range=(start, end)).values_list("date", "name"))
    first_in: dict[tuple[int, date], datetime] = {}
    last_out: dict[tuple[int, date], datetime] = {}
    for employee_id, kind, work_date, recorded_at in (
        CheckIn.objects.filter(
            employee_id__in=ids, work_date__range=(start, end), status=CheckIn.Status.ACCEPTED
        )
        .order_by("recorded_at")
        .values_list("employee_id", "kind", "work_date", "recorded_at")
    ):
        key = (employee_id, work_date)
        if kind == CheckIn.Kind.IN:
            first_in.setdefault(key, recorded_at)
        else:
            last_out[key] = recorded_at
    leave: dict[tuple[int, date], str] = {}
    for request in LeaveRequest.objects.filter(
        employee_id__in=ids, status=LeaveRequest.Status.APPROVED, start__lte=end, end__gte=start
    ).select_related("leave_type"):
        day = max(request.start, start)
        while day <= min(request.end, end):
            leave[(request.employee_id, day)] = request.leave_type.counts_as
            day += timedelta(days=1)
    corrections = {
        (c.employee_id, c.date): c.kind
        for c in DayCorrection.objects.filter(employee_id__in=ids, date__range=(start, end))
    }
    now = timezone.localtime(timezone.now())
    result: dict[int, list[Day]] = {}
    for employee in employees:
        schedule = schedule_of(employee)
        days = []
        day = start
        while day <= end:
            plan = plan_for(schedule, day, holidays)
            key = (employee.pk, day)
            if day > now.date():
                finished = False
            elif day == now.date():
                finished = now.time() >= plan.end
            else:
                finished = True
            checked_in = first_in.get(key)
            checked_out = last_out.get(key)
            outcome = rules.evaluate_day(
                plan,
                check_in=_local_time(checked_in) if checked_in else None,
                check_out=_local_time(checked_out) if checked_out else None,
                leave=leave.get(key, ""),
                override=corrections.get(key, ""),
                finished=finished,
            )
            days.append(Day(day, outcome))
            day += timedelta(days=1)
        result[employee.pk] = days
    return result


def month_days(employee: Employee, month: date) -> list[Day]:
    dates = month_dates(month)
    return days_for([employee], dates[0], dates[-1])[employee.pk]


@dataclass(frozen=True)
class AllowanceRow:
    employee: Employee
    allowance: tpp.Allowance
    days: list[Day]


def allowance_of(employee: Employee, days: list[Day]) -> tpp.Allowance:
    rule = tpp.Rule(attendance_share=employee.office.tpp_attendance_share)
    return tpp.compute(
        employee.tpp_base,
        [
            tpp.Day(d.date, d.result.status.value, d.result.tl, d.result.psw)
            for d in days
            if d.result.status != rules.DayStatus.UPCOMING
        ],
        rule,
    )


def office_allowances(office: Office, month: date) -> list[AllowanceRow]:
    employees = list(
        Employee.objects.filter(office=office, active=True).select_related(
            "office", "schedule", "office__schedule"
        )
    )
    dates = month_dates(month)
    by_employee = days_for(employees, dates[0], dates[-1])
    return [
        AllowanceRow(e, allowance_of(e, by_employee[e.pk]), by_employee[e.pk]) for e in employees
    ]


def team_of(user) -> list[Employee]:
    return list(
        Employee.objects.filter(supervisor__user=user, active=True).select_related(
            "office", "schedule", "office__schedule", "user"
        )
    )


def today_of(employees: list[Employee]) -> list[tuple[Employee, Day]]:
    today = timezone.localdate()
    days = days_for(employees, today, today)
    return [(e, days[e.pk][0]) for e in employees]
