"""DataStore rows move from one JSON row per record (``datahub_datarow``) to one typed
table per live generation (``datastore_<table id>_<generation>``, see typed_tables.py).

Every live table is copied over, row by row in order. A column whose stored values do not
all fit its type (a steward's declared type with cells that did not match it, kept as
text) becomes a text column, as a new load would make it."""

from django.db import migrations


def copy_rows(apps, schema_editor):
    from onedata.datahub import datastore, tabular

    DataTable = apps.get_model("datahub", "DataTable")
    DataRow = apps.get_model("datahub", "DataRow")
    for table in DataTable.objects.filter(generation__gt=0).iterator():
        names = [c["name"] for c in table.columns]
        rows = [
            [datastore.as_text(data.get(n)) for n in names]
            for data in DataRow.objects.filter(table=table, generation=table.generation)
            .order_by("rownum")
            .values_list("data", flat=True)
            .iterator(chunk_size=2000)
        ]
        columns = [dict(c) for c in table.columns]
        for index, column in enumerate(columns):
            values = tabular.Column([row[index] for row in rows])
            if tabular.first_misfit(column["type"], values) is not None:
                column["type"] = tabular.STRING
        types = [c["type"] for c in columns]
        datastore.write_generation(table.pk, table.generation, names, types, rows)
        DataTable.objects.filter(pk=table.pk).update(columns=columns, row_count=len(rows))


def drop_tables(apps, schema_editor):
    from onedata.datahub import typed_tables

    for table in apps.get_model("datahub", "DataTable").objects.all():
        typed_tables.drop_all(table.pk)


class Migration(migrations.Migration):
    dependencies = [("datahub", "0006_search_stemming")]

    operations = [
        # Going back leaves the DataStore empty: files can be loaded again.
        migrations.RunPython(copy_rows, drop_tables),
        migrations.DeleteModel(name="DataRow"),
    ]
