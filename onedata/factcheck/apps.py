from django.apps import AppConfig
from django.db.models.signals import post_delete, post_save
from django.utils.translation import gettext_lazy as _


def _claim_saved(sender, instance, created, update_fields=None, **kwargs):
    """A new claim or new search terms change the search vocabulary of this process."""
    if created or update_fields is None or "search_text" in update_fields:
        from onedata.factcheck import search

        search.forget_vocabulary()


def _claim_deleted(sender, instance, **kwargs):
    from onedata.factcheck import search

    search.forget_vocabulary()


class FactcheckConfig(AppConfig):
    name = "onedata.factcheck"
    label = "factcheck"
    verbose_name = _("Fact check")

    def ready(self):
        from onedata.factcheck.models import Claim

        post_save.connect(_claim_saved, sender=Claim, dispatch_uid="factcheck_claim_saved")
        post_delete.connect(_claim_deleted, sender=Claim, dispatch_uid="factcheck_claim_deleted")
