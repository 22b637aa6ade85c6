"""Offices editable by HR (location in use, shift codes), roster imports and reminders."""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("attendance", "0004_liveness_policy"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name="ReminderPreference",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                (
                    "checkin",
                    models.BooleanField(default=True, verbose_name="remind me to check in"),
                ),
                (
                    "checkout",
                    models.BooleanField(default=True, verbose_name="remind me to check out"),
                ),
                ("updated_at", models.DateTimeField(auto_now=True, verbose_name="updated at")),
            ],
            options={
                "verbose_name": "reminder preference",
                "verbose_name_plural": "reminder preferences",
            },
        ),
        migrations.CreateModel(
            name="ReminderSent",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("date", models.DateField(verbose_name="work date")),
                (
                    "kind",
                    models.CharField(
                        choices=[("in", "Check-in reminder"), ("out", "Check-out reminder")],
                        max_length=3,
                        verbose_name="kind",
                    ),
                ),
                ("sent_at", models.DateTimeField(verbose_name="sent at")),
            ],
            options={
                "verbose_name": "reminder sent",
                "verbose_name_plural": "reminders sent",
                "ordering": ["-sent_at"],
            },
        ),
        migrations.CreateModel(
            name="RosterImport",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                (
                    "file_name",
                    models.CharField(blank=True, max_length=200, verbose_name="stored file"),
                ),
                ("original_name", models.CharField(max_length=200, verbose_name="file name")),
                (
                    "mode",
                    models.CharField(
                        choices=[
                            ("all", "All or nothing: any bad row stops the whole file"),
                            ("valid", "Valid rows only: bad rows are skipped and listed"),
                        ],
                        default="all",
                        max_length=5,
                        verbose_name="mode",
                    ),
                ),
                (
                    "month",
                    models.DateField(
                        blank=True,
                        help_text="Only for a grid whose columns are day numbers (1-31).",
                        null=True,
                        verbose_name="month of a day-number grid",
                    ),
                ),
                (
                    "status",
                    models.CharField(
                        choices=[
                            ("queued", "Waiting to start"),
                            ("running", "Running"),
                            ("done", "Imported"),
                            ("failed", "Not imported"),
                        ],
                        default="queued",
                        max_length=10,
                        verbose_name="status",
                    ),
                ),
                ("total", models.PositiveIntegerField(default=0, verbose_name="entries")),
                (
                    "processed",
                    models.PositiveIntegerField(default=0, verbose_name="entries checked"),
                ),
                ("saved", models.PositiveIntegerField(default=0, verbose_name="days saved")),
                ("skipped", models.PositiveIntegerField(default=0, verbose_name="entries skipped")),
                ("errors", models.JSONField(default=list, verbose_name="errors")),
                ("message", models.CharField(blank=True, max_length=500, verbose_name="message")),
                ("created_at", models.DateTimeField(auto_now_add=True, verbose_name="created at")),
                (
                    "finished_at",
                    models.DateTimeField(blank=True, null=True, verbose_name="finished at"),
                ),
            ],
            options={
                "verbose_name": "roster import",
                "verbose_name_plural": "roster imports",
                "ordering": ["-created_at"],
            },
        ),
        migrations.AddField(
            model_name="officelocation",
            name="active",
            field=models.BooleanField(
                default=True,
                help_text=(
                    "A location no longer in use keeps its past check-ins but takes no new ones."
                ),
                verbose_name="in use",
            ),
        ),
        migrations.AddField(
            model_name="schedule",
            name="code",
            field=models.CharField(
                blank=True,
                help_text="Short code used in roster files, e.g. P, S, M.",
                max_length=10,
                verbose_name="code",
            ),
        ),
        migrations.AddConstraint(
            model_name="schedule",
            constraint=models.UniqueConstraint(
                condition=models.Q(("code", ""), _negated=True),
                fields=("code",),
                name="att_schedule_code_unique",
            ),
        ),
        migrations.AddField(
            model_name="reminderpreference",
            name="employee",
            field=models.OneToOneField(
                on_delete=django.db.models.deletion.CASCADE,
                related_name="reminder_preference",
                to="attendance.employee",
                verbose_name="employee",
            ),
        ),
        migrations.AddField(
            model_name="remindersent",
            name="employee",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.CASCADE,
                related_name="reminders",
                to="attendance.employee",
                verbose_name="employee",
            ),
        ),
        migrations.AddField(
            model_name="rosterimport",
            name="created_by",
            field=models.ForeignKey(
                null=True,
                on_delete=django.db.models.deletion.SET_NULL,
                related_name="+",
                to=settings.AUTH_USER_MODEL,
                verbose_name="uploaded by",
            ),
        ),
        migrations.AddField(
            model_name="rosterimport",
            name="office",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.CASCADE,
                related_name="roster_imports",
                to="attendance.office",
                verbose_name="office",
            ),
        ),
        migrations.AddConstraint(
            model_name="remindersent",
            constraint=models.UniqueConstraint(
                fields=("employee", "date", "kind"), name="att_reminder_once_a_day"
            ),
        ),
    ]
