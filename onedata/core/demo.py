"""Demo data for core: regions, the province's agencies, one login per role.

Idempotent: running it twice changes nothing. Every other app may have a ``demo.py``
with ``seed(stdout)``; ``onedata seed`` calls them after this one.
"""

from __future__ import annotations

from django.db import transaction

from onedata.core import regions
from onedata.core.models import Agency, Membership, Region, User
from onedata.core.roles import Role

DEMO_PASSWORD = "bali-demo-2026"  # noqa: S105 - printed for the demo on purpose

PROVINCIAL_AGENCIES = [
    ("diskominfos", "Dinas Komunikasi, Informatika dan Statistik Provinsi Bali", "Diskominfos"),
    ("dinkes-bali", "Dinas Kesehatan Provinsi Bali", "Dinkes Bali"),
    ("bkd-bali", "Badan Kepegawaian Daerah Provinsi Bali", "BKD Bali"),
    ("dpma-bali", "Dinas Pemajuan Masyarakat Adat Provinsi Bali", "DPMA Bali"),
]

# (username, full name, role, agency slug): one login per role.
DEMO_USERS = [
    ("admin", "Admin Platform", Role.PLATFORM_ADMIN, "diskominfos"),
    ("admin.badung", "Admin Pemkab Badung", Role.AGENCY_ADMIN, "pemkab-badung"),
    ("walidata", "Walidata Provinsi", Role.DATA_STEWARD, "diskominfos"),
    ("produsen", "Produsen Data Dinkes", Role.DATA_PRODUCER, "dinkes-bali"),
    ("pelapor.rs", "Pelapor Rumah Sakit", Role.HOSPITAL_REPORTER, "dinkes-bali"),
    ("analis", "Analis Kesehatan", Role.HEALTH_ANALYST, "dinkes-bali"),
    ("petugas.klinik", "Petugas Puskesmas", Role.CLINIC_STAFF, "pemkot-denpasar"),
    ("admin.sdm", "Admin Kepegawaian", Role.HR_ADMIN, "bkd-bali"),
    ("atasan", "Atasan Langsung", Role.SUPERVISOR, "diskominfos"),
    ("pegawai", "Pegawai Diskominfos", Role.EMPLOYEE, "diskominfos"),
    ("patengen", "Patengen Desa Adat (contoh)", Role.VILLAGE_TREASURER, "desa-adat-contoh"),
    ("bendesa", "Bendesa Desa Adat (contoh)", Role.VILLAGE_HEAD, "desa-adat-contoh"),
    ("cekfakta", "Pemeriksa Fakta", Role.FACT_CHECKER, "diskominfos"),
    ("pengembang", "Pengembang Aplikasi", Role.APP_DEVELOPER, "diskominfos"),
    ("warga", "Warga Bali", Role.CITIZEN, None),
]


def _slug_for_regency(region: Region) -> str:
    name = region.name.lower()
    kind = "pemkot" if name.startswith("kota") else "pemkab"
    base = name.replace("kabupaten ", "").replace("kota ", "").replace(" ", "-")
    return f"{kind}-{base}"


@transaction.atomic
def seed(stdout=None) -> list[tuple[str, str, str]]:
    """Load everything; returns (username, role label, agency) for the printed logins."""
    regions.regions_load()
    province = Region.objects.get(code="51")
    for slug, name, short in PROVINCIAL_AGENCIES:
        Agency.objects.get_or_create(
            slug=slug,
            defaults={
                "name": name,
                "short_name": short,
                "kind": Agency.Kind.DINAS,
                "region": province,
            },
        )
    for regency in Region.objects.filter(level=Region.Level.REGENCY):
        name = "Pemerintah " + regency.name
        Agency.objects.get_or_create(
            slug=_slug_for_regency(regency),
            defaults={
                "name": name,
                "short_name": regency.name,
                "kind": Agency.Kind.GOVERNMENT,
                "region": regency,
            },
        )
    kuta = Region.objects.filter(level=Region.Level.VILLAGE, name__iexact="Kuta").first()
    Agency.objects.get_or_create(
        slug="desa-adat-contoh",
        defaults={
            "name": "Desa Adat Kuta (contoh)",
            "short_name": "Desa Adat Kuta",
            "kind": Agency.Kind.DESA_ADAT,
            "region": kuta,
            "is_sample": True,
        },
    )
    logins = []
    for username, full_name, role, agency_slug in DEMO_USERS:
        user, created = User.objects.get_or_create(
            username=username,
            defaults={"name": full_name, "email": f"{username}@demo.onedata.local"},
        )
        if created:
            user.set_password(DEMO_PASSWORD)
            if role == Role.PLATFORM_ADMIN:
                user.is_staff = user.is_superuser = True
            user.save()
        agency = Agency.objects.get(slug=agency_slug) if agency_slug else None
        if agency is not None:
            Membership.objects.get_or_create(user=user, agency=agency, role=role)
        logins.append((username, str(role.label), agency.short_name if agency else "—"))
    return logins
