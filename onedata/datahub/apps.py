from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DatahubConfig(AppConfig):
    name = "onedata.datahub"
    label = "datahub"
    verbose_name = _("Data hub")

    def ready(self) -> None:
        from django.db.models.signals import post_delete

        from onedata.datahub import datastore
        from onedata.datahub.models import DataTable

        post_delete.connect(datastore.drop_tables, sender=DataTable, dispatch_uid="datastore")
