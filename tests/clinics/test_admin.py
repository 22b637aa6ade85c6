"""The back office lists and opens every clinic table (bookings read-only, NIK masked)."""

from datetime import timedelta

from django.urls import reverse

from onedata.clinics import services
from onedata.clinics.models import Booking, Clinic, Closure, Service
from tests.clinics.factories import book, make_clinic
from tests.conftest import make_user


def test_the_back_office_opens_every_clinic_table(client_for, regions):
    clinic = make_clinic()
    booking = book(clinic, services.today_wita() + timedelta(days=1), 1, services.now_utc())
    Closure.objects.create(clinic=clinic, date=booking.date, reason="Rapat")
    admin = make_user("root", is_staff=True, is_superuser=True)
    client = client_for(admin)
    for model, obj in (
        (Clinic, clinic),
        (Service, clinic.services.get()),
        (Closure, Closure.objects.get()),
        (Booking, booking),
    ):
        info = (model._meta.app_label, model._meta.model_name)
        assert client.get(reverse("admin:{}_{}_changelist".format(*info))).status_code == 200
        page = client.get(reverse("admin:{}_{}_change".format(*info), args=[obj.pk]))
        assert page.status_code == 200, model
    page = client.get(reverse("admin:clinics_booking_change", args=[booking.pk])).content.decode()
    assert booking.nik not in page and booking.nik_masked in page
