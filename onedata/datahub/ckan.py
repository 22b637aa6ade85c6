"""The CKAN Action API (``/api/3/action/<name>``), so CKAN clients work unchanged.

Envelope: ``{"help", "success": true, "result"}``; errors ``{"help", "success": false,
"error": {"__type", "message", ...}}`` with CKAN's statuses: Not Found Error 404,
Authorization Error 403, Validation Error 409 (field lists), Search Query Error 400.

Authentication: an API token in ``Authorization: <token>``, ``Authorization: Bearer
<token>`` or ``X-CKAN-API-Key``. A browser session counts for GET only; a POST without a
token is anonymous (no cross-site writes through the session cookie).
Every action calls the same permission functions and services as the pages.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Callable

from django.conf import settings
from django.http import HttpResponse, JsonResponse
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt

from onedata.core import services as core_services
from onedata.core.errors import Conflict, DomainError, NotAuthorized, NotFound, ValidationError
from onedata.core.models import Agency
from onedata.datahub import (
    datastore,
    permissions,
    resource_views,
    search_index,
    selectors,
    services,
    tabular,
)
from onedata.datahub.models import Dataset, Group, Resource, SearchFacet, Tag

logger = logging.getLogger("onedata.datahub.ckan")

CKAN_VERSION = "2.10.4"
ACTIONS: dict[str, Callable] = {}
WRITE_ACTIONS: set[str] = set()


class SearchError(DomainError):
    status = 400
    code = "search"


def action(name: str, *, write: bool = False):
    def register(func):
        ACTIONS[name] = func
        if write:
            WRITE_ACTIONS.add(name)
        return func

    return register


# --- plumbing -----------------------------------------------------------------------------


def _token_user(request):
    header = request.headers.get("Authorization", "").strip()
    token = request.headers.get("X-CKAN-API-Key", "").strip()
    if header:
        token = header[7:].strip() if header.lower().startswith("bearer ") else header
    if not token:
        return None
    return core_services.api_token_authenticate(token)


def _params(request) -> dict:
    if request.method == "GET":
        params = {}
        for key in request.GET:
            values = request.GET.getlist(key)
            params[key] = values if len(values) > 1 else values[0]
        return params
    content_type = request.content_type or ""
    if content_type.startswith("application/json") or (
        request.body[:1] in (b"{",) and not content_type.startswith("multipart")
    ):
        try:
            data = json.loads(request.body or b"{}")
        except (ValueError, UnicodeDecodeError):
            raise _BadRequest(_("Bad request - JSON Error: the body is not valid JSON.")) from None
        if not isinstance(data, dict):
            raise _BadRequest(_("Bad request - JSON Error: send a JSON object."))
        return data
    params = {}
    for key in request.POST:
        values = request.POST.getlist(key)
        params[key] = values if len(values) > 1 else values[0]
    for key in request.FILES:
        params[key] = request.FILES[key]
    return params


class _BadRequest(Exception):
    pass


def _envelope(request, name: str, *, result=None, error: dict | None = None, status=200):
    body = {"help": request.build_absolute_uri(f"/api/3/action/help_show?name={name}")}
    if error is None:
        body["success"] = True
        body["result"] = result
    else:
        body["success"] = False
        body["error"] = error
    response = JsonResponse(body, status=status, json_dumps_params={"ensure_ascii": False})
    response["Access-Control-Allow-Origin"] = "*"
    return response


@csrf_exempt
def action_view(request, name: str):
    if request.method not in ("GET", "POST"):
        return _envelope(
            request,
            name,
            error={"__type": "Bad request", "message": _("Use GET or POST.")},
            status=400,
        )
    func = ACTIONS.get(name)
    if func is None:
        return _envelope(
            request,
            name,
            error={"message": _("Bad request - Action name not known: %(n)s") % {"n": name[:60]}},
            status=400,
        )
    token_user = _token_user(request)
    if token_user is not None:
        user = token_user
    elif request.method == "GET":
        user = request.user
    else:
        from django.contrib.auth.models import AnonymousUser

        user = AnonymousUser()
    if name in WRITE_ACTIONS and request.method != "POST":
        return _envelope(
            request,
            name,
            error={"__type": "Bad request", "message": _("This action needs a POST request.")},
            status=400,
        )
    if name in WRITE_ACTIONS and not getattr(user, "is_authenticated", False):
        return _envelope(
            request,
            name,
            error={
                "__type": "Authorization Error",
                "message": _("Access denied: send an API token in the Authorization header."),
            },
            status=403,
        )
    try:
        params = _params(request)
        result = func(request, user, params)
    except _BadRequest as exc:
        return _envelope(request, name, error={"message": str(exc)}, status=400)
    except SearchError as exc:
        return _envelope(
            request,
            name,
            error={"__type": "Search Query Error", "message": exc.message},
            status=400,
        )
    except NotFound as exc:
        return _envelope(
            request, name, error={"__type": "Not Found Error", "message": exc.message}, status=404
        )
    except NotAuthorized as exc:
        return _envelope(
            request,
            name,
            error={"__type": "Authorization Error", "message": f"Access denied: {exc.message}"},
            status=403,
        )
    except (ValidationError, Conflict) as exc:
        if getattr(exc, "search", False):
            return _envelope(
                request,
                name,
                error={"__type": "Search Query Error", "message": exc.message},
                status=400,
            )
        error = {"__type": "Validation Error", "message": exc.message}
        error.update({k: v for k, v in exc.fields.items() if k not in ("__type", "message")})
        return _envelope(request, name, error=error, status=409)
    except DomainError as exc:
        return _envelope(
            request, name, error={"__type": "Bad request", "message": exc.message}, status=400
        )
    if isinstance(result, HttpResponse):
        return result
    return _envelope(request, name, result=result)


# --- parameter helpers --------------------------------------------------------------------


def _required(params: dict, key: str) -> str:
    value = params.get(key)
    if value in (None, "", []):
        raise ValidationError.for_field(key, _("Missing value"))
    if isinstance(value, list):
        value = value[0]
    return str(value)


def _int(params: dict, key: str, default: int, low: int = 0, high: int = 10**9) -> int:
    value = params.get(key, default)
    if value in (None, ""):
        return default
    try:
        number = int(value)
    except (TypeError, ValueError):
        raise ValidationError.for_field(key, _("Invalid integer")) from None
    if number < low or number > high:
        raise ValidationError.for_field(
            key, _("Must be between %(low)d and %(high)d") % {"low": low, "high": high}
        )
    return number


def _bool(params: dict, key: str, default: bool = False) -> bool:
    value = params.get(key, default)
    if isinstance(value, bool):
        return value
    return str(value).lower() in ("true", "1", "yes", "on")


def _json_param(params: dict, key: str, default):
    value = params.get(key, default)
    if isinstance(value, str):
        text = value.strip()
        if text.startswith(("{", "[")):
            try:
                return json.loads(text)
            except ValueError:
                raise ValidationError.for_field(key, _("Invalid JSON")) from None
    return value


def _list_param(params: dict, key: str) -> list[str]:
    value = _json_param(params, key, [])
    if isinstance(value, str):
        return [v.strip() for v in value.split(",") if v.strip()]
    if isinstance(value, list):
        return [str(v) for v in value]
    raise ValidationError.for_field(key, _("Give a list"))


def _base(request) -> str:
    return request.build_absolute_uri("/").rstrip("/")


def _package(request, user, dataset: Dataset) -> dict:
    return selectors.absolutize(selectors.package_for(user, dataset), _base(request))


# --- site ---------------------------------------------------------------------------------


@action("status_show")
def status_show(request, user, params):
    return {
        "site_title": _("Bali One Data"),
        "site_description": _("Open data of the Province of Bali"),
        "site_url": _base(request),
        "ckan_version": CKAN_VERSION,
        "api_version": 3,
        "locale_default": settings.LANGUAGE_CODE,
        "extensions": ["datastore", "dcat", "satudata"],
    }


@action("site_read")
def site_read(request, user, params):
    return True


@action("license_list")
def license_list(request, user, params):
    return [
        {"id": key, "title": title, "url": url, "status": "active"}
        for key, title, url in selectors.LICENSES
    ]


# --- packages -----------------------------------------------------------------------------


@action("package_list")
def package_list(request, user, params):
    limit = _int(params, "limit", 1000, 0, 100000)
    offset = _int(params, "offset", 0)
    names = (
        selectors.visible_datasets(user)
        .exclude(state=Dataset.State.DELETED)
        .filter(version__gt=0)
        .filter(access_level=Dataset.Access.PUBLIC)
        .order_by("name")
        .values_list("name", flat=True)
    )
    return list(names[offset : offset + limit])


@action("package_show")
def package_show(request, user, params):
    key = _required(params, "id") if "id" in params else _required(params, "name")
    return _package(request, user, selectors.dataset_get(user, key))


@action("package_search")
def package_search(request, user, params):
    rows = _int(params, "rows", 10, 0, 1000)
    start = _int(params, "start", 0)
    facet_fields = _list_param(params, "facet.field") if _bool(params, "facet", True) else []
    facet_limit = _int(params, "facet.limit", 50, -1, 1000)
    include_private = _bool(params, "include_private", False)
    searcher_user = user if include_private else None
    q = str(params.get("q") or "")
    fq = str(params.get("fq") or "")
    try:
        result = selectors.search_datasets(
            searcher_user if searcher_user is not None else _PublicOnly(user),
            q=q,
            fq=fq,
            sort=str(params.get("sort") or ""),
            rows=rows,
            start=start,
            facet_fields=facet_fields,
            facet_limit=facet_limit if facet_limit >= 0 else 1000,
        )
    except ValidationError as exc:
        raise SearchError(exc.message) from None
    base = _base(request)
    facets = {name: counts for name, counts in result.facets.items()}
    search_facets = {}
    for name, counts in result.facets.items():
        titles = selectors.facet_titles(name, list(counts))
        search_facets[name] = {
            "title": name,
            "items": [
                {"name": key, "display_name": titles.get(key, key), "count": n}
                for key, n in counts.items()
            ],
        }
    return {
        "count": result.count,
        "results": [
            selectors.absolutize(package, base)
            for package in selectors.packages_for(user, result.datasets)
        ],
        "facets": facets,
        "search_facets": search_facets,
        "sort": str(params.get("sort") or "score desc, metadata_modified desc"),
    }


class _PublicOnly:
    """Search as CKAN does without include_private: only public datasets, whoever asks."""

    is_authenticated = False
    is_active = False
    is_superuser = False

    def __init__(self, user):
        self.user = user


def _organization(params: dict, key: str = "owner_org") -> Agency:
    value = _required(params, key)
    agency = Agency.objects.filter(slug=value).first()
    if agency is None and value.isdigit():
        agency = Agency.objects.filter(pk=int(value)).first()
    if agency is None:
        raise ValidationError.for_field(key, _("Organization does not exist"))
    return agency


METADATA_KEYS = set(services.METADATA_FIELDS) | {"tags", "groups", "allowed_agencies"}


def _metadata_from(params: dict) -> dict:
    fields = {k: v for k, v in params.items() if k in METADATA_KEYS}
    if "maintainer" in params:
        fields["contact_name"] = params["maintainer"] or ""
    if "maintainer_email" in params:
        fields["contact_email"] = params["maintainer_email"] or ""
    if "spatial_code" in params:
        fields["spatial_region"] = params["spatial_code"]
    for extra in params.get("extras") or []:
        if isinstance(extra, dict) and extra.get("key") in METADATA_KEYS | {"spatial_code"}:
            key = "spatial_region" if extra["key"] == "spatial_code" else extra["key"]
            fields.setdefault(key, extra.get("value"))
    if "private" in params and "access_level" not in fields:
        fields["access_level"] = "internal" if _bool(params, "private") else "public"
    for key in ("tags", "groups"):
        if key in fields:
            fields[key] = _json_param(fields, key, [])
    return fields


@action("package_create", write=True)
def package_create(request, user, params):
    organization = _organization(params)
    fields = _metadata_from(params)
    dataset = services.dataset_create(
        actor=user,
        organization=organization,
        name=_required(params, "name"),
        title=str(params.get("title") or params.get("name")),
        **{k: v for k, v in fields.items() if k != "title"},
    )
    for resource in params.get("resources") or []:
        if isinstance(resource, dict) and resource.get("url"):
            services.resource_create(
                actor=user,
                dataset=dataset,
                name=resource.get("name", ""),
                description=resource.get("description", ""),
                url=resource["url"],
                format=resource.get("format", ""),
            )
    return _package(request, user, selectors.dataset_get(user, str(dataset.pk)))


def _editable(user, params) -> Dataset:
    key = _required(params, "id") if "id" in params else _required(params, "name")
    dataset = selectors.dataset_get(user, key)
    if not permissions.can_edit_dataset(user, dataset):
        raise NotAuthorized(_("You may not change this dataset."))
    return dataset


@action("package_update", write=True)
def package_update(request, user, params):
    dataset = _editable(user, params)
    fields = _metadata_from(params)
    fields.setdefault("tags", [])
    fields.setdefault("groups", [])
    services.dataset_update(actor=user, dataset=dataset, **fields)
    return _package(request, user, selectors.dataset_get(user, str(dataset.pk)))


@action("package_patch", write=True)
def package_patch(request, user, params):
    dataset = _editable(user, params)
    services.dataset_update(actor=user, dataset=dataset, **_metadata_from(params))
    return _package(request, user, selectors.dataset_get(user, str(dataset.pk)))


@action("package_delete", write=True)
def package_delete(request, user, params):
    key = _required(params, "id")
    dataset = selectors.dataset_get(user, key)
    services.dataset_delete(actor=user, dataset=dataset)
    return None


# --- organisations, groups, tags ----------------------------------------------------------


def _public_counts(user, field: str) -> dict:
    from django.db.models import Count

    rows = (
        Dataset.objects.filter(permissions.visible_filter(_PublicOnly(user)))
        .values(field)
        .annotate(n=Count("pk", distinct=True))
    )
    return {row[field]: row["n"] for row in rows}


@action("organization_list")
def organization_list(request, user, params):
    all_fields = _bool(params, "all_fields")
    counts = _public_counts(user, "organization_id")
    agencies = Agency.objects.filter(pk__in=[k for k in counts if k]).order_by("slug")
    if _bool(params, "include_empty", False) or all_fields:
        agencies = (
            Agency.objects.filter(
                kind__in=[Agency.Kind.DINAS, Agency.Kind.GOVERNMENT, Agency.Kind.OFFICE]
            ).order_by("slug")
            | agencies
        )
        agencies = agencies.distinct().order_by("slug")
    limit = _int(params, "limit", 1000, 0, 1000)
    offset = _int(params, "offset", 0)
    agencies = list(agencies[offset : offset + limit])
    if all_fields:
        return [selectors.organization_dict(a, counts.get(a.pk, 0)) for a in agencies]
    return [a.slug for a in agencies]


@action("organization_show")
def organization_show(request, user, params):
    key = _required(params, "id")
    agency = Agency.objects.filter(slug=key).first()
    if agency is None and key.isdigit():
        agency = Agency.objects.filter(pk=int(key)).first()
    if agency is None:
        raise NotFound(_("Organization not found"))
    visible = selectors.visible_datasets(_PublicOnly(user)).filter(organization=agency)
    data = selectors.organization_dict(agency, visible.count())
    if _bool(params, "include_datasets", False):
        data["packages"] = [_package(request, user, d) for d in visible.order_by("name")[:1000]]
    return data


def _published_facet_counts(user, field: str) -> dict[str, int]:
    """Counts of a facet over the public's search documents (last published versions), so
    a draft's new tags or themes never show."""
    from django.db.models import Count

    entries = search_index.entries_for(
        _PublicOnly(user), permissions.visible_filter(_PublicOnly(user)), None
    )
    rows = (
        SearchFacet.objects.filter(field=field, entry__in=entries.values("pk"))
        .values("value")
        .annotate(n=Count("entry_id"))
    )
    return {row["value"]: row["n"] for row in rows}


@action("group_list")
def group_list(request, user, params):
    counts = _published_facet_counts(user, "groups")
    groups = Group.objects.order_by("name")
    if _bool(params, "all_fields"):
        return [selectors.group_dict(g, counts.get(g.name, 0)) for g in groups]
    return [g.name for g in groups]


@action("group_show")
def group_show(request, user, params):
    key = _required(params, "id")
    group = Group.objects.filter(name=key).first()
    if group is None and key.isdigit():
        group = Group.objects.filter(pk=int(key)).first()
    if group is None:
        raise NotFound(_("Group not found"))
    # Membership as last published (the search documents' facets), as group_list counts
    # it: a draft moved to another theme stays where the public saw it.
    public = _PublicOnly(user)
    entries = search_index.entries_for(public, permissions.visible_filter(public), None)
    members = SearchFacet.objects.filter(
        field="groups", value=group.name, entry__in=entries.values("pk")
    ).values("entry__dataset_id")
    visible = selectors.visible_datasets(public).filter(pk__in=members)
    data = selectors.group_dict(group, visible.count())
    if _bool(params, "include_datasets", False):
        data["packages"] = [_package(request, user, d) for d in visible.order_by("name")[:1000]]
    return data


@action("tag_list")
def tag_list(request, user, params):
    query = str(params.get("query") or "")
    names = list(_published_facet_counts(user, "tags"))
    tags = Tag.objects.filter(name__in=names).order_by("name")
    if query:
        tags = tags.filter(name__icontains=query)
    if _bool(params, "all_fields"):
        return [{"id": str(t.pk), "name": t.name, "display_name": t.name} for t in tags]
    return [t.name for t in tags]


# --- resources ----------------------------------------------------------------------------


@action("resource_show")
def resource_show(request, user, params):
    resource = selectors.resource_get(user, _required(params, "id"))
    data = selectors.resource_dict(resource)
    if data["url"].startswith("/"):
        data["url"] = _base(request) + data["url"]
    return data


@action("resource_create", write=True)
def resource_create(request, user, params):
    dataset = selectors.dataset_get(user, _required(params, "package_id"))
    upload = params.get("upload")
    upload = upload if hasattr(upload, "read") else None
    resource = services.resource_create(
        actor=user,
        dataset=dataset,
        name=str(params.get("name") or ""),
        description=str(params.get("description") or ""),
        upload=upload,
        upload_name=getattr(upload, "name", "") if upload else "",
        url="" if upload else str(params.get("url") or ""),
        format=str(params.get("format") or ""),
    )
    resource = Resource.objects.select_related("datatable").get(pk=resource.pk)
    return resource_show(request, user, {"id": str(resource.pk)})


def _editable_resource(user, params) -> Resource:
    resource = selectors.resource_get(user, _required(params, "id"))
    if not permissions.can_edit_dataset(user, resource.dataset):
        raise NotAuthorized(_("You may not change this dataset."))
    return resource


@action("resource_update", write=True)
def resource_update(request, user, params):
    resource = _editable_resource(user, params)
    upload = params.get("upload")
    if hasattr(upload, "read"):
        services.resource_replace_file(
            actor=user, resource=resource, upload=upload, upload_name=upload.name
        )
    services.resource_update(
        actor=user,
        resource=resource,
        **{k: params.get(k) for k in ("name", "description", "url", "format")},
    )
    return resource_show(request, user, {"id": str(resource.pk)})


@action("resource_patch", write=True)
def resource_patch(request, user, params):
    resource = _editable_resource(user, params)
    services.resource_update(
        actor=user,
        resource=resource,
        **{k: params[k] for k in ("name", "description", "url", "format") if k in params},
    )
    return resource_show(request, user, {"id": str(resource.pk)})


@action("resource_delete", write=True)
def resource_delete(request, user, params):
    services.resource_delete(actor=user, resource=_editable_resource(user, params))
    return None


# --- DataStore ----------------------------------------------------------------------------


def _table(user, resource_id: str):
    resource = selectors.resource_get(user, resource_id)
    table = getattr(resource, "datatable", None)
    if table is None or table.generation == 0:
        raise NotFound(_('Resource "%(id)s" was not found in the DataStore.') % {"id": resource_id})
    return table


@action("datastore_info")
def datastore_info(request, user, params):
    key = _required(params, "id") if "id" in params else _required(params, "resource_id")
    table = _table(user, key)
    return {
        "meta": {"count": table.row_count, "table_type": "BASE TABLE", "id": key},
        "fields": [
            {
                "id": c["name"],
                "type": datastore.CKAN_TYPES.get(c["type"], "text"),
                "info": {"label": c.get("label", ""), "notes": c.get("description", "")},
                "schema": {"native_type": c["type"]},
            }
            for c in table.columns
        ],
    }


@action("datastore_search")
def datastore_search(request, user, params):
    resource_id = (
        _required(params, "resource_id") if "resource_id" in params else _required(params, "id")
    )
    table = _table(user, resource_id)
    filters = _json_param(params, "filters", {}) or {}
    if not isinstance(filters, dict):
        raise ValidationError.for_field("filters", _("Give an object of column: value."))
    limit = _int(params, "limit", 100, 0, datastore.MAX_LIMIT)
    offset = _int(params, "offset", 0)
    fields = _list_param(params, "fields")
    q = params.get("q") or ""
    if isinstance(q, dict):
        q = " ".join(str(v) for v in q.values())
    result = datastore.search(
        table,
        filters=filters,
        q=str(q),
        sort=str(params.get("sort") or ""),
        fields=fields or None,
        limit=limit,
        offset=offset,
        include_total=_bool(params, "include_total", True),
        distinct=_bool(params, "distinct", False),
    )
    records_format = str(params.get("records_format") or "objects")
    names = [f["id"] for f in result.fields]
    if records_format == "lists":
        records = [[r.get(n) for n in names] for r in result.records]
    elif records_format == "csv":
        text = tabular.csv_text(names, result.records)
        records = text.split("\n", 1)[1] if "\n" in text else ""
    elif records_format == "objects":
        records = result.records
    else:
        raise ValidationError.for_field("records_format", _("Use objects, lists or csv."))
    base = f"/api/3/action/datastore_search?resource_id={resource_id}"
    payload = {
        "resource_id": resource_id,
        "fields": result.fields,
        "records": records,
        "records_format": records_format,
        "limit": limit,
        "offset": offset,
        "_links": {
            "start": base + (f"&limit={limit}" if limit != 100 else ""),
            "next": base
            + f"&offset={offset + limit}"
            + (f"&limit={limit}" if limit != 100 else ""),
        },
    }
    if result.total is not None:
        payload["total"] = result.total
        payload["total_was_estimated"] = False
    if filters:
        payload["filters"] = filters
    if q:
        payload["q"] = q
    if params.get("sort"):
        payload["sort"] = params["sort"]
    return payload


@action("datastore_create", write=True)
def datastore_create(request, user, params):
    resource_id = params.get("resource_id")
    if not resource_id and isinstance(params.get("resource"), dict):
        spec = params["resource"]
        dataset = selectors.dataset_get(user, _required(spec, "package_id"))
        resource = services.resource_create(
            actor=user,
            dataset=dataset,
            name=str(spec.get("name") or "DataStore"),
            url=str(spec.get("url") or "https://datastore.invalid/"),
            format="CSV",
        )
        resource_id = str(resource.pk)
    resource = selectors.resource_get(user, _required({"resource_id": resource_id}, "resource_id"))
    if not permissions.can_edit_dataset(user, resource.dataset):
        raise NotAuthorized(_("You may not change this dataset."))
    fields = _json_param(params, "fields", []) or []
    records = _json_param(params, "records", []) or []
    if not isinstance(fields, list) or not all(isinstance(f, dict) and f.get("id") for f in fields):
        raise ValidationError.for_field("fields", _("Each field needs an id."))
    if not isinstance(records, list) or not all(isinstance(r, dict) for r in records):
        raise ValidationError.for_field("records", _("Give a list of objects."))
    if not fields and records:
        fields = [{"id": k} for k in records[0]]
    key = _primary_key(params)
    table = services.datastore_write(
        actor=user,
        resource=resource,
        fields=fields,
        records=records,
        replace=True,
        primary_key=key,
    )
    result = {"resource_id": str(resource.pk), "fields": fields, "method": "insert"}
    if key is not None:
        result["primary_key"] = datastore.primary_key(table)
    return result


def _primary_key(params) -> list[str] | None:
    """CKAN's ``primary_key``: a list of field ids, or one comma-separated string."""
    key = _json_param(params, "primary_key", None)
    if key is None or key == "":
        return None
    if isinstance(key, str):
        key = [part.strip() for part in key.split(",") if part.strip()]
    if not isinstance(key, list) or not all(isinstance(k, str) and k for k in key):
        raise ValidationError.for_field("primary_key", _("Give a list of field ids."))
    return key


@action("datastore_upsert", write=True)
def datastore_upsert(request, user, params):
    resource = selectors.resource_get(user, _required(params, "resource_id"))
    if not permissions.can_edit_dataset(user, resource.dataset):
        raise NotAuthorized(_("You may not change this dataset."))
    table = _table(user, str(resource.pk))
    records = _json_param(params, "records", []) or []
    if not isinstance(records, list) or not all(isinstance(r, dict) for r in records):
        raise ValidationError.for_field("records", _("Give a list of objects."))
    method = str(params.get("method") or datastore.UPSERT)
    if method not in datastore.METHODS:
        raise ValidationError.for_field("method", _("Choose insert, upsert or update."))
    fields = [{"id": c["name"], "type": datastore.CKAN_TYPES[c["type"]]} for c in table.columns]
    services.datastore_write(
        actor=user,
        resource=resource,
        fields=fields,
        records=records,
        replace=False,
        method=method,
    )
    return {"resource_id": str(resource.pk), "method": method, "records": records}


@action("datastore_delete", write=True)
def datastore_delete(request, user, params):
    resource = selectors.resource_get(user, _required(params, "resource_id"))
    if not permissions.can_edit_dataset(user, resource.dataset):
        raise NotAuthorized(_("You may not change this dataset."))
    filters = _json_param(params, "filters", None)
    if filters:
        if not isinstance(filters, dict):
            raise ValidationError.for_field("filters", _("Give an object of field: value."))
        services.datastore_rows_delete(actor=user, resource=resource, filters=filters)
        return {"resource_id": str(resource.pk), "filters": filters}
    services.datastore_clear(actor=user, resource=resource)
    return {"resource_id": str(resource.pk)}


@action("datastore_search_sql")
def datastore_search_sql(request, user, params):
    """A read-only SELECT over DataStore tables named by resource id in double quotes;
    anything else, any table the caller may not read, or a query over the time limit is
    refused with a Validation Error naming ``sql``."""
    sql = _required(params, "sql")
    result = datastore.search_sql(user, sql)
    payload = {"sql": sql, "fields": result.fields, "records": result.records}
    if result.truncated:
        payload["records_truncated"] = True
    return payload


# --- resource views (saved charts) ----------------------------------------------------------


def _view_settings(params: dict) -> dict:
    """A view's settings as CKAN sends them: top-level keys, or a ``config`` object."""
    config = _json_param(params, "config", {}) or {}
    if not isinstance(config, dict):
        raise ValidationError.for_field("config", _("Give an object."))
    settings = dict(config)
    for key in resource_views.CONFIG_KEYS:
        if key in params:
            settings[key] = _json_param(params, key, None) if key == "filters" else params[key]
    return settings


def _view_result(view) -> dict:
    return resource_views.view_dict(view, str(view.resource.dataset_id))


@action("resource_view_list")
def resource_view_list(request, user, params):
    resource = selectors.resource_get(user, _required(params, "id"))
    return [
        resource_views.view_dict(v, str(resource.dataset_id))
        for v in resource_views.view_list(user, resource)
    ]


@action("resource_view_show")
def resource_view_show(request, user, params):
    return _view_result(resource_views.view_get(user, _required(params, "id")))


@action("resource_view_create", write=True)
def resource_view_create(request, user, params):
    resource = selectors.resource_get(user, _required(params, "resource_id"))
    view = resource_views.resource_view_create(
        actor=user,
        resource=resource,
        title=_required(params, "title"),
        description=str(params.get("description") or ""),
        view_type=_required(params, "view_type"),
        settings=_view_settings(params),
    )
    return _view_result(view)


@action("resource_view_update", write=True)
def resource_view_update(request, user, params):
    view = resource_views.view_get(user, _required(params, "id"))
    view = resource_views.resource_view_update(
        actor=user,
        view=view,
        title=params.get("title"),
        description=params.get("description"),
        settings=_view_settings(params),
    )
    return _view_result(view)


@action("resource_view_delete", write=True)
def resource_view_delete(request, user, params):
    view = resource_views.view_get(user, _required(params, "id"))
    resource_views.resource_view_delete(actor=user, view=view)
    return None


@action("resource_view_reorder", write=True)
def resource_view_reorder(request, user, params):
    resource = selectors.resource_get(user, _required(params, "id"))
    order = _list_param(params, "order")
    views = resource_views.resource_view_reorder(actor=user, resource=resource, order=order)
    return {"id": str(resource.pk), "order": [str(v.pk) for v in views]}
