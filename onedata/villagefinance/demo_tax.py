"""Demo data for the tax book and the line-by-line bank reconciliation (called from
``demo.seed``): last month, spendings with PPh 23, PPN + PPh 22 and pajak daerah
withheld; this month, the PPh 23 deposited with its NTPN; last month's bank statement
uploaded, matched except a bank fee and the interest (one tap turns each into a draft)."""

from __future__ import annotations

from datetime import date, timedelta

from onedata.villagefinance import services, statement_services, tax_services
from onedata.villagefinance.models import Account, DesaAdat, Entry, EntryTax, Fund


def _withhold(year: int, code: str, base: int):
    rate = next(r for r in tax_services.rates_for(year) if r.code == code)
    return tax_services.withholding_for(rate, base)


def seed(desa: DesaAdat, actor, today: date) -> None:
    if today.month == 1 or EntryTax.objects.filter(entry__desa_adat=desa).exists():
        return  # last month is in another year's books, or already seeded
    year = today.year
    last_month_end = today.replace(day=1) - timedelta(days=1)
    day = last_month_end.replace(day=min(12, last_month_end.day))
    accounts = {a.code: a for a in Account.objects.filter(year=year)}

    def spend(on, code, fund, amount, text, party, taxes):
        return services.entry_record(
            actor=actor,
            desa=desa,
            date=on,
            kind="spending",
            account=accounts[code],
            fund=fund,
            amount=amount,
            description=text,
            counterparty=party,
            taxes=taxes,
            today=today,
        ).entry

    spend(
        day,
        "5.1.3",
        Fund.BANK,
        5_000_000,
        "Upah tukang perbaikan penyengker pura",
        "CV Karya Bali",
        [_withhold(year, "pph23", 5_000_000)],
    )
    spend(
        day + timedelta(days=2),
        "5.3.3",
        Fund.BANK,
        11_100_000,
        "Semen, pasir dan besi untuk balai banjar",
        "UD Sumber Bangunan",
        [_withhold(year, "ppn", 10_000_000), _withhold(year, "pph22", 10_000_000)],
    )
    spend(
        day + timedelta(days=4),
        "5.4.3",
        Fund.CASH,
        1_100_000,
        "Konsumsi paruman desa",
        "Warung Men Sari",
        [_withhold(year, "pajak_daerah", 1_000_000)],
    )
    pph23 = next(r for r in tax_services.rates_for(year) if r.code == "pph23")
    tax_services.tax_deposit_record(
        actor=actor,
        desa=desa,
        tax=pph23,
        date=today.replace(day=min(3, today.day)),
        fund=Fund.BANK,
        amount=100_000,
        billing_code="012345678901234",
        ntpn="8A1C2E3F4B5D6E7F",
        today=today,
    )
    _statement(desa, actor, last_month_end)


def _statement(desa: DesaAdat, actor, month_end: date) -> None:
    """Last month's statement as the bank prints it: every bank-book line a day later,
    plus a fee and the interest the book does not know yet."""
    start = month_end.replace(day=1)
    balance = services.bank_book_balance(desa, start - timedelta(days=1))
    rows = []
    entries = Entry.objects.filter(
        desa_adat=desa, fund=Fund.BANK, date__gte=start, date__lte=month_end
    ).order_by("date", "id")
    for entry in entries:
        balance += entry.fund_amount
        on = min(entry.date + timedelta(days=1), month_end)
        rows.append((on, entry.description[:60].upper(), entry.fund_amount, balance))
    for text, amount in (("BIAYA ADMINISTRASI", -15_000), ("BUNGA JASA GIRO", 12_345)):
        balance += amount
        rows.append((month_end, text, amount, balance))

    def money(value: int) -> str:
        return f"{value:,}".replace(",", ".")

    lines = ["Rekening Koran BPD Bali", "Tanggal;Keterangan;Debit;Kredit;Saldo"]
    for on, text, amount, after in sorted(rows, key=lambda r: r[0]):
        debit = money(-amount) if amount < 0 else ""
        credit = money(amount) if amount > 0 else ""
        lines.append(f"{on:%d/%m/%Y};{text};{debit};{credit};{money(after)},00")
    statement_services.statement_upload(
        actor=actor,
        desa=desa,
        content="\n".join(lines).encode(),
        file_name=f"rekening-koran-{month_end:%Y-%m}.csv",
    )
