"""Who may do what in the data hub: one function per action, called by pages, the Ninja
API and the CKAN Action API alike.

Scope follows the region tree: a data producer or steward whose agency's region covers
the dataset's organisation may work on it (a provincial steward covers every regency).

Audiences of a *published* dataset:
- public: everyone;
- internal: government staff (anyone holding a role other than citizen);
- restricted: the organisation's and the named agencies' staff, and its producers and
  stewards in scope.
Drafts and datasets waiting for review: only producers and stewards in scope.
"""

from __future__ import annotations

from django.db.models import Q

from onedata.core import scope
from onedata.core.models import Agency
from onedata.core.roles import Role
from onedata.datahub.models import Dataset

EDITORS = {Role.DATA_PRODUCER, Role.DATA_STEWARD}
STEWARDS = {Role.DATA_STEWARD}


def _active(user) -> bool:
    return bool(getattr(user, "is_authenticated", False) and user.is_active)


def is_government(user) -> bool:
    if not _active(user):
        return False
    if scope.is_platform_admin(user):
        return True
    return any(m.role != Role.CITIZEN for m in scope.memberships_of(user))


def can_edit_dataset(user, dataset: Dataset) -> bool:
    if not _active(user) or dataset.state == Dataset.State.DELETED:
        return False
    return scope.covers(user, EDITORS, dataset.organization.region)


def can_view_draft(user, dataset: Dataset) -> bool:
    """May see the dataset as it is now, unpublished changes included."""
    if not _active(user):
        return False
    return scope.covers(user, EDITORS, dataset.organization.region)


def _in_audience(user, dataset: Dataset) -> bool:
    if dataset.access_level == Dataset.Access.PUBLIC:
        return True
    if not _active(user):
        return False
    if dataset.access_level == Dataset.Access.INTERNAL:
        return is_government(user)
    if can_view_draft(user, dataset):
        return True
    agency_ids = {m.agency_id for m in scope.memberships_of(user) if m.role != Role.CITIZEN}
    if dataset.organization_id in agency_ids:
        return True
    return dataset.allowed_agencies.filter(pk__in=agency_ids).exists()


def can_view_dataset(user, dataset: Dataset) -> bool:
    if dataset.state == Dataset.State.DELETED:
        return scope.is_platform_admin(user)
    if can_view_draft(user, dataset):
        return True
    return dataset.version > 0 and _in_audience(user, dataset)


def visible_filter(user) -> Q:
    """Datasets this user may see, as a queryset filter (the same rules as above)."""
    if scope.is_platform_admin(user):
        return ~Q(state=Dataset.State.DELETED)
    published = Q(version__gt=0) & ~Q(state=Dataset.State.DELETED)
    audience = Q(access_level=Dataset.Access.PUBLIC)
    editable = Q(pk__in=[])
    if _active(user):
        if is_government(user):
            audience |= Q(access_level=Dataset.Access.INTERNAL)
        agency_ids = [m.agency_id for m in scope.memberships_of(user) if m.role != Role.CITIZEN]
        if agency_ids:
            audience |= Q(access_level=Dataset.Access.RESTRICTED) & (
                Q(organization_id__in=agency_ids) | Q(allowed_agencies__in=agency_ids)
            )
        editable = scope.region_filter(user, EDITORS, "organization__region__code")
        if editable == Q():
            editable = ~Q(state=Dataset.State.DELETED)
        else:
            editable &= ~Q(state=Dataset.State.DELETED)
    return (published & audience) | editable


def draft_filter(user) -> Q | None:
    """Datasets whose unpublished changes this user may see (``can_view_draft`` as a
    queryset filter); None for nobody."""
    if not _active(user):
        return None
    if scope.is_platform_admin(user):
        return Q()
    if not scope.has_role(user, EDITORS):
        return None
    return scope.region_filter(user, EDITORS, "organization__region__code")


def can_create_dataset(user, agency: Agency | None = None) -> bool:
    if not _active(user):
        return False
    if agency is None:
        return scope.has_role(user, EDITORS)
    return scope.covers(user, EDITORS, agency.region)


def can_submit_dataset(user, dataset: Dataset) -> bool:
    return can_edit_dataset(user, dataset) and dataset.state == Dataset.State.DRAFT


def is_steward_for(user, dataset: Dataset) -> bool:
    if not _active(user):
        return False
    return scope.covers(user, STEWARDS, dataset.organization.region)


def can_review_dataset(user, dataset: Dataset) -> bool:
    """Approve or send back: a steward in scope, while the dataset waits for review."""
    return dataset.state == Dataset.State.REVIEW and is_steward_for(user, dataset)


def can_view_review_queue(user) -> bool:
    return _active(user) and scope.has_role(user, STEWARDS)


def can_delete_dataset(user, dataset: Dataset) -> bool:
    if not _active(user) or dataset.state == Dataset.State.DELETED:
        return False
    return scope.covers(user, STEWARDS, dataset.organization.region)


def can_edit_data_dictionary(user, dataset: Dataset) -> bool:
    return can_edit_dataset(user, dataset)


def can_view_my_datasets(user) -> bool:
    return _active(user) and scope.has_role(user, EDITORS)


def can_manage_resource_views(user, dataset: Dataset) -> bool:
    """Save, change, reorder or delete a resource's saved charts: as CKAN, whoever may edit
    the resource (its dataset)."""
    return can_edit_dataset(user, dataset)
