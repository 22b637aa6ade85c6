"""The weekly hoax report mailed to each desk: its own reach, once per week."""

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from onedata.core.roles import Role
from onedata.core.scheduling import all_periodic
from onedata.factcheck import services
from onedata.factcheck.models import Report
from onedata.notifications.models import Message
from tests.conftest import make_user

pytestmark = pytest.mark.django_db
WITA = ZoneInfo("Asia/Makassar")
MONDAY_MORNING = datetime(2026, 11, 23, 8, 0, tzinfo=WITA)


@pytest.fixture
def desks(agencies):
    return {
        "province": make_user("cf.prov", Role.FACT_CHECKER, agencies["province"]),
        "badung": make_user("cf.badung", Role.FACT_CHECKER, agencies["badung"]),
        "gianyar": make_user("cf.gianyar", Role.FACT_CHECKER, agencies["gianyar"]),
    }


def _report(text, regency, when, ip):
    submitted = services.report_submit(
        actor="test", text=text, channel="whatsapp", regency=regency, ip=ip
    )
    Report.objects.filter(pk=submitted.report.pk).update(created_at=when)


@pytest.fixture
def last_week(regions):
    _report(
        "Sekolah di Kuta diliburkan karena klaster baru",
        "51.03",
        datetime(2026, 11, 17, 9, tzinfo=WITA),
        "1.0.0.1",
    )
    _report(
        "Pantai Kuta ditutup karena tsunami covid",
        "51.03",
        datetime(2026, 11, 22, 23, tzinfo=WITA),
        "1.0.0.2",
    )
    _report(
        "Sekolah di Kuta diliburkan karena klaster baru",
        "51.03",
        datetime(2026, 11, 18, 9, tzinfo=WITA),
        "1.0.0.3",
    )
    _report(
        "Bandara ditutup total mulai besok", None, datetime(2026, 11, 19, 9, tzinfo=WITA), "1.0.0.4"
    )
    _report("Rumor minggu ini saja", "51.03", datetime(2026, 11, 23, 1, tzinfo=WITA), "1.0.0.5")


def _mail_to(user) -> list[Message]:
    return [m for m in Message.objects.all() if user.email in str(m.to)]


def test_each_desk_gets_its_own_week_once(desks, last_week):
    assert services.weekly_digest_send(now=MONDAY_MORNING) == 2
    (badung,) = _mail_to(desks["badung"])
    (province,) = _mail_to(desks["province"])
    assert not _mail_to(desks["gianyar"])  # no reports from Gianyar: no mail
    assert "16/11/2026 - 22/11/2026" in badung.subject
    assert "3 laporan tentang 2 rumor" in badung.text
    assert "2x [belum diperiksa] Sekolah di Kuta" in badung.text
    assert "Bandara" not in badung.text and "minggu ini saja" not in badung.text
    assert "4 laporan tentang 3 rumor" in province.text and "Bandara" in province.text
    assert "/cek-fakta/laporan-mingguan/?weeks=1" in badung.text
    again = services.weekly_digest_send(now=MONDAY_MORNING.replace(hour=9))
    assert again == 2 and Message.objects.count() == 2  # the same messages, not new ones


def test_before_monday_seven_the_week_before_is_meant(desks, last_week):
    services.weekly_digest_send(now=MONDAY_MORNING.replace(hour=6))
    assert not Message.objects.exists()  # 10-16 Nov had no reports


def test_the_digest_is_scheduled_hourly():
    names = {p.name: p for p in all_periodic()}
    assert names["factcheck-weekly-digest"].every.total_seconds() == 3600
