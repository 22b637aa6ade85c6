"""Search documents get the stems of their words (Indonesian and English), indexed beside
the words: the full-text index is rebuilt over both and every document is re-indexed."""

from django.db import migrations, models


def drop_index(apps, schema_editor):
    from onedata.datahub import search_index

    search_index.drop_index(schema_editor.connection)


def install_index(apps, schema_editor):
    # Over text and stems when the column is there, over text alone after a reversal.
    from onedata.datahub import search_index

    search_index.install_index(schema_editor.connection)


def reindex(apps, schema_editor):
    Dataset = apps.get_model("datahub", "Dataset")
    if not Dataset.objects.exists():
        return
    from onedata.datahub import search_index

    search_index.rebuild()


class Migration(migrations.Migration):
    dependencies = [("datahub", "0005_saved_chart_views")]

    operations = [
        # Adding a column rebuilds the SQLite table, which would drop the FTS triggers.
        migrations.RunPython(drop_index, install_index),
        migrations.AddField(
            model_name="searchentry",
            name="stems",
            field=models.TextField(blank=True, default="", verbose_name="search stems"),
        ),
        migrations.RunPython(install_index, drop_index),
        migrations.RunPython(reindex, migrations.RunPython.noop),
    ]
