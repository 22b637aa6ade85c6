"""Alerts go through the notification service: in-app and mail, once per crossing,
and the hourly periodic task catches reports that went stale."""

import pytest

from onedata.core.models import Agency
from onedata.hospitals import schedule, tasks
from onedata.hospitals.models import AlertState
from onedata.notifications.models import Message
from tests.hospitals.factories import add_report

pytestmark = pytest.mark.django_db


def test_a_crossing_is_sent_in_app_and_by_mail_to_reporters_and_the_health_office(
    hospital, staff, django_capture_on_commit_callbacks
):
    Agency.objects.filter(slug="dinkes-bali").update(email="dinkes@baliprov.test")
    with django_capture_on_commit_callbacks(execute=True):
        add_report(hospital, liquid_value=40, cylinders={}, hours_ago=3)
    assert not Message.objects.exists()
    # 2 % of 10,000 L = 172 m3 at 273.6 m3/day: about 15 h, the 24 h line is crossed.
    with django_capture_on_commit_callbacks(execute=True):
        add_report(hospital, liquid_value=2, cylinders={}, hours_ago=2)
    inapp = set(
        Message.objects.filter(channel="inapp").values_list("recipient_user__username", flat=True)
    )
    assert {"pelapor", "analis", "analis.badung"} <= inapp
    mailed = {
        tuple(to) for to in Message.objects.filter(channel="email").values_list("to", flat=True)
    }
    mailed = {address for to in mailed for address in to}
    assert {
        "pelapor@example.test",
        "analis@example.test",
        "analis.badung@example.test",
        "dinkes@baliprov.test",
    } <= mailed
    # Nobody outside the hospital and its health offices.
    assert "pelapor2@example.test" not in mailed
    assert "analis.gianyar@example.test" not in mailed
    assert all(len(to) == 1 for to in Message.objects.values_list("to", flat=True))
    subjects = set(Message.objects.values_list("subject", flat=True))
    assert len(subjects) == 1 and "24" in subjects.pop()


def test_the_hourly_task_alerts_a_stale_report_once_by_mail_too(
    hospital, staff, django_capture_on_commit_callbacks
):
    add_report(hospital, liquid_value=90, hours_ago=30)
    Message.objects.all().delete()
    with django_capture_on_commit_callbacks(execute=True):
        assert tasks.alerts_check_all.call() == 1
    assert AlertState.objects.get().stale_alerted
    mails = Message.objects.filter(channel="email").count()
    assert mails >= 3
    assert tasks.alerts_check_all.call() == 0
    assert Message.objects.filter(channel="email").count() == mails


def test_the_alert_check_is_scheduled_hourly():
    from datetime import timedelta

    from onedata.core.scheduling import all_periodic

    (entry,) = [p for p in schedule.SCHEDULE if p.name == "hospitals-alerts-check"]
    assert entry.every == timedelta(hours=1)
    assert entry.task is tasks.alerts_check_all
    assert entry in all_periodic()
