"""Demo data for SIKUAT: sample desa adat (clearly marked "contoh": no public list of the
1,493 desa adat exists to ship), their officers, this year's budget, a year of
transactions with some receipt photos, a BKK grant in three stages and approved months.

The demo logins ``patengen`` (treasurer) and ``bendesa`` (head) belong to core's sample
"Desa Adat Kuta (contoh)". Idempotent: a village that already has transactions is left as
it is.
"""

from __future__ import annotations

import io
import random
from datetime import date, timedelta

from django.db import transaction
from django.utils import timezone
from PIL import Image, ImageDraw

from onedata.core.models import Agency, Region, User
from onedata.villagefinance import services
from onedata.villagefinance.models import Account, DesaAdat, Entry, Officer
from onedata.villagefinance.selectors import balances

CORE_SAMPLE = "desa-adat-contoh"
REGISTRY_SAMPLE = "Desa Adat Contoh Legian"
# (slug, name, village name to look for, regency code)
SAMPLES = [
    ("desa-adat-contoh-ubud", "Desa Adat Contoh Ubud", "Ubud", "51.04"),
    ("desa-adat-contoh-sanur", "Desa Adat Contoh Sanur", "Sanur", "51.71"),
    ("desa-adat-contoh-tenganan", "Desa Adat Contoh Tenganan", "Tenganan", "51.07"),
    ("desa-adat-contoh-penglipuran", "Desa Adat Contoh Kubu", "Kubu", "51.06"),
]
BUDGET = {  # account code -> yearly budget (rupiah)
    "4.1.1": 300_000_000,
    "4.1.2": 50_000_000,
    "4.2.2": 40_000_000,
    "4.3.1": 60_000_000,
    "4.4.2": 30_000_000,
    "5.1.1": 150_000_000,
    "5.1.2": 60_000_000,
    "5.2.1": 40_000_000,
    "5.2.2": 30_000_000,
    "5.3.1": 25_000_000,
    "5.3.3": 50_000_000,
    "5.4.1": 60_000_000,
    "5.4.2": 20_000_000,
    "5.4.4": 15_000_000,
    "5.5.2": 10_000_000,
}
SPENDING = [
    ("5.1.1", "Banten dan canang odalan", "UD Sari Banten"),
    ("5.1.1", "Upakara piodalan Pura Desa", "Serati banten"),
    ("5.1.2", "Pemeliharaan Pura Puseh", "Toko Bangunan Jaya"),
    ("5.2.1", "Kegiatan sekaa teruna", "Sekaa Teruna"),
    ("5.2.2", "Latihan tabuh gong kebyar", "Sekaa gong"),
    ("5.3.1", "Angkut sampah banjar", "TPS3R"),
    ("5.3.3", "Perbaikan jalan setapak", "CV Karya Bali"),
    ("5.4.1", "Penghasilan prajuru bulan ini", "Prajuru desa adat"),
    ("5.4.2", "Alat tulis kantor", "Toko ATK Sinar"),
    ("5.4.4", "Uang makan pecalang", "Pecalang"),
]


def _village_region(name: str, regency_code: str) -> Region:
    found = Region.objects.filter(
        level=Region.Level.VILLAGE, name__iexact=name, code__startswith=regency_code + "."
    ).first()
    return (
        found
        or Region.objects.filter(level=Region.Level.VILLAGE, code__startswith=regency_code + ".")
        .order_by("code")
        .first()
    )


def _receipt_image(lines: list[str], seed: int) -> bytes:
    image = Image.new("RGB", (480, 640), (250, 248, 240))
    draw = ImageDraw.Draw(image)
    rng = random.Random(seed)
    for i, text in enumerate(lines):
        draw.text((30, 40 + i * 40), text, fill=(20, 20, 20))
    for i in range(6):
        y = 420 + i * 28
        draw.line([(30, y), (30 + rng.randint(100, 400), y)], fill=(90, 90, 90), width=2)
    out = io.BytesIO()
    image.save(out, "JPEG", quality=80)
    return out.getvalue()


def _register(agency: Agency, seed: int) -> DesaAdat:
    rng = random.Random(seed)
    desa = services.desa_adat_register(
        actor="demo",
        agency=agency,
        villages=[agency.region],
        districts=[agency.region.parent] if agency.region.parent else (),
        bank_name="BPD Bali",
        # Digits only, as the registry's check wants; the village is marked a sample.
        bank_account_number=f"0{rng.randint(10**9, 10**10 - 1)}",
        bank_account_holder=agency.name,
    )
    return desa


def _officers(desa: DesaAdat, head: User | None, treasurer: User | None, label: str) -> None:
    if desa.officers.exists():
        return
    services.officer_set(
        actor="demo",
        desa=desa,
        position=Officer.Position.BENDESA,
        name=head.name if head else f"Bendesa {label} (contoh)",
        user=head,
    )
    services.officer_set(
        actor="demo",
        desa=desa,
        position=Officer.Position.PENYARIKAN,
        name=f"Penyarikan {label} (contoh)",
    )
    services.officer_set(
        actor="demo",
        desa=desa,
        position=Officer.Position.PATENGEN,
        name=treasurer.name if treasurer else f"Patengen {label} (contoh)",
        user=treasurer,
    )


def _year_of_entries(desa: DesaAdat, actor, year: int, today: date, seed: int, grantor) -> int:
    """Budget, a BKK grant in 3 stages, income and spending through the year, receipts."""
    if Entry.objects.filter(desa_adat=desa).exists():
        return 0
    rng = random.Random(seed)
    accounts = {a.code: a for a in Account.objects.filter(year=year)}
    for code, amount in BUDGET.items():
        scaled = amount * rng.choice([8, 9, 10, 11, 12]) // 10
        services.budget_set(actor=actor, desa=desa, account=accounts[code], amount=scaled)
    count = 0

    def record(day, kind, code, fund, amount, text, party="", receipt=None):
        nonlocal count
        services.entry_record(
            actor=actor,
            desa=desa,
            date=day,
            kind=kind,
            account=accounts[code],
            fund=fund,
            amount=amount,
            description=text,
            counterparty=party,
            receipt=receipt,
            today=today,
        )
        count += 1

    record(
        date(year, 1, 2),
        "financing_in",
        "6.1.1",
        "bank",
        45_000_000 + rng.randint(0, 50) * 10**6,
        "Sisa lebih anggaran tahun lalu",
    )
    record(date(year, 1, 3), "income", "4.3.1", "cash", 15_000_000, "Punia krama awal tahun")
    grant = services.grant_create(
        actor="demo",
        desa=desa,
        grantor=grantor,
        year=year,
        name=f"BKK Provinsi Bali {year}",
        account=accounts["4.1.1"],
        stages=[120_000_000, 120_000_000, 60_000_000],
    )
    stages = list(grant.stages.order_by("number"))
    services.grant_stage_disburse(actor="demo", stage=stages[0])
    services.grant_stage_receive(actor=actor, stage=stages[0], date=date(year, 2, 10), today=today)
    count += 1
    months = today.month
    for month in range(1, months + 1):
        last_day = (date(year, month % 12 + 1, 1) - timedelta(days=1)).day if month < 12 else 31
        end = min(last_day, today.day if month == today.month else last_day)
        record(
            date(year, month, min(5, end)),
            "income",
            "4.4.2",
            "cash",
            rng.randint(15, 40) * 100_000,
            "Pungutan parkir dan wisata",
            "Pengelola parkir",
        )
        if month % 3 == 0:
            record(
                date(year, month, min(15, end)),
                "income",
                "4.2.2",
                "bank",
                rng.randint(80, 120) * 100_000,
                "Bagian laba LPD",
                "LPD Desa Adat",
            )
        if month == 4:
            services.grant_stage_account(
                actor=actor, stage=stages[0], note="Upacara, pemeliharaan pura, kebersihan"
            )
            services.grant_stage_disburse(actor="demo", stage=stages[1])
            services.grant_stage_receive(
                actor=actor, stage=stages[1], date=date(year, 4, 20), today=today
            )
            count += 1
        for n in range(rng.randint(6, 10)):
            code, text, party = SPENDING[rng.randrange(len(SPENDING))]
            day = date(year, month, min(1 + rng.randrange(28), end))
            amount = rng.randint(2, 40) * 50_000
            fund = "bank" if amount > 1_000_000 else "cash"
            if balances(desa)[fund] < amount:
                fund = "bank"
                if balances(desa)["bank"] < amount:
                    continue
            receipt = None
            if n % 3 == 0:
                image = _receipt_image(
                    [
                        party.upper(),
                        f"Tgl {day:%d/%m/%Y}",
                        text,
                        f"TOTAL Rp {amount:,}".replace(",", "."),
                    ],
                    seed=seed * 1000 + month * 20 + n,
                )
                receipt = services.receipt_store(actor=actor, desa=desa, upload=image)
            stage = None
            if fund == "bank" and date(year, 2, 10) <= day < date(year, 4, 1):
                stage = stages[0]
            elif fund == "bank" and day > date(year, 4, 20):
                stage = stages[1]
            services.entry_record(
                actor=actor,
                desa=desa,
                date=day,
                kind="spending",
                account=accounts[code],
                fund=fund,
                amount=amount,
                description=text,
                counterparty=party,
                receipt=receipt,
                grant_stage=stage,
                today=today,
            )
            count += 1
    # One mistake corrected by a reversal, as treasurers do.
    last = Entry.objects.filter(desa_adat=desa, kind="spending").order_by("-date", "-id").first()
    if last is not None:
        services.entry_reverse(
            actor=actor,
            entry=last,
            reason="Salah catat, nominal keliru",
            date=last.date,
            today=today,
        )
    # Months up to two months ago are approved (closed); last month waits for the Bendesa.
    for month in range(1, today.month):
        report = services.month_submit(actor=actor, desa=desa, year=year, month=month, today=today)
        if month < today.month - 1:
            services.month_approve(actor="demo", report=report)
    return count


def _chart_edits(year: int) -> None:
    """What the province's staff did to this year's chart: one account added (shown on the
    chart page as added, unused, so it can still be deleted)."""
    if not Account.objects.filter(year=year, code="5.1.4").exists():
        services.account_create(
            actor="demo",
            year=year,
            code="5.1.4",
            name="Pura dadia dan paibon",
            name_en="Family temples",
            group_code="5.1",
        )


def _regency_grant(desa: DesaAdat, year: int) -> None:
    """A regency grant still planned, so the regency's staff (``admin.badung``) see the
    'send this stage' button and the grant form next to it."""
    regency_agency = Agency.objects.filter(region=desa.regency, kind=Agency.Kind.GOVERNMENT).first()
    if regency_agency is None or desa.grants.filter(grantor=regency_agency).exists():
        return
    services.grant_create(
        actor="demo",
        desa=desa,
        grantor=regency_agency,
        year=year,
        name=f"Hibah {regency_agency.name} {year}",
        account=Account.objects.get(year=year, code="4.1.2"),
        stages=[25_000_000, 25_000_000],
    )


def _draft(desa: DesaAdat, actor, today: date) -> None:
    """A spending the treasurer started and will finish when the receipt arrives."""
    if desa.drafts.exists():
        return
    services.entry_draft_save(
        actor=actor or "demo",
        desa=desa,
        kind="spending",
        date=today,
        account=Account.objects.filter(year=today.year, code="5.4.2").first(),
        fund="cash",
        amount=350_000,
        description="Konsumsi rapat paruman (nota menyusul)",
    )


def _reconciliation(desa: DesaAdat, actor, today: date) -> None:
    """Last month's bank statement: Rp 15.000 less than the bank book (a bank fee not yet
    recorded), so the page shows a difference to explain."""
    day = today.replace(day=1) - timedelta(days=1)
    if day.year != today.year or desa.reconciliations.exists():
        return
    book = services.bank_book_balance(desa, day)
    services.bank_reconcile(
        actor=actor or "demo",
        desa=desa,
        date=day,
        statement_balance=max(book - 15_000, 0),
        note="Biaya administrasi bank belum dicatat",
        today=today,
    )


@transaction.atomic
def _registered_without_officers() -> None:
    """A sample desa adat registered through the registry, its posts still empty: what
    ``admin.badung`` sees right after registering one (next step: appoint its officers)."""
    from onedata.villagefinance import registry

    if DesaAdat.objects.filter(agency__name=REGISTRY_SAMPLE).exists():
        return
    village = _village_region("Legian", "51.03")
    if village is None or village.parent is None:
        return
    registry.desa_adat_create(
        actor="demo",
        data=registry.VillageInput(
            name=REGISTRY_SAMPLE,
            regency=village.parent.parent,
            districts=[village.parent],
            villages=[village],
            bank_name="BPD Bali",
            bank_account_number="0120202020",
            bank_account_holder=REGISTRY_SAMPLE,
            is_sample=True,
        ),
    )


def seed(stdout=None) -> None:
    today = timezone.localdate()
    year = today.year
    services.chart_load(year=year - 1)
    services.chart_load(year=year)
    grantor = (
        Agency.objects.filter(slug="dpma-bali").first()
        or Agency.objects.filter(region__code="51").first()
    )
    villages = []
    core_sample = Agency.objects.filter(slug=CORE_SAMPLE).first()
    if core_sample is not None:
        desa = _register(core_sample, seed=1)
        head = User.objects.filter(username="bendesa").first()
        treasurer = User.objects.filter(username="patengen").first()
        _officers(desa, head, treasurer, "Kuta")
        villages.append((desa, treasurer))
    for n, (slug, name, village_name, regency_code) in enumerate(SAMPLES, start=2):
        region = _village_region(village_name, regency_code)
        if region is None:
            continue
        agency, _created = Agency.objects.get_or_create(
            slug=slug,
            defaults={
                "name": name,
                "short_name": name.replace("Desa Adat ", ""),
                "kind": Agency.Kind.DESA_ADAT,
                "region": region,
                "is_sample": True,
            },
        )
        desa = _register(agency, seed=n)
        _officers(desa, None, None, name.replace("Desa Adat Contoh ", ""))
        villages.append((desa, "demo"))
    _chart_edits(year)
    total = 0
    for n, (desa, actor) in enumerate(villages, start=1):
        total += _year_of_entries(desa, actor or "demo", year, today, seed=n, grantor=grantor)
    _registered_without_officers()
    if villages:
        _regency_grant(villages[0][0], year)
        _draft(*villages[0], today)
        _reconciliation(*villages[0], today)
        from onedata.villagefinance import demo_tax

        demo_tax.seed(villages[0][0], villages[0][1] or "demo", today)
    if stdout is not None:
        stdout.write(
            f"villagefinance: {len(villages)} sample desa adat, {total} transactions recorded\n"
        )
