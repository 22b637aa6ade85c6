# Placeholder, filled in by the work it is named after.
from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("attendance", "0003_allowance_adjustments")]

    operations = []
