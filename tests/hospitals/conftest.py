import pytest

from onedata.core.roles import Role
from tests.conftest import make_agency, make_user
from tests.hospitals.factories import make_hospital


@pytest.fixture
def hospital(agencies):
    return make_hospital(slug="rsud-badung", region_code="51.03")


@pytest.fixture
def other_hospital(agencies):
    return make_hospital(slug="rsud-gianyar", region_code="51.04", lat=-8.54, lon=115.33)


@pytest.fixture
def staff(agencies, hospital, other_hospital):
    dinkes_bali = make_agency("dinkes-bali", "51")
    return {
        "reporter": make_user("pelapor", Role.HOSPITAL_REPORTER, hospital.agency),
        "other_reporter": make_user("pelapor2", Role.HOSPITAL_REPORTER, other_hospital.agency),
        "province_analyst": make_user("analis", Role.HEALTH_ANALYST, dinkes_bali),
        "badung_analyst": make_user(
            "analis.badung", Role.HEALTH_ANALYST, agencies["badung_dinkes"]
        ),
        "gianyar_analyst": make_user("analis.gianyar", Role.HEALTH_ANALYST, agencies["gianyar"]),
        "citizen": make_user("warga"),
    }
