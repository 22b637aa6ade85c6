"""Read queries that pages, the Ninja API, the CKAN API and DCAT share."""

from __future__ import annotations

import re
import uuid
from dataclasses import dataclass, field
from datetime import datetime
from functools import cached_property

from django.db.models import Count, OuterRef, Prefetch, Q, QuerySet, Subquery, Window
from django.urls import reverse
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _

from onedata.core.errors import NotFound, ValidationError
from onedata.core.models import Agency
from onedata.datahub import permissions, search_index
from onedata.datahub.models import (
    Dataset,
    DatasetVersion,
    Group,
    Resource,
    SearchEntry,
    SearchFacet,
)

LICENSES = [
    (
        "cc-by-4.0",
        "Creative Commons Attribution 4.0",
        "https://creativecommons.org/licenses/by/4.0/",
    ),
    (
        "cc-by-sa-4.0",
        "Creative Commons Attribution Share-Alike 4.0",
        "https://creativecommons.org/licenses/by-sa/4.0/",
    ),
    ("cc-zero", "Creative Commons CCZero", "https://creativecommons.org/publicdomain/zero/1.0/"),
    (
        "odc-odbl",
        "Open Data Commons Open Database License",
        "https://opendatacommons.org/licenses/odbl/1-0/",
    ),
    ("other-closed", "Other (not open)", ""),
]
LICENSE_TITLES = {key: title for key, title, _url in LICENSES}
LICENSE_URLS = {key: url for key, _title, url in LICENSES}


def _with_package_parts(datasets: QuerySet[Dataset]) -> QuerySet[Dataset]:
    """Everything ``package_dict`` reads, in four queries for any number of datasets."""
    return datasets.select_related(
        "organization", "organization__region", "spatial_region", "steward_agency"
    ).prefetch_related(
        "tags",
        "groups",
        Prefetch("resources", queryset=Resource.objects.select_related("datatable")),
    )


def visible_datasets(user) -> QuerySet[Dataset]:
    ids = Dataset.objects.filter(permissions.visible_filter(user)).values("pk")
    return _with_package_parts(Dataset.objects.filter(pk__in=ids))


def dataset_get(user, name_or_id: str) -> Dataset:
    """A dataset this user may see, by name or id; NotFound otherwise (never 403: a private
    dataset's existence is not told)."""
    lookup = Q(name=name_or_id)
    if re.fullmatch(r"[0-9a-fA-F-]{32,36}", str(name_or_id or "")):
        lookup |= Q(pk=name_or_id)
    dataset = visible_datasets(user).filter(lookup).first()
    if dataset is None:
        raise NotFound(_("Dataset not found."))
    return dataset


def resource_get(user, resource_id: str) -> Resource:
    try:
        key = uuid.UUID(str(resource_id))
    except ValueError:
        raise NotFound(_("Resource not found.")) from None
    resource = (
        Resource.objects.select_related("dataset", "dataset__organization__region")
        .filter(pk=key)
        .first()
    )
    if resource is None:
        raise NotFound(_("Resource not found."))
    if not permissions.can_view_dataset(user, resource.dataset):
        raise NotFound(_("Resource not found."))
    if not permissions.can_view_draft(user, resource.dataset):
        published = published_resource_ids(resource.dataset)
        if published is not None and str(resource.pk) not in published:
            raise NotFound(_("Resource not found."))
    return resource


def published_resource_ids(dataset: Dataset) -> set[str] | None:
    """Ids of resources in the last published version, when the dataset has unpublished
    changes; None when what is live is what was published."""
    if dataset.state == Dataset.State.PUBLISHED:
        return None
    version = dataset.versions.order_by("-number").first()
    if version is None:
        return set()
    return {r["id"] for r in version.resources}


# --- CKAN-shaped dictionaries -------------------------------------------------------------


def _iso(value: datetime | None) -> str | None:
    return value.replace(tzinfo=None).isoformat() if value else None


def organization_dict(agency: Agency, package_count: int | None = None) -> dict:
    data = {
        "id": str(agency.pk),
        "name": agency.slug,
        "title": agency.name,
        "display_name": agency.name,
        "description": "",
        "image_url": "",
        "type": "organization",
        "is_organization": True,
        "state": "active",
        "approval_status": "approved",
        "created": _iso(agency.created_at),
    }
    if package_count is not None:
        data["package_count"] = package_count
    return data


def group_dict(group: Group, package_count: int | None = None) -> dict:
    data = {
        "id": str(group.pk),
        "name": group.name,
        "title": group.title,
        "display_name": group.title,
        "description": group.description,
        "image_url": "",
        "type": "group",
        "is_organization": False,
        "state": "active",
        "approval_status": "approved",
        "created": _iso(group.created_at),
    }
    if package_count is not None:
        data["package_count"] = package_count
    return data


def resource_dict(resource: Resource) -> dict:
    if resource.kind == Resource.Kind.LINK:
        url = resource.url
    else:
        url = reverse("datahub:resource_download", args=[resource.pk])
    # A link's table was written through datastore_create (CKAN clients push JSON or API
    # data that way); a file's only counts while the file is tabular (a file replaced by
    # a PDF keeps its old table until the next load).
    has_table = resource.is_tabular or resource.kind == Resource.Kind.LINK
    table = getattr(resource, "datatable", None) if has_table else None
    return {
        "id": str(resource.pk),
        "package_id": str(resource.dataset_id),
        "name": resource.name,
        "description": resource.description,
        "format": resource.format,
        "mimetype": resource.mimetype or None,
        "url": url,
        "url_type": "upload" if resource.kind == Resource.Kind.FILE else None,
        "size": resource.size,
        "hash": f"sha256:{resource.sha256}" if resource.sha256 else "",
        "position": resource.position,
        "created": _iso(resource.created_at),
        "last_modified": _iso(resource.modified_at),
        "datastore_active": bool(table and table.status == table.Status.READY),
        "state": "active",
        "file": resource.file.name if resource.file else "",
    }


def package_dict(dataset: Dataset) -> dict:
    """The dataset as it is now, in CKAN's package shape (with the Satu Data fields both at
    the top level and in ``extras`` for harvesters that only read extras)."""
    tags = list(dataset.tags.all())
    groups = list(dataset.groups.all())
    resources = [resource_dict(r) for r in dataset.resources.all()]
    satu_data = {
        "access_level": dataset.access_level,
        "update_frequency": dataset.update_frequency,
        "temporal_start": dataset.temporal_start.isoformat() if dataset.temporal_start else "",
        "temporal_end": dataset.temporal_end.isoformat() if dataset.temporal_end else "",
        "spatial_code": dataset.spatial_region.code if dataset.spatial_region else "",
        "spatial_name": dataset.spatial_region.name if dataset.spatial_region else "",
        "steward": dataset.steward_agency.name if dataset.steward_agency else "",
        "concept": dataset.concept,
        "definition": dataset.definition,
        "classification": dataset.classification,
        "unit": dataset.unit,
        "is_priority": "true" if dataset.is_priority else "false",
        "reference_code": dataset.reference_code,
    }
    return {
        "id": str(dataset.pk),
        "name": dataset.name,
        "title": dataset.title,
        "notes": dataset.notes,
        "type": "dataset",
        "state": "active" if dataset.state != Dataset.State.DELETED else "deleted",
        "workflow_state": dataset.state,
        "private": dataset.access_level != Dataset.Access.PUBLIC,
        "owner_org": str(dataset.organization_id),
        "organization": organization_dict(dataset.organization),
        "license_id": dataset.license_id,
        "license_title": LICENSE_TITLES.get(dataset.license_id, dataset.license_id),
        "license_url": LICENSE_URLS.get(dataset.license_id, ""),
        "maintainer": dataset.contact_name,
        "maintainer_email": dataset.contact_email,
        "author": dataset.organization.name,
        "author_email": "",
        "url": "",
        "version": str(dataset.version) if dataset.version else "",
        "metadata_created": _iso(dataset.created_at),
        "metadata_modified": _iso(dataset.modified_at),
        "tags": [
            {"id": str(t.pk), "name": t.name, "display_name": t.name, "state": "active"}
            for t in tags
        ],
        "groups": [group_dict(g) for g in groups],
        "resources": resources,
        "num_resources": len(resources),
        "num_tags": len(tags),
        "extras": [{"key": k, "value": v} for k, v in satu_data.items()],
        **satu_data,
    }


def package_for(user, dataset: Dataset) -> dict:
    """What this user sees: the live dataset for its editors, otherwise the last published
    version when changes wait for review."""
    if permissions.can_view_draft(user, dataset) or dataset.state == Dataset.State.PUBLISHED:
        return package_dict(dataset)
    version = dataset.versions.order_by("-number").first()
    return dict(version.metadata) if version else package_dict(dataset)


def packages_for(user, datasets: list[Dataset]) -> list[dict]:
    """``package_for`` of many datasets, the last versions of those behind read in one
    query (not one each)."""
    behind = [
        d.pk
        for d in datasets
        if d.state != Dataset.State.PUBLISHED and not permissions.can_view_draft(user, d)
    ]
    latest = {}
    if behind:
        last_number = (
            DatasetVersion.objects.filter(dataset=OuterRef("dataset"))
            .order_by("-number")
            .values("number")[:1]
        )
        latest = {
            v.dataset_id: v.metadata
            for v in DatasetVersion.objects.filter(
                dataset_id__in=behind, number=Subquery(last_number)
            ).only("dataset_id", "metadata")
        }
    return [dict(latest[d.pk]) if d.pk in latest else package_dict(d) for d in datasets]


def absolutize(package: dict, base: str) -> dict:
    for resource in package.get("resources", []):
        if resource.get("url", "").startswith("/"):
            resource["url"] = base + resource["url"]
    return package


# --- catalog search -----------------------------------------------------------------------
# Search runs over ``SearchEntry`` documents (search_index.py): the published version for
# outsiders, the live dataset for its editors. Filters, facets, sorting and the titles a
# result page shows read the same documents, so what one audience cannot see never shapes
# its results, counts or page.

FACETS = search_index.FACET_FIELDS
SORTS = {
    "id": "dataset_id",
    "name": "name",
    "title": "title",
    "title_string": "title",
    "metadata_modified": "modified_at",
    "metadata_created": "created_at",
    "score": "score",
}
_FQ_TERM = re.compile(
    r'(-?)([a-z_]+):(?:"([^"]*)"|\[([^\]]*)\]|(\S+))',
)


@dataclass
class SearchResult:
    """One page of search results: ``entries`` are the page's documents (each dataset as
    this user may see it: ``name``, ``title``, ``kind``; ``dataset`` with its organisation
    joined); ``datasets`` loads the page's datasets for package dictionaries on first use."""

    count: int
    entries: list[SearchEntry]
    facets: dict[str, dict[str, int]] = field(default_factory=dict)

    @cached_property
    def datasets(self) -> list[Dataset]:
        ids = [e.dataset_id for e in self.entries]
        found = _with_package_parts(Dataset.objects.all()).in_bulk(ids) if ids else {}
        return [found[pk] for pk in ids if pk in found]


def _search_error(message: str) -> ValidationError:
    error = ValidationError(message, fields={"q": [message]})
    error.search = True
    return error


def _facet_term(name: str, value: str) -> Q:
    if name == "res_format":
        value = value.upper()
    holders = SearchFacet.objects.filter(field=name, value=value).values("entry_id")
    return Q(pk__in=holders)


def parse_fq(fq: str) -> Q:
    """``organization:x tags:"a b" -groups:y metadata_modified:[2026-01-01 TO *]``, as a
    filter on search documents."""
    condition = Q()
    rest = _FQ_TERM.sub(" ", fq or "").strip()
    if rest and rest not in ("*:*", "+", "AND"):
        raise _search_error(_("Cannot read the filter: %(text)s") % {"text": rest[:80]})
    for negate, name, quoted, ranged, plain in _FQ_TERM.findall(fq or ""):
        value = quoted or plain
        if name in FACETS:
            term = _facet_term(name, value)
        elif name in ("name", "id"):
            term = Q(name=value) if name == "name" else _id_term(value)
        elif name in ("metadata_modified", "metadata_created") and ranged:
            bounds = [b.strip() for b in ranged.split(" TO ")]
            if len(bounds) != 2:
                raise _search_error(_("A range is written [from TO to]."))
            column = SORTS[name]
            term = Q()
            for bound, lookup in zip(bounds, ("gte", "lte"), strict=True):
                if bound == "*":
                    continue
                moment = _parse_moment(bound)
                term &= Q(**{f"{column}__{lookup}": moment})
        else:
            raise _search_error(_("Cannot filter on %(name)s.") % {"name": name[:40]})
        condition &= ~term if negate else term
    return condition


def _id_term(value: str) -> Q:
    try:
        return Q(dataset_id=uuid.UUID(value))
    except ValueError:
        return Q(pk__in=[])


def _parse_moment(text: str) -> datetime:
    from datetime import UTC

    moment = parse_datetime(text.replace("Z", "+00:00")) if "T" in text else None
    if moment is None:
        try:
            moment = datetime.fromisoformat(text[:10])
        except ValueError:
            raise _search_error(_("Not a date: %(text)s") % {"text": text[:40]}) from None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment


def parse_sort(sort: str, ranked: bool = False) -> list[str]:
    """Order of search documents for CKAN's ``sort``; ``score`` counts only where the query
    has words to rank by (``ranked``)."""
    order = []
    for part in (sort or "").split(","):
        bits = part.split()
        if not bits:
            continue
        name = bits[0]
        direction = bits[1].lower() if len(bits) > 1 else "asc"
        if name not in SORTS or direction not in ("asc", "desc"):
            raise _search_error(_("Cannot sort by %(text)s.") % {"text": part.strip()[:60]})
        column = SORTS[name]
        if column != "score" or ranked:
            order.append(("-" if direction == "desc" else "") + column)
    return order


def search_datasets(
    user,
    *,
    q: str = "",
    fq: str = "",
    filters: dict[str, list[str]] | None = None,
    sort: str = "",
    rows: int = 10,
    start: int = 0,
    facet_fields: list[str] | None = None,
    facet_limit: int = 50,
) -> SearchResult:
    entries = search_index.entries_for(
        user, permissions.visible_filter(user), permissions.draft_filter(user)
    )
    condition = parse_fq(fq)
    for name, values in (filters or {}).items():
        if name in FACETS and values:
            for value in values:
                condition &= _facet_term(name, value)
    words = []
    for word in (q or "").split()[:20]:
        if word in ("*:*", "*"):
            continue
        if ":" in word and not word.startswith("http"):
            condition &= parse_fq(word)
            continue
        words.append(word)
    text = " ".join(words)
    matches = search_index.match(entries.filter(condition) if condition else entries, text)
    page, count = _result_page(matches, search_index.score(text), sort, rows, start)
    facets = _facet_counts(matches, facet_fields, facet_limit)
    return SearchResult(count=count, entries=page, facets=facets)


def _result_page(matches: QuerySet, score, sort: str, rows: int, start: int):
    """The page's documents and the number of matches, in one query (a window count) unless
    the page is empty."""
    order = parse_sort(sort, ranked=score is not None)
    order = order or (["-score", "-modified_at"] if score is not None else ["-modified_at"])
    ranked = matches.annotate(score=score) if score is not None else matches
    page = []
    if rows:
        page = list(
            ranked.select_related("dataset__organization")
            .defer("text", "stems")
            .annotate(total=Window(Count("pk")))
            .order_by(*order, "dataset_id")[start : start + rows]
        )
    if page:
        return page, page[0].total
    return page, matches.count() if rows == 0 or start else 0


def _facet_counts(matches: QuerySet, names: list[str] | None, limit: int) -> dict:
    facets: dict[str, dict[str, int]] = {name: {} for name in names or [] if name in FACETS}
    if not facets:
        return facets
    counts = (
        SearchFacet.objects.filter(entry__in=matches.values("pk"), field__in=list(facets))
        .values("field", "value")
        .annotate(n=Count("entry_id"))
        .order_by("field", "-n", "value")
    )
    for row in counts:
        bucket = facets[row["field"]]
        if len(bucket) < limit:
            bucket[row["value"]] = row["n"]
    return facets


def entry_formats(entries: list[SearchEntry]) -> None:
    """Set ``formats`` on each document: its resources' formats, as that document holds
    them (one query for the page)."""
    by_entry: dict[int, list[str]] = {e.pk: [] for e in entries}
    rows = SearchFacet.objects.filter(entry__in=list(by_entry), field="res_format")
    for entry_id, value in rows.order_by("value").values_list("entry_id", "value"):
        by_entry[entry_id].append(value)
    for entry in entries:
        entry.formats = by_entry[entry.pk]


def facet_titles(name: str, keys: list[str]) -> dict[str, str]:
    if name == "organization":
        return dict(Agency.objects.filter(slug__in=keys).values_list("slug", "name"))
    if name == "groups":
        return dict(Group.objects.filter(name__in=keys).values_list("name", "title"))
    return {k: k for k in keys}
