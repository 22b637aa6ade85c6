"""The claims' full-text index: SQLite FTS5 kept by triggers, or a PostgreSQL GIN index on
``to_tsvector('indonesian', search_text)`` ('simple' where that configuration is missing)."""

from django.db import migrations


def create_index(apps, schema_editor):
    from onedata.factcheck import search

    search.install_index(schema_editor.connection)


def drop_index(apps, schema_editor):
    from onedata.factcheck import search

    search.drop_index(schema_editor.connection)


class Migration(migrations.Migration):
    dependencies = [("factcheck", "0001_initial")]

    operations = [migrations.RunPython(create_index, drop_index)]
