# Placeholder, filled in by the work it is named after.
from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("attendance", "0004_liveness_policy")]

    operations = []
