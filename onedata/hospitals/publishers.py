"""What the hospitals module publishes to One Data (see onedata/publishing/registry.py).

Two tables, produced by Dinkes Bali:

- ``rs-oksigen-harian`` (daily): for every hospital and every day of the last 30 (up to
  yesterday, WITA) on which it reported, its oxygen stock at the day's last report, the
  demand forecast at that report (patient model blended with observed use, see
  ``forecast.py``), on-site generation, oxygen received that day, hours of cover and the
  Ministry status. Patients on oxygen are a count of people: 1-4 are blanked.
- ``rs-tempat-tidur-tersedia`` (hourly): free beds by SIRS bed type per hospital from each
  hospital's latest report, stamped with the time of the snapshot and of the report (the
  same figures the public free-beds page shows to anyone, like SIRANAP).

Aggregates only: no reporter, no patient, no phone number.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import datetime, time, timedelta

from django.utils import timezone

from onedata.publishing.registry import Column, Publication

WINDOW_DAYS = 30
PRODUCER = "dinkes-bali"


def _daily_rows(now: datetime) -> list[dict]:
    from onedata.hospitals import forecast as fc
    from onedata.hospitals import selectors
    from onedata.hospitals.models import Hospital, Report

    tz = timezone.get_current_timezone()
    end_day = timezone.localtime(now, tz).date() - timedelta(days=1)
    start_day = end_day - timedelta(days=WINDOW_DAYS - 1)
    start = timezone.make_aware(datetime.combine(start_day, time.min), tz)
    end = timezone.make_aware(datetime.combine(end_day + timedelta(days=1), time.min), tz)
    history = timedelta(days=selectors.HISTORY_DAYS)
    hospitals = list(Hospital.objects.select_related("agency__region").order_by("pk"))
    ids = [h.pk for h in hospitals]
    generated = selectors.generation(ids)
    rates = selectors.flow_rates()
    by_hospital = defaultdict(list)
    reports = Report.objects.filter(
        hospital_id__in=ids, reported_at__gte=start - history, reported_at__lt=end
    ).order_by("reported_at")
    for report in reports:
        by_hospital[report.hospital_id].append(report)
    rows = []
    for hospital in hospitals:
        own = by_hospital.get(hospital.pk, [])
        days: dict = defaultdict(list)
        for report in own:
            if report.reported_at >= start:
                days[timezone.localtime(report.reported_at, tz).date()].append(report)
        gen = generated.get(hospital.pk, 0.0)
        for day in sorted(days):
            last = days[day][-1]
            window = [
                selectors.snapshot(r)
                for r in own
                if last.reported_at - history < r.reported_at <= last.reported_at
            ]
            forecast = fc.forecast(
                window,
                now=last.reported_at,
                generation_m3_per_day=gen,
                rates=rates,
                stale_after_hours=selectors.stale_after_hours(),
            )
            net = forecast.demand_m3_per_day - gen
            cover = fc.cover_hours(last.stock_m3, net)
            rows.append(
                {
                    "tanggal": day.isoformat(),
                    "kode_wilayah": hospital.agency.region.code,
                    "kabupaten_kota": hospital.agency.region.name,
                    "rumah_sakit": hospital.agency.name,
                    "jenis_rs": str(Hospital.Type(hospital.type).label),
                    "jumlah_laporan": len(days[day]),
                    "stok_m3": round(last.stock_m3, 1),
                    "kebutuhan_m3_per_hari": round(forecast.demand_m3_per_day, 1),
                    "produksi_psa_m3_per_hari": round(gen, 1),
                    "diterima_m3": round(sum(r.delivered_m3 for r in days[day]), 1),
                    "jam_cakupan": None if cover is None else round(cover, 1),
                    "status": fc.status_for(cover),
                    "pasien_oksigen": sum(last.patients.values()),
                }
            )
    return rows


def produce_daily_oxygen(now: datetime) -> list[dict]:
    from django.utils import translation

    with translation.override("id"):
        return _daily_rows(now)


def produce_free_beds(now: datetime) -> list[dict]:
    from django.utils import translation

    from onedata.hospitals import selectors

    stale = timedelta(hours=selectors.stale_after_hours())
    rows = []
    with translation.override("id"):
        for row in selectors.public_beds():
            hospital = row.hospital
            rows.append(
                {
                    "waktu_snapshot": now.isoformat(),
                    "kode_wilayah": hospital.agency.region.code,
                    "kabupaten_kota": hospital.agency.region.name,
                    "rumah_sakit": hospital.agency.name,
                    "jenis_tempat_tidur": row.bed_type,
                    "nama_jenis_tempat_tidur": str(row.bed_type_label),
                    "jumlah": row.total,
                    "terisi": row.occupied,
                    "tersedia": row.available,
                    "waktu_laporan": row.reported_at.isoformat(),
                    "laporan_usang": now - row.reported_at > stale,
                }
            )
    rows.sort(key=lambda r: (r["kode_wilayah"], r["rumah_sakit"], r["jenis_tempat_tidur"]))
    return rows


_REGION = Column("kode_wilayah", "text", "Kode wilayah Kemendagri kabupaten/kota rumah sakit.")
_REGENCY = Column("kabupaten_kota", "text", "Nama kabupaten/kota tempat rumah sakit berada.")
_HOSPITAL = Column("rumah_sakit", "text", "Nama rumah sakit.")

PUBLICATIONS = [
    Publication(
        name="rs-oksigen-harian",
        title="Stok, Kebutuhan dan Ketahanan Oksigen Rumah Sakit per Hari",
        description=(
            "Stok oksigen medis, perkiraan kebutuhan per hari dan jumlah jam ketahanan stok "
            "setiap rumah sakit di Provinsi Bali, per hari, 30 hari terakhir (sampai kemarin, "
            "WITA). Dihitung dari laporan rumah sakit (tangki oksigen cair, tabung penuh, "
            "pengiriman, pasien yang menerima oksigen) dalam satu satuan: m3 gas pada 21 C. "
            "Kebutuhan memadukan model pasien (jumlah pasien per tingkat keparahan x laju "
            "aliran) dengan pemakaian teramati di antara laporan. Status mengikuti kategori "
            "Kementerian Kesehatan: kritis (< 12 jam), siaga (< 24 jam), waspada (< 48 jam), "
            "aman. Jumlah pasien 1-4 orang dikosongkan."
        ),
        module="hospitals",
        producer=PRODUCER,
        frequency="daily",
        columns=(
            Column("tanggal", "date", "Tanggal laporan (WITA)."),
            _REGION,
            _REGENCY,
            _HOSPITAL,
            Column("jenis_rs", "text", "Jenis rumah sakit: RSUP, RSUD, TNI/Polri atau swasta."),
            Column(
                "jumlah_laporan", "integer", "Banyaknya laporan rumah sakit hari itu.", "laporan"
            ),
            Column("stok_m3", "number", "Stok oksigen pada laporan terakhir hari itu.", "m3"),
            Column(
                "kebutuhan_m3_per_hari",
                "number",
                "Perkiraan kebutuhan oksigen per hari pada laporan terakhir hari itu "
                "(model pasien dipadukan dengan pemakaian teramati).",
                "m3/hari",
            ),
            Column(
                "produksi_psa_m3_per_hari",
                "number",
                "Kapasitas generator oksigen (PSA) di rumah sakit.",
                "m3/hari",
            ),
            Column(
                "diterima_m3",
                "number",
                "Oksigen yang diterima (cair dan tabung) menurut laporan hari itu.",
                "m3",
            ),
            Column(
                "jam_cakupan",
                "number",
                "Jam ketahanan stok: stok / (kebutuhan - produksi PSA) x 24. Kosong bila "
                "produksi PSA mencukupi kebutuhan.",
                "jam",
            ),
            Column("status", "text", "critical (< 12 jam), warning (< 24), watch (< 48), safe."),
            Column(
                "pasien_oksigen",
                "integer",
                "Pasien yang menerima oksigen pada laporan terakhir hari itu (semua tingkat "
                "keparahan). 1-4 dikosongkan.",
                "orang",
            ),
        ),
        produce=produce_daily_oxygen,
        person_count_columns=("pasien_oksigen",),
        tags=("oksigen", "rumah sakit", "kesehatan", "logistik"),
        groups=("kesehatan",),
        concept="Ketahanan stok oksigen medis rumah sakit",
        definition=(
            "Jam ketahanan = stok oksigen (m3 gas) dibagi kebutuhan bersih per hari "
            "(kebutuhan dikurangi produksi PSA) dikali 24."
        ),
        classification="Status: critical, warning, watch, safe (Kemenkes)",
        unit="m3",
        is_priority=True,
    ),
    Publication(
        name="rs-tempat-tidur-tersedia",
        title="Ketersediaan Tempat Tidur Rumah Sakit per Jenis (Per Jam)",
        description=(
            "Jumlah tempat tidur, yang terisi dan yang tersedia menurut jenis tempat tidur "
            "SIRS (ICU dengan/tanpa ventilator, tekanan negatif, HCU, isolasi, NICU, PICU, "
            "kelas perawatan) di setiap rumah sakit di Provinsi Bali, dari laporan terakhir "
            "masing-masing rumah sakit, diperbarui setiap jam. Sama dengan yang tampil di "
            "halaman publik ketersediaan tempat tidur (seperti SIRANAP). Laporan yang lebih "
            "tua dari batas laporan usang ditandai."
        ),
        module="hospitals",
        producer=PRODUCER,
        frequency="hourly",
        columns=(
            Column("waktu_snapshot", "datetime", "Waktu pengambilan data (UTC, ISO 8601)."),
            _REGION,
            _REGENCY,
            _HOSPITAL,
            Column("jenis_tempat_tidur", "text", "Kode jenis tempat tidur SIRS."),
            Column("nama_jenis_tempat_tidur", "text", "Nama jenis tempat tidur."),
            Column("jumlah", "integer", "Tempat tidur jenis ini di rumah sakit.", "tempat tidur"),
            Column("terisi", "integer", "Tempat tidur yang terisi.", "tempat tidur"),
            Column("tersedia", "integer", "Tempat tidur kosong: jumlah - terisi.", "tempat tidur"),
            Column("waktu_laporan", "datetime", "Waktu laporan rumah sakit (UTC, ISO 8601)."),
            Column(
                "laporan_usang",
                "boolean",
                "Benar bila laporan lebih tua dari batas laporan usang (bawaan 24 jam).",
            ),
        ),
        produce=produce_free_beds,
        tags=("tempat tidur", "rumah sakit", "kesehatan", "SIRANAP"),
        groups=("kesehatan",),
        concept="Ketersediaan tempat tidur rumah sakit",
        definition="Tersedia = jumlah tempat tidur - tempat tidur terisi, per jenis SIRS.",
        classification="Jenis tempat tidur SIRS Online",
        unit="tempat tidur",
    ),
]
