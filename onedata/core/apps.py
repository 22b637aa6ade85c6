from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "onedata.core"
    label = "core"
    verbose_name = _("Core")

    def ready(self):
        # Connects the region-tree signals that keep cached lookups fresh.
        from onedata.core import regions  # noqa: F401
