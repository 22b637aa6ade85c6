"""Pages of the data hub: catalog search, dataset page with table preview and chart,
producer forms, the steward's review queue, version history, downloads and DCAT."""

from __future__ import annotations

import logging

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import (
    FileResponse,
    Http404,
    HttpResponse,
    JsonResponse,
    QueryDict,
    StreamingHttpResponse,
)
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST

from onedata.core.errors import DomainError, NotFound
from onedata.core.models import Agency
from onedata.datahub import (
    charts,
    datastore,
    dcat,
    exports,
    permissions,
    resource_views,
    selectors,
    services,
)
from onedata.datahub.forms import DatasetForm, ResourceForm, ResourceViewForm, ReviewForm
from onedata.datahub.models import Dataset, DatasetVersion, ResourceView

logger = logging.getLogger("onedata.datahub")

PAGE_SIZE = 20
TABLE_PAGE = 25
STATE_BADGE = {
    Dataset.State.DRAFT: "badge-neutral",
    Dataset.State.REVIEW: "badge-warn",
    Dataset.State.PUBLISHED: "badge-ok",
    Dataset.State.DELETED: "badge-danger",
}
ACCESS_BADGE = {
    Dataset.Access.PUBLIC: "badge-ok",
    Dataset.Access.INTERNAL: "badge-warn",
    Dataset.Access.RESTRICTED: "badge-danger",
}


VERB_WORDS = {
    "created": gettext_lazy("created the draft"),
    "updated": gettext_lazy("changed the metadata"),
    "resource_added": gettext_lazy("added a resource"),
    "resource_updated": gettext_lazy("changed a resource"),
    "resource_deleted": gettext_lazy("removed a resource"),
    "submitted": gettext_lazy("sent it for review"),
    "published": gettext_lazy("approved and published it"),
    "sent_back": gettext_lazy("sent it back"),
    "deleted": gettext_lazy("deleted it"),
    "dictionary_updated": gettext_lazy("changed the data dictionary"),
}


def _activities(request, dataset: Dataset) -> list:
    rows = dataset.activities.select_related("actor")
    if not permissions.can_view_draft(request.user, dataset):
        rows = rows.filter(verb="published")
    rows = list(rows[:10])
    for row in rows:
        row.words = VERB_WORDS.get(row.verb, row.verb)
    return rows


def _dataset(request, name: str) -> Dataset:
    try:
        return selectors.dataset_get(request.user, name)
    except NotFound:
        raise Http404 from None


# --- catalog ------------------------------------------------------------------------------


def home(request):
    """Catalog search with facets (organisation, theme, tag, format)."""
    q = request.GET.get("q", "")[:200]
    filters = {
        name: request.GET.getlist(name) for name in ("organization", "groups", "tags", "res_format")
    }
    try:
        page = max(1, int(request.GET.get("page", "1")))
    except ValueError:
        page = 1
    result = selectors.search_datasets(
        request.user,
        q=q,
        filters=filters,
        rows=PAGE_SIZE,
        start=(page - 1) * PAGE_SIZE,
        facet_fields=["organization", "groups", "tags", "res_format"],
        facet_limit=10,
    )
    selectors.entry_formats(result.entries)
    facet_labels = {
        "organization": _("Organisation"),
        "groups": _("Theme"),
        "tags": _("Tag"),
        "res_format": _("Format"),
    }
    facets = []
    for name, counts in result.facets.items():
        titles = selectors.facet_titles(name, list(counts))
        chosen = set(filters.get(name, []))
        facets.append(
            {
                "name": name,
                "label": facet_labels[name],
                "items": [
                    {"key": k, "title": titles.get(k, k), "count": n, "chosen": k in chosen}
                    for k, n in counts.items()
                ],
            }
        )
    pages = (result.count + PAGE_SIZE - 1) // PAGE_SIZE
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "datahub/home.html",
        {
            "q": q,
            "result": result,
            "facets": facets,
            "page": page,
            "pages": pages,
            "query": query.urlencode(),
            "state_badge": STATE_BADGE,
            "access_badge": ACCESS_BADGE,
            "can_create": permissions.can_create_dataset(request.user),
            "can_review": permissions.can_view_review_queue(request.user),
        },
    )


# --- dataset ------------------------------------------------------------------------------


def dataset_detail(request, name: str):
    dataset = _dataset(request, name)
    package = selectors.package_for(request.user, dataset)
    live = permissions.can_view_draft(request.user, dataset) or (
        dataset.state == Dataset.State.PUBLISHED
    )
    visible_ids = {r["id"] for r in package["resources"]}
    resources = [r for r in dataset.resources.all() if str(r.pk) in visible_ids]
    tables = []
    for resource in resources:
        table = getattr(resource, "datatable", None) if resource.is_tabular else None
        tables.append((resource, table))
    preview = next(((r, t) for r, t in tables if t and t.generation), None)
    chart = None
    if preview:
        try:
            chart = charts.build(request.user, preview[1], request.GET)
        except DomainError as error:
            logger.warning("chart for %s not drawn: %s", preview[0].pk, error.message)
            chart = None
    can_manage_views = permissions.can_manage_resource_views(request.user, dataset)
    return render(
        request,
        "datahub/dataset_detail.html",
        {
            "dataset": dataset,
            "package": package,
            "live": live,
            "tables": tables,
            "preview": preview,
            "chart": chart,
            "saved_charts": _saved_charts(request.user, tables),
            "can_manage_views": can_manage_views,
            "save_chart_query": _builder_query(chart) if chart and can_manage_views else "",
            "can_edit": permissions.can_edit_dataset(request.user, dataset),
            "can_submit": permissions.can_submit_dataset(request.user, dataset),
            "can_review": permissions.can_review_dataset(request.user, dataset),
            "review_form": ReviewForm(),
            "activities": _activities(request, dataset),
            "state_badge": STATE_BADGE,
            "access_badge": ACCESS_BADGE,
        },
    )


def _saved_charts(user, tables) -> list[dict]:
    """The saved charts (resource views) of the resources shown, each drawn."""
    live = {str(r.pk): t for r, t in tables if t and t.generation}
    drawn = []
    grouped = resource_views.views_for_resources([r.pk for r, _t in tables])
    for resource, _table in tables:
        for view in grouped.get(str(resource.pk), []):
            entry = {"view": view, "resource": resource, "chart": None}
            table = live.get(str(resource.pk))
            if table is not None:
                config, errors = charts.clean(table.columns, view.config)
                try:
                    entry["chart"] = charts.draw(user, table, config) if config else None
                except DomainError as error:
                    logger.warning("saved chart %s not drawn: %s", view.pk, error.message)
                entry["broken"] = bool(errors)
            drawn.append(entry)
    return drawn


def _builder_query(chart) -> str:
    query = QueryDict(mutable=True)
    query.update({"chart": chart.kind, "x": chart.label, "y": chart.value, "agg": chart.aggregate})
    if chart.filter_column:
        query.update({"fcol": chart.filter_column, "fval": chart.filter_value})
    return query.urlencode()


@login_required
@require_http_methods(["GET", "POST"])
def dataset_create(request):
    if not permissions.can_create_dataset(request.user):
        raise PermissionDenied
    agencies = _agencies_for(request.user)
    form = DatasetForm(request.POST or None, agencies=agencies)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            dataset = services.dataset_create(
                actor=request.user,
                organization=data["organization"],
                name=data["name"],
                **form.service_fields(),
            )
        except DomainError as error:
            form.apply(error)
        else:
            messages.success(request, _("Draft saved. Now add a file or a link."))
            return redirect("datahub:resource_add", dataset.name)
    return render(
        request,
        "datahub/dataset_form.html",
        {"form": form, "title": _("New dataset")},
        status=400 if form.errors else 200,
    )


def _agencies_for(user):
    return [
        a
        for a in Agency.objects.select_related("region")
        if permissions.can_create_dataset(user, a)
    ]


@login_required
@require_http_methods(["GET", "POST"])
def dataset_edit(request, name: str):
    dataset = _dataset(request, name)
    if not permissions.can_edit_dataset(request.user, dataset):
        raise PermissionDenied
    initial = {
        "title": dataset.title,
        "notes": dataset.notes,
        "tags": ", ".join(t.name for t in dataset.tags.all()),
        "groups": [g.name for g in dataset.groups.all()],
        "spatial_region": dataset.spatial_region.code if dataset.spatial_region else "",
    }
    for field in (
        "license_id",
        "access_level",
        "update_frequency",
        "temporal_start",
        "temporal_end",
        "contact_name",
        "contact_email",
        "concept",
        "definition",
        "classification",
        "unit",
        "is_priority",
        "reference_code",
        "require_valid",
    ):
        initial[field] = getattr(dataset, field)
    form = DatasetForm(request.POST or None, initial=initial, editing=True)
    if request.method == "POST" and form.is_valid():
        try:
            services.dataset_update(actor=request.user, dataset=dataset, **form.service_fields())
        except DomainError as error:
            form.apply(error)
        else:
            messages.success(request, _("Changes saved as a draft. Send it for review to publish."))
            return redirect("datahub:dataset_detail", dataset.name)
    return render(
        request,
        "datahub/dataset_form.html",
        {"form": form, "title": _("Edit dataset"), "dataset": dataset},
        status=400 if form.errors else 200,
    )


@login_required
@require_http_methods(["GET", "POST"])
def resource_add(request, name: str):
    dataset = _dataset(request, name)
    if not permissions.can_edit_dataset(request.user, dataset):
        raise PermissionDenied
    form = ResourceForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        upload = data.get("upload")
        try:
            services.resource_create(
                actor=request.user,
                dataset=dataset,
                name=data.get("name", ""),
                description=data.get("description", ""),
                upload=upload,
                upload_name=upload.name if upload else "",
                url=data.get("url", ""),
            )
        except DomainError as error:
            form.apply(error)
        else:
            messages.success(request, _("Resource added. Tables are loaded in the background."))
            return redirect("datahub:dataset_detail", dataset.name)
    return render(
        request,
        "datahub/resource_form.html",
        {"form": form, "dataset": dataset},
        status=400 if form.errors else 200,
    )


@login_required
@require_POST
def dataset_submit(request, name: str):
    dataset = _dataset(request, name)
    if not permissions.can_submit_dataset(request.user, dataset):
        raise PermissionDenied
    services.dataset_submit(actor=request.user, dataset=dataset)
    messages.success(request, _("Sent for review. The data steward will approve or send it back."))
    return redirect("datahub:dataset_detail", dataset.name)


@login_required
@require_POST
def dataset_review(request, name: str):
    dataset = _dataset(request, name)
    if not permissions.can_review_dataset(request.user, dataset):
        raise PermissionDenied
    form = ReviewForm(request.POST)
    if form.is_valid():
        try:
            if form.cleaned_data["decision"] == "approve":
                version = services.dataset_approve(
                    actor=request.user, dataset=dataset, note=form.cleaned_data["comment"]
                )
                messages.success(request, _("Published as version %(n)d.") % {"n": version.number})
            else:
                services.dataset_send_back(
                    actor=request.user, dataset=dataset, comment=form.cleaned_data["comment"]
                )
                messages.success(request, _("Sent back to the producer with your comment."))
        except DomainError as error:
            messages.error(request, error.message)
    else:
        messages.error(request, _("Write a comment when you send a dataset back."))
    return redirect("datahub:dataset_detail", dataset.name)


@login_required
def review_queue(request):
    if not permissions.can_view_review_queue(request.user):
        raise PermissionDenied
    waiting = [
        d
        for d in selectors.visible_datasets(request.user)
        .filter(state=Dataset.State.REVIEW)
        .order_by("modified_at")
        if permissions.can_review_dataset(request.user, d)
    ]
    return render(request, "datahub/review_queue.html", {"datasets": waiting})


# --- versions ---------------------------------------------------------------------------


def _diff(old: dict, new: dict) -> list[dict]:
    skip = {"resources", "organization", "metadata_modified", "extras", "version", "groups", "tags"}
    rows = []
    for key in sorted(set(old) | set(new)):
        if key in skip:
            continue
        if old.get(key) != new.get(key):
            rows.append({"field": key, "old": old.get(key), "new": new.get(key)})
    for key in ("tags", "groups"):
        before = sorted(t["name"] for t in old.get(key, []))
        after = sorted(t["name"] for t in new.get(key, []))
        if before != after:
            rows.append({"field": key, "old": ", ".join(before), "new": ", ".join(after)})
    before = sorted(r["name"] for r in old.get("resources", []))
    after = sorted(r["name"] for r in new.get("resources", []))
    if before != after or [r.get("hash") for r in old.get("resources", [])] != [
        r.get("hash") for r in new.get("resources", [])
    ]:
        rows.append({"field": "resources", "old": ", ".join(before), "new": ", ".join(after)})
    return rows


def dataset_versions(request, name: str):
    dataset = _dataset(request, name)
    versions = list(dataset.versions.select_related("created_by").order_by("-number"))
    entries = []
    for index, version in enumerate(versions):
        previous = versions[index + 1] if index + 1 < len(versions) else None
        entries.append(
            {
                "version": version,
                "diff": _diff(previous.metadata, version.metadata) if previous else [],
            }
        )
    return render(request, "datahub/versions.html", {"dataset": dataset, "entries": entries})


def version_download(request, name: str, number: int, resource_id: str):
    dataset = _dataset(request, name)
    version = DatasetVersion.objects.filter(dataset=dataset, number=number).first()
    if version is None:
        raise Http404
    entry = next((r for r in version.resources if r["id"] == resource_id), None)
    if entry is None or not entry.get("file"):
        raise Http404
    return _file_response(entry["file"], entry.get("name") or "data", entry.get("format", ""))


def _file_response(storage_name: str, label: str, fmt: str):
    from django.core.files.storage import default_storage

    if not default_storage.exists(storage_name):
        raise Http404
    extension = storage_name.rsplit(".", 1)[-1]
    filename = label if label.lower().endswith("." + extension) else f"{label}.{extension}"
    return FileResponse(
        default_storage.open(storage_name, "rb"), as_attachment=True, filename=filename
    )


# --- resources --------------------------------------------------------------------------


def _resource(request, resource_id):
    try:
        return selectors.resource_get(request.user, str(resource_id))
    except NotFound:
        raise Http404 from None


def resource_download(request, resource_id):
    resource = _resource(request, resource_id)
    if resource.kind == resource.Kind.LINK:
        return redirect(resource.url)
    if not resource.file:
        raise Http404
    return _file_response(
        resource.file.name, resource.original_name or resource.name, resource.format
    )


def resource_status(request, resource_id):
    """The load progress (htmx polls this fragment while a table loads)."""
    resource = _resource(request, resource_id)
    table = getattr(resource, "datatable", None)
    if table is None:
        raise Http404
    return render(request, "datahub/_table_status.html", {"resource": resource, "table": table})


def _table_query(request, table) -> dict:
    """The table view's filter, search words and sort from the query string, checked
    against the table's columns."""
    names = [c["name"] for c in table.columns]
    sort = request.GET.get("sort", "")
    if sort.lstrip("-") not in names:
        sort = ""
    column = request.GET.get("col", "")
    value = request.GET.get("val", "")[:200]
    return {
        "sort": sort,
        "col": column,
        "val": value,
        "q": request.GET.get("q", "")[:200],
        "filters": {column: value} if column in names and value else {},
        "sort_text": (
            f"{sort.lstrip('-')} {'desc' if sort.startswith('-') else 'asc'}" if sort else ""
        ),
    }


def resource_table(request, resource_id):
    """The table preview: paged, sorted, filtered through the DataStore (htmx fragment)."""
    resource = _resource(request, resource_id)
    table = getattr(resource, "datatable", None)
    if table is None or not table.generation:
        raise Http404
    query = _table_query(request, table)
    if request.GET.get("format", "") in exports.FORMATS:
        return _export(request, resource, table, query)
    try:
        page = max(1, int(request.GET.get("page", "1")))
    except ValueError:
        page = 1
    result = datastore.search(
        table,
        filters=query["filters"],
        q=query["q"],
        sort=query["sort_text"],
        limit=TABLE_PAGE,
        offset=(page - 1) * TABLE_PAGE,
    )
    pages = max(1, ((result.total or 0) + TABLE_PAGE - 1) // TABLE_PAGE)
    names = [c["name"] for c in table.columns]
    rows = [[record.get(n) for n in names] for record in result.records]
    keep = QueryDict(mutable=True)
    keep.update({k: query[k] for k in ("col", "val", "q") if query[k]})
    context = {
        "resource": resource,
        "table": table,
        "columns": table.columns,
        "rows": rows,
        "total": result.total,
        "page": page,
        "pages": pages,
        "sort": query["sort"],
        "col": query["col"],
        "val": query["val"],
        "q": query["q"],
        "keep": keep.urlencode(),
        "export_limit": settings.DATAHUB_EXPORT_MAX_ROWS,
        "base": reverse("datahub:resource_table", args=[resource.pk]),
    }
    return render(request, "datahub/_table.html", context)


def _export(request, resource, table, query) -> HttpResponse:
    """The filtered, sorted view as CSV, XLSX or JSON, up to the row limit (``limit`` may
    ask for fewer)."""
    fmt = request.GET["format"]
    limit = settings.DATAHUB_EXPORT_MAX_ROWS
    asked = request.GET.get("limit", "")
    if asked.isdigit():
        limit = max(1, min(limit, int(asked)))
    rows = exports.records(
        table, filters=query["filters"], q=query["q"], sort=query["sort_text"], limit=limit
    )
    names = [c["name"] for c in table.columns]
    filename = f"{resource.pk}.{fmt}"
    if fmt == "xlsx":
        return FileResponse(
            exports.xlsx_file(table.columns, rows),
            as_attachment=True,
            filename=filename,
            content_type=exports.FORMATS[fmt],
        )
    chunks = exports.csv_chunks(names, rows) if fmt == "csv" else exports.json_chunks(names, rows)
    response = StreamingHttpResponse(chunks, content_type=exports.FORMATS[fmt])
    if fmt == "csv":
        response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


# --- saved charts (resource views) ------------------------------------------------------


def _view(request, view_id) -> ResourceView:
    try:
        view = resource_views.view_get(request.user, view_id)
    except NotFound:
        raise Http404 from None
    if not permissions.can_manage_resource_views(request.user, view.resource.dataset):
        raise PermissionDenied
    return view


def _live_table(resource):
    table = getattr(resource, "datatable", None)
    if table is None or not table.generation:
        raise Http404
    return table


def _view_form_page(request, *, resource, table, form, view=None):
    preview = None
    data = form.data if form.is_bound else form.initial
    config, _errors = charts.clean(table.columns, ResourceViewForm.settings_from(data))
    if config:
        try:
            preview = charts.draw(request.user, table, config)
        except DomainError as error:
            logger.warning("chart preview for %s not drawn: %s", resource.pk, error.message)
    if preview and not form.is_bound and not form.initial.get("title"):
        form.initial["title"] = preview.title  # a new chart: its drawn title to start from
    return render(
        request,
        "datahub/view_form.html",
        {
            "form": form,
            "resource": resource,
            "dataset": resource.dataset,
            "view": view,
            "chart": preview,
        },
        status=400 if form.errors else 200,
    )


@login_required
@require_http_methods(["GET", "POST"])
def view_create(request, resource_id):
    """Save a chart of a resource: the builder's choices come in the query string."""
    resource = _resource(request, resource_id)
    if not permissions.can_manage_resource_views(request.user, resource.dataset):
        raise PermissionDenied
    table = _live_table(resource)
    if request.method == "POST":
        form = ResourceViewForm(request.POST, columns=table.columns)
    else:
        config, _errors = charts.clean(table.columns, request.GET)
        form = ResourceViewForm(
            initial=ResourceViewForm.initial_from(config), columns=table.columns
        )
    if request.method == "POST" and form.is_valid() and "preview" not in request.POST:
        try:
            resource_views.resource_view_create(
                actor=request.user,
                resource=resource,
                title=form.cleaned_data["title"],
                description=form.cleaned_data["description"],
                settings=form.settings(),
            )
        except DomainError as error:
            form.apply(error)
        else:
            messages.success(request, _("Chart saved. Everyone who can see this data sees it."))
            return redirect(
                reverse("datahub:dataset_detail", args=[resource.dataset.name]) + "#saved-charts"
            )
    return _view_form_page(request, resource=resource, table=table, form=form)


@login_required
@require_http_methods(["GET", "POST"])
def view_edit(request, view_id):
    view = _view(request, view_id)
    resource = view.resource
    table = _live_table(resource)
    if request.method == "POST":
        form = ResourceViewForm(request.POST, columns=table.columns)
    else:
        initial = ResourceViewForm.initial_from(view.config)
        initial.update(title=view.title, description=view.description)
        form = ResourceViewForm(initial=initial, columns=table.columns)
    if request.method == "POST" and form.is_valid() and "preview" not in request.POST:
        try:
            resource_views.resource_view_update(
                actor=request.user,
                view=view,
                title=form.cleaned_data["title"],
                description=form.cleaned_data["description"],
                settings=form.settings(),
            )
        except DomainError as error:
            form.apply(error)
        else:
            messages.success(request, _("Chart changed."))
            return redirect(
                reverse("datahub:dataset_detail", args=[resource.dataset.name]) + "#saved-charts"
            )
    return _view_form_page(request, resource=resource, table=table, form=form, view=view)


@login_required
@require_POST
def view_delete(request, view_id):
    view = _view(request, view_id)
    name = view.resource.dataset.name
    resource_views.resource_view_delete(actor=request.user, view=view)
    messages.success(request, _("Chart deleted."))
    return redirect(reverse("datahub:dataset_detail", args=[name]) + "#saved-charts")


@login_required
@require_POST
def view_move(request, view_id):
    """Move a saved chart one place up or down (``step`` -1 or 1)."""
    view = _view(request, view_id)
    step = -1 if request.POST.get("step") == "-1" else 1
    resource_views.resource_view_move(actor=request.user, view=view, step=step)
    return redirect(
        reverse("datahub:dataset_detail", args=[view.resource.dataset.name]) + "#saved-charts"
    )


# --- DCAT -------------------------------------------------------------------------------


class _Public:
    """The anonymous audience: what harvesters may see (published, public)."""

    is_authenticated = False
    is_active = False
    is_superuser = False


def _public_packages(request, limit: int = 1000, offset: int = 0):
    datasets = selectors.visible_datasets(_Public()).order_by("name")[offset : offset + limit]
    base = request.build_absolute_uri("/").rstrip("/")
    return [selectors.absolutize(selectors.package_for(_Public(), d), base) for d in datasets], base


def _page(request) -> int:
    try:
        return max(1, int(request.GET.get("page", "1")))
    except ValueError:
        return 1


def catalog_jsonld(request):
    page = _page(request)
    packages, base = _public_packages(request, dcat.PAGE_SIZE, (page - 1) * dcat.PAGE_SIZE)
    return JsonResponse(
        dcat.catalog_jsonld(packages, base, page),
        content_type="application/ld+json",
        json_dumps_params={"ensure_ascii": False},
    )


def catalog_ttl(request):
    page = _page(request)
    packages, base = _public_packages(request, dcat.PAGE_SIZE, (page - 1) * dcat.PAGE_SIZE)
    return HttpResponse(
        dcat.catalog_turtle(packages, base, page), content_type="text/turtle; charset=utf-8"
    )


def _public_package(request, name: str):
    dataset = selectors.visible_datasets(_Public()).filter(name=name).first()
    if dataset is None:
        raise Http404
    base = request.build_absolute_uri("/").rstrip("/")
    return selectors.absolutize(selectors.package_for(_Public(), dataset), base), base


def dataset_ttl(request, name: str):
    package, base = _public_package(request, name)
    return HttpResponse(
        dcat.dataset_turtle(package, base), content_type="text/turtle; charset=utf-8"
    )


def dataset_jsonld(request, name: str):
    package, base = _public_package(request, name)
    return JsonResponse(
        dcat.dataset_jsonld(package, base),
        content_type="application/ld+json",
        json_dumps_params={"ensure_ascii": False},
    )


RDF_XML = "application/rdf+xml; charset=utf-8"


def catalog_rdf(request):
    page = _page(request)
    packages, base = _public_packages(request, dcat.PAGE_SIZE, (page - 1) * dcat.PAGE_SIZE)
    return HttpResponse(dcat.catalog_rdfxml(packages, base, page), content_type=RDF_XML)


def dataset_rdf(request, name: str):
    package, base = _public_package(request, name)
    return HttpResponse(dcat.dataset_rdfxml(package, base), content_type=RDF_XML)


DATA_JSON_LIMIT = 20000


def data_json(request):
    """The Project Open Data (DCAT-US 1.1) catalog of every public dataset, as
    ckanext-datajson serves it at ``/data.json``."""
    packages, base = _public_packages(request, DATA_JSON_LIMIT)
    response = JsonResponse(
        dcat.data_json(packages, base), json_dumps_params={"ensure_ascii": False}
    )
    response["Access-Control-Allow-Origin"] = "*"
    return response
