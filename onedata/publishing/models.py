"""The refresh state of each publication: which hub dataset it feeds, when it last ran,
and what went wrong if the last run broke (the lineage shown on the dataset page)."""

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from onedata.datahub.models import Dataset, Resource


class PublicationStatus(models.Model):
    """One declared publication (registry.Publication) in this installation."""

    name = models.SlugField(_("name"), max_length=100, unique=True)
    module = models.CharField(_("module"), max_length=40)
    query = models.CharField(_("query"), max_length=300)
    frequency = models.CharField(_("update frequency"), max_length=12)
    dataset = models.OneToOneField(
        Dataset,
        verbose_name=_("dataset"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="publication",
    )
    resource = models.ForeignKey(
        Resource,
        verbose_name=_("resource"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    last_attempt_at = models.DateTimeField(_("last attempt"), null=True, blank=True)
    last_success_at = models.DateTimeField(_("last refreshed"), null=True, blank=True)
    last_rows = models.PositiveIntegerField(_("rows in the last version"), default=0)
    last_version = models.PositiveIntegerField(_("last version"), default=0)
    last_error = models.TextField(_("last error"), blank=True)
    last_error_at = models.DateTimeField(_("last error at"), null=True, blank=True)
    failures = models.PositiveIntegerField(_("failures in a row"), default=0)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)

    class Meta:
        verbose_name = _("publication")
        verbose_name_plural = _("publications")
        ordering = ["module", "name"]

    def __str__(self) -> str:
        return f"{self.module}: {self.name}"

    @property
    def is_broken(self) -> bool:
        return self.failures > 0
