import pytest
from hypothesis import given
from hypothesis import strategies as st

from onedata.core import services
from onedata.core.errors import ValidationError
from onedata.core.nik import NikError, mask_nik, validate_nik

DISTRICTS = {"51.71.01", "51.03.01"}


def test_valid_nik_from_south_denpasar_is_accepted():
    assert validate_nik("5171014506900001", DISTRICTS) == "5171014506900001"


def test_spaces_and_dots_are_ignored():
    assert validate_nik("5171 0145 0690 0001", DISTRICTS) == "5171014506900001"


@pytest.mark.parametrize(
    "nik, reason",
    [
        ("517101450690001", "16 digits"),
        ("51710145069000012", "16 digits"),
        ("51710A4506900001", "16 digits"),
        ("3171014506900001", "region code"),  # Jakarta, not in the known list
        ("5171019913900001", "birth date"),
        ("5171013215900001", "birth date"),
    ],
)
def test_invalid_nik_is_refused_with_the_reason(nik, reason):
    with pytest.raises(NikError, match=reason):
        validate_nik(nik, DISTRICTS)


def test_nik_is_masked_keeping_region_and_serial():
    assert mask_nik("5171014506900001") == "5171********0001"
    assert mask_nik("") == ""
    assert mask_nik(None) == ""


@given(st.text(alphabet="0123456789", min_size=16, max_size=16))
def test_masked_nik_never_shows_the_birth_date(nik):
    masked = mask_nik(nik)
    assert masked[4:12] == "********"
    assert len(masked) == 16


def test_service_checks_nik_against_the_loaded_regions(regions):
    assert services.clean_nik("5171014506900001") == "5171014506900001"
    with pytest.raises(ValidationError) as caught:
        services.clean_nik("5199014506900001")
    assert "nik" in caught.value.fields
