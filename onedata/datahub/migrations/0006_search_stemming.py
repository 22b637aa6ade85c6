# Placeholder, filled in by the work it is named after.
from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("datahub", "0005_saved_chart_views")]

    operations = []
