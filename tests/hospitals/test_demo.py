"""The demo: real hospital names, every status on the dashboard, seeding twice is harmless."""

import pytest

from onedata.core import demo as core_demo
from onedata.core.models import Membership
from onedata.hospitals import demo, selectors
from onedata.hospitals.models import AllocationPlan, Hospital, Report

pytestmark = pytest.mark.django_db


def test_demo_shows_every_status_and_seeding_twice_changes_nothing(regions):
    core_demo.seed()
    demo.seed()
    counts = (Hospital.objects.count(), Report.objects.count())
    demo.seed()
    assert (Hospital.objects.count(), Report.objects.count()) == counts
    assert counts[0] >= 15 and counts[1] >= 15 * 60
    statuses = selectors.statuses(Hospital.objects.select_related("agency"))
    seen = {s.status for s in statuses}
    assert {"critical", "warning", "watch", "safe"} <= seen, [
        (s.hospital.name, s.status, s.forecast.hours_left) for s in statuses
    ]
    assert any(s.forecast.stale for s in statuses)
    assert Membership.objects.filter(
        user__username="pelapor.rs", agency__slug="rsud-wangaya", role="hospital_reporter"
    ).exists()

    # A draft plan by source and day, made once, with deliveries on more than one day.
    plan = AllocationPlan.objects.get()
    assert plan.status == "draft" and plan.lots.count() == len(demo.DEMO_LOTS)
    days = set(plan.lots.filter(deliveries__isnull=False).values_list("day", flat=True))
    assert len(days) >= 2
