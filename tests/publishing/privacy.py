"""The privacy check every publisher's test runs on its published table.

Use it from ``tests/<app>/test_publishers.py``::

    from tests.publishing.privacy import assert_no_personal_data

    rows = publication.table(now)
    assert_no_personal_data(publication, rows, personal_values=[user.name, nik, phone, ...])

``personal_values`` are the personal data the test put into the module (names, NIK, NIP,
phone numbers, e-mail addresses, home addresses, file names of photos): none of them may
appear in any cell, whole or inside a longer text.
"""

from __future__ import annotations

import re

from onedata.publishing.registry import SUPPRESS_BELOW, Publication

# Column names that must never be published.
FORBIDDEN_COLUMN = re.compile(
    r"(^|_)(nik|nip|nama_pegawai|nama_pasien|employee|patient|person|phone|telepon|"
    r"hp|email|surel|photo|foto|selfie|face|wajah|home|rumah_tinggal|alamat_rumah|"
    r"username|user_id|ip|token|password)($|_)"
)
SIXTEEN_DIGITS = re.compile(r"(?<!\d)\d{16}(?!\d)")  # a NIK
EIGHTEEN_DIGITS = re.compile(r"(?<!\d)\d{18}(?!\d)")  # a NIP
PHONE = re.compile(r"(?<![\d.])(\+62|62|0)8\d{7,11}(?!\d)")
EMAIL = re.compile(r"[\w.+-]+@[\w-]+\.[\w.]+")


def assert_no_personal_data(
    publication: Publication, rows: list[dict], personal_values: list[str] = ()
) -> None:
    for column in publication.columns:
        assert not FORBIDDEN_COLUMN.search(column.name), (
            f"{publication.name}: column {column.name!r} looks like personal data"
        )
    needles = [str(value).strip().lower() for value in personal_values if str(value).strip()]
    for number, row in enumerate(rows):
        for name, value in row.items():
            if value is None:
                continue
            text = str(value)
            where = f"{publication.name} row {number} column {name}"
            assert not SIXTEEN_DIGITS.search(text), f"{where}: a 16-digit number (NIK?)"
            assert not EIGHTEEN_DIGITS.search(text), f"{where}: an 18-digit number (NIP?)"
            assert not PHONE.search(text), f"{where}: a phone number"
            assert not EMAIL.search(text), f"{where}: an e-mail address"
            lowered = text.lower()
            for needle in needles:
                assert needle not in lowered, f"{where}: personal value {needle!r}"
        for name in publication.person_count_columns:
            value = row.get(name)
            assert value is None or value == 0 or value >= SUPPRESS_BELOW, (
                f"{publication.name} row {number}: count {name}={value} not suppressed"
            )
