"""What attendance publishes to One Data (see onedata/publishing/registry.py).

One table: for every office and every working day of the last 30 days (up to yesterday,
WITA), how many employees were present, late, absent, on leave, sick, on official travel
or working from home. Counts only; nobody can be identified (the framework blanks every
count from 1 to 4).
"""

from __future__ import annotations

from datetime import datetime, timedelta

from django.utils import timezone

from onedata.publishing.registry import Column, Publication

WINDOW_DAYS = 30

COUNT_COLUMNS = (
    "jumlah_pegawai",
    "hadir",
    "terlambat",
    "pulang_cepat",
    "tidak_hadir",
    "cuti",
    "sakit",
    "dinas_luar",
    "wfh",
)


def produce_daily_office_attendance(now: datetime) -> list[dict]:
    from onedata.attendance import selectors
    from onedata.attendance.models import Employee, Office
    from onedata.attendance.rules import DayStatus

    end = timezone.localtime(now).date() - timedelta(days=1)
    start = end - timedelta(days=WINDOW_DAYS - 1)
    rows: list[dict] = []
    offices = Office.objects.select_related("agency__region", "schedule").order_by("pk")
    for office in offices:
        employees = list(
            Employee.objects.filter(office=office, active=True)
            .select_related("office", "schedule", "office__schedule")
            .order_by("pk")
        )
        if not employees:
            continue
        by_employee = selectors.days_for(employees, start, end)
        day = start
        index = 0
        while day <= end:
            counts = dict.fromkeys(COUNT_COLUMNS, 0)
            for employee in employees:
                result = by_employee[employee.pk][index].result
                if result.status in (DayStatus.HOLIDAY, DayStatus.OFF, DayStatus.UPCOMING):
                    continue
                counts["jumlah_pegawai"] += 1
                status = result.status
                if status == DayStatus.PRESENT:
                    counts["hadir"] += 1
                    if result.tl:
                        counts["terlambat"] += 1
                    if result.psw:
                        counts["pulang_cepat"] += 1
                elif status == DayStatus.ABSENT:
                    counts["tidak_hadir"] += 1
                elif status == DayStatus.LEAVE:
                    counts["cuti"] += 1
                elif status == DayStatus.SICK:
                    counts["sakit"] += 1
                elif status == DayStatus.TRAVEL:
                    counts["dinas_luar"] += 1
                elif status == DayStatus.WFH:
                    counts["wfh"] += 1
            if counts["jumlah_pegawai"]:
                rows.append(
                    {
                        "tanggal": day.isoformat(),
                        "kode_wilayah": office.agency.region.code,
                        "instansi": office.agency.name,
                        "kantor": office.name,
                        **counts,
                    }
                )
            day += timedelta(days=1)
            index += 1
    return rows


_PEOPLE = "orang"

PUBLICATIONS = [
    Publication(
        name="presensi-harian-kantor",
        title="Rekap Presensi Harian Pegawai per Kantor",
        description=(
            "Jumlah pegawai Pemerintah Provinsi Bali yang hadir, terlambat, pulang sebelum "
            "waktunya, tidak hadir, cuti, sakit, dinas luar dan bekerja dari rumah, per kantor "
            "dan per hari kerja, 30 hari terakhir. Dihitung dari presensi wajah dan lokasi "
            "aplikasi Presensi sesuai jadwal kerja masing-masing pegawai. Hari libur dan hari "
            "di luar jadwal tidak dihitung. Jumlah 1-4 orang dikosongkan agar tidak ada pegawai "
            "yang dapat dikenali."
        ),
        module="attendance",
        producer="bkd-bali",
        frequency="daily",
        columns=(
            Column("tanggal", "date", "Tanggal hari kerja (WITA)."),
            Column("kode_wilayah", "text", "Kode wilayah Kemendagri instansi pemilik kantor."),
            Column("instansi", "text", "Nama instansi (perangkat daerah) pemilik kantor."),
            Column("kantor", "text", "Nama kantor tempat pegawai melakukan presensi."),
            Column(
                "jumlah_pegawai",
                "integer",
                "Pegawai aktif yang wajib bekerja hari itu menurut jadwalnya.",
                _PEOPLE,
            ),
            Column(
                "hadir",
                "integer",
                "Pegawai yang absen masuk atau pulang di kantor (termasuk yang terlambat).",
                _PEOPLE,
            ),
            Column(
                "terlambat",
                "integer",
                "Pegawai hadir yang absen masuk setelah jam masuk (TL1-TL4).",
                _PEOPLE,
            ),
            Column(
                "pulang_cepat",
                "integer",
                "Pegawai hadir yang pulang sebelum waktunya atau tanpa absen pulang (PSW1-PSW4).",
                _PEOPLE,
            ),
            Column(
                "tidak_hadir",
                "integer",
                "Pegawai tanpa absen masuk maupun pulang dan tanpa keterangan.",
                _PEOPLE,
            ),
            Column("cuti", "integer", "Pegawai yang sedang cuti yang disetujui.", _PEOPLE),
            Column("sakit", "integer", "Pegawai yang sakit (cuti sakit atau keterangan).", _PEOPLE),
            Column("dinas_luar", "integer", "Pegawai yang sedang dinas luar.", _PEOPLE),
            Column("wfh", "integer", "Pegawai yang bekerja dari rumah.", _PEOPLE),
        ),
        produce=produce_daily_office_attendance,
        person_count_columns=COUNT_COLUMNS,
        tags=("presensi", "kepegawaian", "ASN"),
        groups=("pemerintahan",),
        concept="Kehadiran pegawai",
        definition=(
            "Status hari kerja pegawai menurut aturan presensi: terlambat bila absen masuk "
            "setelah jam masuk, pulang sebelum waktunya bila absen pulang sebelum jam pulang "
            "dikurangi toleransi."
        ),
        classification="TL1-TL4 dan PSW1-PSW4 (1-30, 31-60, 61-90, lebih dari 90 menit)",
        unit=_PEOPLE,
    ),
]
