"""Import employees from CSV or XLSX: every row checked, all or nothing.

Columns (Indonesian or English headers, any order, case-insensitive):
``nip``, ``nama``/``name``, ``email``, ``jabatan``/``position``, ``golongan``/``grade``,
``jenis``/``type`` (pns, pppk, kontrak/contract), ``nip_atasan``/``supervisor_nip``,
``tpp``/``tpp_base``. A file with any bad row imports nothing and answers every bad row
(row number, column, problem), so the corrected file can simply be uploaded again.
Rows are written with bulk inserts: 20,000 rows in one go.
"""

from __future__ import annotations

import csv
import io
import logging
from dataclasses import dataclass, field

from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.utils.translation import gettext as _

from onedata.attendance import permissions
from onedata.attendance.models import Employee, ImportJob, Office
from onedata.attendance.nip import NipError, parse_nip
from onedata.core import audit, uploads
from onedata.core.errors import NotAuthorized, ValidationError
from onedata.core.models import Membership, User
from onedata.core.roles import Role

logger = logging.getLogger("onedata.attendance")
MAX_ROWS = 50_000
HEADERS = {
    "nip": "nip",
    "nama": "name",
    "name": "name",
    "email": "email",
    "jabatan": "position",
    "position": "position",
    "golongan": "grade",
    "grade": "grade",
    "jenis": "type",
    "type": "type",
    "nip_atasan": "supervisor_nip",
    "supervisor_nip": "supervisor_nip",
    "tpp": "tpp_base",
    "tpp_base": "tpp_base",
}
TYPES = {
    "pns": Employee.Type.PNS,
    "pppk": Employee.Type.PPPK,
    "kontrak": Employee.Type.CONTRACT,
    "contract": Employee.Type.CONTRACT,
    "": Employee.Type.PNS,
}
_CHUNK = 500


@dataclass
class RowError:
    row: int
    column: str
    message: str


@dataclass
class ImportReport:
    rows: int = 0
    created: int = 0
    errors: list[RowError] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors


def read_table(upload) -> list[list[str]]:
    """The cells of a CSV (comma or semicolon) or of an XLSX's first sheet, as text."""
    checked = uploads.check_upload(upload, uploads.ATTACHMENT, field="file")
    if checked.kind == uploads.Kind.CSV:
        with checked.open() as fp:
            text = fp.read().decode("utf-8-sig")
        sample = text[:4096]
        delimiter = ";" if sample.count(";") > sample.count(",") else ","
        reader = csv.reader(io.StringIO(text), delimiter=delimiter)
        table = list(reader)
    elif checked.kind == uploads.Kind.XLSX:
        import openpyxl

        with checked.open() as fp:
            book = openpyxl.load_workbook(fp, read_only=True, data_only=True)
            sheet = book.worksheets[0]
            table = [
                ["" if v is None else str(v) for v in row]
                for row in sheet.iter_rows(values_only=True)
            ]
    else:
        raise ValidationError.for_field("file", _("Upload a CSV or Excel (XLSX) file."))
    if not table:
        raise ValidationError.for_field("file", _("The file is empty."))
    return table


def read_rows(upload) -> list[dict]:
    table = read_table(upload)
    header = [HEADERS.get(h.strip().lower().replace(" ", "_"), "") for h in table[0]]
    if "name" not in header:
        raise ValidationError.for_field(
            "file", _("The first row must name the columns (nama, nip…).")
        )
    if len(table) - 1 > MAX_ROWS:
        raise ValidationError.for_field(
            "file", _("At most %(n)d rows in one file.") % {"n": MAX_ROWS}
        )
    rows = []
    for values in table[1:]:
        if not any(str(v).strip() for v in values):
            rows.append({})
            continue
        rows.append({key: str(v).strip() for key, v in zip(header, values, strict=False) if key})
    return rows


def employees_import(*, actor, office: Office, upload, progress=None) -> ImportReport:
    """Import at once (in the request or in the task). ``progress(rows_checked, total)`` is
    called every few hundred rows."""
    if not permissions.can_manage_office(actor, office):
        raise NotAuthorized(_("Only HR may import employees of this office."))
    rows = read_rows(upload)
    return _import_rows(actor=actor, office=office, rows=rows, progress=progress)


_PROGRESS_EVERY = 1000


def _import_rows(*, actor, office: Office, rows: list[dict], progress=None) -> ImportReport:
    report = ImportReport()
    parsed: list[tuple[int, dict]] = []
    seen_nips: dict[str, int] = {}
    seen_users: dict[str, int] = {}
    total = len(rows)
    for index, row in enumerate(rows, start=2):
        if progress and index % _PROGRESS_EVERY == 0:
            progress(index - 2, total)
        if not row:
            continue
        report.rows += 1
        problems = _check_row(row)
        nip = row.get("nip", "").replace(" ", "")
        username = (nip or row.get("email", "").split("@")[0]).lower()
        if nip and nip in seen_nips:
            problems.append(("nip", _("Same NIP as row %(row)d.") % {"row": seen_nips[nip]}))
        if username and username in seen_users and not problems:
            problems.append(
                ("email", _("Same login as row %(row)d.") % {"row": seen_users[username]})
            )
        if not username:
            problems.append(("email", _("Give a NIP or an email: it becomes the login.")))
        for column, message in problems:
            report.errors.append(RowError(index, column, message))
        if nip:
            seen_nips.setdefault(nip, index)
        if username:
            seen_users.setdefault(username, index)
        parsed.append((index, row | {"nip": nip, "username": username}))
    _check_existing(parsed, report)
    if report.errors or not parsed:
        report.errors.sort(key=lambda e: e.row)
        return report
    with transaction.atomic():
        password = make_password(None)
        users = User.objects.bulk_create(
            [
                User(
                    username=row["username"],
                    name=row["name"][:150],
                    email=row.get("email", "").lower(),
                    password=password,
                )
                for _index, row in parsed
            ],
            batch_size=_CHUNK,
        )
        by_username = {u.username: u.pk for u in users}
        if any(pk is None for pk in by_username.values()):
            by_username = dict(
                User.objects.filter(username__in=list(by_username)).values_list("username", "pk")
            )
        Membership.objects.bulk_create(
            [
                Membership(user_id=pk, agency=office.agency, role=Role.EMPLOYEE)
                for pk in by_username.values()
            ],
            batch_size=_CHUNK,
        )
        employees = Employee.objects.bulk_create(
            [
                Employee(
                    user_id=by_username[row["username"]],
                    office=office,
                    name=row["name"][:150],
                    nip=row["nip"] or None,
                    employment_type=TYPES[row.get("type", "").lower()],
                    position=row.get("position", "")[:200],
                    grade=row.get("grade", "")[:20],
                    tpp_base=int(row.get("tpp_base") or 0),
                )
                for _index, row in parsed
            ],
            batch_size=_CHUNK,
        )
        _link_supervisors(parsed)
        report.created = len(employees)
        audit.record(
            actor=actor,
            action="attendance.employee.import",
            obj=office,
            after={"created": report.created},
        )
    return report


def _check_row(row: dict) -> list[tuple[str, str]]:
    problems = []
    if not row.get("name"):
        problems.append(("nama", _("The name is missing.")))
    kind = row.get("type", "").lower()
    if kind not in TYPES:
        problems.append(("jenis", _("Use pns, pppk or kontrak.")))
    nip = row.get("nip", "").replace(" ", "")
    if nip:
        try:
            parse_nip(nip)
        except NipError as error:
            problems.append(("nip", _(str(error))))
    elif TYPES.get(kind) == Employee.Type.PNS:
        problems.append(("nip", _("A civil servant needs a NIP.")))
    tpp = row.get("tpp_base", "").replace(".", "").replace(",", "")
    if tpp and (not tpp.isdigit() or len(tpp) > 12):
        problems.append(("tpp", _("Whole rupiah, digits only.")))
    elif tpp:
        row["tpp_base"] = tpp
    email = row.get("email", "")
    if email and ("@" not in email or len(email) > 254):
        problems.append(("email", _("Not a valid email address.")))
    boss = row.get("supervisor_nip", "").replace(" ", "")
    if boss and (not boss.isdigit() or len(boss) != 18):
        problems.append(("nip_atasan", _("A NIP has exactly 18 digits.")))
    row["supervisor_nip"] = boss
    return problems


def _chunks(values: list[str]):
    for start in range(0, len(values), _CHUNK):
        yield values[start : start + _CHUNK]


def _check_existing(parsed: list[tuple[int, dict]], report: ImportReport) -> None:
    nips = [row["nip"] for _i, row in parsed if row["nip"]]
    usernames = [row["username"] for _i, row in parsed if row["username"]]
    emails = [row["email"].lower() for _i, row in parsed if row.get("email")]
    taken_nips, taken_users, taken_emails = set(), set(), set()
    for chunk in _chunks(nips):
        taken_nips |= set(Employee.objects.filter(nip__in=chunk).values_list("nip", flat=True))
    for chunk in _chunks(usernames):
        taken_users |= set(
            User.objects.filter(username__in=chunk).values_list("username", flat=True)
        )
    for chunk in _chunks(emails):
        taken_emails |= set(User.objects.filter(email__in=chunk).values_list("email", flat=True))
    in_file = set(nips)
    outside = sorted(
        {row["supervisor_nip"] for _i, row in parsed if row.get("supervisor_nip")} - in_file
    )
    known_bosses = set()
    for chunk in _chunks(outside):
        known_bosses |= set(Employee.objects.filter(nip__in=chunk).values_list("nip", flat=True))
    for index, row in parsed:
        if row["nip"] in taken_nips:
            report.errors.append(RowError(index, "nip", _("This NIP is already registered.")))
        elif row["username"] in taken_users:
            report.errors.append(RowError(index, "nip", _("This login already exists.")))
        if row.get("email", "").lower() in taken_emails:
            report.errors.append(RowError(index, "email", _("This email is already in use.")))
        boss = row.get("supervisor_nip")
        if boss and boss not in in_file and boss not in known_bosses:
            report.errors.append(RowError(index, "nip_atasan", _("No employee has this NIP.")))


def _link_supervisors(parsed: list[tuple[int, dict]]) -> None:
    wanted = {
        row["nip"]: row["supervisor_nip"]
        for _i, row in parsed
        if row["nip"] and row.get("supervisor_nip")
    }
    if not wanted:
        return
    nips = set(wanted) | set(wanted.values())
    ids: dict[str, int] = {}
    for chunk in _chunks(list(nips)):
        ids |= dict(Employee.objects.filter(nip__in=chunk).values_list("nip", "pk"))
    updates = [
        Employee(pk=ids[nip], supervisor_id=ids[boss])
        for nip, boss in wanted.items()
        if nip in ids and boss in ids
    ]
    Employee.objects.bulk_update(updates, ["supervisor"], batch_size=_CHUNK)


# --- in the background -------------------------------------------------------------------


def import_job_create(*, actor, office: Office, upload) -> ImportJob:
    """Check the file type, keep the file and queue the import; the page shows progress."""
    from django.core.files.base import ContentFile
    from django.core.files.storage import default_storage

    if not permissions.can_manage_office(actor, office):
        raise NotAuthorized(_("Only HR may import employees of this office."))
    checked = uploads.check_upload(upload, uploads.ATTACHMENT, field="file")
    if checked.kind not in (uploads.Kind.CSV, uploads.Kind.XLSX):
        raise ValidationError.for_field("file", _("Upload a CSV or Excel (XLSX) file."))
    with checked.open() as fp:
        data = fp.read()
    name = uploads.original_display_name(getattr(upload, "name", "")) or "pegawai"
    stored = default_storage.save(
        uploads.safe_storage_name("attendance/imports", checked.kind), ContentFile(data)
    )
    with transaction.atomic():
        job = ImportJob.objects.create(
            office=office, created_by=actor, file_name=stored, original_name=name[:200]
        )
        audit.record(
            actor=actor,
            action="attendance.import.queue",
            obj=job,
            after={"office": office.pk, "file": job.original_name},
        )
        transaction.on_commit(lambda: _enqueue(job.pk))
    return job


def _enqueue(job_id: int) -> None:
    from onedata.attendance import tasks

    tasks.import_employees.enqueue(job_id)


def import_job_run(*, job_id: int) -> ImportJob:
    """Run a queued import (called by the task). All or nothing, like the direct import."""
    from django.core.files.storage import default_storage
    from django.utils import timezone

    claimed = ImportJob.objects.filter(pk=job_id, status=ImportJob.Status.QUEUED).update(
        status=ImportJob.Status.RUNNING
    )
    job = ImportJob.objects.select_related("office__agency__region", "created_by").get(pk=job_id)
    if not claimed:
        return job

    def progress(done: int, total: int) -> None:
        ImportJob.objects.filter(pk=job_id).update(processed=done, total=total)

    try:
        with default_storage.open(job.file_name, "rb") as fp:
            data = fp.read()
        rows = read_rows(data)
        ImportJob.objects.filter(pk=job_id).update(total=len(rows))
        report = _import_rows(actor=job.created_by, office=job.office, rows=rows, progress=progress)
    except ValidationError as error:
        job.status = ImportJob.Status.FAILED
        job.message = error.message[:500]
        for messages in (error.fields or {}).values():
            job.message = "; ".join(str(m) for m in messages)[:500]
        job.processed = job.total
    except Exception:
        logger.exception("employee import %s failed", job_id)
        job.status = ImportJob.Status.FAILED
        job.message = _("The import stopped on an unexpected error; nothing was imported.")
    else:
        job.status = ImportJob.Status.DONE if report.ok else ImportJob.Status.FAILED
        job.total = len(rows)
        job.processed = len(rows)
        job.created = report.created
        job.errors = [
            {"row": e.row, "column": e.column, "message": e.message} for e in report.errors[:1000]
        ]
        if not report.ok:
            job.message = _("%(n)d rows have problems; nothing was imported.") % {
                "n": len({e.row for e in report.errors})
            }
    job.finished_at = timezone.now()
    job.save(
        update_fields=[
            "status",
            "message",
            "total",
            "processed",
            "created",
            "errors",
            "finished_at",
        ]
    )
    default_storage.delete(job.file_name)
    return job
