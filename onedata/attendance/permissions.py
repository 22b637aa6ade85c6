"""Who may do what in attendance: one function per action, called by pages and API alike.

- An employee sees and writes only their own records (check-in, leave request, self-enrolment
  that HR then approves).
- A supervisor (the employee's ``supervisor`` record) sees their team, decides their leave,
  reviews their check-ins outside the office and corrects their days.
- An HR admin acts on every employee of an office whose agency lies in their region scope.
- A platform admin may do everything.
"""

from __future__ import annotations

from onedata.core import scope
from onedata.core.roles import Role


def _active(user) -> bool:
    return bool(getattr(user, "is_authenticated", False) and user.is_active)


def _is_self(user, employee) -> bool:
    return _active(user) and employee.user_id == user.pk


def _is_supervisor(user, employee) -> bool:
    if not _active(user) or employee.supervisor_id is None:
        return False
    supervisor = employee.supervisor
    return supervisor.user_id == user.pk and supervisor.active


def is_hr_for_office(user, office) -> bool:
    return _active(user) and scope.covers(user, {Role.HR_ADMIN}, office.agency.region)


def _is_hr(user, employee) -> bool:
    return is_hr_for_office(user, employee.office)


def can_check_in(user, employee) -> bool:
    return _is_self(user, employee) and employee.active


def can_view_employee(user, employee) -> bool:
    return _is_self(user, employee) or _is_supervisor(user, employee) or _is_hr(user, employee)


def can_enrol_face(user, employee) -> bool:
    """The employee (pending HR approval) or HR (approved at once)."""
    return can_check_in(user, employee) or _is_hr(user, employee)


def can_approve_face(user, template) -> bool:
    return _is_hr(user, template.employee)


def can_request_leave(user, employee) -> bool:
    return _is_self(user, employee) and employee.active


def can_decide_leave(user, leave) -> bool:
    if _is_self(user, leave.employee) and not scope.is_platform_admin(user):
        return False
    return _is_supervisor(user, leave.employee) or _is_hr(user, leave.employee)


def can_review_checkin(user, checkin) -> bool:
    if _is_self(user, checkin.employee) and not scope.is_platform_admin(user):
        return False
    return _is_supervisor(user, checkin.employee) or _is_hr(user, checkin.employee)


def can_correct_day(user, employee) -> bool:
    if _is_self(user, employee) and not scope.is_platform_admin(user):
        return False
    return _is_supervisor(user, employee) or _is_hr(user, employee)


def can_manage_office(user, office) -> bool:
    """Employees, imports, enrolments, holidays and schedules of an office."""
    return is_hr_for_office(user, office)


def can_view_office_report(user, office) -> bool:
    return is_hr_for_office(user, office)


def can_view_office_board(user, office) -> bool:
    """The live board of an office (names and today's status): HR, and supervisors who
    work in that office."""
    if is_hr_for_office(user, office):
        return True
    if not _active(user):
        return False
    from onedata.attendance.models import Employee

    return Employee.objects.filter(
        office=office, user=user, active=True, team__isnull=False
    ).exists()


def can_finalise_allowances(user, office) -> bool:
    return is_hr_for_office(user, office)


def can_manage_holidays(user) -> bool:
    return _active(user) and scope.has_role(user, {Role.HR_ADMIN})


def can_use_hr_pages(user) -> bool:
    return _active(user) and scope.has_role(user, {Role.HR_ADMIN})


# --- offices, rosters, reminders, my schedule ---------------------------------------------


def can_create_office(user, agency) -> bool:
    """HR whose region scope covers the agency (or a platform admin)."""
    return _active(user) and scope.covers(user, {Role.HR_ADMIN}, agency.region)


def can_edit_office(user, office) -> bool:
    """Name, default schedule, locations (add, move, deactivate) of an office."""
    return is_hr_for_office(user, office)


def can_import_roster(user, office) -> bool:
    return is_hr_for_office(user, office)


def can_view_schedule(user, employee) -> bool:
    """The effective schedule of an employee: themselves, their supervisor, HR."""
    return can_view_employee(user, employee)


def can_set_reminders(user, employee) -> bool:
    """Only the employee turns their own reminders on or off."""
    return _is_self(user, employee)
