"""SIKUAT at provincial scale: 1,493 desa adat x 500 transactions (about 750,000 entries).

Per engine (SQLite in a fresh file; PostgreSQL when reachable), each figure beside a
baseline measured in the same run on the same data:

- ``<engine>.realisation.province``: the province-wide realisation (budget and actual,
  income and spending, for every village) through ``selectors.province_realisation``,
  against the same totals by two bare SQL ``GROUP BY`` queries. Seconds (less is better).
- ``<engine>.cashbook.page``: rendering one village's cash book page for the whole year
  (about 500 rows, with the running balance) through Django's test client, against the
  bare SQL query of the same rows. Milliseconds.
- ``<engine>.posting``: recording transactions through ``services.entry_record`` (village
  row lock, fund UPDATE, budget line lock, double-entry lines, audit event), against a
  bare INSERT of the same entries, one per transaction. Entries a second (more is better).

The 750,000 entries are loaded with bulk inserts (not through the service: that would
take hours and is what ``posting`` measures). Knobs: BENCH_VF_VILLAGES (1493),
BENCH_VF_ENTRIES (500 per village), BENCH_VF_POSTINGS (1000), BENCH_VF_POSTGRES_URL
(a database whose name starts with "bench": dropped and created again),
BENCH_VF_RECEIPTS (10000,100000,750000 receipts), BENCH_VF_RECEIPT_CHECKS (200 checks a
size in one village), BENCH_VF_PROVINCE_CHECKS (20 province-wide checks a size).

- ``<engine>.receipts.<n>.village`` / ``.province``: the duplicate-receipt search through
  the indexed hash bands against a full scan of the hashes, with ``n`` receipts stored.
  Milliseconds per check.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from _harness import (
    REPO_ROOT,
    django_env,
    drop_postgres,
    emit,
    env_number,
    note,
    postgres_ready,
    run_django,
)

BENCH = "villagefinance"
VILLAGES = int(env_number("BENCH_VF_VILLAGES", 1493))
ENTRIES = int(env_number("BENCH_VF_ENTRIES", 500))
POSTINGS = int(env_number("BENCH_VF_POSTINGS", 1000))
RECEIPT_SIZES = [
    int(n) for n in os.environ.get("BENCH_VF_RECEIPTS", "10000,100000,750000").split(",") if n
]
RECEIPT_CHECKS = int(env_number("BENCH_VF_RECEIPT_CHECKS", 200))
PROVINCE_CHECKS = int(env_number("BENCH_VF_PROVINCE_CHECKS", 20))
POSTGRES_URL = os.environ.get(
    "BENCH_VF_POSTGRES_URL", "postgres://postgres@127.0.0.1:5432/bench_villagefinance"
)


def run_engine(engine: str, database_url: str, var_dir: Path) -> None:
    env = django_env(var_dir, database_url)
    note(f"{engine}: migrating")
    run_django(env, "migrate", "--no-input", "-v0", timeout=600)
    note(f"{engine}: loading {VILLAGES} villages x {ENTRIES} entries and measuring")
    completed = subprocess.run(
        [sys.executable, str(Path(__file__).resolve()), "--inner"],
        cwd=REPO_ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=7200,
    )
    sys.stderr.write(completed.stderr[-4000:])
    if completed.returncode != 0:
        raise RuntimeError(f"{engine}: inner run failed:\n{completed.stdout[-3000:]}")
    figures = json.loads(completed.stdout.strip().splitlines()[-1])
    for name, value, baseline, unit in figures:
        emit(BENCH, f"{engine}.{name}", value, baseline, unit)


# --- the inner run: Django set up against the engine under test --------------------------


def _best(fn, repeat: int = 3) -> float:
    best = float("inf")
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        best = min(best, time.perf_counter() - start)
    return best


def inner() -> None:  # noqa: PLR0915 - one linear script
    import random
    from datetime import date, timedelta

    import django

    django.setup()
    from django.conf import settings

    # Production mode wants collected static files with a manifest; the page's cost is
    # the same with plain static URLs, and no collectstatic step is needed.
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    from django.db import connection, transaction
    from django.test import Client

    from onedata.core.models import Agency, Membership, Region, User
    from onedata.core.regions import regions_load
    from onedata.core.roles import Role
    from onedata.villagefinance import selectors, services
    from onedata.villagefinance.models import (
        Account,
        BudgetLine,
        DesaAdat,
        Entry,
        FundBalance,
    )

    rng = random.Random(2026)
    year = date.today().year - 1  # a whole past year
    regions_load()
    services.chart_load(year=year)
    accounts = {a.code: a for a in Account.objects.filter(year=year)}
    income_codes = [c for c, a in accounts.items() if a.kind == "income"]
    spending_codes = [c for c, a in accounts.items() if a.kind == "spending"]
    villages = list(Region.objects.filter(level="village").order_by("code"))
    started = time.perf_counter()
    Agency.objects.bulk_create(
        Agency(
            slug=f"bench-desa-adat-{n}",
            name=f"Desa Adat Bench {n}",
            kind=Agency.Kind.DESA_ADAT,
            region=villages[n % len(villages)],
            is_sample=True,
        )
        for n in range(VILLAGES)
    )
    regencies = {r.code: r for r in Region.objects.filter(level="regency")}
    agencies = list(
        Agency.objects.filter(slug__startswith="bench-desa-adat-").select_related("region")
    )
    DesaAdat.objects.bulk_create(
        DesaAdat(agency=a, regency=regencies[a.region.code[:5]]) for a in agencies
    )
    desas = list(DesaAdat.objects.all())
    FundBalance.objects.bulk_create(
        FundBalance(desa_adat=d, fund=f, balance=0) for d in desas for f in ("cash", "bank")
    )
    BudgetLine.objects.bulk_create(
        BudgetLine(
            desa_adat=d, year=year, account=accounts[c], amount=amount, original_amount=amount
        )
        for d in desas
        for c in income_codes + spending_codes
        for amount in [rng.randint(10, 300) * 1_000_000]
    )
    batch = []
    for d in desas:
        for n in range(ENTRIES):
            income = n % 5 == 0
            code = rng.choice(income_codes if income else spending_codes)
            amount = rng.randint(1, 400) * 25_000
            batch.append(
                Entry(
                    desa_adat_id=d.pk,
                    number=f"{year}-{n + 1:05d}",
                    date=date(year, 1, 1) + timedelta(days=n * 364 // ENTRIES),
                    kind="income" if income else "spending",
                    account=accounts[code],
                    fund="bank" if n % 2 else "cash",
                    amount=amount,
                    account_amount=amount,
                    fund_amount=amount if income else -amount,
                    description="Bench",
                )
            )
            if len(batch) >= 20_000:
                Entry.objects.bulk_create(batch)
                batch = []
    Entry.objects.bulk_create(batch)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    print(
        f"[bench] loaded {Entry.objects.count()} entries in {time.perf_counter() - started:.0f}s",
        file=sys.stderr,
    )
    figures = []

    # 1. Province-wide realisation: our code vs two bare GROUP BY queries.
    def ours():
        summaries = selectors.province_realisation(year)
        assert len(summaries) == len(desas)

    start, end = date(year, 1, 1).isoformat(), date(year + 1, 1, 1).isoformat()
    entry_table, budget_table = Entry._meta.db_table, BudgetLine._meta.db_table
    account_table = Account._meta.db_table

    def bare():
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT desa_adat_id, kind, SUM(account_amount), COUNT(*) FROM {entry_table} "  # noqa: S608
                "WHERE date >= %s AND date < %s GROUP BY desa_adat_id, kind",
                [start, end],
            )
            cursor.fetchall()
            cursor.execute(
                f"SELECT b.desa_adat_id, a.kind, SUM(b.amount) FROM {budget_table} b "  # noqa: S608
                f"JOIN {account_table} a ON a.id = b.account_id WHERE b.year = %s "
                "GROUP BY b.desa_adat_id, a.kind",
                [year],
            )
            cursor.fetchall()

    baseline = _best(bare)
    figures.append(("realisation.province", _best(ours), baseline, "s"))

    # 2. One village's cash book page for the year vs the bare query of its rows.
    desa = desas[len(desas) // 2]
    treasurer = User.objects.create_user(username="bench.patengen", password="x")  # noqa: S106 - a throwaway benchmark user
    Membership.objects.create(user=treasurer, agency=desa.agency, role=Role.VILLAGE_TREASURER)
    client = Client(HTTP_HOST="127.0.0.1")
    client.force_login(treasurer)
    url = f"/sikuat/desa/{desa.pk}/kas/?dari={year}-01-01&sampai={year}-12-31"
    assert client.get(url).status_code == 200

    def page():
        response = client.get(url)
        assert response.status_code == 200

    def rows():
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT e.date, e.number, e.description, a.code, e.fund_amount "  # noqa: S608
                f"FROM {entry_table} e JOIN {account_table} a ON a.id = e.account_id "
                "WHERE e.desa_adat_id = %s AND e.date >= %s AND e.date <= %s "
                "ORDER BY e.date, e.id",
                [desa.pk, start, f"{year}-12-31"],
            )
            cursor.fetchall()

    figures.append(("cashbook.page", _best(page, 5) * 1000, _best(rows, 5) * 1000, "ms"))

    # 3. Posting through the service vs a bare INSERT, one transaction each.
    target = desas[0]
    FundBalance.objects.filter(desa_adat=target).update(balance=10**12)
    post_year = date.today().year
    services.chart_load(year=post_year)
    post_account = Account.objects.get(year=post_year, code="5.1.1")
    day = date.today()

    started = time.perf_counter()
    for _ in range(POSTINGS):
        services.entry_record(
            actor="bench",
            desa=target,
            date=day,
            kind="spending",
            account=post_account,
            fund="cash",
            amount=50_000,
            description="Bench posting",
        )
    ours_rate = POSTINGS / (time.perf_counter() - started)

    started = time.perf_counter()
    columns, values = _bare_entry_row(Entry, desas[1].pk, day, post_account.pk)
    insert = (
        f"INSERT INTO {entry_table} ({', '.join(columns)}) "  # noqa: S608
        f"VALUES ({', '.join(['%s'] * len(columns))})"
    )
    number_at = columns.index("number")
    for n in range(POSTINGS):
        values[number_at] = f"b-{n}"
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(insert, values)
    bare_rate = POSTINGS / (time.perf_counter() - started)
    figures.append(("posting", ours_rate, bare_rate, "entries/s"))

    figures.extend(_receipt_figures(desas, rng))
    print(json.dumps(figures))


def _bare_entry_row(entry_model, desa_id: int, day, account_id: int) -> tuple[list, list]:
    """The columns of one spending row for the bare INSERT: the ones that matter, plus the
    default of every other NOT NULL column (new columns keep the bench running)."""
    row = {
        "desa_adat_id": desa_id,
        "number": "",
        "date": day,
        "kind": "spending",
        "account_id": account_id,
        "fund": "cash",
        "amount": 50_000,
        "account_amount": 50_000,
        "fund_amount": -50_000,
        "description": "Bench",
        "created_at": day,
    }
    for field in entry_model._meta.concrete_fields:
        if field.primary_key or field.column in row or field.null:
            continue
        default = field.get_default()  # "" for text without a default
        if default is not None:
            row[field.column] = default
    return list(row), list(row.values())


def _receipt_figures(desas, rng) -> list:
    """Duplicate-receipt search: the indexed hash bands (``receipt_index.near``) against
    reading every hash of the scope (``near_by_scan``), at growing numbers of receipts
    spread over the villages. Per check, milliseconds: one village's receipts (what the
    upload does) and the whole province. Random hashes: the best case for the bands (real
    receipts share more bits, so more candidates per band); half the checks have a stored
    receipt a few bits away, half have none."""
    from onedata.villagefinance import imagehash, receipt_index
    from onedata.villagefinance.models import Receipt

    figures = []
    stored: list[tuple[int, str]] = []
    for size in RECEIPT_SIZES:
        batch = []
        while len(stored) + len(batch) < size:
            n = len(stored) + len(batch)
            desa = desas[n % len(desas)]
            phash = f"{rng.getrandbits(256):064x}"
            batch.append(
                Receipt(
                    desa_adat_id=desa.pk,
                    path=f"bench/{n}",
                    content_type="image/jpeg",
                    size=1,
                    sha256=f"{n:064x}",
                    phash=phash,
                    **imagehash.band_values(phash),
                )
            )
            if len(batch) >= 20_000:
                Receipt.objects.bulk_create(batch)
                stored.extend((r.desa_adat_id, r.phash) for r in batch)
                batch = []
        Receipt.objects.bulk_create(batch)
        stored.extend((r.desa_adat_id, r.phash) for r in batch)
        _analyze()
        checks = []
        for n in range(RECEIPT_CHECKS):
            desa_id, phash = stored[rng.randrange(len(stored))]
            if n % 2:
                phash = f"{rng.getrandbits(256):064x}"
            else:  # the same receipt, a few bits changed (a re-encoded photo)
                value = int(phash, 16)
                for bit in rng.sample(range(256), 6):
                    value ^= 1 << bit
                phash = f"{value:064x}"
            checks.append((desa_id, phash))
        print(f"[bench] receipts: {len(stored)} stored, measuring", file=sys.stderr)
        for scope, limit in (("village", len(checks)), ("province", PROVINCE_CHECKS)):

            def run(search, scope=scope, limit=limit, checks=checks):
                found = 0
                for desa_id, phash in checks[:limit]:
                    found += len(search(phash, desa_id=desa_id if scope == "village" else None))
                return found

            assert run(receipt_index.near) == run(receipt_index.near_by_scan)
            index_ms = _best(lambda: run(receipt_index.near)) * 1000 / limit  # noqa: B023
            scan_ms = _best(lambda: run(receipt_index.near_by_scan), 1) * 1000 / limit  # noqa: B023
            figures.append((f"receipts.{size}.{scope}", index_ms, scan_ms, "ms"))
    return figures


def _analyze() -> None:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")


def main() -> None:
    with tempfile.TemporaryDirectory(prefix="bench-vf-") as folder:
        run_engine("sqlite", f"sqlite:///{folder}/bench.sqlite3", Path(folder))
    if postgres_ready(POSTGRES_URL):
        drop_postgres(POSTGRES_URL)
        postgres_ready(POSTGRES_URL)  # creates it again
        with tempfile.TemporaryDirectory(prefix="bench-vf-pg-") as folder:
            run_engine("postgres", POSTGRES_URL, Path(folder))
    else:
        note(f"PostgreSQL not reachable at {POSTGRES_URL}: its figures are skipped")


if __name__ == "__main__":
    if "--inner" in sys.argv:
        inner()
    else:
        main()
