import pytest


@pytest.fixture(autouse=True)
def generous_booking_limits(settings):
    """Most tests book many times from one address; the rate-limit test lowers these."""
    settings.CLINICS_BOOKINGS_PER_HOUR_IP = 10**6
    settings.CLINICS_BOOKINGS_PER_HOUR_NIK = 10**6
