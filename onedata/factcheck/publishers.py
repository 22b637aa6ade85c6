"""What fact check publishes to Satu Data Bali (contract: ``onedata.publishing.registry``).

Two weekly tables from Diskominfos, over every whole week (Monday to Sunday, WITA) up to
the last one that has ended:

- ``cek-fakta-laporan-hoaks-mingguan``: citizens' reports of suspected hoaxes per week,
  topic, channel (where the message was seen) and regency, with the rumours they were
  about. Each report is one person's act, so report counts are person counts: 1-4 are
  blanked by the framework.
- ``cek-fakta-klaim-mingguan``: rumours (claims) first seen and verdicts published per
  week, topic and verdict label, with the median time from first report to verdict.

Aggregates only: no report text, links, screenshots, contacts, accounts or claim text.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date, datetime
from statistics import median

from django.utils import timezone, translation

from onedata.factcheck.models import Channel, Claim, Report, Review, Topic
from onedata.factcheck.weekly import week_start
from onedata.publishing.registry import SUPPRESS_BELOW, Column, Publication

NO_TOPIC = "Belum ditentukan"
NO_REGENCY = "Tidak diketahui"
PERSONS = "orang"


def _last_week_end(now: datetime) -> date:
    """The Monday that starts the current (unfinished) week, WITA: the end, exclusive."""
    return week_start(timezone.localtime(now).date())


def _local_week(moment: datetime) -> date:
    return week_start(timezone.localtime(moment).date())


def _topics() -> dict[int, str]:
    return dict(Topic.objects.values_list("pk", "name"))


def produce_reports(now: datetime) -> list[dict]:
    """One row per week, topic, channel and regency with at least one report."""
    until = _last_week_end(now)
    topics = _topics()
    rows = Report.objects.order_by().values_list(
        "created_at", "claim_id", "claim__topic_id", "channel", "regency__code", "regency__name"
    )
    first_report: dict[int, tuple] = {}
    cells: dict[tuple, dict] = defaultdict(lambda: {"reports": 0, "claims": set(), "new": 0})
    for created, claim_id, topic_id, channel, code, name in sorted(rows, key=lambda r: r[0]):
        week = _local_week(created)
        key = (week, topics.get(topic_id, NO_TOPIC), channel, code or "", name or NO_REGENCY)
        if claim_id not in first_report:
            first_report[claim_id] = key
            if week < until:
                cells[key]["new"] += 1
        if week >= until:
            continue
        cell = cells[key]
        cell["reports"] += 1
        cell["claims"].add(claim_id)
    with translation.override("id"):
        channels = {value: str(label) for value, label in Channel.choices}
    table = []
    for (week, topic, channel, code, name), cell in cells.items():
        if not cell["reports"]:
            continue
        # Claim counts are never above the report count: where the report count is
        # blanked, they are blanked too, or they would narrow it down.
        small = cell["reports"] < SUPPRESS_BELOW
        table.append(
            {
                "minggu_mulai": week,
                "topik": topic,
                "kode_saluran": channel,
                "saluran": channels.get(channel, channel),
                "kode_wilayah": code,
                "kabupaten_kota": name,
                "jumlah_laporan": cell["reports"],
                "jumlah_klaim": None if small else len(cell["claims"]),
                "jumlah_klaim_baru": None if small else cell["new"],
            }
        )
    table.sort(key=lambda r: (r["minggu_mulai"], r["topik"], r["kode_saluran"], r["kode_wilayah"]))
    return table


def produce_claims(now: datetime) -> list[dict]:
    """One row per week, topic and verdict: rumours first seen that week (verdict "") and
    verdicts published that week, with the median hours from first report to verdict."""
    until = _last_week_end(now)
    topics = _topics()
    first_reported = {}
    for claim_id, created in Report.objects.order_by("created_at").values_list(
        "claim_id", "created_at"
    ):
        first_reported.setdefault(claim_id, created)
    cells: dict[tuple, dict] = defaultdict(lambda: {"new": 0, "verdicts": 0, "hours": []})
    for claim_id, topic_id, first_seen in Claim.objects.order_by().values_list(
        "pk", "topic_id", "first_seen_at"
    ):
        seen = first_reported.get(claim_id, first_seen)
        if seen is None or _local_week(seen) >= until:
            continue
        cells[(_local_week(seen), topics.get(topic_id, NO_TOPIC), "")]["new"] += 1
    published = Review.objects.filter(status=Review.Status.PUBLISHED).values_list(
        "claim_id", "claim__topic_id", "verdict", "published_at"
    )
    for claim_id, topic_id, verdict, published_at in published.order_by():
        week = _local_week(published_at)
        if week >= until:
            continue
        cell = cells[(week, topics.get(topic_id, NO_TOPIC), verdict)]
        cell["verdicts"] += 1
        reported = first_reported.get(claim_id)
        if reported is not None and published_at >= reported:
            cell["hours"].append((published_at - reported).total_seconds() / 3600)
    table = []
    for (week, topic, verdict), cell in cells.items():
        hours = cell["hours"]
        table.append(
            {
                "minggu_mulai": week,
                "topik": topic,
                "putusan": verdict,
                "jumlah_klaim_baru": cell["new"],
                "jumlah_putusan": cell["verdicts"],
                "median_jam_sampai_putusan": round(median(hours), 1) if hours else None,
            }
        )
    table.sort(key=lambda r: (r["minggu_mulai"], r["topik"], r["putusan"]))
    return table


WEEK = Column(
    "minggu_mulai", "date", "Hari Senin awal minggu (WITA); minggu berjalan belum diterbitkan"
)
TOPIC = Column(
    "topik", "text", f"Topik klaim yang ditetapkan pemeriksa fakta; '{NO_TOPIC}' bila belum"
)

PUBLICATIONS = [
    Publication(
        name="cek-fakta-laporan-hoaks-mingguan",
        title="Laporan Dugaan Hoaks dari Warga per Minggu",
        description=(
            "Jumlah laporan dugaan hoaks kesehatan yang dikirim warga melalui layanan Cek "
            "Fakta Provinsi Bali, per minggu, topik, saluran tempat pesan ditemukan (grup "
            "WhatsApp, Facebook, sekolah, banjar, ...) dan kabupaten/kota, beserta jumlah "
            "klaim (rumor) yang dilaporkan. Laporan yang sama dari banyak warga dihitung "
            "sebagai satu klaim. Mencakup setiap minggu penuh (Senin-Minggu, WITA) sampai "
            f"minggu terakhir yang sudah berakhir. Jumlah laporan 1-{SUPPRESS_BELOW - 1} "
            "dikosongkan untuk melindungi privasi pelapor."
        ),
        module="factcheck",
        producer="diskominfos",
        frequency="weekly",
        columns=(
            WEEK,
            TOPIC,
            Column(
                "kode_saluran", "text", "Kode saluran: whatsapp, facebook, school, village, ..."
            ),
            Column("saluran", "text", "Tempat warga menemukan pesan, menurut pelapor"),
            Column(
                "kode_wilayah",
                "text",
                "Kode kabupaten/kota (Kemendagri) yang dipilih pelapor; kosong bila tidak diisi",
            ),
            Column(
                "kabupaten_kota", "text", f"Nama kabupaten/kota; '{NO_REGENCY}' bila tidak diisi"
            ),
            Column(
                "jumlah_laporan",
                "integer",
                "Laporan warga pada minggu, topik, saluran dan wilayah ini (satu laporan = "
                f"satu orang melapor); 1-{SUPPRESS_BELOW - 1} dikosongkan",
                PERSONS,
            ),
            Column(
                "jumlah_klaim",
                "integer",
                "Klaim (rumor) berbeda yang dilaporkan dalam sel ini; kosong bila jumlah "
                "laporan dikosongkan",
                "klaim",
            ),
            Column(
                "jumlah_klaim_baru",
                "integer",
                "Klaim yang laporan pertamanya ada dalam sel ini; kosong bila jumlah laporan "
                "dikosongkan",
                "klaim",
            ),
        ),
        produce=produce_reports,
        person_count_columns=("jumlah_laporan",),
        tags=("hoaks", "cek fakta", "disinformasi", "kesehatan", "covid-19"),
        groups=("kesehatan", "komunikasi-informatika"),
        concept="Laporan dugaan hoaks",
        definition=(
            "Pesan yang diterima warga dan dilaporkan karena diduga hoaks, melalui halaman "
            "atau API Cek Fakta"
        ),
        classification="Topik, saluran, kabupaten/kota",
        unit="laporan",
    ),
    Publication(
        name="cek-fakta-klaim-mingguan",
        title="Klaim Hoaks Baru dan Putusan Cek Fakta per Minggu",
        description=(
            "Jumlah klaim (rumor) kesehatan yang pertama kali dilaporkan warga dan jumlah "
            "putusan cek fakta yang diterbitkan (HOAKS, SALAH, DISINFORMASI, MISINFORMASI, "
            "MENYESATKAN, KLARIFIKASI, BENAR), per minggu dan topik, serta median waktu dari "
            "laporan pertama sampai putusan terbit. Baris dengan putusan kosong menghitung "
            "klaim baru; baris dengan putusan menghitung putusan yang terbit minggu itu."
        ),
        module="factcheck",
        producer="diskominfos",
        frequency="weekly",
        columns=(
            WEEK,
            TOPIC,
            Column(
                "putusan",
                "text",
                "Label putusan (HOAKS ... BENAR) untuk baris putusan; kosong untuk baris "
                "klaim baru",
            ),
            Column(
                "jumlah_klaim_baru",
                "integer",
                "Klaim yang pertama kali dilaporkan minggu ini",
                "klaim",
            ),
            Column(
                "jumlah_putusan", "integer", "Putusan cek fakta yang terbit minggu ini", "putusan"
            ),
            Column(
                "median_jam_sampai_putusan",
                "number",
                "Median jam dari laporan warga pertama sampai putusan terbit (klaim tanpa "
                "laporan warga tidak dihitung)",
                "jam",
            ),
        ),
        produce=produce_claims,
        tags=("hoaks", "cek fakta", "claimreview", "kesehatan", "covid-19"),
        groups=("kesehatan", "komunikasi-informatika"),
        concept="Klaim dan putusan cek fakta",
        definition="Klaim: satu rumor, gabungan semua laporan warga tentang rumor yang sama",
        classification="Topik, label putusan",
        unit="klaim",
    ),
]
