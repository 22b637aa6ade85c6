"""The data hub API, mounted at /api/v1/datahub/: what CKAN's Action API does not cover
(the publishing workflow, versions, validation reports, the data dictionary)."""

import uuid
from datetime import datetime
from typing import Literal

from django.utils.translation import gettext as _
from ninja import Field, Router, Schema
from ninja.pagination import paginate

from onedata.core.errors import NotFound, ValidationError
from onedata.core.pagination import PagePagination
from onedata.datahub import charts, resource_views, selectors, services
from onedata.datahub.models import Dataset, DataTable

router = Router(tags=["datahub"])


def _anyone():
    from onedata.api import BearerToken, BrowserSession

    return [BearerToken(), BrowserSession(), lambda request: True]


class DatasetOut(Schema):
    id: uuid.UUID
    name: str
    title: str
    organization: str
    state: str
    access_level: str
    version: int
    review_comment: str
    modified_at: datetime

    @staticmethod
    def resolve_organization(obj):
        return obj.organization.slug


class VersionOut(Schema):
    number: int
    note: str
    created_at: datetime
    metadata: dict


class ColumnOut(Schema):
    name: str
    type: str
    label: str = ""
    description: str = ""


class ValidationErrorOut(Schema):
    type: str
    row: int | None = None
    column: str | None = None
    message: str


class ValidationOut(Schema):
    resource_id: uuid.UUID
    status: str
    progress: int
    rows: int
    error: str
    valid: bool | None
    error_count: int
    errors: list[ValidationErrorOut]
    columns: list[ColumnOut]


class SendBackIn(Schema):
    comment: str = Field(..., min_length=1, max_length=4000)


class ApproveIn(Schema):
    note: str = Field("", max_length=2000)


class ColumnIn(Schema):
    type: Literal["integer", "number", "boolean", "date", "string"] | None = None
    label: str | None = Field(None, max_length=200)
    description: str | None = Field(None, max_length=2000)


def _dataset(request, name: str) -> Dataset:
    return selectors.dataset_get(request.user, name)


@router.get("/datasets", response=list[DatasetOut], auth=_anyone())
@paginate(PagePagination)
def datahub_dataset_list(request, state: Literal["draft", "review", "published"] | None = None):
    """Datasets you may see; producers and stewards also see drafts in their scope."""
    datasets = selectors.visible_datasets(request.user).order_by("name")
    if state:
        datasets = datasets.filter(state=state)
    return datasets


@router.get("/datasets/{name}", response=DatasetOut, auth=_anyone())
def datahub_dataset_detail(request, name: str):
    return _dataset(request, name)


@router.post("/datasets/{name}/submit", response=DatasetOut)
def datahub_dataset_submit(request, name: str):
    """Producer: send a draft to the stewards for review."""
    return services.dataset_submit(actor=request.user, dataset=_dataset(request, name))


@router.post("/datasets/{name}/approve", response=VersionOut)
def datahub_dataset_approve(request, name: str, payload: ApproveIn):
    """Steward: publish the dataset as a new version."""
    dataset = _dataset(request, name)
    return services.dataset_approve(actor=request.user, dataset=dataset, note=payload.note)


@router.post("/datasets/{name}/send-back", response=DatasetOut)
def datahub_dataset_send_back(request, name: str, payload: SendBackIn):
    """Steward: send the dataset back to its producer with a comment."""
    dataset = _dataset(request, name)
    return services.dataset_send_back(actor=request.user, dataset=dataset, comment=payload.comment)


@router.get("/datasets/{name}/versions", response=list[VersionOut], auth=_anyone())
def datahub_dataset_versions(request, name: str):
    """Published versions, newest first, each with its metadata."""
    return list(_dataset(request, name).versions.order_by("-number"))


def _table(request, resource_id: uuid.UUID):
    resource = selectors.resource_get(request.user, str(resource_id))
    table = getattr(resource, "datatable", None)
    if table is None:
        raise NotFound(_("This resource has no table."))
    return resource, table


def _validation(resource, table) -> dict:
    report = table.report or {}
    return {
        "resource_id": resource.pk,
        "status": table.status,
        "progress": table.progress,
        "rows": table.row_count,
        "error": table.error,
        "valid": table.is_valid,
        "error_count": report.get("error_count", 0),
        "errors": report.get("errors", []),
        "columns": table.columns,
    }


@router.get("/resources/{resource_id}/validation", response=ValidationOut, auth=_anyone())
def datahub_resource_validation(request, resource_id: uuid.UUID):
    """The load status and validation report of a tabular resource."""
    resource, table = _table(request, resource_id)
    return _validation(resource, table)


@router.patch("/resources/{resource_id}/columns/{column}", response=ValidationOut)
def datahub_column_update(request, resource_id: uuid.UUID, column: str, payload: ColumnIn):
    """Data dictionary: change a column's type, label or description without re-uploading."""
    resource, table = _table(request, resource_id)
    table = services.data_dictionary_update(
        actor=request.user,
        table=table,
        column=column,
        type=payload.type,
        label=payload.label,
        description=payload.description,
    )
    return _validation(resource, table)


class ChartRowOut(Schema):
    label: str
    value: float | None


class ChartOut(Schema):
    id: uuid.UUID
    resource_id: uuid.UUID
    title: str
    description: str
    chart_type: str
    x: str
    y: str
    aggregate: str
    filters: dict
    chart_title: str
    rows: list[ChartRowOut]


@router.get("/views/{view_id}/data", response=ChartOut, auth=_anyone())
def datahub_view_data(request, view_id: uuid.UUID):
    """A saved chart's numbers (label and value per bar, slice, point or regency), drawn
    from the table's current rows: for other applications that show the same chart."""
    view = resource_views.view_get(request.user, view_id)
    table = DataTable.objects.filter(resource_id=view.resource_id).first()
    if table is None or not table.generation:
        raise NotFound(_("This resource has no table."))
    config, errors = charts.clean(table.columns, view.config)
    if errors:
        raise ValidationError(next(iter(errors.values()))[0], fields=errors)
    chart = charts.draw(request.user, table, config)
    return {
        "id": view.pk,
        "resource_id": view.resource_id,
        "title": view.title,
        "description": view.description,
        **config,
        "chart_title": chart.title,
        "rows": [{"label": label, "value": value} for label, value in chart.rows],
    }
