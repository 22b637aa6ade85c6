"""Enrolment, check-in decisions, corrections and leave through the services."""

from datetime import date, datetime, timedelta
from datetime import time as dtime
from zoneinfo import ZoneInfo

import pytest
from django.db import IntegrityError, connection, transaction

from onedata.attendance import crypto, selectors, services
from onedata.attendance.models import CheckIn, FaceTemplate, Holiday, LeaveBalance, LeaveRequest
from onedata.core.errors import Conflict, NotAuthorized, ValidationError
from onedata.core.models import AuditEvent
from tests.attendance.conftest import RENON, blank_photo, photo

WITA = ZoneInfo("Asia/Makassar")
pytestmark = pytest.mark.django_db


def at(day: date, hour: int, minute: int = 0) -> datetime:
    return datetime.combine(day, dtime(hour, minute), tzinfo=WITA)


@pytest.fixture
def enrolled(staff):
    services.enrolment_create(
        actor=staff["hr"], employee=staff["worker"], photo=photo("obama_1.jpg")
    )
    return staff


def check(staff, name, *, kind="in", lat=RENON[0], lon=RENON[1], note="", when=None):
    worker = staff["worker"]
    return services.checkin_record(
        actor=worker.user,
        employee=worker,
        kind=kind,
        photo=photo(name),
        lat=lat,
        lon=lon,
        accuracy_m=12,
        note=note,
        received_at=when,
    )


def test_hr_enrolment_is_approved_and_stored_encrypted(enrolled):
    template = FaceTemplate.objects.get(employee=enrolled["worker"])
    assert template.status == FaceTemplate.Status.APPROVED
    blob = bytes(template.descriptor)
    assert blob.startswith(b"v1") and len(blob) == 2 + 12 + 1024 + 16
    with pytest.raises(crypto.DecryptError):  # bound to its employee: copied elsewhere it fails
        crypto.decrypt(blob, context=b"descriptor:999999")
    assert AuditEvent.objects.filter(action="attendance.face.enrol").count() == 1


def test_an_employees_own_enrolment_waits_for_hr(staff):
    worker = staff["worker"]
    template = services.enrolment_create(
        actor=worker.user, employee=worker, photo=photo("obama_2.jpg")
    )
    assert template.status == FaceTemplate.Status.PENDING
    assert services.descriptors_of(worker) == []
    with pytest.raises(NotAuthorized):
        services.enrolment_approve(actor=worker.user, template=template)
    services.enrolment_approve(actor=staff["hr"], template=template)
    assert len(services.descriptors_of(worker)) == 1


def test_at_most_three_reference_photos(enrolled):
    worker = enrolled["worker"]
    for name in ("obama_2.jpg", "obama_3.jpg"):
        services.enrolment_create(actor=enrolled["hr"], employee=worker, photo=photo(name))
    with pytest.raises(ValidationError) as caught:
        services.enrolment_create(actor=enrolled["hr"], employee=worker, photo=photo("obama_1.jpg"))
    assert "photo" in caught.value.fields


@pytest.mark.parametrize(
    ("name", "message"),
    [("two_faces_obama_biden.jpg", "More than one face"), (None, "No face")],
)
def test_enrolment_refuses_two_faces_and_no_face(staff, name, message):
    upload = photo(name) if name else blank_photo()
    with pytest.raises(ValidationError) as caught:
        services.enrolment_create(actor=staff["hr"], employee=staff["worker"], photo=upload)
    assert message in caught.value.fields["photo"][0]


def test_the_same_person_inside_the_radius_is_accepted(enrolled):
    checkin = check(enrolled, "obama_2.jpg")
    assert checkin.status == CheckIn.Status.ACCEPTED and checkin.reasons == []
    assert checkin.inside_geofence and checkin.distance_m == 0
    assert checkin.face_distance < 0.6
    assert checkin.selfie_name.endswith(".bin")


def test_the_low_resolution_copy_still_matches(enrolled):
    assert check(enrolled, "obama_240p.jpg").status == CheckIn.Status.ACCEPTED


def test_a_different_person_is_rejected_and_the_attempt_kept(enrolled):
    checkin = check(enrolled, "biden_1.jpg")
    assert checkin.status == CheckIn.Status.REJECTED
    assert checkin.reasons == ["face_mismatch"] and checkin.face_distance > 0.6
    assert CheckIn.objects.filter(status=CheckIn.Status.REJECTED).count() == 1


def test_two_faces_and_no_face_are_refused_naming_the_photo(enrolled):
    with pytest.raises(ValidationError) as caught:
        check(enrolled, "two_faces_obama_biden.jpg")
    assert "photo" in caught.value.fields
    worker = enrolled["worker"]
    with pytest.raises(ValidationError) as caught:
        services.checkin_record(
            actor=worker.user,
            employee=worker,
            kind="in",
            photo=blank_photo(),
            lat=RENON[0],
            lon=RENON[1],
        )
    assert "No face" in caught.value.fields["photo"][0]


def test_outside_the_radius_needs_a_reason_then_waits_for_the_supervisor(enrolled):
    far = RENON[0] + 0.01  # ~1.1 km north
    rejected = check(enrolled, "obama_2.jpg", lat=far)
    assert rejected.status == CheckIn.Status.REJECTED and rejected.reasons == ["outside_geofence"]
    pending = check(enrolled, "obama_2.jpg", lat=far, note="Rapat di Bappeda")
    assert pending.status == CheckIn.Status.PENDING
    with pytest.raises(NotAuthorized):
        services.checkin_review(actor=enrolled["worker"].user, checkin=pending, approve=True)
    reviewed = services.checkin_review(actor=enrolled["boss"].user, checkin=pending, approve=True)
    assert reviewed.status == CheckIn.Status.ACCEPTED
    with pytest.raises(Conflict):
        services.checkin_review(actor=enrolled["boss"].user, checkin=pending, approve=False)


@pytest.mark.parametrize(
    ("field", "values"),
    [("lat", {"lat": 95}), ("lon", {"lon": "abc"}), ("accuracy_m", {"accuracy_m": -3})],
)
def test_absurd_coordinates_name_the_field(enrolled, field, values):
    worker = enrolled["worker"]
    arguments = {"lat": RENON[0], "lon": RENON[1], "accuracy_m": 10} | values
    with pytest.raises(ValidationError) as caught:
        services.checkin_record(
            actor=worker.user, employee=worker, kind="in", photo=photo("obama_2.jpg"), **arguments
        )
    assert field in caught.value.fields


def test_a_check_out_without_a_check_in_is_refused(enrolled):
    with pytest.raises(ValidationError) as caught:
        check(enrolled, "obama_2.jpg", kind="out")
    assert "kind" in caught.value.fields


def test_no_enrolled_face_is_a_clear_answer(staff):
    with pytest.raises(ValidationError) as caught:
        check(staff, "obama_2.jpg")
    assert "enrolled" in caught.value.fields["photo"][0]


def test_nobody_checks_in_for_someone_else(enrolled):
    worker = enrolled["worker"]
    with pytest.raises(NotAuthorized):
        services.checkin_record(
            actor=enrolled["boss"].user,
            employee=worker,
            kind="in",
            photo=photo("obama_2.jpg"),
            lat=RENON[0],
            lon=RENON[1],
        )


def test_the_time_that_counts_is_when_the_server_received_the_photo(enrolled):
    monday = date(2026, 11, 2)
    check(enrolled, "obama_2.jpg", when=at(monday, 7, 29))
    check(enrolled, "obama_3.jpg", kind="out", when=at(monday, 16, 1))
    days = selectors.month_days(enrolled["worker"], date(2026, 11, 1))
    first = next(d for d in days if d.date == monday)
    assert first.result.status == "present" and first.result.tl == 0 and first.result.psw == 0
    tuesday = next(d for d in days if d.date == monday + timedelta(days=1))
    assert tuesday.result.status == "absent"


def test_month_days_follow_holidays_corrections_and_leave(enrolled, annual):
    worker = enrolled["worker"]
    Holiday.objects.create(date=date(2026, 11, 4), name="Galungan", kind="balinese")
    services.day_correct(
        actor=enrolled["boss"].user,
        employee=worker,
        day=date(2026, 11, 5),
        kind="wfh",
        reason="Listrik padam di kantor",
    )
    leave = LeaveRequest.objects.create(
        employee=worker,
        leave_type=annual,
        start=date(2026, 11, 6),
        end=date(2026, 11, 6),
        halfdays=2,
        reason="Odalan",
        status=LeaveRequest.Status.APPROVED,
    )
    assert leave.pk
    days = {d.date.day: d.result.status for d in selectors.month_days(worker, date(2026, 11, 1))}
    assert (days[4], days[5], days[6], days[7]) == ("holiday", "wfh", "leave", "off")


def test_a_correction_needs_a_reason_and_the_team_supervisor(enrolled):
    worker = enrolled["worker"]
    with pytest.raises(ValidationError):
        services.day_correct(
            actor=enrolled["boss"].user,
            employee=worker,
            day=date(2026, 11, 5),
            kind="wfh",
            reason=" ",
        )
    with pytest.raises(NotAuthorized):
        services.day_correct(
            actor=enrolled["other"].user,
            employee=worker,
            day=date(2026, 11, 5),
            kind="wfh",
            reason="x",
        )


# --- leave -------------------------------------------------------------------------------


def ask(staff, annual, start, end, **extra):
    worker = staff["worker"]
    return services.leave_request_create(
        actor=worker.user,
        employee=worker,
        leave_type=annual,
        start=start,
        end=end,
        reason="Upacara adat",
        **extra,
    )


def test_leave_request_counts_working_days_and_notifies_the_supervisor(
    staff, annual, django_capture_on_commit_callbacks
):
    from onedata.notifications.models import Message

    with django_capture_on_commit_callbacks(execute=True):
        leave = ask(staff, annual, date(2026, 3, 16), date(2026, 3, 22))
    assert leave.halfdays == 10
    assert Message.objects.filter(recipient_user=staff["boss"].user).exists()


def test_overlapping_leave_and_leave_beyond_the_balance_are_refused(staff, annual):
    ask(staff, annual, date(2026, 3, 16), date(2026, 3, 18))
    with pytest.raises(ValidationError) as caught:
        ask(staff, annual, date(2026, 3, 18), date(2026, 3, 19))
    assert "start" in caught.value.fields
    with pytest.raises(ValidationError) as caught:
        ask(staff, annual, date(2026, 4, 1), date(2026, 4, 30))  # 22 working days > 12
    assert "end" in caught.value.fields


def test_the_supervisor_then_hr_approve_and_only_hr_takes_the_balance(
    staff, annual, django_capture_on_commit_callbacks
):
    from onedata.notifications.models import Message

    leave = ask(staff, annual, date(2026, 3, 16), date(2026, 3, 16), half_day=True)
    with django_capture_on_commit_callbacks(execute=True):
        verified = services.leave_request_decide(
            actor=staff["boss"].user, leave=leave, approve=True, note="Silakan"
        )
    assert verified.status == LeaveRequest.Status.VERIFIED
    assert verified.verified_by == staff["boss"].user and verified.verified_note == "Silakan"
    balance = LeaveBalance.objects.get(employee=staff["worker"])
    assert balance.used == 0  # not yet: HR gives the final approval
    assert Message.objects.filter(recipient_user=staff["worker"].user).count() == 1
    with pytest.raises(Conflict):  # the supervisor's stage is done
        services.leave_request_decide(actor=staff["boss"].user, leave=leave, approve=True)
    with pytest.raises(ValidationError):  # an overlapping request is refused meanwhile
        ask(staff, annual, date(2026, 3, 16), date(2026, 3, 17))
    with django_capture_on_commit_callbacks(execute=True):
        final = services.leave_request_decide(actor=staff["hr"], leave=leave, approve=True)
    assert final.status == LeaveRequest.Status.APPROVED and final.decided_by == staff["hr"]
    balance.refresh_from_db()
    assert (balance.allocated, balance.used, balance.available) == (24, 1, 23)
    assert Message.objects.filter(recipient_user=staff["worker"].user).count() == 2
    with pytest.raises(Conflict):
        services.leave_request_decide(actor=staff["hr"], leave=leave, approve=True)


def test_hr_may_refuse_after_the_supervisor_approved(staff, annual):
    leave = ask(staff, annual, date(2026, 3, 16), date(2026, 3, 16))
    services.leave_request_decide(actor=staff["boss"].user, leave=leave, approve=True)
    refused = services.leave_request_decide(
        actor=staff["hr"], leave=leave, approve=False, note="Audit BPK"
    )
    assert refused.status == LeaveRequest.Status.REJECTED
    assert LeaveBalance.objects.get(employee=staff["worker"]).used == 0


def test_a_request_waiting_for_hr_can_still_be_cancelled(staff, annual):
    leave = ask(staff, annual, date(2026, 3, 16), date(2026, 3, 16))
    services.leave_request_decide(actor=staff["boss"].user, leave=leave, approve=True)
    cancelled = services.leave_request_cancel(actor=staff["worker"].user, leave=leave)
    assert cancelled.status == LeaveRequest.Status.CANCELLED


def test_refusal_needs_a_note_and_nobody_decides_their_own_leave(staff, annual):
    leave = ask(staff, annual, date(2026, 3, 16), date(2026, 3, 16))
    with pytest.raises(ValidationError):
        services.leave_request_decide(actor=staff["boss"].user, leave=leave, approve=False)
    with pytest.raises(NotAuthorized):
        services.leave_request_decide(actor=staff["worker"].user, leave=leave, approve=True)
    with pytest.raises(NotAuthorized):
        services.leave_request_decide(actor=staff["other"].user, leave=leave, approve=True)
    decided = services.leave_request_decide(
        actor=staff["hr"], leave=leave, approve=False, note="Rapat anggaran"
    )
    assert decided.status == LeaveRequest.Status.REJECTED


def test_approvals_beyond_the_balance_are_refused_one_by_one(staff, annual):
    balance = services.balance_for(staff["worker"], annual, 2026)
    LeaveBalance.objects.filter(pk=balance.pk).update(allocated=4)  # 2 days
    first = ask(staff, annual, date(2026, 3, 16), date(2026, 3, 17))
    LeaveBalance.objects.filter(pk=balance.pk).update(allocated=6)
    second = ask(staff, annual, date(2026, 3, 23), date(2026, 3, 24))
    LeaveBalance.objects.filter(pk=balance.pk).update(allocated=4)
    services.leave_request_decide(actor=staff["boss"].user, leave=first, approve=True)
    services.leave_request_decide(actor=staff["boss"].user, leave=second, approve=True)
    services.leave_request_decide(actor=staff["hr"], leave=first, approve=True)
    with pytest.raises(Conflict):
        services.leave_request_decide(actor=staff["hr"], leave=second, approve=True)
    balance.refresh_from_db()
    assert balance.available == 0


def test_the_database_itself_refuses_a_negative_balance(staff, annual):
    balance = services.balance_for(staff["worker"], annual, 2026)
    with pytest.raises(IntegrityError), transaction.atomic():
        LeaveBalance.objects.filter(pk=balance.pk).update(used=25)


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(connection.vendor != "postgresql", reason="threads need a server database")
def test_parallel_approvals_never_take_the_balance_below_zero(staff, annual):
    import threading

    from django.db import connections

    balance = services.balance_for(staff["worker"], annual, 2026)
    mondays = [date(2026, 3, 2) + timedelta(weeks=i) for i in range(8)]
    requests = [ask(staff, annual, d, d) for d in mondays]  # 8 x 1 day, 12 available
    LeaveBalance.objects.filter(pk=balance.pk).update(allocated=6)  # only 3 days now
    outcomes = []
    barrier = threading.Barrier(len(requests))

    def approve(leave):
        try:
            barrier.wait()
            services.leave_request_decide(actor=staff["hr"], leave=leave, approve=True)
            outcomes.append("approved")
        except Conflict:
            outcomes.append("refused")
        finally:
            connections.close_all()

    threads = [threading.Thread(target=approve, args=(r,)) for r in requests]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    balance.refresh_from_db()
    assert outcomes.count("approved") == 3 and outcomes.count("refused") == 5
    assert balance.used == 6 and balance.available == 0


def test_selfies_past_the_retention_period_are_deleted(enrolled, settings):
    from django.core.files.storage import default_storage
    from django.utils import timezone

    settings.ATTENDANCE_PHOTO_RETENTION_DAYS = 30
    checkin = check(enrolled, "obama_2.jpg", when=timezone.now() - timedelta(days=31))
    fresh = check(enrolled, "obama_3.jpg")
    name = checkin.selfie_name
    assert default_storage.exists(name)
    assert services.selfies_purge() == 1
    checkin.refresh_from_db()
    fresh.refresh_from_db()
    assert checkin.selfie_name == "" and not default_storage.exists(name)
    assert fresh.selfie_name and checkin.status == CheckIn.Status.ACCEPTED


def test_a_stored_selfie_reads_back_only_through_the_audited_reader(enrolled):
    checkin = check(enrolled, "obama_2.jpg")
    from django.core.files.storage import default_storage

    with default_storage.open(checkin.selfie_name, "rb") as fp:
        assert not fp.read().startswith(b"\xff\xd8")  # not a JPEG on disk
    data = services.read_photo(actor=enrolled["hr"], name=checkin.selfie_name, context=b"selfie")
    assert data.startswith(b"\xff\xd8")
    assert AuditEvent.objects.filter(action="attendance.biometric.read").count() == 1
