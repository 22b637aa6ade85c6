"""Saved charts of a resource (CKAN's resource views): reads and writes.

A view is presentation, not data: saving one does not turn a published dataset back into
a draft, and everyone who may see the resource sees its views. Writes are allowed to
whoever may edit the resource (``permissions.can_manage_resource_views``); each is one
transaction with an audit event.
"""

from __future__ import annotations

from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from onedata.core import audit
from onedata.core.errors import NotAuthorized, NotFound, ValidationError
from onedata.datahub import charts, permissions, selectors
from onedata.datahub.models import DataTable, Resource, ResourceView

TITLE_MAX = 200
DESCRIPTION_MAX = 2000
CONFIG_KEYS = ("chart_type", "x", "y", "aggregate", "filters")


# --- reads --------------------------------------------------------------------------------


def view_list(user, resource: Resource) -> list[ResourceView]:
    """The views of a resource the user may see (``resource`` from ``resource_get``)."""
    return list(resource.views.order_by("position", "created_at"))


def view_get(user, view_id) -> ResourceView:
    """A view whose resource the user may see; otherwise "not found", so a private
    dataset's views are not told to exist."""
    view = ResourceView.objects.filter(pk=_uuid(view_id)).select_related("resource").first()
    if view is None:
        raise NotFound(_("Resource view not found."))
    try:
        selectors.resource_get(user, str(view.resource_id))
    except NotFound:
        raise NotFound(_("Resource view not found.")) from None
    return view


def views_for_resources(resource_ids: list) -> dict[str, list[ResourceView]]:
    """Views of several resources at once (the dataset page), by resource id."""
    grouped: dict[str, list[ResourceView]] = {}
    for view in ResourceView.objects.filter(resource_id__in=resource_ids).order_by(
        "position", "created_at"
    ):
        grouped.setdefault(str(view.resource_id), []).append(view)
    return grouped


def view_dict(view: ResourceView, package_id: str) -> dict:
    """CKAN's shape: id, resource_id, package_id, title, description, view_type, and the
    view's settings as top-level keys."""
    return {
        "id": str(view.pk),
        "resource_id": str(view.resource_id),
        "package_id": package_id,
        "title": view.title,
        "description": view.description,
        "view_type": view.view_type,
        "position": view.position,
        **{key: view.config.get(key) for key in CONFIG_KEYS},
    }


def _uuid(value):
    import uuid

    try:
        return uuid.UUID(str(value))
    except ValueError:
        raise NotFound(_("Resource view not found.")) from None


# --- writes -------------------------------------------------------------------------------


def _authorise(actor, resource: Resource) -> None:
    if not permissions.can_manage_resource_views(actor, resource.dataset):
        raise NotAuthorized(_("You may not change the views of this resource."))


def _table_of(resource: Resource):
    table = DataTable.objects.filter(resource_id=resource.pk).first()  # fresh: loads move on
    if table is None or not table.generation:
        raise ValidationError.for_field(
            "resource_id", _("This resource has no DataStore table to chart.")
        )
    return table


def _clean(resource: Resource, *, title, description, view_type, settings: dict) -> dict:
    errors: dict[str, list[str]] = {}
    title = (title or "").strip()
    description = (description or "").strip()
    if not title:
        errors["title"] = [_("Give the chart a title.")]
    elif len(title) > TITLE_MAX:
        errors["title"] = [_("At most %(n)d characters.") % {"n": TITLE_MAX}]
    if len(description) > DESCRIPTION_MAX:
        errors["description"] = [_("At most %(n)d characters.") % {"n": DESCRIPTION_MAX}]
    if view_type not in ResourceView.ViewType.values:
        errors["view_type"] = [_("No view of this kind: use chart.")]
    table = _table_of(resource)
    config, config_errors = charts.clean(table.columns, settings)
    errors.update(config_errors)
    if errors:
        first = next(iter(errors.values()))[0]
        raise ValidationError(first, fields=errors)
    return {"title": title, "description": description, "view_type": view_type, "config": config}


def _picture(view: ResourceView) -> dict:
    return audit.snapshot(view, ["title", "description", "view_type", "config", "position"])


def resource_view_create(
    *,
    actor,
    resource: Resource,
    title: str,
    description: str = "",
    view_type: str = "chart",
    settings: dict,
) -> ResourceView:
    """Save a chart of ``resource`` at the end of its views."""
    _authorise(actor, resource)
    cleaned = _clean(
        resource, title=title, description=description, view_type=view_type, settings=settings
    )
    with transaction.atomic():
        Resource.objects.select_for_update().filter(pk=resource.pk).first()
        last = resource.views.aggregate(last=Max("position"))["last"]
        view = ResourceView.objects.create(
            resource=resource,
            position=0 if last is None else last + 1,
            created_by=actor if getattr(actor, "is_authenticated", False) else None,
            **cleaned,
        )
        audit.record(
            actor=actor, action="datahub.resource_view.create", obj=view, after=_picture(view)
        )
    return view


def resource_view_update(
    *,
    actor,
    view: ResourceView,
    title: str | None = None,
    description: str | None = None,
    settings: dict | None = None,
) -> ResourceView:
    """Change a view. Settings not given keep their value; the kind of view stays."""
    resource = view.resource
    _authorise(actor, resource)
    merged = {**view.config, **(settings or {})}
    cleaned = _clean(
        resource,
        title=view.title if title is None else title,
        description=view.description if description is None else description,
        view_type=view.view_type,
        settings=merged,
    )
    with transaction.atomic():
        locked = ResourceView.objects.select_for_update().get(pk=view.pk)
        before = _picture(locked)
        for name, value in cleaned.items():
            setattr(locked, name, value)
        locked.modified_at = timezone.now()
        locked.save(update_fields=[*cleaned, "modified_at"])
        audit.record(
            actor=actor,
            action="datahub.resource_view.update",
            obj=locked,
            before=before,
            after=_picture(locked),
        )
    return locked


def resource_view_delete(*, actor, view: ResourceView) -> None:
    _authorise(actor, view.resource)
    with transaction.atomic():
        audit.record(
            actor=actor, action="datahub.resource_view.delete", obj=view, before=_picture(view)
        )
        view.delete()


def resource_view_reorder(*, actor, resource: Resource, order: list[str]) -> list[ResourceView]:
    """Put the views in ``order`` (view ids); views not named follow in their old order."""
    _authorise(actor, resource)
    with transaction.atomic():
        views = list(
            ResourceView.objects.select_for_update()
            .filter(resource=resource)
            .order_by("position", "created_at")
        )
        by_id = {str(v.pk): v for v in views}
        unknown = [key for key in order if key not in by_id]
        if unknown or len(set(order)) != len(order):
            raise ValidationError.for_field(
                "order", _("Give each view id of this resource at most once.")
            )
        before = [str(v.pk) for v in views]
        ordered = [by_id[key] for key in order] + [v for v in views if str(v.pk) not in order]
        for position, view in enumerate(ordered):
            if view.position != position:
                view.position = position
                view.save(update_fields=["position"])
        audit.record(
            actor=actor,
            action="datahub.resource_view.reorder",
            obj=resource,
            before={"order": before},
            after={"order": [str(v.pk) for v in ordered]},
        )
    return ordered


def resource_view_move(*, actor, view: ResourceView, step: int) -> list[ResourceView]:
    """Move a view one place up (``step`` -1) or down (+1) among its resource's views."""
    ids = [str(v.pk) for v in view_list(actor, view.resource)]
    index = ids.index(str(view.pk))
    target = max(0, min(len(ids) - 1, index + step))
    ids.insert(target, ids.pop(index))
    return resource_view_reorder(actor=actor, resource=view.resource, order=ids)
