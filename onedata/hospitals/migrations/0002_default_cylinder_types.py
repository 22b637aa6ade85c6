"""The Indonesian cylinder sizes every hospital starts with: small 1, medium 2, large 6 m3."""

from django.db import migrations

DEFAULTS = [("small", "Small", 1.0), ("medium", "Medium", 2.0), ("large", "Large", 6.0)]


def add_defaults(apps, schema_editor):
    CylinderType = apps.get_model("hospitals", "CylinderType")
    for code, name, volume in DEFAULTS:
        CylinderType.objects.get_or_create(code=code, defaults={"name": name, "volume_m3": volume})


class Migration(migrations.Migration):
    dependencies = [("hospitals", "0001_initial")]

    operations = [migrations.RunPython(add_defaults, migrations.RunPython.noop)]
