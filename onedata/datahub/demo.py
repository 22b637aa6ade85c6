"""Demo data of the data hub: themes and a few real-shaped, published datasets with
DataStore tables. Idempotent: a dataset that exists is left as it is."""

from __future__ import annotations

from onedata.core.models import Agency, Region, User
from onedata.datahub import resource_views, services
from onedata.datahub.models import Dataset, Group, ResourceView

THEMES = [
    ("kesehatan", "Kesehatan", "Fasilitas, tenaga dan layanan kesehatan"),
    ("kependudukan", "Kependudukan", "Jumlah dan sebaran penduduk"),
    ("ekonomi", "Ekonomi", "Pariwisata, perdagangan dan usaha"),
    ("lingkungan", "Lingkungan", "Sampah, air dan udara"),
]

# Population by regency (BPS-shaped figures, rounded; demo only).
POPULATION = [
    ("51.01", "Jembrana", 317064, 841.80),
    ("51.02", "Tabanan", 461630, 839.33),
    ("51.03", "Badung", 548191, 418.52),
    ("51.04", "Gianyar", 515344, 368.00),
    ("51.05", "Klungkung", 206925, 315.00),
    ("51.06", "Bangli", 258721, 520.81),
    ("51.07", "Karangasem", 492402, 839.54),
    ("51.08", "Buleleng", 791813, 1365.88),
    ("51.71", "Kota Denpasar", 726800, 127.78),
]
ARRIVALS = [
    ("2024-01", 420037),
    ("2024-02", 425474),
    ("2024-03", 470130),
    ("2024-04", 503194),
    ("2024-05", 510546),
    ("2024-06", 520559),
    ("2024-07", 625665),
    ("2024-08", 616641),
    ("2024-09", 566416),
    ("2024-10", 548362),
    ("2024-11", 512401),
    ("2024-12", 613591),
]


def _csv_population() -> str:
    lines = ["kode_wilayah,kabupaten_kota,tahun,jumlah_penduduk,luas_km2"]
    lines += [f"{c},{n},2024,{p},{a:.2f}" for c, n, p, a in POPULATION]
    return "\n".join(lines) + "\n"


def _csv_puskesmas() -> str:
    lines = ["kode_wilayah;kabupaten_kota;jumlah_puskesmas;rawat_inap"]
    counts = [(c, n, 4 + i % 5 * 3, 1 + i % 4) for i, (c, n, _p, _a) in enumerate(POPULATION)]
    lines += [f"{c};{n};{p};{r}" for c, n, p, r in counts]
    return "\n".join(lines) + "\n"


def _csv_arrivals() -> str:
    lines = ["bulan,wisatawan_mancanegara"] + [f"{m},{n}" for m, n in ARRIVALS]
    return "\n".join(lines) + "\n"


DATASETS = [
    (
        "jumlah-penduduk-kabupaten-kota-2024",
        "Jumlah penduduk per kabupaten/kota 2024",
        "Jumlah penduduk dan luas wilayah tiap kabupaten/kota di Provinsi Bali.",
        "diskominfos",
        ["kependudukan"],
        ["penduduk", "demografi"],
        _csv_population,
        "penduduk.csv",
        {"unit": "jiwa", "concept": "Penduduk", "is_priority": True, "reference_code": "SD-001"},
    ),
    (
        "puskesmas-per-kabupaten-kota",
        "Jumlah puskesmas per kabupaten/kota",
        "Puskesmas dan puskesmas rawat inap di tiap kabupaten/kota.",
        "dinkes-bali",
        ["kesehatan"],
        ["puskesmas", "fasilitas kesehatan"],
        _csv_puskesmas,
        "puskesmas.csv",
        {"unit": "unit"},
    ),
    (
        "kunjungan-wisatawan-mancanegara-2024",
        "Kunjungan wisatawan mancanegara per bulan 2024",
        "Jumlah kunjungan wisatawan mancanegara ke Bali tiap bulan.",
        "diskominfos",
        ["ekonomi"],
        ["pariwisata", "wisatawan"],
        _csv_arrivals,
        "wisatawan.csv",
        {"unit": "kunjungan", "update_frequency": "monthly"},
    ),
]


# Saved charts on the demo datasets: (dataset, title, description, chart settings).
CHARTS = [
    (
        "jumlah-penduduk-kabupaten-kota-2024",
        "Peta jumlah penduduk",
        "Jumlah penduduk tiap kabupaten/kota, makin gelap makin banyak.",
        {"chart_type": "map", "x": "kode_wilayah", "y": "jumlah_penduduk", "aggregate": "sum"},
    ),
    (
        "jumlah-penduduk-kabupaten-kota-2024",
        "Sebaran penduduk Bali",
        "Bagian tiap kabupaten/kota dari seluruh penduduk provinsi.",
        {"chart_type": "pie", "x": "kabupaten_kota", "y": "jumlah_penduduk", "aggregate": "sum"},
    ),
    (
        "puskesmas-per-kabupaten-kota",
        "Peta jumlah puskesmas",
        "",
        {"chart_type": "map", "x": "kode_wilayah", "y": "jumlah_puskesmas", "aggregate": "sum"},
    ),
    (
        "puskesmas-per-kabupaten-kota",
        "Puskesmas rawat inap",
        "",
        {"chart_type": "pie", "x": "kabupaten_kota", "y": "rawat_inap", "aggregate": "sum"},
    ),
    (
        "kunjungan-wisatawan-mancanegara-2024",
        "Kunjungan wisatawan mancanegara per bulan",
        "",
        {"chart_type": "line", "x": "bulan", "y": "wisatawan_mancanegara", "aggregate": "none"},
    ),
]


def seed_charts(steward, stdout=None) -> None:
    """Save the demo charts that are not there yet (by title)."""
    for name, title, description, settings in CHARTS:
        dataset = Dataset.objects.filter(name=name).first()
        resource = dataset.resources.first() if dataset else None
        if resource is None or ResourceView.objects.filter(resource=resource, title=title).exists():
            continue
        resource_views.resource_view_create(
            actor=steward,
            resource=resource,
            title=title,
            description=description,
            settings=settings,
        )
        if stdout is not None:
            stdout.write(f"  data hub chart: {title}\n")


def seed(stdout=None) -> None:
    for name, title, description in THEMES:
        Group.objects.get_or_create(
            name=name, defaults={"title": title, "description": description}
        )
    producer = User.objects.filter(username="produsen").first()
    steward = User.objects.filter(username="walidata").first()
    admin = User.objects.filter(username="admin").first()
    if steward is None or admin is None:
        return
    province = Region.objects.filter(code="51").first()
    for name, title, notes, agency_slug, groups, tags, make_csv, filename, extra in DATASETS:
        if Dataset.objects.filter(name=name).exists():
            continue
        agency = Agency.objects.filter(slug=agency_slug).first()
        if agency is None:
            continue
        author = producer if producer and agency_slug == "dinkes-bali" else admin
        dataset = services.dataset_create(
            actor=author,
            organization=agency,
            name=name,
            title=title,
            notes=notes,
            groups=groups,
            tags=tags,
            spatial_region=province,
            contact_name="Walidata Provinsi Bali",
            contact_email="walidata@demo.onedata.local",
            temporal_start="2024-01-01",
            temporal_end="2024-12-31",
            **extra,
        )
        resource = services.resource_create(
            actor=author, dataset=dataset, upload=make_csv().encode(), upload_name=filename
        )
        services.datastore_load(table_id=resource.datatable.pk)
        services.dataset_submit(actor=author, dataset=dataset)
        services.dataset_approve(actor=steward, dataset=dataset, note="Data demo")
        if stdout is not None:
            stdout.write(f"  data hub: {title}\n")
    seed_charts(steward, stdout)
