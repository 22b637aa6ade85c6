"""Receipt hash bands (multi-index hashing for the near-duplicate search) and the
registry's deactivation flag of a desa adat."""

from django.db import migrations, models

from onedata.villagefinance import imagehash


def fill_bands(apps, schema_editor):
    """Cut the hashes of receipts stored before the bands existed."""
    receipt_model = apps.get_model("villagefinance", "Receipt")
    batch = []
    for receipt in receipt_model.objects.exclude(phash="").iterator(chunk_size=2000):
        for name, value in imagehash.band_values(receipt.phash).items():
            setattr(receipt, name, value)
        batch.append(receipt)
        if len(batch) >= 2000:
            receipt_model.objects.bulk_update(batch, list(imagehash.BAND_FIELDS))
            batch = []
    if batch:
        receipt_model.objects.bulk_update(batch, list(imagehash.BAND_FIELDS))


class Migration(migrations.Migration):
    dependencies = [("villagefinance", "0004_tax_book_statement_lines")]

    operations = [
        migrations.AddField(
            model_name="desaadat",
            name="is_active",
            field=models.BooleanField(
                default=True,
                help_text="A deactivated village keeps its books but is no longer listed.",
                verbose_name="active",
            ),
        ),
        migrations.AddField(
            model_name="receipt",
            name="phash_b0",
            field=models.IntegerField(
                blank=True, editable=False, null=True, verbose_name="hash band 0"
            ),
        ),
        migrations.AddField(
            model_name="receipt",
            name="phash_b1",
            field=models.IntegerField(
                blank=True, editable=False, null=True, verbose_name="hash band 1"
            ),
        ),
        migrations.AddField(
            model_name="receipt",
            name="phash_b2",
            field=models.IntegerField(
                blank=True, editable=False, null=True, verbose_name="hash band 2"
            ),
        ),
        migrations.AddField(
            model_name="receipt",
            name="phash_b3",
            field=models.IntegerField(
                blank=True, editable=False, null=True, verbose_name="hash band 3"
            ),
        ),
        migrations.AddField(
            model_name="receipt",
            name="phash_b4",
            field=models.IntegerField(
                blank=True, editable=False, null=True, verbose_name="hash band 4"
            ),
        ),
        migrations.AddField(
            model_name="receipt",
            name="phash_b5",
            field=models.IntegerField(
                blank=True, editable=False, null=True, verbose_name="hash band 5"
            ),
        ),
        migrations.AddField(
            model_name="receipt",
            name="phash_b6",
            field=models.IntegerField(
                blank=True, editable=False, null=True, verbose_name="hash band 6"
            ),
        ),
        migrations.AddField(
            model_name="receipt",
            name="phash_b7",
            field=models.IntegerField(
                blank=True, editable=False, null=True, verbose_name="hash band 7"
            ),
        ),
        migrations.AddField(
            model_name="receipt",
            name="phash_b8",
            field=models.IntegerField(
                blank=True, editable=False, null=True, verbose_name="hash band 8"
            ),
        ),
        migrations.AddField(
            model_name="receipt",
            name="phash_b9",
            field=models.IntegerField(
                blank=True, editable=False, null=True, verbose_name="hash band 9"
            ),
        ),
        migrations.AddField(
            model_name="receipt",
            name="phash_b10",
            field=models.IntegerField(
                blank=True, editable=False, null=True, verbose_name="hash band 10"
            ),
        ),
        migrations.AddIndex(
            model_name="receipt",
            index=models.Index(fields=["phash_b0", "desa_adat"], name="vf_receipt_band_0"),
        ),
        migrations.AddIndex(
            model_name="receipt",
            index=models.Index(fields=["phash_b1", "desa_adat"], name="vf_receipt_band_1"),
        ),
        migrations.AddIndex(
            model_name="receipt",
            index=models.Index(fields=["phash_b2", "desa_adat"], name="vf_receipt_band_2"),
        ),
        migrations.AddIndex(
            model_name="receipt",
            index=models.Index(fields=["phash_b3", "desa_adat"], name="vf_receipt_band_3"),
        ),
        migrations.AddIndex(
            model_name="receipt",
            index=models.Index(fields=["phash_b4", "desa_adat"], name="vf_receipt_band_4"),
        ),
        migrations.AddIndex(
            model_name="receipt",
            index=models.Index(fields=["phash_b5", "desa_adat"], name="vf_receipt_band_5"),
        ),
        migrations.AddIndex(
            model_name="receipt",
            index=models.Index(fields=["phash_b6", "desa_adat"], name="vf_receipt_band_6"),
        ),
        migrations.AddIndex(
            model_name="receipt",
            index=models.Index(fields=["phash_b7", "desa_adat"], name="vf_receipt_band_7"),
        ),
        migrations.AddIndex(
            model_name="receipt",
            index=models.Index(fields=["phash_b8", "desa_adat"], name="vf_receipt_band_8"),
        ),
        migrations.AddIndex(
            model_name="receipt",
            index=models.Index(fields=["phash_b9", "desa_adat"], name="vf_receipt_band_9"),
        ),
        migrations.AddIndex(
            model_name="receipt",
            index=models.Index(fields=["phash_b10", "desa_adat"], name="vf_receipt_band_10"),
        ),
        migrations.RunPython(fill_bands, migrations.RunPython.noop),
    ]
