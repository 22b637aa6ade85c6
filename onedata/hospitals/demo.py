"""Demo data: Bali's main hospitals with 30 days of plausible reports during a surge.

Idempotent: hospitals are created once (by agency slug) and a hospital that already has
reports gets none added. Locations are approximate. The last reports are placed so the
dashboard shows every status (safe, watch, warning, critical) and one stale report.
The demo login ``pelapor.rs`` reports for RSUD Wangaya; ``analis`` (Dinkes Bali,
province) sees every hospital and plans allocations.

The history is written in bulk (not through ``report_submit``) for speed, with the same
unit conversions (``units.py``) the service uses.
"""

from __future__ import annotations

import math
import random
from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from onedata.core.models import Agency, Membership, Region, User
from onedata.core.roles import Role
from onedata.hospitals import forecast as fc
from onedata.hospitals import services, units
from onedata.hospitals.models import (
    CylinderType,
    Generator,
    Hospital,
    LiquidTank,
    Report,
    ReportBeds,
    ReportCylinders,
)

T = Hospital.Type
# slug, name, short name, regency code, type, lat, lon, tank litres, cylinder store m3,
# PSA m3/day, patients at the start, growth per day, target hours left at the end.
# fmt: off
HOSPITALS = [
    ("rsup-ngoerah", "RSUP Prof. dr. I.G.N.G. Ngoerah (Sanglah)", "RSUP Ngoerah", "51.71",
     T.RSUP, -8.6756, 115.2105, 20000, 600, 120, 60, 0.035, 120),
    ("rsud-wangaya", "RSUD Wangaya", "RSUD Wangaya", "51.71",
     T.RSUD, -8.6518, 115.2126, 6000, 240, 0, 25, 0.04, 40),
    ("rs-bali-mandara", "RSUD Bali Mandara", "RS Bali Mandara", "51.71",
     T.RSUD, -8.6802, 115.2617, 10000, 300, 60, 30, 0.03, 90),
    ("rsd-mangusada", "RSD Mangusada", "RSD Mangusada", "51.03",
     T.RSUD, -8.5806, 115.1729, 8000, 240, 0, 30, 0.045, 20),
    ("rsud-sanjiwani", "RSUD Sanjiwani Gianyar", "RSUD Sanjiwani", "51.04",
     T.RSUD, -8.5380, 115.3270, 6000, 180, 0, 28, 0.05, 8),
    ("rsud-tabanan", "RSUD Tabanan", "RSUD Tabanan", "51.02",
     T.RSUD, -8.5446, 115.1250, 6000, 180, 0, 20, 0.03, 30),
    ("rsud-buleleng", "RSUD Kabupaten Buleleng", "RSUD Buleleng", "51.08",
     T.RSUD, -8.1150, 115.0900, 8000, 240, 40, 22, 0.025, 110),
    ("rsud-karangasem", "RSUD Kabupaten Karangasem", "RSUD Karangasem", "51.07",
     T.RSUD, -8.4500, 115.6100, 3000, 120, 0, 15, 0.05, 10),
    ("rsud-klungkung", "RSUD Kabupaten Klungkung", "RSUD Klungkung", "51.05",
     T.RSUD, -8.5360, 115.4030, 3000, 120, 0, 14, 0.04, 18),
    ("rsud-bangli", "RSUD Kabupaten Bangli", "RSUD Bangli", "51.06",
     T.RSUD, -8.4560, 115.3550, 3000, 120, 0, 10, 0.02, 80),
    ("rsu-negara", "RSU Negara", "RSU Negara", "51.01",
     T.RSUD, -8.3580, 114.6230, 3000, 120, 0, 12, 0.03, 36),
    ("rs-bhayangkara-denpasar", "RS Bhayangkara Denpasar", "RS Bhayangkara", "51.71",
     T.MILITARY_POLICE, -8.6613, 115.2352, 0, 1200, 0, 5, 0.02, 70),
    ("rs-udayana", "RS Tk. II Udayana", "RS Udayana", "51.71",
     T.MILITARY_POLICE, -8.6667, 115.2220, 0, 1500, 0, 6, 0.02, 60),
    ("rs-bros-denpasar", "RS Bali Royal (BROS)", "BROS", "51.71",
     T.PRIVATE, -8.6730, 115.2280, 0, 1200, 0, 4, 0.02, 100),
    ("rs-siloam-bali", "Siloam Hospitals Bali", "Siloam Bali", "51.03",
     T.PRIVATE, -8.7115, 115.1830, 0, 1200, 0, 5, 0.02, 44),
    ("rsu-surya-husadha", "RSU Surya Husadha Denpasar", "Surya Husadha", "51.71",
     T.PRIVATE, -8.6550, 115.2250, 0, 900, 0, 4, 0.02, 16),
]
# fmt: on
STALE = "rsud-bangli"
DEMO_REPORTER_HOSPITAL = "rsud-wangaya"
DAYS = 30
BEDS = [  # bed type, beds per 10 patients on oxygen at the start (roughly)
    ("icu_vent", 2),
    ("icu_no_vent", 2),
    ("hcu", 2),
    ("isolation_neg", 2),
    ("isolation", 6),
    ("class_3", 8),
]
SHARE = {"moderate": 0.5, "severe": 0.3, "critical": 0.15, "ventilated": 0.05}


def _hospital(row) -> tuple[Hospital, bool]:
    slug, name, short, region_code, kind, lat, lon, tank, store, psa = row[:10]
    agency, _created = Agency.objects.get_or_create(
        slug=slug,
        defaults={
            "name": name,
            "short_name": short,
            "kind": Agency.Kind.HOSPITAL,
            "region": Region.objects.get(code=region_code),
            "is_sample": True,
        },
    )
    hospital, created = Hospital.objects.get_or_create(
        agency=agency,
        defaults={
            "type": kind,
            "latitude": lat,
            "longitude": lon,
            "cylinder_storage_m3": store,
            "phone": "",
        },
    )
    if created:
        if tank:
            LiquidTank.objects.create(hospital=hospital, name="VIE 1", capacity_litres=tank)
        if psa:
            Generator.objects.create(hospital=hospital, name="PSA 1", capacity_m3_per_day=psa)
    return hospital, created


def _history(hospital: Hospital, row, now, volumes: dict[str, CylinderType]) -> None:
    slug = row[0]
    tank, store, psa, start_patients, growth, target_hours = row[7:13]
    rng = random.Random(slug)
    rates = fc.FlowRates()
    capacity = tank * units.LITRE_LIQUID_TO_M3 + store
    steps = DAYS * 2
    last_at = now - timedelta(hours=30 if slug == STALE else rng.uniform(1, 3))
    times = [last_at - timedelta(hours=12 * (steps - 1 - k)) for k in range(steps)]
    patients = []
    for k in range(steps):
        total = start_patients * math.exp(growth * k / 2) * rng.uniform(0.95, 1.05)
        patients.append({s: max(0, round(total * share)) for s, share in SHARE.items()})
    use = [max(0.0, rates.m3_per_day(p) * rng.uniform(0.9, 1.1) - psa) / 2 for p in patients]
    final = target_hours / 24 * use[-1] * 2
    stock = [0.0] * steps
    delivered = [0.0] * steps
    level = capacity * 0.8
    for k in range(steps):
        if k > 0:
            level -= use[k]
            if level < capacity * 0.35 and k < steps - 5:
                delivered[k] = capacity * 0.85 - level
                level = capacity * 0.85
        stock[k] = max(0.0, level)
    # The last two days fall steadily to the target (a delivery just before, if needed).
    tail = steps - 5
    needed = final + sum(use[tail + 1 :])
    delivered[tail] += max(0.0, min(capacity, needed) - stock[tail])
    stock[tail] = min(capacity, needed)
    for k in range(tail + 1, steps):
        stock[k] = max(0.0, stock[k - 1] - use[k])
    reports, cylinder_rows, bed_rows = [], [], []
    large = volumes["large"]
    for k in range(steps):
        cylinders_m3 = min(stock[k], store * 0.6) if tank else stock[k]
        full = int(cylinders_m3 // large.volume_m3)
        cylinders_m3 = full * large.volume_m3
        liquid_m3 = min(stock[k] - cylinders_m3, tank * units.LITRE_LIQUID_TO_M3) if tank else 0.0
        percent = liquid_m3 / units.LITRE_LIQUID_TO_M3 / tank * 100 if tank else 0.0
        reports.append(
            Report(
                hospital=hospital,
                reported_at=times[k],
                liquid_value=round(percent, 1),
                liquid_unit=Report.LiquidUnit.PERCENT,
                delivered_liquid_litres=round(delivered[k] / units.LITRE_LIQUID_TO_M3, 1),
                patients_moderate=patients[k]["moderate"],
                patients_severe=patients[k]["severe"],
                patients_critical=patients[k]["critical"],
                patients_ventilated=patients[k]["ventilated"],
                liquid_m3=units.liquid_to_m3(round(percent, 1), "percent", tank) if tank else 0,
                cylinders_m3=cylinders_m3,
                stock_m3=(units.liquid_to_m3(round(percent, 1), "percent", tank) if tank else 0)
                + cylinders_m3,
                delivered_m3=delivered[k],
                source="demo",
            )
        )
        cylinder_rows.append((k, large, full, max(0, int(store // large.volume_m3) - full)))
        total_patients = sum(patients[k].values())
        peak = sum(patients[-1].values())
        for bed_type, per_ten in BEDS:
            beds_total = max(4, round(peak * per_ten / 10 * 1.2))
            occupied = min(beds_total, round(total_patients * per_ten / 10 * rng.uniform(0.6, 1)))
            bed_rows.append((k, bed_type, beds_total, occupied))
    Report.objects.bulk_create(reports)
    saved = list(Report.objects.filter(hospital=hospital).order_by("reported_at"))
    ReportCylinders.objects.bulk_create(
        ReportCylinders(report=saved[k], cylinder_type=t, full=f, empty=e)
        for k, t, f, e in cylinder_rows
    )
    ReportBeds.objects.bulk_create(
        ReportBeds(report=saved[k], bed_type=b, total=t, occupied=o) for k, b, t, o in bed_rows
    )


@transaction.atomic
def seed(stdout=None) -> None:
    now = timezone.now()
    volumes = {c.code: c for c in services.cylinder_types_all()}
    made = 0
    for row in HOSPITALS:
        hospital, _created = _hospital(row)
        if not Report.objects.filter(hospital=hospital).exists():
            _history(hospital, row, now, volumes)
            made += 1
    reporter = User.objects.filter(username="pelapor.rs").first()
    if reporter is not None:
        agency = Agency.objects.get(slug=DEMO_REPORTER_HOSPITAL)
        Membership.objects.get_or_create(user=reporter, agency=agency, role=Role.HOSPITAL_REPORTER)
    planned = _demo_plan()
    if stdout is not None:
        stdout.write(f"hospitals: {len(HOSPITALS)} hospitals, {made} with new report history\n")
        if planned:
            stdout.write("hospitals: a draft oxygen plan by source and day\n")


# Oxygen the province can send this week, by supplier and day (a draft plan to look at).
DEMO_LOTS = [
    ("PT Samator Gas Industri (Denpasar)", 0, 2500.0),
    ("PT Aneka Gas Industri (Gresik)", 1, 3500.0),
    ("PT Samator Gas Industri (Denpasar)", 3, 3000.0),
]


def _demo_plan() -> bool:
    """A draft plan by source and day, made by the provincial analyst, once."""
    from onedata.hospitals.models import AllocationPlan

    analyst = User.objects.filter(username="analis").first()
    if analyst is None or AllocationPlan.objects.exists():
        return False
    if not services.permissions.can_propose_allocation(analyst):
        return False
    services.allocation_propose(
        actor=analyst,
        supply_m3=None,
        horizon_days=7,
        lots=[services.LotInput(source, day, amount) for source, day, amount in DEMO_LOTS],
    )
    return True
