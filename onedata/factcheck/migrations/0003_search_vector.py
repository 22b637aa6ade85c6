"""PostgreSQL: the full-text index becomes a stored ``search_vector`` column with a GIN
index (ranking no longer parses each matching claim's text again). SQLite: the FTS5 table
and its triggers are created again, unchanged."""

from django.db import migrations


def install(apps, schema_editor):
    from onedata.factcheck import search

    search.install_index(schema_editor.connection)


class Migration(migrations.Migration):
    dependencies = [("factcheck", "0002_search_index")]

    operations = [migrations.RunPython(install, migrations.RunPython.noop)]
