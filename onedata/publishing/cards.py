"""The province dashboard: which figure each card shows, from which publication.

Figures come from the published tables (the last good version), so a card never shows
what the open data does not. A card whose publication has no rows yet says so."""

from django.utils.translation import gettext_lazy as _

from onedata.publishing.dashboard import Card

CARDS = [
    Card(
        "oxygen-cover",
        _("Lowest oxygen cover at a hospital"),
        "rs-oksigen-harian",
        "jam_cakupan",
        "min",
        unit=_("hours"),
        latest_by="tanggal",
    ),
    Card(
        "oxygen-stock",
        _("Oxygen stock at hospitals"),
        "rs-oksigen-harian",
        "stok_m3",
        "sum",
        unit="m³",
        latest_by="tanggal",
    ),
    Card(
        "free-beds",
        _("Free hospital beds"),
        "rs-tempat-tidur-tersedia",
        "tersedia",
        "sum",
        latest_by="waktu_snapshot",
    ),
    Card(
        "clinic-wait",
        _("Average wait at clinics"),
        "antrean-faskes-harian",
        "rata_rata_tunggu_menit",
        "avg",
        unit=_("minutes"),
        latest_by="tanggal",
        note=_("Mean of each service's average wait on the last day."),
    ),
    Card(
        "clinic-numbers",
        _("Clinic queue numbers taken"),
        "antrean-faskes-harian",
        "jumlah_nomor",
        "sum",
        latest_by="tanggal",
    ),
    Card(
        "attendance",
        _("Employees present"),
        "presensi-harian-kantor",
        "hadir",
        "share",
        unit="%",
        latest_by="tanggal",
        total_column="jumlah_pegawai",
        note=_("Offices with fewer than 5 present count as none (privacy)."),
    ),
    Card(
        "village-reporting",
        _("Customary villages reporting"),
        "keuangan-desa-adat-realisasi",
        "desa_adat",
        "distinct",
        latest_by="tahun",
    ),
    Card(
        "village-spending",
        _("Village spending realised"),
        "keuangan-desa-adat-realisasi",
        "realisasi",
        "share",
        unit="%",
        latest_by="tahun",
        filter=(("jenis", "belanja"),),
        total_column="anggaran",
    ),
    Card(
        "hoax-reports",
        _("Hoax reports this week"),
        "cek-fakta-laporan-hoaks-mingguan",
        "jumlah_laporan",
        "sum",
        latest_by="minggu_mulai",
        note=_("Weeks with fewer than 5 reports in a cell count as none (privacy)."),
    ),
    Card(
        "claims",
        _("New claims checked this week"),
        "cek-fakta-klaim-mingguan",
        "jumlah_klaim_baru",
        "sum",
        latest_by="minggu_mulai",
    ),
    Card(
        "villages",
        _("Villages and wards in the reference list"),
        "kode-wilayah-bali",
        "kode",
        "count",
        filter=(("tingkat", "village"),),
    ),
]
