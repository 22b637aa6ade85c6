"""Use cases of the data hub. Every write: keyword-only, one transaction, an audit event,
an activity line; notifications only once the transaction commits."""

from __future__ import annotations

import logging
import re
import shutil
import tempfile
from datetime import timedelta
from pathlib import Path

from django.core.files import File
from django.core.files.storage import default_storage
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from onedata.core import audit, scope
from onedata.core.errors import Conflict, NotAuthorized, NotFound, ValidationError
from onedata.core.models import Agency, Membership, Region
from onedata.core.roles import Role
from onedata.core.uploads import DATASET_FILE, check_upload, original_display_name
from onedata.datahub import datastore, permissions, search_index, selectors, tabular
from onedata.datahub.models import (
    Activity,
    Dataset,
    DatasetVersion,
    DataTable,
    Group,
    Resource,
    Tag,
)

logger = logging.getLogger("onedata.datahub")

NAME_PATTERN = re.compile(r"^[a-z0-9][a-z0-9_-]{1,99}$")
METADATA_FIELDS = [
    "title",
    "notes",
    "license_id",
    "access_level",
    "update_frequency",
    "temporal_start",
    "temporal_end",
    "spatial_region",
    "contact_name",
    "contact_email",
    "concept",
    "definition",
    "classification",
    "unit",
    "is_priority",
    "reference_code",
    "steward_agency",
    "require_valid",
]
TEXT_LIMITS = {
    "title": 250,
    "contact_name": 150,
    "classification": 200,
    "unit": 100,
    "reference_code": 60,
}


def _activity(*, actor, dataset: Dataset, verb: str, **detail) -> Activity:
    return Activity.objects.create(
        dataset=dataset,
        organization_id=dataset.organization_id,
        actor=actor if getattr(actor, "is_authenticated", False) else None,
        verb=verb,
        detail=detail,
    )


def _notify_on_commit(*, to: list[str], subject: str, text: str) -> None:
    to = [t for t in to if t]
    if not to:
        return

    def send():
        from onedata.notifications import services as notify

        for username in to:  # an in-app message goes to one user
            try:
                notify.send(
                    module="datahub", to=[username], subject=subject, text=text, channel="inapp"
                )
            except Exception:  # a notification must never undo the workflow step
                logger.exception("datahub notification failed")

    transaction.on_commit(send)


def _stewards_for(dataset: Dataset) -> list[str]:
    code = dataset.organization.region.code
    names = []
    for membership in Membership.objects.filter(role=Role.DATA_STEWARD).select_related(
        "user", "agency__region"
    ):
        if scope.code_covers(membership.agency.region.code, code):
            names.append(membership.user.username)
    return sorted(set(names))


# --- metadata -----------------------------------------------------------------------------


def _clean_metadata(fields: dict) -> dict:
    errors: dict[str, list[str]] = {}
    cleaned = {}
    for name, value in fields.items():
        if name not in METADATA_FIELDS and name not in ("tags", "groups", "allowed_agencies"):
            continue
        if isinstance(value, str):
            value = value.strip()
        limit = TEXT_LIMITS.get(name)
        if limit and value and len(value) > limit:
            errors.setdefault(name, []).append(_("At most %(n)d characters.") % {"n": limit})
        cleaned[name] = value
    if "title" in cleaned and not cleaned["title"]:
        errors.setdefault("title", []).append(_("Give the dataset a title."))
    if "license_id" in cleaned and cleaned["license_id"] not in selectors.LICENSE_TITLES:
        errors.setdefault("license_id", []).append(_("Choose a licence from the list."))
    if "access_level" in cleaned and cleaned["access_level"] not in Dataset.Access.values:
        errors.setdefault("access_level", []).append(_("Choose public, internal or restricted."))
    if "update_frequency" in cleaned and cleaned["update_frequency"] not in (
        Dataset.Frequency.values
    ):
        errors.setdefault("update_frequency", []).append(_("Choose a frequency from the list."))
    email = cleaned.get("contact_email")
    if email and not re.fullmatch(r"[^@\s]+@[^@\s]+\.[^@\s]+", email):
        errors.setdefault("contact_email", []).append(_("Not a valid email address."))
    for name in ("temporal_start", "temporal_end"):
        value = cleaned.get(name)
        if isinstance(value, str):
            if not value:
                cleaned[name] = None
            else:
                from datetime import date

                try:
                    cleaned[name] = date.fromisoformat(value[:10])
                except ValueError:
                    errors.setdefault(name, []).append(_("Write the date as YYYY-MM-DD."))
    start, end = cleaned.get("temporal_start"), cleaned.get("temporal_end")
    if start and end and start > end:
        errors.setdefault("temporal_end", []).append(_("The period ends before it starts."))
    if "spatial_region" in cleaned:
        value = cleaned["spatial_region"]
        if value and not isinstance(value, Region):
            region = Region.objects.filter(code=str(value)).first()
            if region is None:
                errors.setdefault("spatial_region", []).append(_("Unknown region code."))
            cleaned["spatial_region"] = region
        elif not value:
            cleaned["spatial_region"] = None
    if "steward_agency" in cleaned:
        value = cleaned["steward_agency"]
        if value and not isinstance(value, Agency):
            agency = Agency.objects.filter(slug=str(value)).first()
            if agency is None:
                errors.setdefault("steward_agency", []).append(_("Unknown organisation."))
            cleaned["steward_agency"] = agency
        elif not value:
            cleaned["steward_agency"] = None
    for name in ("is_priority", "require_valid"):
        if name in cleaned:
            value = cleaned[name]
            cleaned[name] = value in (True, "true", "True", "1", "on", 1)
    if errors:
        raise ValidationError(_("Some fields are invalid."), fields=errors)
    return cleaned


def _set_relations(dataset: Dataset, cleaned: dict) -> None:
    if "tags" in cleaned and cleaned["tags"] is not None:
        names = cleaned["tags"]
        if isinstance(names, str):
            names = [n for n in re.split(r"[,;]", names)]
        tags = []
        for raw in names:
            name = (raw.get("name") if isinstance(raw, dict) else str(raw)).strip().lower()[:100]
            if name:
                tags.append(Tag.objects.get_or_create(name=name)[0])
        dataset.tags.set(tags)
    if "groups" in cleaned and cleaned["groups"] is not None:
        names = cleaned["groups"]
        if isinstance(names, str):
            names = [names]
        keys = [(g.get("name") or g.get("id")) if isinstance(g, dict) else str(g) for g in names]
        groups = list(Group.objects.filter(name__in=keys))
        if len(groups) != len(set(keys)):
            raise ValidationError.for_field("groups", _("Unknown theme."))
        dataset.groups.set(groups)
    if "allowed_agencies" in cleaned and cleaned["allowed_agencies"] is not None:
        slugs = cleaned["allowed_agencies"]
        if isinstance(slugs, str):
            slugs = [s.strip() for s in slugs.split(",") if s.strip()]
        dataset.allowed_agencies.set(Agency.objects.filter(slug__in=slugs))


def _snapshot_fields(dataset: Dataset) -> dict:
    picture = audit.snapshot(dataset, [f for f in METADATA_FIELDS] + ["state", "name"])
    picture["tags"] = sorted(t.name for t in dataset.tags.all())
    picture["groups"] = sorted(g.name for g in dataset.groups.all())
    return picture


def dataset_create(*, actor, organization: Agency, name: str, title: str, **fields) -> Dataset:
    if not permissions.can_create_dataset(actor, organization):
        raise NotAuthorized(_("You may not add datasets for this organisation."))
    name = (name or "").strip().lower()
    if not NAME_PATTERN.fullmatch(name):
        raise ValidationError.for_field(
            "name",
            _("Use 2 to 100 lowercase letters, digits, - or _ (for example jumlah-penduduk)."),
        )
    cleaned = _clean_metadata({"title": title, **fields})
    relations = {k: cleaned.pop(k) for k in ("tags", "groups", "allowed_agencies") if k in cleaned}
    try:
        with transaction.atomic():
            dataset = Dataset.objects.create(
                name=name,
                organization=organization,
                created_by=actor if getattr(actor, "is_authenticated", False) else None,
                **cleaned,
            )
            _set_relations(dataset, relations)
            audit.record(
                actor=actor,
                action="datahub.dataset.create",
                obj=dataset,
                after=_snapshot_fields(dataset),
            )
            _activity(actor=actor, dataset=dataset, verb="created")
            search_index.refresh(dataset.pk)
    except IntegrityError:
        raise ValidationError.for_field("name", _("This name is already used.")) from None
    return dataset


def dataset_update(*, actor, dataset: Dataset, **fields) -> Dataset:
    """Change metadata. A change to a published dataset makes it a draft again: the public
    keeps seeing the last published version until a steward approves the new one."""
    if not permissions.can_edit_dataset(actor, dataset):
        raise NotAuthorized(_("You may not change this dataset."))
    cleaned = _clean_metadata(fields)
    relations = {k: cleaned.pop(k) for k in ("tags", "groups", "allowed_agencies") if k in cleaned}
    with transaction.atomic():
        locked = Dataset.objects.select_for_update().get(pk=dataset.pk)
        before = _snapshot_fields(locked)
        for name, value in cleaned.items():
            setattr(locked, name, value)
        _mark_changed(locked)
        locked.save()
        _set_relations(locked, relations)
        after = _snapshot_fields(locked)
        changed = sorted(k for k in after if before.get(k) != after.get(k))
        audit.record(
            actor=actor, action="datahub.dataset.update", obj=locked, before=before, after=after
        )
        _activity(actor=actor, dataset=locked, verb="updated", fields=changed)
        search_index.refresh(locked.pk)
    dataset.refresh_from_db()
    return dataset


def _mark_changed(dataset: Dataset) -> None:
    dataset.modified_at = timezone.now()
    if dataset.state in (Dataset.State.PUBLISHED, Dataset.State.REVIEW):
        dataset.state = Dataset.State.DRAFT


def dataset_submit(*, actor, dataset: Dataset) -> Dataset:
    """Producer: send the draft to the stewards for review."""
    with transaction.atomic():
        locked = (
            Dataset.objects.select_for_update()
            .select_related("organization__region")
            .get(pk=dataset.pk)
        )
        if not permissions.can_edit_dataset(actor, locked):
            raise NotAuthorized(_("You may not send this dataset for review."))
        if locked.state != Dataset.State.DRAFT:
            raise Conflict(_("Only a draft can be sent for review."))
        locked.state = Dataset.State.REVIEW
        locked.save(update_fields=["state"])
        audit.record(
            actor=actor,
            action="datahub.dataset.submit",
            obj=locked,
            before={"state": "draft"},
            after={"state": "review"},
        )
        _activity(actor=actor, dataset=locked, verb="submitted")
        _notify_on_commit(
            to=_stewards_for(locked),
            subject=_("Dataset waiting for review: %(title)s") % {"title": locked.title},
            text=_("%(title)s from %(org)s waits for your review in the data hub.")
            % {"title": locked.title, "org": locked.organization.name},
        )
    dataset.refresh_from_db()
    return dataset


def dataset_approve(*, actor, dataset: Dataset, note: str = "") -> DatasetVersion:
    """Steward: publish. Each approval is a new version holding the metadata and the files."""
    with transaction.atomic():
        locked = (
            Dataset.objects.select_for_update()
            .select_related("organization__region")
            .get(pk=dataset.pk)
        )
        if not permissions.is_steward_for(actor, locked):
            raise NotAuthorized(_("Only a data steward in scope may approve."))
        if locked.state != Dataset.State.REVIEW:
            raise Conflict(_("This dataset is not waiting for review."))
        version = _publish_version(actor=actor, locked=locked, note=note, before="review")
        creator = locked.created_by.username if locked.created_by else ""
        _notify_on_commit(
            to=[creator],
            subject=_("Dataset published: %(title)s") % {"title": locked.title},
            text=_("Version %(n)d of %(title)s is published.")
            % {"n": locked.version, "title": locked.title},
        )
    dataset.refresh_from_db()
    return version


def dataset_publish(*, actor, dataset: Dataset, note: str = "") -> DatasetVersion:
    """A steward publishes a draft directly, without the review round. Used by One Data
    publishers (onedata.publishing): the steward approved the publication's definition
    once; each scheduled refresh is a new version, with no review notifications."""
    with transaction.atomic():
        locked = (
            Dataset.objects.select_for_update()
            .select_related("organization__region")
            .get(pk=dataset.pk)
        )
        if not permissions.is_steward_for(actor, locked):
            raise NotAuthorized(_("Only a data steward in scope may publish."))
        if locked.state == Dataset.State.DELETED:
            raise Conflict(_("This dataset is deleted."))
        version = _publish_version(actor=actor, locked=locked, note=note, before=locked.state)
    dataset.refresh_from_db()
    return version


def _publish_version(*, actor, locked: Dataset, note: str, before: str) -> DatasetVersion:
    """Make ``locked`` (row-locked by the caller) published as its next version."""
    if locked.require_valid:
        for resource in locked.resources.filter(format__in=["CSV", "XLSX"]):
            table = getattr(resource, "datatable", None)
            if table is None or not table.is_valid:
                raise Conflict(
                    _("Resource %(name)s has no valid validation report yet.")
                    % {"name": resource.name}
                )
    locked.state = Dataset.State.PUBLISHED
    locked.version += 1
    locked.review_comment = ""
    now = timezone.now()
    locked.published_at = locked.published_at or now
    locked.modified_at = now
    locked.save(update_fields=["state", "version", "review_comment", "published_at", "modified_at"])
    package = selectors.package_dict(
        Dataset.objects.prefetch_related("tags", "groups", "resources").get(pk=locked.pk)
    )
    version = DatasetVersion.objects.create(
        dataset=locked,
        number=locked.version,
        metadata=package,
        resources=package["resources"],
        note=(note or "").strip()[:2000],
        created_by=actor if getattr(actor, "is_authenticated", False) else None,
    )
    audit.record(
        actor=actor,
        action="datahub.dataset.approve" if before == "review" else "datahub.dataset.publish",
        obj=locked,
        before={"state": before},
        after={"state": "published", "version": locked.version},
    )
    _activity(actor=actor, dataset=locked, verb="published", version=locked.version)
    search_index.refresh(locked.pk)
    return version


def dataset_send_back(*, actor, dataset: Dataset, comment: str) -> Dataset:
    comment = (comment or "").strip()
    if not comment:
        raise ValidationError.for_field("comment", _("Say what the producer should change."))
    with transaction.atomic():
        locked = (
            Dataset.objects.select_for_update()
            .select_related("organization__region")
            .get(pk=dataset.pk)
        )
        if not permissions.is_steward_for(actor, locked):
            raise NotAuthorized(_("Only a data steward in scope may send it back."))
        if locked.state != Dataset.State.REVIEW:
            raise Conflict(_("This dataset is not waiting for review."))
        locked.state = Dataset.State.DRAFT
        locked.review_comment = comment[:4000]
        locked.save(update_fields=["state", "review_comment"])
        audit.record(
            actor=actor,
            action="datahub.dataset.send_back",
            obj=locked,
            before={"state": "review"},
            after={"state": "draft", "comment": locked.review_comment},
        )
        _activity(actor=actor, dataset=locked, verb="sent_back", comment=locked.review_comment)
        creator = locked.created_by.username if locked.created_by else ""
        _notify_on_commit(
            to=[creator],
            subject=_("Dataset sent back: %(title)s") % {"title": locked.title},
            text=locked.review_comment,
        )
    dataset.refresh_from_db()
    return dataset


def dataset_delete(*, actor, dataset: Dataset) -> Dataset:
    if not permissions.can_delete_dataset(actor, dataset):
        raise NotAuthorized(_("Only a data steward in scope may delete a dataset."))
    with transaction.atomic():
        before = dataset.state
        dataset.state = Dataset.State.DELETED
        dataset.modified_at = timezone.now()
        dataset.save(update_fields=["state", "modified_at"])
        audit.record(
            actor=actor,
            action="datahub.dataset.delete",
            obj=dataset,
            before={"state": before},
            after={"state": "deleted"},
        )
        _activity(actor=actor, dataset=dataset, verb="deleted")
    return dataset


# --- resources ----------------------------------------------------------------------------

FORMAT_OF_KIND = {
    "csv": "CSV",
    "xlsx": "XLSX",
    "json": "JSON",
    "geojson": "GeoJSON",
    "pdf": "PDF",
}


def _stage_upload(upload, field: str) -> tuple[Path, object]:
    """The upload on disk, checked by core's policy; non-UTF-8 text re-encoded first."""
    workdir = Path(tempfile.mkdtemp(prefix="datahub-"))
    raw = workdir / "upload"
    with raw.open("wb") as out:
        if hasattr(upload, "chunks"):
            for chunk in upload.chunks():
                out.write(chunk)
        elif isinstance(upload, bytes | bytearray):
            out.write(upload)
        else:
            shutil.copyfileobj(upload, out)
    try:
        checked = check_upload(raw, DATASET_FILE, field=field)
    except ValidationError:
        head = raw.open("rb").read(8)
        if head.startswith((b"PK", b"%PDF", b"\xd0\xcf")) or raw.stat().st_size == 0:
            shutil.rmtree(workdir, ignore_errors=True)
            raise
        utf8 = workdir / "upload-utf8"
        try:
            tabular.stream_to_utf8(raw, utf8)
        except tabular.TableError as exc:
            shutil.rmtree(workdir, ignore_errors=True)
            raise ValidationError.for_field(field, exc.message) from None
        try:
            checked = check_upload(utf8, DATASET_FILE, field=field)
        except ValidationError:
            shutil.rmtree(workdir, ignore_errors=True)
            raise
        raw = utf8
    return workdir, checked


def resource_create(
    *,
    actor,
    dataset: Dataset,
    name: str = "",
    description: str = "",
    upload=None,
    upload_name: str = "",
    url: str = "",
    format: str = "",
    enqueue_load: bool = True,
) -> Resource:
    if not permissions.can_edit_dataset(actor, dataset):
        raise NotAuthorized(_("You may not change this dataset."))
    if upload is None and not url:
        raise ValidationError.for_field("upload", _("Choose a file or give a link."))
    if url and not re.match(r"^https?://\S+$", url):
        raise ValidationError.for_field("url", _("A link starts with http:// or https://."))
    display = original_display_name(upload_name or getattr(upload, "name", "") or "")
    name = (name or display or url.rsplit("/", 1)[-1] or _("Resource")).strip()[:250]
    resource = Resource(dataset=dataset, name=name, description=(description or "")[:10000])
    workdir = None
    try:
        if upload is not None:
            workdir, checked = _stage_upload(upload, "upload")
            resource.kind = Resource.Kind.FILE
            resource.format = FORMAT_OF_KIND.get(checked.extension, checked.extension.upper())
            resource.mimetype = checked.content_type
            resource.size = checked.size
            resource.sha256 = checked.sha256
            resource.original_name = display[:150]
            with checked.open() as fp:
                stored = default_storage.save(checked.storage_name("datahub"), File(fp))
            resource.file.name = stored
        else:
            resource.kind = Resource.Kind.LINK
            resource.url = url[:1000]
            resource.format = (format or url.rsplit(".", 1)[-1][:10]).upper()[:20]
        with transaction.atomic():
            resource.position = dataset.resources.count()
            resource.save()
            locked = Dataset.objects.select_for_update().get(pk=dataset.pk)
            _mark_changed(locked)
            locked.save(update_fields=["state", "modified_at"])
            audit.record(
                actor=actor,
                action="datahub.resource.create",
                obj=resource,
                after={
                    "dataset": str(dataset.pk),
                    "format": resource.format,
                    "kind": resource.kind,
                },
            )
            _activity(actor=actor, dataset=locked, verb="resource_added", resource=resource.name)
            search_index.refresh(locked.pk)
            if resource.is_tabular and resource.kind == Resource.Kind.FILE:
                table = DataTable.objects.create(resource=resource, heartbeat_at=timezone.now())
                if enqueue_load:  # a caller that is itself a task loads it in place
                    transaction.on_commit(lambda: _enqueue_load(table.pk))
    finally:
        if workdir is not None:
            shutil.rmtree(workdir, ignore_errors=True)
    dataset.refresh_from_db()
    return resource


def resource_replace_file(
    *, actor, resource: Resource, upload, upload_name: str = "", enqueue_load: bool = True
) -> Resource:
    """A new file for a resource. The old file stays in storage: published versions point
    at it and remain downloadable."""
    dataset = resource.dataset
    if not permissions.can_edit_dataset(actor, dataset):
        raise NotAuthorized(_("You may not change this dataset."))
    workdir, checked = _stage_upload(upload, "upload")
    try:
        with checked.open() as fp:
            stored = default_storage.save(checked.storage_name("datahub"), File(fp))
        with transaction.atomic():
            resource.kind = Resource.Kind.FILE
            resource.file.name = stored
            resource.format = FORMAT_OF_KIND.get(checked.extension, checked.extension.upper())
            resource.mimetype = checked.content_type
            resource.size = checked.size
            resource.sha256 = checked.sha256
            resource.original_name = original_display_name(upload_name or "")[:150]
            resource.modified_at = timezone.now()
            resource.save()
            locked = Dataset.objects.select_for_update().get(pk=dataset.pk)
            _mark_changed(locked)
            locked.save(update_fields=["state", "modified_at"])
            audit.record(actor=actor, action="datahub.resource.replace", obj=resource)
            _activity(actor=actor, dataset=locked, verb="resource_updated", resource=resource.name)
            search_index.refresh(locked.pk)
            if resource.is_tabular:
                table, _created = DataTable.objects.get_or_create(resource=resource)
                DataTable.objects.filter(pk=table.pk).update(
                    status=DataTable.Status.PENDING, progress=0, heartbeat_at=timezone.now()
                )
                if enqueue_load:
                    transaction.on_commit(lambda: _enqueue_load(table.pk))
    finally:
        shutil.rmtree(workdir, ignore_errors=True)
    return resource


def resource_update(*, actor, resource: Resource, **fields) -> Resource:
    dataset = resource.dataset
    if not permissions.can_edit_dataset(actor, dataset):
        raise NotAuthorized(_("You may not change this dataset."))
    with transaction.atomic():
        for name in ("name", "description"):
            if name in fields and fields[name] is not None:
                setattr(resource, name, str(fields[name])[: 250 if name == "name" else 10000])
        if "url" in fields and fields["url"] and resource.kind == Resource.Kind.LINK:
            if not re.match(r"^https?://\S+$", fields["url"]):
                raise ValidationError.for_field("url", _("A link starts with http:// or https://."))
            resource.url = fields["url"][:1000]
        if "format" in fields and fields["format"]:
            resource.format = str(fields["format"]).upper()[:20]
        resource.modified_at = timezone.now()
        resource.save()
        locked = Dataset.objects.select_for_update().get(pk=dataset.pk)
        _mark_changed(locked)
        locked.save(update_fields=["state", "modified_at"])
        audit.record(actor=actor, action="datahub.resource.update", obj=resource)
        _activity(actor=actor, dataset=locked, verb="resource_updated", resource=resource.name)
        search_index.refresh(locked.pk)
    return resource


def resource_delete(*, actor, resource: Resource) -> None:
    dataset = resource.dataset
    if not permissions.can_edit_dataset(actor, dataset):
        raise NotAuthorized(_("You may not change this dataset."))
    with transaction.atomic():
        audit.record(actor=actor, action="datahub.resource.delete", obj=resource)
        name = resource.name
        resource.delete()  # the file stays: published versions may point at it
        locked = Dataset.objects.select_for_update().get(pk=dataset.pk)
        _mark_changed(locked)
        locked.save(update_fields=["state", "modified_at"])
        _activity(actor=actor, dataset=locked, verb="resource_deleted", resource=name)
        search_index.refresh(locked.pk)


# --- DataStore ----------------------------------------------------------------------------


def _enqueue_load(table_id: int) -> None:
    """Queue the table's load. It runs after the commit: when the queue cannot take the
    job (Redis down), the upload still stands. The table is left waiting without a
    heartbeat, which makes it stale at once for ``datastore_loads_resume`` (the scheduler
    runs it every few minutes), so the load is queued as soon as the queue is back."""
    from onedata.datahub import tasks

    try:
        tasks.datastore_load.enqueue(table_id)
    except Exception:  # noqa: BLE001 - any queue failure: the resume job retries
        logger.warning(
            "DataStore load of table %s could not be queued; it will be resumed",
            table_id,
            exc_info=True,
        )
        DataTable.objects.filter(pk=table_id).update(heartbeat_at=None)


# A load that has shown no sign of life for this long lost its worker (killed, crashed,
# or its queued job was lost with Redis): queue it again. Loading is safe to repeat: a
# load writes the next generation and switches to it only at the end.
LOAD_STALE_AFTER = timedelta(minutes=15)


def datastore_loads_resume(*, now=None) -> list[int]:
    """Queue again every load that stopped beating (the scheduler runs this); returns the
    tables' ids."""
    now = now or timezone.now()
    stale = DataTable.objects.filter(
        status__in=[DataTable.Status.PENDING, DataTable.Status.LOADING],
        resource__kind=Resource.Kind.FILE,
    ).filter(Q(heartbeat_at__lt=now - LOAD_STALE_AFTER) | Q(heartbeat_at__isnull=True))
    ids = list(stale.values_list("pk", flat=True))
    for table_id in ids:
        # Beat for it first, so the next look does not queue it once more.
        DataTable.objects.filter(pk=table_id).update(heartbeat_at=now)
        logger.warning("DataStore load of table %s stopped; queued again", table_id)
        _enqueue_load(table_id)
    return ids


def datastore_load(*, table_id: int) -> DataTable:
    """Load the resource's file into its DataStore table (called by the task)."""
    table = DataTable.objects.select_related("resource").get(pk=table_id)
    resource = table.resource
    DataTable.objects.filter(pk=table.pk).update(
        status=DataTable.Status.LOADING, progress=0, error="", heartbeat_at=timezone.now()
    )
    workdir = Path(tempfile.mkdtemp(prefix="datahub-load-"))
    try:
        path = workdir / f"data.{resource.format.lower() or 'csv'}"
        with resource.file.open("rb") as src, path.open("wb") as out:
            shutil.copyfileobj(src, out, 1 << 20)
        last = [-1]

        def progress(value: int) -> None:
            if value != last[0]:
                last[0] = value
                DataTable.objects.filter(pk=table.pk).update(
                    progress=value, heartbeat_at=timezone.now()
                )

        result = datastore.load_file(table, path, resource.format, progress=progress)
    except tabular.TableError as exc:
        where = []
        if exc.row:
            where.append(_("row %(n)s") % {"n": exc.row})
        if exc.column:
            where.append(_("column %(c)s") % {"c": exc.column})
        message = exc.message + (f" ({', '.join(where)})" if where else "")
        DataTable.objects.filter(pk=table.pk).update(
            status=DataTable.Status.FAILED if table.generation == 0 else DataTable.Status.READY,
            error=message[:2000],
            progress=100,
        )
        table.refresh_from_db()
        return table
    except Exception:
        logger.exception("DataStore load failed for table %s", table.pk)
        DataTable.objects.filter(pk=table.pk).update(
            status=DataTable.Status.FAILED if table.generation == 0 else DataTable.Status.READY,
            error=_("The file could not be loaded; the error is logged."),
            progress=100,
        )
        table.refresh_from_db()
        return table
    finally:
        shutil.rmtree(workdir, ignore_errors=True)
    datastore.switch_generation(table, result)
    return table


def data_dictionary_update(
    *, actor, table: DataTable, column: str, type: str | None = None, label=None, description=None
) -> DataTable:
    """Change a column's type, label or description in place. A new type is applied to
    every stored value first; a value that does not fit stops the change, naming its row."""
    dataset = table.resource.dataset
    if not permissions.can_edit_data_dictionary(actor, dataset):
        raise NotAuthorized(_("You may not change this dataset."))
    names = [c["name"] for c in table.columns]
    if column not in names:
        raise ValidationError.for_field("column", _("Unknown column."))
    if type is not None and type not in tabular.TYPES:
        raise ValidationError.for_field("type", _("Choose a type from the list."))
    with transaction.atomic():
        locked = DataTable.objects.select_for_update().get(pk=table.pk)
        columns = [dict(c) for c in locked.columns]
        entry = next(c for c in columns if c["name"] == column)
        before = dict(entry)
        if type is not None and type != entry["type"]:
            try:
                result = datastore.retype_column(locked, column, type)
            except datastore.CellMisfit as misfit:
                raise ValidationError.for_field(
                    "type",
                    _('Row %(row)d: "%(value)s" cannot be %(type)s.')
                    % {"row": misfit.row + 1, "value": misfit.value[:40], "type": type},
                ) from None
            datastore.switch_generation(locked, result)
            locked.refresh_from_db()
            columns = [dict(c) for c in locked.columns]
            entry = next(c for c in columns if c["name"] == column)
        if label is not None:
            entry["label"] = str(label)[:200]
        if description is not None:
            entry["description"] = str(description)[:2000]
        locked.columns = columns
        locked.save(update_fields=["columns"])
        audit.record(
            actor=actor, action="datahub.dictionary.update", obj=locked, before=before, after=entry
        )
        _activity(actor=actor, dataset=dataset, verb="dictionary_updated", column=column)
    table.refresh_from_db()
    return table


def datastore_write(
    *,
    actor,
    resource: Resource,
    fields: list[dict],
    records: list[dict],
    replace: bool,
    method: str = datastore.INSERT,
    primary_key: list[str] | None = None,
) -> DataTable:
    """``datastore_create`` (replace, optionally with a ``primary_key``) and
    ``datastore_upsert`` (``method``: insert, upsert or update by that key) with inline
    records. Writes are serialised per table (row lock), so two clients upserting at once
    both land."""
    if not permissions.can_edit_dataset(actor, resource.dataset):
        raise NotAuthorized(_("You may not change this dataset."))
    if len(records) > 100_000:
        raise ValidationError.for_field("records", _("At most 100000 records in one call."))
    names = [str(f["id"]) for f in fields]
    if len(set(names)) != len(names) or any(not n or n.startswith("_") for n in names):
        raise ValidationError.for_field(
            "fields", _("Field ids must be unique and not start with _.")
        )
    unknown = {k for r in records for k in r} - set(names)
    if unknown:
        raise ValidationError.for_field(
            "records", _("Unknown field: %(name)s") % {"name": sorted(unknown)[0][:60]}
        )
    if primary_key is not None:
        missing = [k for k in primary_key if k not in names]
        if missing:
            raise ValidationError.for_field(
                "primary_key",
                _("The key field %(name)s is not among the fields.") % {"name": missing[0][:60]},
            )
    with transaction.atomic():
        table, _created = DataTable.objects.get_or_create(resource=resource)
        table = DataTable.objects.select_for_update().get(pk=table.pk)
        result = datastore.load_records(
            table, fields, records, replace=replace, method=method, key=primary_key
        )
        datastore.switch_generation(table, result)
        if primary_key is not None:
            table.schema = {
                "fields": [{"name": c["name"], "type": c["type"]} for c in table.columns],
                "primaryKey": list(primary_key),
            }
            table.save(update_fields=["schema"])
        audit.record(
            actor=actor,
            action="datahub.datastore.write",
            obj=table,
            after={
                "records": len(records),
                "replace": replace,
                "method": method,
                "primary_key": primary_key,
            },
        )
    return table


def datastore_rows_delete(*, actor, resource: Resource, filters: dict) -> int:
    """``datastore_delete`` with ``filters``: the rows matching them go; how many."""
    if not permissions.can_edit_dataset(actor, resource.dataset):
        raise NotAuthorized(_("You may not change this dataset."))
    if not isinstance(filters, dict) or not filters:
        raise ValidationError.for_field("filters", _("Give the filters of the rows to delete."))
    with transaction.atomic():
        table = DataTable.objects.select_for_update().filter(resource=resource).first()
        if table is None or not table.generation:
            raise NotFound(_("This resource has no DataStore table."))
        result, deleted = datastore.delete_rows(table, filters)
        datastore.switch_generation(table, result)
        audit.record(
            actor=actor,
            action="datahub.datastore.delete_rows",
            obj=table,
            after={"filters": filters, "deleted": deleted},
        )
    return deleted


def datastore_clear(*, actor, resource: Resource) -> None:
    if not permissions.can_edit_dataset(actor, resource.dataset):
        raise NotAuthorized(_("You may not change this dataset."))
    with transaction.atomic():
        DataTable.objects.filter(resource=resource).delete()
        audit.record(actor=actor, action="datahub.datastore.delete", obj=resource)


def datastore_schema_set(*, actor, table: DataTable, schema: dict | None) -> DataTable:
    """The Table Schema (``fields`` with ``name``/``type``/``constraints``, ``primaryKey``)
    the next loads check and type the columns by; None lets the loader infer again."""
    if not permissions.can_edit_data_dictionary(actor, table.resource.dataset):
        raise NotAuthorized(_("You may not change this dataset."))
    if schema is not None:
        fields = schema.get("fields") if isinstance(schema, dict) else None
        if not isinstance(fields, list) or not all(
            isinstance(f, dict) and f.get("name") for f in fields
        ):
            raise ValidationError.for_field("schema", _("A schema lists fields with names."))
        bad = [f["name"] for f in fields if f.get("type", "any") not in (*tabular.TYPES, "any")]
        if bad:
            raise ValidationError.for_field(
                "schema", _("Unknown type for field %(name)s.") % {"name": str(bad[0])[:60]}
            )
    with transaction.atomic():
        locked = DataTable.objects.select_for_update().get(pk=table.pk)
        before = locked.schema
        locked.schema = schema
        locked.save(update_fields=["schema"])
        audit.record(
            actor=actor,
            action="datahub.schema.update",
            obj=locked,
            before={"schema": before},
            after={"schema": schema},
        )
    table.refresh_from_db()
    return table
