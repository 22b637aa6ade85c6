from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("attendance", "0003_allowance_adjustments")]

    operations = [
        migrations.AddField(
            model_name="office",
            name="liveness_policy",
            field=models.CharField(
                choices=[("off", "Off"), ("required", "Required (blink)")],
                default="off",
                help_text=(
                    "Required: the check-in page films a short burst in which the employee "
                    "blinks, so a printed photo is refused."
                ),
                max_length=10,
                verbose_name="liveness check",
            ),
        ),
    ]
