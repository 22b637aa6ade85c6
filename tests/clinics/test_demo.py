"""The demo data: the timetable examples are there, and a second run changes nothing."""

from onedata.clinics import demo
from onedata.clinics.models import Booking, Closure, Session


def test_the_demo_seeds_once_with_a_closed_day_and_an_afternoon_session(regions):
    demo.seed()
    counts = (Session.objects.count(), Closure.objects.count(), Booking.objects.count())
    demo.seed()
    assert (Session.objects.count(), Closure.objects.count(), Booking.objects.count()) == counts
    assert Closure.objects.filter(reason__startswith="Pelatihan").exists()
    assert Session.objects.filter(service__kind="kia", starts_at__hour=14).count() == 2
