from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PublishingConfig(AppConfig):
    """One Data: every module publishes open, aggregated datasets into the data hub."""

    name = "onedata.publishing"
    label = "publishing"
    verbose_name = _("One Data publishing")
