"""Core's open dataset: the region code list itself, the reference every other dataset's
region codes point at (Satu Data: kode referensi)."""

from onedata.core.models import Region
from onedata.publishing.registry import Column, Publication


def produce_regions(now) -> list[dict]:
    return [
        {
            "kode": region["code"],
            "nama": region["name"],
            "tingkat": region["level"],
            "kode_induk": region["parent__code"] or None,
        }
        for region in Region.objects.order_by("code").values(
            "code", "name", "level", "parent__code"
        )
    ]


PUBLICATIONS = [
    Publication(
        name="kode-wilayah-bali",
        title="Kode dan nama wilayah administrasi Provinsi Bali",
        description=(
            "Daftar kode wilayah Kemendagri untuk provinsi, kabupaten/kota, kecamatan dan "
            "desa/kelurahan di Provinsi Bali: daftar kode referensi bagi semua dataset "
            "Satu Data Bali. Sumber: Kepmendagri No 300.2.2-2138 Tahun 2025 melalui "
            "repositori publik cahyadsn/wilayah (lisensi MIT, (c) 2017-2025 Cahya DSN)."
        ),
        module="core",
        producer="diskominfos",
        frequency="monthly",
        columns=(
            Column("kode", "text", "Kode wilayah Kemendagri bertitik, mis. 51.71.01.1001"),
            Column("nama", "text", "Nama resmi wilayah"),
            Column("tingkat", "text", "province, regency, district atau village"),
            Column("kode_induk", "text", "Kode wilayah satu tingkat di atasnya (kosong: provinsi)"),
        ),
        produce=produce_regions,
        tags=("wilayah", "kode referensi"),
        groups=("pemerintahan",),
        concept="Wilayah administrasi pemerintahan",
        definition="Kode dan nama wilayah administrasi menurut Kepmendagri",
        classification="Kode wilayah Kemendagri",
        reference_code="kepmendagri-300.2.2-2138-2025",
        is_priority=True,
    )
]
