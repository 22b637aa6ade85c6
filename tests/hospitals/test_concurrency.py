"""Parallel requests never break the rules: one approval per plan, reports in order."""

import threading
from datetime import timedelta

import pytest
from django.db import connection
from django.utils import timezone

from onedata.core.errors import Conflict, ValidationError
from onedata.hospitals import services
from onedata.hospitals.models import AllocationPlan, Report
from tests.hospitals.factories import add_report, report_input

pytestmark = pytest.mark.django_db(transaction=True)


def run_together(count, work):
    barrier = threading.Barrier(count)
    outcomes = []

    def runner():
        barrier.wait()
        try:
            outcomes.append(work())
        except Exception as error:  # noqa: BLE001 - the test looks at what came back
            outcomes.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=runner) for _ in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return outcomes


def test_two_analysts_approving_at_once_approve_the_plan_once(hospital, staff):
    add_report(hospital, liquid_value=5, cylinders={})
    plan = services.allocation_propose(actor=staff["province_analyst"], supply_m3=100)

    def approve():
        fresh = AllocationPlan.objects.get(pk=plan.pk)
        return services.allocation_approve(actor=staff["province_analyst"], plan=fresh)

    outcomes = run_together(4, approve)
    assert sum(isinstance(o, AllocationPlan) for o in outcomes) == 1
    assert sum(isinstance(o, Conflict) for o in outcomes) == 3


def test_reports_sent_at_once_for_the_same_time_keep_one(hospital, staff):
    at = timezone.now() - timedelta(minutes=1)

    def submit():
        return services.report_submit(
            actor=staff["reporter"], hospital=hospital, data=report_input(reported_at=at)
        )

    outcomes = run_together(3, submit)
    assert Report.objects.count() == 1, outcomes
    assert sum(isinstance(o, ValidationError) for o in outcomes) == 2
