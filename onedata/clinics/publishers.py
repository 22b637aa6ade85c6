"""What the clinic queue publishes to Satu Data Bali (contract: ``onedata.publishing.registry``).

One table, refreshed daily by the Health Office (Dinas Kesehatan): per day, clinic and
service, the numbers taken, how many were served, did not come or cancelled, and the
average wait and service time. Aggregates only: no names, NIK, phone numbers or codes.
Counts of 1-4 people are blanked by the framework; an average built from fewer than five
visits is left empty here for the same reason.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from django.db.models import Avg, Count, F, Q
from django.utils import translation

from onedata.clinics.models import Booking, Clinic, Service
from onedata.clinics.services import today_wita
from onedata.core.models import Region
from onedata.publishing.registry import SUPPRESS_BELOW, Column, Publication

DAYS = 90  # the published window: the last 90 whole days, up to yesterday (WITA)
Status = Booking.Status


def _minutes(value) -> float | None:
    if value is None:
        return None
    if isinstance(value, timedelta):
        return round(value.total_seconds() / 60, 1)
    return round(float(value) / 60_000_000, 1)  # SQLite averages a duration in microseconds


def produce_daily(now: datetime) -> list[dict]:
    """One row per day, clinic and service that had at least one number."""
    until = today_wita(now) - timedelta(days=1)
    since = until - timedelta(days=DAYS - 1)
    waited = Q(checked_in_at__isnull=False, called_at__isnull=False)
    served = Q(status=Status.DONE, started_at__isnull=False, finished_at__isnull=False)
    rows = (
        Booking.objects.filter(date__gte=since, date__lte=until)
        .order_by()
        .values("date", "clinic_id", "service_id")
        .annotate(
            taken=Count("pk", filter=~Q(status=Status.CANCELLED)),
            online=Count("pk", filter=Q(channel=Booking.Channel.ONLINE) & ~Q(status="cancelled")),
            walkin=Count("pk", filter=Q(channel=Booking.Channel.WALKIN) & ~Q(status="cancelled")),
            done=Count("pk", filter=Q(status=Status.DONE)),
            no_show=Count("pk", filter=Q(status=Status.NO_SHOW)),
            cancelled=Count("pk", filter=Q(status=Status.CANCELLED)),
            waits=Count("pk", filter=waited),
            wait=Avg(F("called_at") - F("checked_in_at"), filter=waited),
            services=Count("pk", filter=served),
            service_time=Avg(F("finished_at") - F("started_at"), filter=served),
        )
    )
    rows = list(rows)
    clinics = {
        c.pk: c
        for c in Clinic.objects.filter(pk__in={r["clinic_id"] for r in rows}).select_related(
            "agency__region"
        )
    }
    kinds = dict(
        Service.objects.filter(pk__in={r["service_id"] for r in rows}).values_list("pk", "kind")
    )
    regency_codes = {".".join(c.agency.region.code.split(".")[:2]) for c in clinics.values()}
    regencies = dict(Region.objects.filter(code__in=regency_codes).values_list("code", "name"))
    table = []
    with translation.override("id"):
        service_names = {kind: str(label) for kind, label in Service.Kind.choices}
        clinic_kinds = {kind: str(label) for kind, label in Clinic.Kind.choices}
        for row in rows:
            clinic = clinics[row["clinic_id"]]
            regency = ".".join(clinic.agency.region.code.split(".")[:2])
            kind = kinds[row["service_id"]]
            table.append(
                {
                    "tanggal": row["date"],
                    "kode_wilayah": regency,
                    "kabupaten_kota": regencies.get(regency, ""),
                    "fasilitas_kesehatan": clinic.agency.name,
                    "jenis_fasilitas": clinic_kinds.get(clinic.kind, clinic.kind),
                    "kode_layanan": kind,
                    "layanan": service_names.get(kind, kind),
                    "jumlah_nomor": row["taken"],
                    "nomor_online": row["online"],
                    "nomor_datang_langsung": row["walkin"],
                    "dilayani": row["done"],
                    "tidak_datang": row["no_show"],
                    "dibatalkan": row["cancelled"],
                    "rata_rata_tunggu_menit": _minutes(row["wait"])
                    if row["waits"] >= SUPPRESS_BELOW
                    else None,
                    "rata_rata_layanan_menit": _minutes(row["service_time"])
                    if row["services"] >= SUPPRESS_BELOW
                    else None,
                }
            )
    table.sort(key=lambda r: (r["tanggal"], r["fasilitas_kesehatan"], r["kode_layanan"]))
    return table


PERSONS = "orang"

PUBLICATIONS = [
    Publication(
        name="antrean-faskes-harian",
        title="Antrean Online Puskesmas dan Klinik per Hari",
        description=(
            "Jumlah nomor antrean yang diambil (online dan datang langsung), pasien yang "
            "dilayani, tidak datang dan membatalkan, serta rata-rata waktu tunggu dan waktu "
            "layanan, per hari, fasilitas kesehatan dan layanan (poli), dari sistem antrean "
            "online Provinsi Bali. Mencakup 90 hari terakhir sampai kemarin (WITA). Jumlah "
            "orang 1-4 dikosongkan untuk melindungi privasi; rata-rata dari kurang dari lima "
            "kunjungan juga dikosongkan."
        ),
        module="clinics",
        producer="dinkes-bali",
        frequency="daily",
        columns=(
            Column("tanggal", "date", "Tanggal layanan (WITA)"),
            Column("kode_wilayah", "text", "Kode wilayah kabupaten/kota (Kemendagri)"),
            Column("kabupaten_kota", "text", "Nama kabupaten/kota fasilitas kesehatan"),
            Column("fasilitas_kesehatan", "text", "Nama puskesmas, klinik atau rumah sakit"),
            Column("jenis_fasilitas", "text", "Jenis fasilitas: puskesmas, klinik, rumah sakit"),
            Column("kode_layanan", "text", "Kode layanan (poli), mis. general, dental, kia"),
            Column("layanan", "text", "Nama layanan (poli)"),
            Column(
                "jumlah_nomor",
                "integer",
                "Nomor antrean yang diambil dan tidak dibatalkan (online + datang langsung)",
                PERSONS,
            ),
            Column("nomor_online", "integer", "Nomor yang diambil secara online", PERSONS),
            Column(
                "nomor_datang_langsung",
                "integer",
                "Nomor yang diberikan di loket untuk pasien datang langsung",
                PERSONS,
            ),
            Column("dilayani", "integer", "Pasien yang selesai dilayani", PERSONS),
            Column(
                "tidak_datang",
                "integer",
                "Nomor yang tidak hadir sampai sesi berakhir (task 99 BPJS)",
                PERSONS,
            ),
            Column("dibatalkan", "integer", "Nomor yang dibatalkan sebelum sesi mulai", PERSONS),
            Column(
                "rata_rata_tunggu_menit",
                "number",
                "Rata-rata waktu dari check-in sampai dipanggil; kosong bila kurang dari "
                "5 kunjungan terukur",
                "menit",
            ),
            Column(
                "rata_rata_layanan_menit",
                "number",
                "Rata-rata waktu dari mulai sampai selesai dilayani (task 4 sampai 5 BPJS); "
                "kosong bila kurang dari 5 kunjungan terukur",
                "menit",
            ),
        ),
        produce=produce_daily,
        person_count_columns=(
            "jumlah_nomor",
            "nomor_online",
            "nomor_datang_langsung",
            "dilayani",
            "tidak_datang",
            "dibatalkan",
        ),
        tags=("kesehatan", "antrean", "puskesmas", "layanan publik"),
        groups=("kesehatan",),
        concept="Antrean layanan rawat jalan fasilitas kesehatan tingkat pertama",
        definition=(
            "Nomor antrean: satu pendaftaran pasien pada satu layanan dan satu hari. "
            "Waktu tunggu: check-in sampai dipanggil. Waktu layanan: mulai sampai selesai."
        ),
        classification="Layanan kesehatan (poli) menurut jenis",
        unit="orang; menit",
    ),
]
