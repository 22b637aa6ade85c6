"""Test data for the hospitals module."""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone

from onedata.core.models import Agency, Region
from onedata.hospitals import services
from onedata.hospitals.models import Hospital, LiquidTank


def make_hospital(
    agency: Agency | None = None,
    *,
    slug: str = "rsud-test",
    region_code: str = "51.03",
    tank_litres: float = 10_000,
    cylinder_storage_m3: float = 500,
    lat: float = -8.6,
    lon: float = 115.2,
) -> Hospital:
    if agency is None:
        agency = Agency.objects.create(
            slug=slug,
            name=slug.replace("-", " ").upper(),
            kind=Agency.Kind.HOSPITAL,
            region=Region.objects.get(code=region_code),
        )
    hospital = Hospital.objects.create(
        agency=agency,
        type=Hospital.Type.RSUD,
        latitude=lat,
        longitude=lon,
        cylinder_storage_m3=cylinder_storage_m3,
    )
    if tank_litres:
        LiquidTank.objects.create(hospital=hospital, name="Tank 1", capacity_litres=tank_litres)
    return hospital


def report_input(**overrides) -> services.ReportInput:
    fields = {
        "liquid_value": 50,
        "liquid_unit": "percent",
        "cylinders": {"large": services.CylinderCount(full=10, empty=5)},
        "patients": {"moderate": 10, "severe": 5, "critical": 2, "ventilated": 1},
        "beds": {
            "icu_vent": services.BedCount(total=10, occupied=8),
            "isolation": services.BedCount(total=20, occupied=5),
        },
    }
    fields.update(overrides)
    return services.ReportInput(**fields)


def add_report(hospital, actor="system", hours_ago: float = 0, **overrides):
    """A report straight through the service, as a platform admin would file it."""
    from onedata.core.models import User

    admin = User.objects.filter(is_superuser=True).first()
    if admin is None:
        admin = User.objects.create_superuser("hospital-admin", "ha@example.test", "x")
    overrides.setdefault("reported_at", timezone.now() - timedelta(hours=hours_ago))
    return services.report_submit(actor=admin, hospital=hospital, data=report_input(**overrides))
