"""What SIKUAT publishes to Bali One Data (issue 11): two monthly open datasets of the
customary villages whose summary is published (``DesaAdat.is_published``).

1. ``keuangan-desa-adat-realisasi``: budget and realisation per desa adat, account group
   and year (income, spending and financing groups of the chart of accounts).
2. ``keuangan-desa-adat-hibah``: government grants (BKK of the province, regency grants)
   per desa adat, grantor and year: committed, disbursed, received, accounted for, used.

Aggregates only: amounts of institutions (a desa adat is an organisation, not a person).
No officer names, phone numbers, counterparties, descriptions or receipt photos leave the
module. There are no counts of people, so nothing needs suppressing.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import datetime

from django.db.models import Count, Q, Sum
from django.utils import timezone

from onedata.publishing.registry import Column, Publication
from onedata.villagefinance import reports
from onedata.villagefinance.models import (
    Account,
    BudgetLine,
    DesaAdat,
    Entry,
    Grant,
    GrantStage,
    Kind,
)

PRODUCER = "dpma-bali"  # Dinas Pemajuan Masyarakat Adat Provinsi Bali
KIND_LABELS = {
    Kind.INCOME: "pendapatan",
    Kind.SPENDING: "belanja",
    Kind.FINANCING_IN: "penerimaan pembiayaan",
    Kind.FINANCING_OUT: "pengeluaran pembiayaan",
}
SOURCE_LABELS = {Grant.Source.PROVINCE: "provinsi", Grant.Source.REGENCY: "kabupaten/kota"}


def _villages() -> dict[int, dict]:
    """The published desa adat: id -> name, regency code and name, sample flag."""
    return {
        row["pk"]: row
        for row in DesaAdat.objects.filter(is_published=True).values(
            "pk", "agency__name", "agency__is_sample", "regency__code", "regency__name"
        )
    }


def _sort_key(code: str) -> list[int]:
    return [int(part) if part.isdigit() else 0 for part in code.split(".")]


def produce_realisation(now: datetime) -> list[dict]:
    """One row per published desa adat, year (up to ``now``'s year) and account group that
    has a budget or a transaction: the budget (after amendments), the actual (entries
    minus their reversals) and the percentage. Three GROUP BY queries."""
    last_year = timezone.localtime(now).year if timezone.is_aware(now) else now.year
    villages = _villages()
    budgets: dict[tuple, int] = defaultdict(int)
    actuals: dict[tuple, int] = defaultdict(int)
    for row in (
        BudgetLine.objects.filter(desa_adat__is_published=True, year__lte=last_year)
        .exclude(account__kind=Kind.ASSET)
        .values("desa_adat_id", "year", "account__group_code")
        .annotate(total=Sum("amount"))
        .order_by()
    ):
        key = (row["desa_adat_id"], row["year"], row["account__group_code"])
        budgets[key] += row["total"] or 0
    for row in (
        Entry.objects.filter(desa_adat__is_published=True, account__year__lte=last_year)
        .values("desa_adat_id", "account__year", "account__group_code")
        .annotate(total=Sum("account_amount"))
        .order_by()
    ):
        key = (row["desa_adat_id"], row["account__year"], row["account__group_code"])
        actuals[key] += row["total"] or 0
    groups = {
        (row["year"], row["group_code"]): row
        for row in Account.objects.filter(year__lte=last_year)
        .exclude(kind__in=(Kind.ASSET, Kind.TAX))
        .values("year", "group_code", "group_name", "kind")
        .distinct()
        .order_by()
    }
    rows = []
    for key in set(budgets) | set(actuals):
        desa_id, year, group_code = key
        village = villages.get(desa_id)
        group = groups.get((year, group_code))
        if village is None or group is None:
            continue
        budget, actual = budgets.get(key, 0), actuals.get(key, 0)
        rows.append(
            {
                "tahun": year,
                "kode_kabupaten": village["regency__code"],
                "kabupaten": village["regency__name"],
                "desa_adat": village["agency__name"],
                "kode_kelompok_akun": group_code,
                "kelompok_akun": group["group_name"],
                "jenis": KIND_LABELS.get(group["kind"], group["kind"]),
                "anggaran": budget,
                "realisasi": actual,
                "persen_realisasi": reports.percent(actual, budget),
                "data_contoh": village["agency__is_sample"],
            }
        )
    rows.sort(
        key=lambda r: (
            r["tahun"],
            r["kode_kabupaten"],
            r["desa_adat"],
            _sort_key(r["kode_kelompok_akun"]),
        )
    )
    return rows


def produce_grants(now: datetime) -> list[dict]:
    """One row per published desa adat, year and grantor: the grants' total, how much of
    it was sent, confirmed received and accounted for (stages whose use was reported),
    and the spending booked against its stages."""
    last_year = timezone.localtime(now).year if timezone.is_aware(now) else now.year
    villages = _villages()
    sent = [GrantStage.Status.DISBURSED, GrantStage.Status.RECEIVED, GrantStage.Status.ACCOUNTED]
    received = [GrantStage.Status.RECEIVED, GrantStage.Status.ACCOUNTED]
    key_fields = ("grant__desa_adat_id", "grant__year", "grant__grantor__name", "grant__source")
    stage_rows = (
        GrantStage.objects.filter(grant__desa_adat__is_published=True, grant__year__lte=last_year)
        .values(*key_fields)
        .annotate(
            total=Sum("amount"),
            stages=Count("id"),
            stages_sent=Count("id", filter=Q(status__in=sent)),
            disbursed=Sum("amount", filter=Q(status__in=sent)),
            received=Sum("amount", filter=Q(status__in=received)),
            accounted=Sum("amount", filter=Q(status=GrantStage.Status.ACCOUNTED)),
        )
        .order_by()
    )
    used = {
        tuple(row[f"grant_stage__{name}"] for name in key_fields): row["total"] or 0
        for row in Entry.objects.filter(
            grant_stage__grant__desa_adat__is_published=True,
            grant_stage__grant__year__lte=last_year,
            kind=Kind.SPENDING,
        )
        .values(*(f"grant_stage__{name}" for name in key_fields))
        .annotate(total=Sum("account_amount"))
        .order_by()
    }
    rows = []
    for row in stage_rows:
        key = tuple(row[name] for name in key_fields)
        village = villages.get(row["grant__desa_adat_id"])
        if village is None:
            continue
        accounted = row["accounted"] or 0
        disbursed = row["disbursed"] or 0
        rows.append(
            {
                "tahun": row["grant__year"],
                "kode_kabupaten": village["regency__code"],
                "kabupaten": village["regency__name"],
                "desa_adat": village["agency__name"],
                "pemberi_hibah": row["grant__grantor__name"],
                "sumber": SOURCE_LABELS.get(row["grant__source"], row["grant__source"]),
                "nilai_hibah": row["total"] or 0,
                "jumlah_tahap": row["stages"],
                "tahap_disalurkan": row["stages_sent"],
                "nilai_disalurkan": disbursed,
                "nilai_diterima": row["received"] or 0,
                "nilai_dipertanggungjawabkan": accounted,
                "nilai_digunakan": used.get(key, 0),
                "persen_dipertanggungjawabkan": reports.percent(accounted, disbursed),
                "data_contoh": village["agency__is_sample"],
            }
        )
    rows.sort(key=lambda r: (r["tahun"], r["kode_kabupaten"], r["desa_adat"], r["pemberi_hibah"]))
    return rows


_PLACE_COLUMNS = (
    Column("tahun", "integer", "Tahun anggaran.", "tahun"),
    Column("kode_kabupaten", "text", "Kode wilayah kabupaten/kota (Kemendagri) desa adat."),
    Column("kabupaten", "text", "Nama kabupaten/kota tempat desa adat."),
    Column("desa_adat", "text", "Nama desa adat (lembaga, bukan orang)."),
)
_SAMPLE_COLUMN = Column(
    "data_contoh",
    "boolean",
    "Benar bila desa adat ini data contoh (demo), bukan desa adat sebenarnya.",
)

PUBLICATIONS = [
    Publication(
        name="keuangan-desa-adat-realisasi",
        title="Anggaran dan Realisasi Keuangan Desa Adat per Kelompok Akun",
        description=(
            "Anggaran (setelah perubahan) dan realisasi pendapatan, belanja dan pembiayaan "
            "setiap desa adat di Provinsi Bali per kelompok akun dan tahun, dari SIKUAT "
            "(Sistem Keuangan Desa Adat). Realisasi adalah jumlah transaksi yang dicatat "
            "patengen dikurangi pembatalannya. Hanya desa adat yang memilih menerbitkan "
            "ringkasannya. Belanja dikelompokkan menurut bidang parahyangan, pawongan, "
            "palemahan, tata kelola dan tanggap darurat."
        ),
        module="villagefinance",
        producer=PRODUCER,
        frequency="monthly",
        columns=(
            *_PLACE_COLUMNS,
            Column("kode_kelompok_akun", "text", "Kode kelompok akun bagan akun SIKUAT, mis. 5.1."),
            Column("kelompok_akun", "text", "Nama kelompok akun, mis. Parahyangan."),
            Column(
                "jenis",
                "text",
                "Jenis kelompok: pendapatan, belanja, penerimaan pembiayaan, "
                "pengeluaran pembiayaan.",
            ),
            Column("anggaran", "integer", "Anggaran tahun berjalan setelah perubahan.", "rupiah"),
            Column("realisasi", "integer", "Jumlah transaksi tercatat pada tahun itu.", "rupiah"),
            Column(
                "persen_realisasi",
                "number",
                "Realisasi dibagi anggaran dikali 100, satu desimal; kosong tanpa anggaran.",
                "persen",
            ),
            _SAMPLE_COLUMN,
        ),
        produce=produce_realisation,
        tags=("desa adat", "keuangan", "anggaran", "realisasi", "SIKUAT"),
        groups=("pemerintahan",),
        concept="Realisasi anggaran desa adat",
        definition=(
            "Perbandingan anggaran pendapatan dan belanja desa adat dengan transaksi yang "
            "tercatat, per kelompok akun."
        ),
        classification="Bagan akun SIKUAT (pendapatan 4.x, belanja 5.x, pembiayaan 6.x)",
        unit="rupiah",
    ),
    Publication(
        name="keuangan-desa-adat-hibah",
        title="Hibah Pemerintah kepada Desa Adat: Penyaluran dan Pertanggungjawaban",
        description=(
            "Hibah Pemerintah Provinsi Bali (antara lain BKK) dan pemerintah kabupaten/kota "
            "kepada setiap desa adat per tahun dan pemberi hibah, dari SIKUAT: nilai hibah, "
            "nilai yang sudah disalurkan, yang sudah dikonfirmasi diterima desa adat, yang "
            "sudah dipertanggungjawabkan (laporan penggunaan tahap disampaikan) dan belanja "
            "yang dicatat atas tahap-tahapnya. Tahap berikutnya baru disalurkan setelah "
            "tahap sebelumnya dipertanggungjawabkan."
        ),
        module="villagefinance",
        producer=PRODUCER,
        frequency="monthly",
        columns=(
            *_PLACE_COLUMNS,
            Column("pemberi_hibah", "text", "Instansi pemberi hibah."),
            Column("sumber", "text", "Sumber hibah: provinsi atau kabupaten/kota."),
            Column("nilai_hibah", "integer", "Nilai seluruh tahap hibah.", "rupiah"),
            Column("jumlah_tahap", "integer", "Banyaknya tahap penyaluran.", "tahap"),
            Column(
                "tahap_disalurkan", "integer", "Banyaknya tahap yang sudah disalurkan.", "tahap"
            ),
            Column("nilai_disalurkan", "integer", "Nilai tahap yang sudah disalurkan.", "rupiah"),
            Column(
                "nilai_diterima",
                "integer",
                "Nilai tahap yang sudah dikonfirmasi diterima oleh desa adat.",
                "rupiah",
            ),
            Column(
                "nilai_dipertanggungjawabkan",
                "integer",
                "Nilai tahap yang laporan penggunaannya sudah disampaikan.",
                "rupiah",
            ),
            Column(
                "nilai_digunakan",
                "integer",
                "Belanja yang dicatat atas tahap-tahap hibah (dikurangi pembatalan).",
                "rupiah",
            ),
            Column(
                "persen_dipertanggungjawabkan",
                "number",
                "Nilai dipertanggungjawabkan dibagi nilai disalurkan dikali 100, satu desimal.",
                "persen",
            ),
            _SAMPLE_COLUMN,
        ),
        produce=produce_grants,
        tags=("desa adat", "hibah", "BKK", "keuangan", "SIKUAT"),
        groups=("pemerintahan",),
        concept="Penyaluran dan pertanggungjawaban hibah desa adat",
        definition=(
            "Nilai hibah pemerintah kepada desa adat menurut tahap: disalurkan, diterima "
            "dan dipertanggungjawabkan."
        ),
        unit="rupiah",
    ),
]
