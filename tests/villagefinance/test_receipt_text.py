"""Proposing date and total from OCR text of Indonesian receipts (text fixtures)."""

from datetime import date

import pytest

from onedata.villagefinance import receipt_text

SHOP = """TOKO SUMBER REJEKI
Jl. Raya Kuta No. 12, Badung
Tgl: 14/03/2025  10:22
Canang sari 50 x 2.000     100.000
Dupa 10 bks                 45.000
SUBTOTAL                   145.000
PPN                              0
TOTAL                  Rp 145.000
TUNAI                      200.000
KEMBALI                     55.000
"""

KWITANSI = """KWITANSI
Sudah terima dari: Desa Adat Kuta
Uang sejumlah: Dua juta lima ratus ribu rupiah
Untuk pembayaran: sewa tenda odalan
Jumlah Rp 2.500.000,00
Kuta, 3 Februari 2025
"""

NO_LABEL = """UD BANGUNAN JAYA
2025-06-30
semen 10 sak 650.000
pasir 1 truk 1.200.000
"""


def test_shop_receipt_total_is_the_total_line_not_cash_or_change():
    proposal = receipt_text.propose(SHOP, today=date(2025, 12, 31))
    assert proposal == receipt_text.Proposal(date(2025, 3, 14), 145_000)


def test_handwritten_kwitansi_with_word_month_and_cents():
    proposal = receipt_text.propose(KWITANSI, today=date(2025, 12, 31))
    assert proposal.date == date(2025, 2, 3)
    assert proposal.total == 2_500_000


def test_without_a_total_label_the_largest_amount_and_an_iso_date():
    proposal = receipt_text.propose(NO_LABEL, today=date(2025, 12, 31))
    assert proposal == receipt_text.Proposal(date(2025, 6, 30), 1_200_000)


def test_future_dates_are_misreads_and_skipped():
    assert receipt_text.find_date("12/12/2031 and 01/02/2025", today=date(2025, 6, 1)) == date(
        2025, 2, 1
    )


def test_nothing_found_in_noise():
    assert receipt_text.propose("~~ ## ..", today=date(2025, 1, 1)) == receipt_text.Proposal(
        None, None
    )


@pytest.mark.parametrize(
    "token,value",
    [
        ("1.250.000", 1_250_000),
        ("1,250,000", 1_250_000),
        ("1.250.000,00", 1_250_000),
        ("125000", 125_000),
        ("abc", None),
    ],
)
def test_amount_formats(token, value):
    assert receipt_text.parse_amount(token) == value


def test_total_on_the_line_after_its_label():
    assert receipt_text.find_total("GRAND TOTAL\nRp 87.500\n") == 87_500
