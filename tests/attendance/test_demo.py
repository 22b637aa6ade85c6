"""The demo seed runs on top of core's and changes nothing the second time."""

import pytest

from onedata.attendance import demo
from onedata.attendance.models import CheckIn, Employee, LeaveRequest
from onedata.core import demo as core_demo


@pytest.mark.django_db
def test_demo_seed_is_idempotent_and_links_the_demo_logins():
    core_demo.seed()
    demo.seed()
    counts = (Employee.objects.count(), CheckIn.objects.count(), LeaveRequest.objects.count())
    demo.seed()
    assert (
        Employee.objects.count(),
        CheckIn.objects.count(),
        LeaveRequest.objects.count(),
    ) == counts
    pegawai = Employee.objects.get(user__username="pegawai")
    assert pegawai.supervisor.user.username == "atasan"
    assert CheckIn.objects.filter(employee=pegawai, status="accepted").count() > 10
