"""NIP: 18 digits with a birth date, an appointment month, sex and a serial."""

from datetime import date

import pytest

from onedata.attendance.nip import NipError, format_nip, parse_nip


def test_a_valid_nip_tells_birth_date_appointment_and_sex():
    nip = parse_nip("198503172010011002")
    assert nip.birth_date == date(1985, 3, 17)
    assert nip.appointed == (2010, 1)
    assert nip.sex == "M" and nip.serial == 2
    assert format_nip(nip.value) == "19850317 201001 1 002"


def test_spaces_as_printed_are_accepted():
    assert parse_nip("19850317 201001 2 015").sex == "F"


@pytest.mark.parametrize(
    ("value", "problem"),
    [
        ("19850317201001100", "18 digits"),
        ("1985031720100110021", "18 digits"),
        ("19850317201001100a", "18 digits"),
        ("198502302010011002", "date of birth"),  # 30 February
        ("198503172010131002", "appointment"),  # month 13
        ("198503171999011002", "17th birthday"),
        ("198503172010013002", "Digit 15"),
        ("198503172010011000", "serial"),
    ],
)
def test_each_broken_part_is_named(value, problem):
    with pytest.raises(NipError, match=problem):
        parse_nip(value)
