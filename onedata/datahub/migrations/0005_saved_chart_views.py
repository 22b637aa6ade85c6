# Placeholder, filled in by the work it is named after.
from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("datahub", "0004_datatable_heartbeat")]

    operations = []
