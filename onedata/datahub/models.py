"""The One Data catalog: datasets, resources, themes, tags, versions, activity, DataStore."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Group(models.Model):
    """A theme (CKAN group): health, population, economy, environment…"""

    name = models.SlugField(_("name"), max_length=80, unique=True)
    title = models.CharField(_("title"), max_length=150)
    description = models.TextField(_("description"), blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("theme")
        verbose_name_plural = _("themes")
        ordering = ["title"]

    def __str__(self) -> str:
        return self.title


class Tag(models.Model):
    name = models.CharField(_("name"), max_length=100, unique=True)

    class Meta:
        verbose_name = _("tag")
        verbose_name_plural = _("tags")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Dataset(models.Model):
    """A dataset with the Satu Data Indonesia metadata."""

    class Access(models.TextChoices):
        PUBLIC = "public", _("Public")
        INTERNAL = "internal", _("Internal to government")
        RESTRICTED = "restricted", _("Restricted to named agencies")

    class State(models.TextChoices):
        DRAFT = "draft", _("Draft")
        REVIEW = "review", _("Waiting for review")
        PUBLISHED = "published", _("Published")
        DELETED = "deleted", _("Deleted")

    class Frequency(models.TextChoices):
        HOURLY = "hourly", _("Hourly")
        DAILY = "daily", _("Daily")
        WEEKLY = "weekly", _("Weekly")
        MONTHLY = "monthly", _("Monthly")
        QUARTERLY = "quarterly", _("Quarterly")
        YEARLY = "yearly", _("Yearly")
        IRREGULAR = "irregular", _("Irregular")

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    name = models.SlugField(_("name (in the address)"), max_length=100, unique=True)
    title = models.CharField(_("title"), max_length=250)
    notes = models.TextField(_("description"), blank=True)
    organization = models.ForeignKey(
        "core.Agency",
        verbose_name=_("organisation (data producer)"),
        on_delete=models.PROTECT,
        related_name="datasets",
    )
    steward_agency = models.ForeignKey(
        "core.Agency",
        verbose_name=_("data steward agency"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="stewarded_datasets",
    )
    tags = models.ManyToManyField(Tag, verbose_name=_("tags"), blank=True, related_name="datasets")
    groups = models.ManyToManyField(
        Group, verbose_name=_("themes"), blank=True, related_name="datasets"
    )
    license_id = models.CharField(_("licence"), max_length=40, default="cc-by-4.0")
    access_level = models.CharField(
        _("access level"), max_length=12, choices=Access.choices, default=Access.PUBLIC
    )
    allowed_agencies = models.ManyToManyField(
        "core.Agency",
        verbose_name=_("agencies allowed (restricted)"),
        blank=True,
        related_name="+",
    )
    update_frequency = models.CharField(
        _("update frequency"), max_length=12, choices=Frequency.choices, default=Frequency.YEARLY
    )
    temporal_start = models.DateField(_("period from"), null=True, blank=True)
    temporal_end = models.DateField(_("period to"), null=True, blank=True)
    spatial_region = models.ForeignKey(
        "core.Region",
        verbose_name=_("area covered"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    contact_name = models.CharField(_("contact name"), max_length=150, blank=True)
    contact_email = models.EmailField(_("contact email"), blank=True)
    # Satu Data Indonesia: data standard and reference code.
    concept = models.TextField(_("concept"), blank=True)
    definition = models.TextField(_("definition"), blank=True)
    classification = models.CharField(_("classification"), max_length=200, blank=True)
    unit = models.CharField(_("unit of measure"), max_length=100, blank=True)
    is_priority = models.BooleanField(_("priority data"), default=False)
    reference_code = models.CharField(_("reference code"), max_length=60, blank=True)

    state = models.CharField(_("state"), max_length=12, choices=State.choices, default=State.DRAFT)
    review_comment = models.TextField(_("review comment"), blank=True)
    require_valid = models.BooleanField(
        _("require a valid report before publishing"), default=False
    )
    version = models.PositiveIntegerField(_("published version"), default=0)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    modified_at = models.DateTimeField(_("metadata modified"), default=timezone.now, db_index=True)
    published_at = models.DateTimeField(_("first published"), null=True, blank=True)

    class Meta:
        verbose_name = _("dataset")
        verbose_name_plural = _("datasets")
        ordering = ["title"]
        constraints = [
            models.CheckConstraint(
                condition=Q(access_level__in=["public", "internal", "restricted"]),
                name="datahub_dataset_access_valid",
            ),
            models.CheckConstraint(
                condition=Q(state__in=["draft", "review", "published", "deleted"]),
                name="datahub_dataset_state_valid",
            ),
            models.CheckConstraint(
                condition=Q(temporal_start__isnull=True)
                | Q(temporal_end__isnull=True)
                | Q(temporal_start__lte=models.F("temporal_end")),
                name="datahub_dataset_period_ordered",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def is_public(self) -> bool:
        return self.state == self.State.PUBLISHED and self.access_level == self.Access.PUBLIC


class Resource(models.Model):
    """A file or a link of a dataset."""

    class Kind(models.TextChoices):
        FILE = "file", _("Uploaded file")
        LINK = "link", _("Link")

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    dataset = models.ForeignKey(
        Dataset, verbose_name=_("dataset"), on_delete=models.CASCADE, related_name="resources"
    )
    name = models.CharField(_("name"), max_length=250)
    description = models.TextField(_("description"), blank=True)
    kind = models.CharField(_("kind"), max_length=8, choices=Kind.choices, default=Kind.FILE)
    url = models.URLField(_("link"), max_length=1000, blank=True)
    file = models.FileField(_("file"), upload_to="datahub/", max_length=200, blank=True)
    original_name = models.CharField(_("original file name"), max_length=150, blank=True)
    format = models.CharField(_("format"), max_length=20, blank=True)
    mimetype = models.CharField(_("media type"), max_length=100, blank=True)
    size = models.BigIntegerField(_("size in bytes"), null=True, blank=True)
    sha256 = models.CharField(_("SHA-256"), max_length=64, blank=True)
    position = models.PositiveIntegerField(_("position"), default=0)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    modified_at = models.DateTimeField(_("modified at"), default=timezone.now)

    class Meta:
        verbose_name = _("resource")
        verbose_name_plural = _("resources")
        ordering = ["dataset", "position", "created_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(kind__in=["file", "link"]), name="datahub_resource_kind_valid"
            )
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def is_tabular(self) -> bool:
        return self.format.upper() in ("CSV", "XLSX")


class DatasetVersion(models.Model):
    """A published state of a dataset: its metadata and the files of its resources."""

    dataset = models.ForeignKey(
        Dataset, verbose_name=_("dataset"), on_delete=models.CASCADE, related_name="versions"
    )
    number = models.PositiveIntegerField(_("version"))
    metadata = models.JSONField(_("metadata"))
    resources = models.JSONField(_("resources"), default=list)
    note = models.TextField(_("note"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("approved by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("published at"), default=timezone.now)

    class Meta:
        verbose_name = _("dataset version")
        verbose_name_plural = _("dataset versions")
        ordering = ["dataset", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["dataset", "number"], name="datahub_version_unique")
        ]

    def __str__(self) -> str:
        return f"{self.dataset} v{self.number}"


class Activity(models.Model):
    """One line of a dataset's (and its organisation's) activity stream."""

    dataset = models.ForeignKey(
        Dataset,
        verbose_name=_("dataset"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="activities",
    )
    organization = models.ForeignKey(
        "core.Agency",
        verbose_name=_("organisation"),
        on_delete=models.CASCADE,
        related_name="datahub_activities",
    )
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("actor"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    verb = models.CharField(_("what happened"), max_length=40)
    detail = models.JSONField(_("detail"), default=dict, blank=True)
    created_at = models.DateTimeField(_("time"), default=timezone.now, db_index=True)

    class Meta:
        verbose_name = _("activity")
        verbose_name_plural = _("activities")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.verb} {self.dataset_id}"


class DataTable(models.Model):
    """The DataStore table of a tabular resource: its columns and load state.

    Rows live in one typed table per generation (``typed_tables``: ``datastore_<id>_<n>``,
    column ``c<i>`` is the i-th of ``columns``); a new load writes the next generation
    and switches only when it is complete, so a failed load leaves the previous table in
    place.
    """

    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting")
        LOADING = "loading", _("Loading")
        READY = "ready", _("Ready")
        FAILED = "failed", _("Failed")

    resource = models.OneToOneField(
        Resource, verbose_name=_("resource"), on_delete=models.CASCADE, related_name="datatable"
    )
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.PENDING
    )
    progress = models.PositiveSmallIntegerField(_("progress (%)"), default=0)
    generation = models.PositiveIntegerField(_("live generation"), default=0)
    row_count = models.PositiveIntegerField(_("rows"), default=0)
    columns = models.JSONField(_("columns"), default=list)
    schema = models.JSONField(_("table schema given by the steward"), null=True, blank=True)
    report = models.JSONField(_("validation report"), null=True, blank=True)
    error = models.TextField(_("error"), blank=True)
    loaded_at = models.DateTimeField(_("loaded at"), null=True, blank=True)
    # Last sign of life of a load (queued, started, progress): a load whose worker died
    # stops beating and is queued again (services.datastore_loads_resume).
    heartbeat_at = models.DateTimeField(_("last sign of the load"), null=True, blank=True)

    class Meta:
        verbose_name = _("DataStore table")
        verbose_name_plural = _("DataStore tables")
        constraints = [
            models.CheckConstraint(
                condition=Q(progress__lte=100), name="datahub_datatable_progress_max"
            )
        ]

    def __str__(self) -> str:
        return f"DataStore {self.resource_id}"

    @property
    def is_valid(self) -> bool | None:
        return None if self.report is None else bool(self.report.get("valid"))


class SearchEntry(models.Model):
    """A dataset's catalog search document, as one audience sees it.

    ``published``: the last approved version (what everyone outside its editors sees);
    ``live``: the dataset as it is now (its producers and stewards). Full text is indexed
    by the engine (``search_index.py``: SQLite FTS5, PostgreSQL GIN on a tsvector), the
    words as written and their Indonesian/English stems;
    facets come from ``SearchFacet`` rows of the same document, so a draft's tags never
    show in the public's facet counts.
    """

    class Kind(models.TextChoices):
        PUBLISHED = "published", _("Published version")
        LIVE = "live", _("Current draft")

    dataset = models.ForeignKey(
        Dataset, verbose_name=_("dataset"), on_delete=models.CASCADE, related_name="search_entries"
    )
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    name = models.CharField(_("name"), max_length=100)
    title = models.CharField(_("title"), max_length=250)
    text = models.TextField(_("search text"), blank=True)
    # The stem of every word of ``text`` (stemming.py), indexed beside it.
    stems = models.TextField(_("search stems"), blank=True, default="")
    created_at = models.DateTimeField(_("metadata created"))
    modified_at = models.DateTimeField(_("metadata modified"))

    class Meta:
        verbose_name = _("search entry")
        verbose_name_plural = _("search entries")
        ordering = ["dataset", "kind"]
        constraints = [
            models.UniqueConstraint(fields=["dataset", "kind"], name="datahub_searchentry_unique"),
            models.CheckConstraint(
                condition=Q(kind__in=["published", "live"]), name="datahub_searchentry_kind_valid"
            ),
        ]
        indexes = [models.Index(fields=["kind", "modified_at"])]

    def __str__(self) -> str:
        return f"{self.name} ({self.kind})"


class SearchFacet(models.Model):
    """One facet value of a search document: organisation, theme, tag, format, licence,
    region."""

    entry = models.ForeignKey(
        SearchEntry, verbose_name=_("search entry"), on_delete=models.CASCADE, related_name="facets"
    )
    field = models.CharField(_("facet"), max_length=20)
    value = models.CharField(_("value"), max_length=250)

    class Meta:
        verbose_name = _("search facet value")
        verbose_name_plural = _("search facet values")
        ordering = ["entry", "field", "value"]
        constraints = [
            models.UniqueConstraint(
                fields=["entry", "field", "value"], name="datahub_searchfacet_unique"
            )
        ]
        indexes = [models.Index(fields=["field", "value"])]

    def __str__(self) -> str:
        return f"{self.field}={self.value}"


class ResourceView(models.Model):
    """A saved chart of a resource's DataStore table (CKAN's resource view), shown on the
    dataset page to everyone who may see the resource.

    ``config`` holds the chart: ``chart_type`` (bar, line, pie, map), ``x``, ``y``,
    ``aggregate`` and ``filters`` (column: list of values), as the CKAN API returns them.
    """

    class ViewType(models.TextChoices):
        CHART = "chart", _("Chart")

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    resource = models.ForeignKey(
        Resource, verbose_name=_("resource"), on_delete=models.CASCADE, related_name="views"
    )
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    view_type = models.CharField(
        _("kind of view"), max_length=30, choices=ViewType.choices, default=ViewType.CHART
    )
    config = models.JSONField(_("settings"), default=dict, blank=True)
    position = models.PositiveIntegerField(_("position"), default=0)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    modified_at = models.DateTimeField(_("modified at"), default=timezone.now)

    class Meta:
        verbose_name = _("resource view")
        verbose_name_plural = _("resource views")
        ordering = ["resource", "position", "created_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(view_type__in=["chart"]), name="datahub_resourceview_type_valid"
            )
        ]

    def __str__(self) -> str:
        return self.title
