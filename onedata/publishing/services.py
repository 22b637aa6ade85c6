"""Refreshing a publication: run the module's query, and publish the table as the next
version of its dataset in the hub through the data hub's own services (the ingestion
path that uploads use). A refresh that breaks keeps the last good version live, records
the error for the dataset page and tells the steward agency's stewards."""

from __future__ import annotations

import csv
import io
import logging
from datetime import date, datetime

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from onedata.core import audit
from onedata.core.errors import NotAuthorized, NotFound
from onedata.core.models import Agency, Membership, User
from onedata.core.roles import Role
from onedata.datahub import services as hub
from onedata.datahub.models import Dataset, DataTable, Group
from onedata.publishing import due, permissions, registry
from onedata.publishing.models import PublicationStatus

logger = logging.getLogger("onedata.publishing")

PUBLISHER_USERNAME = "satudata.publisher"
# Our column types in the data hub's (Frictionless Table Schema) type names.
HUB_TYPES = {
    "text": "string",
    "integer": "integer",
    "number": "number",
    "date": "date",
    "datetime": "string",
    "boolean": "boolean",
}


class PublishError(Exception):
    """The table was produced but the hub could not take it."""


def publisher_account(steward: Agency) -> User:
    """The account refreshes run as: a data steward of the steward agency that cannot log
    in. Every version it publishes is audited under this name."""
    user, created = User.objects.get_or_create(
        username=PUBLISHER_USERNAME,
        defaults={"name": "Satu Data (penerbit otomatis)", "email": ""},
    )
    if created:
        user.set_unusable_password()
        user.save(update_fields=["password"])
        audit.record(actor=None, action="publishing.account.create", obj=user)
    if not Membership.objects.filter(user=user, agency=steward, role=Role.DATA_STEWARD).exists():
        membership = Membership.objects.create(user=user, agency=steward, role=Role.DATA_STEWARD)
        audit.record(actor=None, action="publishing.account.grant", obj=membership)
    return user


def status_for(publication: registry.Publication) -> PublicationStatus:
    status, _created = PublicationStatus.objects.get_or_create(
        name=publication.name,
        defaults={
            "module": publication.module,
            "query": publication.query,
            "frequency": publication.frequency,
        },
    )
    changed = {
        "module": publication.module,
        "query": publication.query,
        "frequency": publication.frequency,
    }
    if any(getattr(status, k) != v for k, v in changed.items()):
        PublicationStatus.objects.filter(pk=status.pk).update(**changed)
        status.refresh_from_db()
    return status


def table_csv(publication: registry.Publication, rows: list[dict]) -> bytes:
    """The table as UTF-8 CSV; empty cells for None (suppressed or unknown)."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    names = [column.name for column in publication.columns]
    writer.writerow(names)
    for row in rows:
        writer.writerow([_cell(row.get(name)) for name in names])
    return out.getvalue().encode("utf-8")


def _cell(value) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, datetime):
        return timezone.localtime(value).isoformat(timespec="seconds")
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, float):
        return f"{value:.4f}".rstrip("0").rstrip(".")
    return str(value)


def _metadata(publication: registry.Publication, steward: Agency, now: datetime) -> dict:
    return {
        "title": publication.title,
        "notes": publication.description,
        "license_id": publication.license_id,
        "access_level": Dataset.Access.PUBLIC,
        "update_frequency": publication.frequency,
        "steward_agency": steward,
        "spatial_region": "51",
        "contact_name": steward.name,
        "contact_email": steward.email,
        "concept": publication.concept,
        "definition": publication.definition,
        "classification": publication.classification,
        "unit": publication.unit,
        "reference_code": publication.reference_code,
        "is_priority": publication.is_priority,
        "tags": list(publication.tags),
        "groups": _groups(publication),
    }


def _groups(publication: registry.Publication) -> list[str]:
    for name in publication.groups:
        Group.objects.get_or_create(name=name, defaults={"title": name.replace("-", " ").title()})
    return list(publication.groups)


def _schema(publication: registry.Publication) -> dict:
    return {
        "fields": [
            {"name": column.name, "type": HUB_TYPES[column.type]} for column in publication.columns
        ]
    }


def _describe(column: registry.Column) -> str:
    if column.unit:
        return f"{column.description} (satuan: {column.unit})"
    return column.description


def _publish(
    publication: registry.Publication, status: PublicationStatus, content: bytes, now: datetime
) -> tuple[Dataset, int]:
    producer = Agency.objects.filter(slug=publication.producer).first()
    if producer is None:
        raise PublishError(
            _("The producer agency %(slug)s does not exist.") % {"slug": publication.producer}
        )
    steward = Agency.objects.filter(slug=publication.steward).first()
    if steward is None:
        raise PublishError(
            _("The steward agency %(slug)s does not exist.") % {"slug": publication.steward}
        )
    bot = publisher_account(steward)
    metadata = _metadata(publication, steward, now)
    dataset = status.dataset
    if dataset is None or dataset.state == Dataset.State.DELETED:
        dataset = Dataset.objects.filter(name=publication.name).first()
    if dataset is None:
        dataset = hub.dataset_create(
            actor=bot, organization=producer, name=publication.name, **metadata
        )
    elif _metadata_changed(dataset, metadata):
        dataset = hub.dataset_update(actor=bot, dataset=dataset, **metadata)
    filename = f"{publication.name}.csv"
    resource = (
        status.resource if status.resource and status.resource.dataset_id == dataset.pk else None
    )
    resource = resource or dataset.resources.filter(original_name=filename).first()
    if resource is None:
        resource = hub.resource_create(
            actor=bot,
            dataset=dataset,
            name=publication.title,
            description=_("Table from the %(module)s module, refreshed automatically.")
            % {"module": publication.module},
            upload=content,
            upload_name=filename,
            enqueue_load=False,
        )
    else:
        resource = hub.resource_replace_file(
            actor=bot, resource=resource, upload=content, upload_name=filename, enqueue_load=False
        )
    table = DataTable.objects.get(resource=resource)
    schema = _schema(publication)
    if table.schema != schema:
        table = hub.datastore_schema_set(actor=bot, table=table, schema=schema)
    table = hub.datastore_load(table_id=table.pk)
    if table.status != DataTable.Status.READY or table.error:
        raise PublishError(table.error or _("The DataStore did not take the table."))
    for column in publication.columns:
        entry = next((c for c in table.columns if c["name"] == column.name), None)
        if entry is not None and entry.get("description") != _describe(column):
            table = hub.data_dictionary_update(
                actor=bot, table=table, column=column.name, description=_describe(column)
            )
    stamp = timezone.localtime(now).strftime("%Y-%m-%d %H:%M")
    version = hub.dataset_publish(
        actor=bot,
        dataset=dataset,
        note=_("Refreshed by %(query)s at %(when)s") % {"query": publication.query, "when": stamp},
    )
    PublicationStatus.objects.filter(pk=status.pk).update(dataset=dataset, resource=resource)
    return dataset, version.number


def _metadata_changed(dataset: Dataset, metadata: dict) -> bool:
    for name, value in metadata.items():
        if name == "tags":
            if sorted(t.name for t in dataset.tags.all()) != sorted(v.lower() for v in value):
                return True
        elif name == "groups":
            if sorted(g.name for g in dataset.groups.all()) != sorted(value):
                return True
        elif name == "spatial_region":
            if (dataset.spatial_region.code if dataset.spatial_region else None) != value:
                return True
        elif getattr(dataset, name) != value:
            return True
    return False


def publication_refresh(*, name: str, now: datetime | None = None, actor=None) -> PublicationStatus:
    """Produce the table and publish it as the next version. ``actor`` is the person who
    asked for it from a page or the API (checked); the scheduler passes none."""
    publication = registry.get_publication(name)
    if publication is None:
        raise NotFound(_("No publication is called %(name)s.") % {"name": name})
    if actor is not None and not permissions.can_refresh_publication(actor, publication):
        raise NotAuthorized(_("You may not refresh this publication."))
    now = now or timezone.now()
    status = status_for(publication)
    PublicationStatus.objects.filter(pk=status.pk).update(last_attempt_at=now)
    if actor is not None:
        audit.record(actor=actor, action="publishing.refresh.request", obj=status)
    try:
        rows = publication.table(now)
        content = table_csv(publication, rows)
        with transaction.atomic():
            dataset, version = _publish(publication, status, content, now)
    except Exception as error:  # any failure: keep the last good version, say what broke
        logger.exception("publication %s could not be refreshed", name)
        return _record_failure(publication, status, error, now)
    PublicationStatus.objects.filter(pk=status.pk).update(
        last_success_at=now,
        last_rows=len(rows),
        last_version=version,
        last_error="",
        failures=0,
    )
    status.refresh_from_db()
    return status


def _record_failure(
    publication: registry.Publication, status: PublicationStatus, error: Exception, now
) -> PublicationStatus:
    text = f"{type(error).__name__}: {error}"[:2000]
    with transaction.atomic():
        locked = PublicationStatus.objects.select_for_update().get(pk=status.pk)
        first = locked.failures == 0
        locked.failures += 1
        locked.last_error = text
        locked.last_error_at = now
        locked.save(update_fields=["failures", "last_error", "last_error_at"])
        audit.record(
            actor=None,
            action="publishing.refresh.fail",
            obj=locked,
            after={"error": text, "failures": locked.failures},
        )
        if first:  # once per run of failures, not every retry
            transaction.on_commit(lambda: _tell_stewards(publication, text))
    return locked


def _tell_stewards(publication: registry.Publication, error: str) -> None:
    from onedata.notifications import services as notify

    usernames = sorted(
        set(
            Membership.objects.filter(
                agency__slug=publication.steward, role=Role.DATA_STEWARD, user__is_active=True
            )
            .exclude(user__username=PUBLISHER_USERNAME)
            .values_list("user__username", flat=True)
        )
    )
    subject = _("One Data refresh failed: %(title)s") % {"title": publication.title}
    text = _(
        "The scheduled refresh of %(title)s (%(query)s) failed: %(error)s. "
        "The last good version stays published."
    ) % {"title": publication.title, "query": publication.query, "error": error}
    deliveries = [("inapp", username) for username in usernames]
    deliveries += [("email", email) for email in _emails(usernames)]
    for channel, recipient in deliveries:  # an in-app message goes to one user
        try:
            notify.send(
                module="publishing", to=[recipient], subject=subject, text=text, channel=channel
            )
        except Exception:  # a notification must never hide the failure itself
            logger.exception("could not tell %s about %s", recipient, publication.name)


def _emails(usernames: list[str]) -> list[str]:
    return [
        email
        for email in User.objects.filter(username__in=usernames).values_list("email", flat=True)
        if email
    ]


def publications_due(now: datetime | None = None) -> list[str]:
    """Names of the publications whose refresh is due now."""
    now = now or timezone.now()
    tz = timezone.get_default_timezone()
    statuses = {s.name: s for s in PublicationStatus.objects.all()}
    names = []
    for publication in registry.all_publications():
        status = statuses.get(publication.name)
        if due.is_due(
            publication.frequency,
            now,
            last_success=status.last_success_at if status else None,
            last_attempt=status.last_attempt_at if status else None,
            tz=tz,
        ):
            names.append(publication.name)
    return names
