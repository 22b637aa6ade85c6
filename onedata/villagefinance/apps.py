from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class VillageFinanceConfig(AppConfig):
    name = "onedata.villagefinance"
    label = "villagefinance"
    verbose_name = _("Village finance (SIKUAT)")
