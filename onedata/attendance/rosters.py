"""Roster import: the shifts of a shift-based office (hospitals, 24-hour services) from a
CSV or XLSX file, checked row by row and written in the background.

Two layouts, recognised from the header row:

- a list: columns ``nip``, ``tanggal``/``date`` and ``shift``/``kode``/``kode_shift``;
- a grid: a ``nip`` column (``nama`` may follow and is ignored) and one column per day,
  headed by the date (``2026-03-02`` or ``02/03/2026``) or by the day number (1-31, with
  the month chosen on the page). An empty grid cell changes nothing.

A shift code is a schedule's code or name (case does not matter); ``L``, ``OFF``,
``LIBUR`` or ``-`` is a day off. Every entry is checked: unknown NIP, an employee of
another office, unknown shift code, a date in a finalised month, two entries for one day,
and shifts that overlap (a night shift 22:00-07:00 followed by a morning shift at 06:00).
Overlaps are checked against the file and the roster already stored for the days around.

Mode ``all``: any problem and nothing is written. Mode ``valid``: the good entries are
written and the bad ones listed as skipped.
"""

from __future__ import annotations

import csv
import io
import logging
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from onedata.attendance import importer, permissions, rules, selectors
from onedata.attendance.models import (
    AllowanceMonth,
    Employee,
    Office,
    RosterImport,
    Schedule,
    ShiftAssignment,
)
from onedata.core import audit, uploads
from onedata.core.errors import NotAuthorized, ValidationError

logger = logging.getLogger("onedata.attendance")
MAX_ENTRIES = 200_000
OFF_CODES = {"l", "off", "libur", "-", "x"}
NIP_HEADERS = {"nip"}
NAME_HEADERS = {"nama", "name"}
DATE_HEADERS = {"tanggal", "date", "tgl"}
SHIFT_HEADERS = {"shift", "kode", "kode_shift", "code", "shift_code"}
_PROGRESS_EVERY = 500
_CHUNK = 500


@dataclass
class Entry:
    row: int
    column: str
    nip: str
    day_text: str
    code: str
    day: date | None = None
    employee_id: int | None = None
    schedule: Schedule | None = None
    off: bool = False
    bad: bool = False


@dataclass
class Problem:
    row: int
    column: str
    message: str

    def as_dict(self) -> dict:
        return {"row": self.row, "column": self.column, "message": self.message}


@dataclass
class Report:
    entries: int = 0
    saved: int = 0
    skipped: int = 0
    errors: list[Problem] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors


# --- reading -------------------------------------------------------------------------------


def _header(value: str) -> str:
    return str(value).strip().lower().replace(" ", "_")


def parse_day(text: str) -> date | None:
    text = str(text).strip()
    if not text:
        return None
    for pattern in ("%Y-%m-%d", "%Y-%m-%d %H:%M:%S", "%d/%m/%Y", "%d-%m-%Y"):
        try:
            return datetime.strptime(text, pattern).date()
        except ValueError:
            continue
    return None


def _grid_day(label: str, month: date | None) -> date | None:
    found = parse_day(label)
    if found or month is None:
        return found
    text = str(label).strip()
    if text.isdigit() and 1 <= int(text) <= 31:
        try:
            return month.replace(day=int(text))
        except ValueError:
            return None
    return None


def entries_from_table(table: list[list[str]], month: date | None = None) -> list[Entry]:
    """Entries (one per employee and day) from the cells of a list or a grid file."""
    header = [_header(h) for h in table[0]]
    nip_col = next((i for i, h in enumerate(header) if h in NIP_HEADERS), None)
    if nip_col is None:
        raise ValidationError.for_field(
            "file", _("The first row must name the columns: nip, tanggal, kode_shift.")
        )
    date_col = next((i for i, h in enumerate(header) if h in DATE_HEADERS), None)
    shift_col = next((i for i, h in enumerate(header) if h in SHIFT_HEADERS), None)
    if date_col is not None and shift_col is not None:
        return _list_entries(table, nip_col, date_col, shift_col)
    return _grid_entries(table, header, nip_col, month)


def _cell(values: list[str], index: int) -> str:
    return str(values[index]).strip() if index < len(values) else ""


def _list_entries(table, nip_col: int, date_col: int, shift_col: int) -> list[Entry]:
    entries = []
    for number, values in enumerate(table[1:], start=2):
        if not any(str(v).strip() for v in values):
            continue
        entries.append(
            Entry(
                row=number,
                column="",
                nip=_cell(values, nip_col).replace(" ", ""),
                day_text=_cell(values, date_col),
                code=_cell(values, shift_col),
            )
        )
    return entries


def _grid_entries(table, header: list[str], nip_col: int, month: date | None) -> list[Entry]:
    day_columns: list[tuple[int, str, date]] = []
    unreadable = []
    for index, label in enumerate(table[0]):
        if index == nip_col or header[index] in NAME_HEADERS or not str(label).strip():
            continue
        day = _grid_day(label, month)
        if day is None:
            unreadable.append(str(label).strip())
        else:
            day_columns.append((index, day.isoformat(), day))
    if unreadable:
        if month is None and all(label.isdigit() for label in unreadable):
            raise ValidationError.for_field(
                "month", _("The columns are day numbers: choose the month of the grid.")
            )
        raise ValidationError.for_field(
            "file",
            _("These column headings are not dates: %(labels)s.")
            % {"labels": ", ".join(unreadable[:5])},
        )
    if not day_columns:
        raise ValidationError.for_field(
            "file",
            _(
                "Name the columns nip, tanggal, kode_shift; or nip and one column per day "
                "(a date, or the day number with the month chosen)."
            ),
        )
    entries = []
    for number, values in enumerate(table[1:], start=2):
        nip = _cell(values, nip_col).replace(" ", "")
        if not nip and not any(str(v).strip() for v in values):
            continue
        for index, label, _day in day_columns:
            code = _cell(values, index)
            if code:  # an empty cell changes nothing
                entries.append(Entry(row=number, column=label, nip=nip, day_text=label, code=code))
    return entries


# --- checking ------------------------------------------------------------------------------


def _shift_lookup() -> dict[str, Schedule]:
    lookup: dict[str, Schedule] = {}
    for schedule in Schedule.objects.all():
        lookup.setdefault(schedule.name.strip().lower(), schedule)
        if schedule.code:
            lookup[schedule.code.strip().lower()] = schedule
    return lookup


def known_codes() -> str:
    codes = [s.code for s in Schedule.objects.exclude(code="").order_by("code")]
    return ", ".join([*codes, "L"])


def _chunks(values: list):
    for start in range(0, len(values), _CHUNK):
        yield values[start : start + _CHUNK]


def check_entries(office: Office, entries: list[Entry], progress=None) -> list[Problem]:
    """Fill each entry's employee, day and shift; return every problem found."""
    problems: list[Problem] = []
    nips = sorted({e.nip for e in entries if e.nip})
    employees: dict[str, tuple[int, int, bool, str]] = {}
    for chunk in _chunks(nips):
        for pk, nip, office_id, active, office_name in Employee.objects.filter(
            nip__in=chunk
        ).values_list("pk", "nip", "office_id", "active", "office__name"):
            employees[nip] = (pk, office_id, active, office_name)
    shifts = _shift_lookup()
    codes = known_codes()
    finalised = set(AllowanceMonth.objects.filter(office=office).values_list("month", flat=True))
    seen: dict[tuple[int, date], int] = {}
    reported: set[tuple[int, str, str]] = set()
    total = len(entries)
    for done, entry in enumerate(entries, start=1):
        if progress and done % _PROGRESS_EVERY == 0:
            progress(done, total)
        found = _check_entry(office, entry, employees, shifts, codes, finalised)
        if not found and entry.employee_id and entry.day:
            key = (entry.employee_id, entry.day)
            if key in seen:
                found.append(
                    ("tanggal", _("Same employee and date as row %(row)d.") % {"row": seen[key]})
                )
            else:
                seen[key] = entry.row
        entry.bad = bool(found)
        for column, message in found:
            # In a grid a bad NIP spoils the whole row: say it once, under "nip".
            where = column if column == "nip" or not entry.column else entry.column
            if (entry.row, where, message) not in reported:
                reported.add((entry.row, where, message))
                problems.append(Problem(entry.row, where, message))
    problems += _overlaps([e for e in entries if not e.bad])
    problems.sort(key=lambda p: (p.row, p.column))
    return problems


def _check_entry(office, entry: Entry, employees, shifts, codes, finalised) -> list:
    found = []
    if not entry.nip:
        found.append(("nip", _("The NIP is missing.")))
    elif entry.nip not in employees:
        found.append(("nip", _("No employee has this NIP.")))
    else:
        pk, office_id, active, office_name = employees[entry.nip]
        if office_id != office.pk:
            found.append(
                (
                    "nip",
                    _("This employee works at another office (%(office)s).")
                    % {"office": office_name},
                )
            )
        elif not active:
            found.append(("nip", _("This employee is no longer active.")))
        else:
            entry.employee_id = pk
    entry.day = parse_day(entry.day_text) if not entry.column else parse_day(entry.column)
    if entry.day is None:
        found.append(("tanggal", _("Give the date as YYYY-MM-DD.")))
    elif entry.day.replace(day=1) in finalised:
        found.append(
            ("tanggal", _("This month is finalised; the roster of its days cannot change."))
        )
    code = entry.code.strip().lower()
    if not code:
        found.append(("kode_shift", _("The shift code is missing.")))
    elif code in OFF_CODES:
        entry.off = True
    elif code in shifts:
        entry.schedule = shifts[code]
    else:
        found.append(
            (
                "kode_shift",
                _("Unknown shift code %(code)s. Known: %(known)s (L: day off).")
                % {"code": entry.code[:20], "known": codes},
            )
        )
    return found


def _interval(day: date, schedule: Schedule) -> tuple[datetime, datetime]:
    plan = selectors.plan_for(schedule, day, {}, rostered=True)
    start = datetime.combine(day, plan.start)
    return start, rules.shift_ends_at(day, plan)


def _overlaps(entries: list[Entry]) -> list[Problem]:
    """Shifts of one employee on neighbouring days that overlap in time."""
    if not entries:
        return []
    first = min(e.day for e in entries) - timedelta(days=1)
    last = max(e.day for e in entries) + timedelta(days=1)
    ids = sorted({e.employee_id for e in entries})
    planned: dict[tuple[int, date], tuple[Schedule | None, int | None]] = {}
    for chunk in _chunks(ids):
        for assignment in ShiftAssignment.objects.filter(
            employee_id__in=chunk, date__range=(first, last)
        ).select_related("schedule"):
            planned[(assignment.employee_id, assignment.date)] = (assignment.schedule, None)
    for entry in entries:
        planned[(entry.employee_id, entry.day)] = (entry.schedule, entry.row)
    problems = []
    for entry in entries:
        if entry.schedule is None:
            continue
        start, end = _interval(entry.day, entry.schedule)
        for other_day in (entry.day - timedelta(days=1), entry.day + timedelta(days=1)):
            other, _row = planned.get((entry.employee_id, other_day), (None, None))
            if other is None:
                continue
            other_start, other_end = _interval(other_day, other)
            if start < other_end and other_start < end:
                entry.bad = True
                problems.append(
                    Problem(
                        entry.row,
                        entry.column or "kode_shift",
                        _("Overlaps the %(shift)s shift of %(date)s (%(start)s-%(end)s).")
                        % {
                            "shift": other.code or other.name,
                            "date": other_day.isoformat(),
                            "start": f"{other_start:%H:%M}",
                            "end": f"{other_end:%H:%M}",
                        },
                    )
                )
                break
    return problems


# --- writing -------------------------------------------------------------------------------


def _write(*, actor, office: Office, entries: list[Entry]) -> int:
    by_employee: dict[int, list[Entry]] = {}
    for entry in entries:
        by_employee.setdefault(entry.employee_id, []).append(entry)
    with transaction.atomic():
        for employee_id, own in by_employee.items():
            ShiftAssignment.objects.filter(
                employee_id=employee_id, date__in=[e.day for e in own]
            ).delete()
        ShiftAssignment.objects.bulk_create(
            [
                ShiftAssignment(
                    employee_id=e.employee_id, date=e.day, schedule=e.schedule, created_by=actor
                )
                for e in entries
            ],
            batch_size=_CHUNK,
        )
        audit.record(
            actor=actor,
            action="attendance.roster.import",
            obj=office,
            after={
                "days": len(entries),
                "employees": len(by_employee),
                "first": min(e.day for e in entries).isoformat(),
                "last": max(e.day for e in entries).isoformat(),
            },
        )
    return len(entries)


def _apply(*, actor, office: Office, table, mode: str, month: date | None, progress=None):
    entries = entries_from_table(table, month)
    if len(entries) > MAX_ENTRIES:
        raise ValidationError.for_field(
            "file", _("At most %(n)d entries in one file.") % {"n": MAX_ENTRIES}
        )
    if not entries:
        raise ValidationError.for_field("file", _("The file has no shifts."))
    report = Report(entries=len(entries))
    report.errors = check_entries(office, entries, progress=progress)
    good = [e for e in entries if not e.bad]
    if report.errors and mode == RosterImport.Mode.ALL:
        return report
    report.skipped = len(entries) - len(good)
    if good:
        report.saved = _write(actor=actor, office=office, entries=good)
    return report


def roster_import(*, actor, office: Office, upload, mode: str = "all", month=None, progress=None):
    """Import at once (the task calls this too). Returns a Report."""
    if not permissions.can_import_roster(actor, office):
        raise NotAuthorized(_("Only HR of this office may import its roster."))
    if mode not in RosterImport.Mode.values:
        raise ValidationError.for_field("mode", _("Choose all or nothing, or valid rows only."))
    table = importer.read_table(upload)
    return _apply(
        actor=actor, office=office, table=table, mode=mode, month=month, progress=progress
    )


# --- in the background ---------------------------------------------------------------------


def roster_import_create(
    *, actor, office: Office, upload, mode: str = "all", month: date | None = None
) -> RosterImport:
    """Keep the file and queue the import; the page follows its progress."""
    from django.core.files.base import ContentFile
    from django.core.files.storage import default_storage

    if not permissions.can_import_roster(actor, office):
        raise NotAuthorized(_("Only HR of this office may import its roster."))
    if mode not in RosterImport.Mode.values:
        raise ValidationError.for_field("mode", _("Choose all or nothing, or valid rows only."))
    checked = uploads.check_upload(upload, uploads.ATTACHMENT, field="file")
    if checked.kind not in (uploads.Kind.CSV, uploads.Kind.XLSX):
        raise ValidationError.for_field("file", _("Upload a CSV or Excel (XLSX) file."))
    with checked.open() as fp:
        data = fp.read()
    name = uploads.original_display_name(getattr(upload, "name", "")) or "jadwal-dinas"
    stored = default_storage.save(
        uploads.safe_storage_name("attendance/rosters", checked.kind), ContentFile(data)
    )
    with transaction.atomic():
        job = RosterImport.objects.create(
            office=office,
            created_by=actor,
            file_name=stored,
            original_name=name[:200],
            mode=mode,
            month=month.replace(day=1) if month else None,
        )
        audit.record(
            actor=actor,
            action="attendance.roster.queue",
            obj=job,
            after={"office": office.pk, "file": job.original_name, "mode": mode},
        )
        transaction.on_commit(lambda: _enqueue(job.pk))
    return job


def _enqueue(job_id: int) -> None:
    from onedata.attendance import tasks

    tasks.import_roster.enqueue(job_id)


def roster_import_run(*, job_id: int) -> RosterImport:
    """Run a queued roster import (called by the task); claimed once even if queued twice."""
    from django.core.files.storage import default_storage

    claimed = RosterImport.objects.filter(pk=job_id, status=RosterImport.Status.QUEUED).update(
        status=RosterImport.Status.RUNNING
    )
    job = RosterImport.objects.select_related("office__agency__region", "created_by").get(pk=job_id)
    if not claimed:
        return job

    def progress(done: int, total: int) -> None:
        RosterImport.objects.filter(pk=job_id).update(processed=done, total=total)

    try:
        with default_storage.open(job.file_name, "rb") as fp:
            data = fp.read()
        table = importer.read_table(data)
        report = _apply(
            actor=job.created_by,
            office=job.office,
            table=table,
            mode=job.mode,
            month=job.month,
            progress=progress,
        )
    except ValidationError as error:
        job.status = RosterImport.Status.FAILED
        job.message = error.message[:500]
        for messages in (error.fields or {}).values():
            job.message = "; ".join(str(m) for m in messages)[:500]
    except Exception:
        logger.exception("roster import %s failed", job_id)
        job.status = RosterImport.Status.FAILED
        job.message = _("The import stopped on an unexpected error; nothing was imported.")
    else:
        _record(job, report)
    job.finished_at = timezone.now()
    job.save(
        update_fields=[
            "status",
            "message",
            "total",
            "processed",
            "saved",
            "skipped",
            "errors",
            "finished_at",
        ]
    )
    default_storage.delete(job.file_name)
    return job


def _record(job: RosterImport, report: Report) -> None:
    job.total = job.processed = report.entries
    job.saved = report.saved
    job.skipped = report.skipped
    job.errors = [p.as_dict() for p in report.errors[:1000]]
    rows = len({p.row for p in report.errors})
    if report.ok:
        job.status = RosterImport.Status.DONE
    elif job.mode == RosterImport.Mode.ALL:
        job.status = RosterImport.Status.FAILED
        job.message = _("%(n)d rows have problems; nothing was imported.") % {"n": rows}
    else:
        job.status = RosterImport.Status.DONE
        job.message = _("%(saved)d days saved; %(skipped)d entries in %(n)d rows skipped.") % {
            "saved": report.saved,
            "skipped": report.skipped,
            "n": rows,
        }


# --- the template to download --------------------------------------------------------------


def template_csv(office: Office, *, layout: str, month: date) -> str:
    """A file to fill in: the list layout with two example rows, or a month grid with the
    office's employees down the side and the days across."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    employees = list(
        Employee.objects.filter(office=office, active=True, nip__isnull=False)
        .order_by("name")
        .values_list("nip", "name")
    )
    codes = [s.code for s in Schedule.objects.exclude(code="").order_by("code")] or ["P"]
    if layout == "grid":
        days = selectors.month_dates(month)
        writer.writerow(["nip", "nama", *[d.isoformat() for d in days]])
        for nip, name in employees:
            writer.writerow([nip, name, *[""] * len(days)])
    else:
        writer.writerow(["nip", "tanggal", "kode_shift"])
        for nip, _name in employees[:2]:
            writer.writerow([nip, month.isoformat(), codes[0]])
            writer.writerow([nip, (month + timedelta(days=1)).isoformat(), "L"])
    return buffer.getvalue()
