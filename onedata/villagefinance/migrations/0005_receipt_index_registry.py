# Placeholder, filled in by the work it is named after.
from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("villagefinance", "0004_tax_book_statement_lines")]

    operations = []
