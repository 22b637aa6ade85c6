"""Bank reconciliation: the statement's balance beside the bank book's on a date, and
line by line: statement files, matching to the bank book, completing a month."""

import io
import random
from datetime import date, datetime, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from openpyxl import Workbook

from onedata.core.errors import Conflict, ValidationError
from onedata.villagefinance import services, statement_services, statements
from onedata.villagefinance.models import (
    BankReconciliation,
    EntryDraft,
    ReconciledMonth,
    StatementLine,
)

from .conftest import TODAY, YEAR, spend

pytestmark = pytest.mark.django_db


def test_statement_beside_the_bank_book_on_a_date(funded, treasurer):
    # The bank book: 50,000,000 on 10 January; a bank spending of 2,000,000 on 1 February.
    spend(funded, treasurer, 2_000_000, fund="bank", day=date(YEAR, 2, 1))
    january = services.bank_reconcile(
        actor=treasurer,
        desa=funded,
        date=date(YEAR, 1, 31),
        statement_balance=50_000_000,
        today=TODAY,
    )
    assert january.book_balance == 50_000_000 and january.difference == 0
    february = services.bank_reconcile(
        actor=treasurer,
        desa=funded,
        date=date(YEAR, 2, 28),
        statement_balance=47_990_000,  # a bank fee of 10,000 not yet recorded
        note="biaya administrasi bank",
        today=TODAY,
    )
    assert february.book_balance == 48_000_000 and february.difference == -10_000
    again = services.bank_reconcile(  # a corrected statement replaces the figure
        actor=treasurer,
        desa=funded,
        date=date(YEAR, 2, 28),
        statement_balance=48_000_000,
        today=TODAY,
    )
    assert again.pk == february.pk and again.difference == 0
    assert BankReconciliation.objects.filter(desa_adat=funded).count() == 2


def test_bad_statement_input_names_the_field(funded, treasurer):
    with pytest.raises(ValidationError) as future:
        services.bank_reconcile(
            actor=treasurer,
            desa=funded,
            date=date(YEAR + 1, 1, 1),
            statement_balance=1,
            today=TODAY,
        )
    assert set(future.value.fields) == {"date"}
    with pytest.raises(ValidationError) as negative:
        services.bank_reconcile(
            actor=treasurer, desa=funded, date=TODAY, statement_balance=-5, today=TODAY
        )
    assert set(negative.value.fields) == {"statement_balance"}


def test_reconciliation_page_keeps_what_was_typed_and_shows_a_difference(
    client_for, funded, treasurer
):
    client = client_for(treasurer)
    url = f"/sikuat/desa/{funded.pk}/rekonsiliasi/"
    bad = client.post(url, {"date": "", "statement_balance": "49.000.000", "note": "cek"})
    assert bad.status_code == 400 and 'value="49.000.000"' in bad.content.decode()
    good = client.post(
        url, {"date": f"{YEAR}-06-30", "statement_balance": "49.000.000", "note": "cek"}
    )
    assert good.status_code == 302
    page = client.get(url).content.decode()
    assert "Rp 49.000.000" in page and "-Rp 1.000.000" in page


# --- line by line: statements, parsing, matching --------------------------------------------

MESSY_CSV = (
    "Rekening Koran BPD Bali\n"
    "No. Rek: 0123456789;;;;\n"
    "\n"
    "Tgl Transaksi;Keterangan;Mutasi Debet;Mutasi Kredit;Saldo\n"
    "01/02/2025;SALDO AWAL;;;50.000.000,00\n"
    "01/02/2025;TRF UPAKARA;2.000.000,00;;48.000.000,00\n"
    "28-02-25;BIAYA ADM;10.000;;47.990.000\n"
    "28 Feb 2025;BUNGA;;1.234,56;47.991.235\n"
)


def test_parse_messy_csv_with_title_rows_separators_and_dates():
    lines = statements.parse(MESSY_CSV.encode("cp1252"), "rk.csv")
    assert [(line.row, line.date, line.amount, line.balance) for line in lines] == [
        (6, date(2025, 2, 1), -2_000_000, 48_000_000),
        (7, date(2025, 2, 28), -10_000, 47_990_000),
        (8, date(2025, 2, 28), 1_235, 47_991_235),  # cents rounded half up
    ]


def test_parse_amount_formats():
    cases = {
        "1.500.000": 1_500_000,
        "1,500,000": 1_500_000,
        "1.500.000,00": 1_500_000,
        "1,500,000.50": 1_500_001,
        "Rp 25.000": 25_000,
        "(50.000)": -50_000,
        "-50.000": -50_000,
        "50.000 DB": -50_000,
        "50.000 CR": 50_000,
        "1.500": 1_500,
        "": None,
    }
    for text, value in cases.items():
        assert statements.parse_amount(text) == value, text
    for bad in ("abc", "1.50.0", "12,34,5"):
        with pytest.raises(ValueError):
            statements.parse_amount(bad)


def test_parse_errors_name_row_and_column():
    content = (
        b"Tanggal,Keterangan,Debit,Kredit,Saldo\n"
        b"31/02/2025,x,1000,,\n"
        b"01/03/2025,y,satu juta,,\n"
        b"02/03/2025,z,1000,2000,\n"
    )
    with pytest.raises(statements.StatementError) as failed:
        statements.parse(content, "rk.csv")
    assert [(p.row, p.column, p.code, p.value) for p in failed.value.problems] == [
        (2, "date", "not_a_date", "31/02/2025"),
        (3, "debit", "not_a_number", "satu juta"),
        (4, "debit", "both_sides", ""),
    ]
    with pytest.raises(statements.StatementError) as headerless:
        statements.parse(b"a,b,c\n1,2,3\n", "x.csv")
    assert headerless.value.problems[0].code == "no_header"


def test_parse_xlsx_signed_amount_and_template():
    book = Workbook()
    sheet = book.active
    sheet.append(["Laporan mutasi"])
    sheet.append(["Date", "Description", "Amount", "Balance"])
    sheet.append([datetime(2025, 2, 3), "Fee", -5000, 995000])
    sheet.append(["04/02/2025", "Transfer in", "1.000.000", 1995000])
    out = io.BytesIO()
    book.save(out)
    lines = statements.parse(out.getvalue(), "rk.xlsx")
    assert [(line.row, line.date, line.amount) for line in lines] == [
        (3, date(2025, 2, 3), -5000),
        (4, date(2025, 2, 4), 1_000_000),
    ]
    template = statements.parse(statements.TEMPLATE.encode(), "templat.csv")
    assert len(template) == 4 and template[-1].balance == 108_515_000


def test_matching_is_one_to_one_and_deterministic():
    day = date(2025, 2, 10)
    lines = [statements.Candidate(i, day, -100) for i in (1, 2)] + [
        statements.Candidate(3, date(2025, 2, 20), 50)
    ]
    entries = [
        statements.Candidate(10, date(2025, 2, 9), -100),
        statements.Candidate(11, date(2025, 2, 10), -100),
        statements.Candidate(12, date(2025, 2, 11), -100),
        statements.Candidate(13, date(2025, 2, 10), 100),  # other direction
        statements.Candidate(14, date(2025, 2, 10), 50),  # too far apart
    ]
    expected = [(1, 11), (2, 10)]
    assert statements.match(lines, entries, days=3) == expected
    rng = random.Random(7)
    for _ in range(20):
        rng.shuffle(lines)
        rng.shuffle(entries)
        assert statements.match(lines, entries, days=3) == expected


def _statement(balance_after_fee=47_990_000):
    return (
        "Tanggal;Keterangan;Debit;Kredit;Saldo\n"
        "10/01/2025;BKK;;50.000.000;50.000.000\n"
        "02/02/2025;TRF UPAKARA;2.000.000;;48.000.000\n"
        f"28/02/2025;BIAYA ADM;10.000;;{balance_after_fee}\n"
    ).encode()


def test_upload_matches_then_fee_draft_then_month_complete(funded, treasurer):
    spend(funded, treasurer, 2_000_000, fund="bank", day=date(YEAR, 2, 1))
    statement = statement_services.statement_upload(
        actor=treasurer, desa=funded, content=_statement(), file_name="rk.csv"
    )
    assert statement.lines.count() == 3
    state = statement_services.month_state(funded, YEAR, 2)
    assert len(state.matched) == 1 and state.matched[0].matched_by == "auto"
    assert [line.amount for line in state.open_lines] == [-10_000]
    assert not state.can_complete and state.difference == -10_000
    with pytest.raises(ValidationError):
        statement_services.month_complete(actor=treasurer, desa=funded, year=YEAR, month=2)
    # The same file again is refused.
    with pytest.raises(Conflict):
        statement_services.statement_upload(
            actor=treasurer, desa=funded, content=_statement(), file_name="rk.csv"
        )
    # One click: a draft for the bank fee; the treasurer submits it; matching pairs it.
    draft = statement_services.statement_line_draft(actor=treasurer, line=state.open_lines[0])
    assert (draft.kind, draft.fund, draft.amount, draft.date) == (
        "spending",
        "bank",
        10_000,
        date(YEAR, 2, 28),
    )
    services.entry_draft_submit(
        actor=treasurer,
        draft=draft,
        account=services.Account.objects.get(year=YEAR, code="5.4.2"),
        today=TODAY,
    )
    assert not EntryDraft.objects.filter(pk=draft.pk).exists()
    assert statement_services.statement_auto_match(actor=treasurer, desa=funded) == 1
    state = statement_services.month_state(funded, YEAR, 2)
    assert state.can_complete
    record = statement_services.month_complete(actor=treasurer, desa=funded, year=YEAR, month=2)
    assert record.completed_by == treasurer and record.statement_balance == 47_990_000
    assert BankReconciliation.objects.get(desa_adat=funded, date=date(YEAR, 2, 28)).difference == 0
    # A completed month is frozen.
    with pytest.raises(Conflict):
        statement_services.statement_unmatch(actor=treasurer, line=state.matched[0])
    assert ReconciledMonth.objects.filter(desa_adat=funded).count() == 1


def test_manual_match_and_unmatch(funded, treasurer):
    entry = spend(funded, treasurer, 2_000_000, fund="bank", day=date(YEAR, 2, 1)).entry
    other = spend(funded, treasurer, 10_000, fund="bank", day=date(YEAR, 2, 1)).entry
    statement_services.statement_upload(
        actor=treasurer, desa=funded, content=_statement(), file_name="rk.csv"
    )
    line = StatementLine.objects.get(desa_adat=funded, amount=-2_000_000)
    assert line.entry == entry
    statement_services.statement_unmatch(actor=treasurer, line=line)
    line.refresh_from_db()
    assert line.entry is None
    with pytest.raises(ValidationError):  # different amount
        statement_services.statement_match(actor=treasurer, line=line, entry=other)
    fee = StatementLine.objects.get(desa_adat=funded, amount=-10_000)
    assert fee.entry is None or fee.entry == other  # 27 days apart: not auto-matched
    statement_services.statement_match(actor=treasurer, line=fee, entry=other)
    with pytest.raises(Conflict):
        statement_services.statement_match(actor=treasurer, line=fee, entry=other)
    statement_services.statement_match(actor=treasurer, line=line, entry=entry)
    assert StatementLine.objects.get(pk=line.pk).matched_by == "manual"


def test_upload_bad_file_names_the_row(funded, treasurer):
    with pytest.raises(ValidationError) as failed:
        statement_services.statement_upload(
            actor=treasurer,
            desa=funded,
            content=b"Tanggal;Keterangan;Debit;Kredit;Saldo\n99/99/2025;x;1;;\n",
            file_name="rk.csv",
        )
    assert failed.value.fields["file"][0].startswith("Baris 2, kolom Tanggal")


CANDIDATES = st.lists(
    st.tuples(st.integers(0, 20), st.sampled_from([-100, -50, 50, 100, 7])),
    max_size=12,
)


@settings(max_examples=80, deadline=None)
@given(CANDIDATES, CANDIDATES, st.randoms(use_true_random=False))
def test_matching_properties(line_rows, entry_rows, rng):
    start = date(2025, 3, 1)
    lines = [
        statements.Candidate(i + 1, start + timedelta(days=d), a)
        for i, (d, a) in enumerate(line_rows)
    ]
    entries = [
        statements.Candidate(100 + i, start + timedelta(days=d), a)
        for i, (d, a) in enumerate(entry_rows)
    ]
    pairs = statements.match(lines, entries, days=3)
    by_line = {c.id: c for c in lines}
    by_entry = {c.id: c for c in entries}
    assert len({p[0] for p in pairs}) == len(pairs) == len({p[1] for p in pairs})
    for line_id, entry_id in pairs:
        line, entry = by_line[line_id], by_entry[entry_id]
        assert line.amount == entry.amount and abs((line.date - entry.date).days) <= 3
    # Maximal: no free line and free entry could still be paired.
    free_lines = [c for c in lines if c.id not in {p[0] for p in pairs}]
    free_entries = [c for c in entries if c.id not in {p[1] for p in pairs}]
    assert not any(
        line.amount == entry.amount and abs((line.date - entry.date).days) <= 3
        for line in free_lines
        for entry in free_entries
    )
    rng.shuffle(lines)
    rng.shuffle(entries)
    assert statements.match(lines, entries, days=3) == pairs
