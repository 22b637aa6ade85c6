# Saved chart views (CKAN resource views) of DataStore tables.
import uuid

import django.db.models.deletion
import django.utils.timezone
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("datahub", "0004_datatable_heartbeat"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name="ResourceView",
            fields=[
                (
                    "id",
                    models.UUIDField(
                        default=uuid.uuid4, editable=False, primary_key=True, serialize=False
                    ),
                ),
                ("title", models.CharField(max_length=200, verbose_name="title")),
                ("description", models.TextField(blank=True, verbose_name="description")),
                (
                    "view_type",
                    models.CharField(
                        choices=[("chart", "Chart")],
                        default="chart",
                        max_length=30,
                        verbose_name="kind of view",
                    ),
                ),
                ("config", models.JSONField(blank=True, default=dict, verbose_name="settings")),
                ("position", models.PositiveIntegerField(default=0, verbose_name="position")),
                (
                    "created_at",
                    models.DateTimeField(
                        default=django.utils.timezone.now, verbose_name="created at"
                    ),
                ),
                (
                    "modified_at",
                    models.DateTimeField(
                        default=django.utils.timezone.now, verbose_name="modified at"
                    ),
                ),
                (
                    "created_by",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                        verbose_name="created by",
                    ),
                ),
                (
                    "resource",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="views",
                        to="datahub.resource",
                        verbose_name="resource",
                    ),
                ),
            ],
            options={
                "verbose_name": "resource view",
                "verbose_name_plural": "resource views",
                "ordering": ["resource", "position", "created_at"],
                "constraints": [
                    models.CheckConstraint(
                        condition=models.Q(("view_type__in", ["chart"])),
                        name="datahub_resourceview_type_valid",
                    )
                ],
            },
        ),
    ]
