"""The One Data publishing API, mounted at /api/v1/onedata/."""

from __future__ import annotations

from django.utils.translation import gettext as _
from ninja import Router

from onedata.core.errors import NotAuthorized, NotFound
from onedata.publishing import permissions, registry, selectors, services
from onedata.publishing.cards import CARDS

router = Router(tags=["onedata"])


@router.get(
    "/publications", auth=None, summary="Every module's published datasets with their lineage"
)
def publishing_publications(request):
    if not permissions.can_view_publications(request.user):
        raise NotAuthorized(_("You may not see the publications."))
    with_errors = permissions.can_view_errors(request.user)
    return {
        "publications": [
            selectors.lineage_dict(lineage, with_errors=with_errors)
            for lineage in selectors.lineages()
        ]
    }


@router.get(
    "/publications/{name}", auth=None, summary="One publication's lineage and data dictionary"
)
def publishing_publication(request, name: str):
    if not permissions.can_view_publications(request.user):
        raise NotAuthorized(_("You may not see the publications."))
    lineage = next((x for x in selectors.lineages() if x.publication.name == name), None)
    if lineage is None:
        raise NotFound(_("No publication is called %(name)s.") % {"name": name})
    return selectors.lineage_dict(lineage, with_errors=permissions.can_view_errors(request.user))


@router.post("/publications/{name}/refresh", summary="Refresh a publication now (stewards)")
def publishing_refresh(request, name: str):
    publication = registry.get_publication(name)
    if publication is None:
        raise NotFound(_("No publication is called %(name)s.") % {"name": name})
    if not permissions.can_refresh_publication(request.user, publication):
        raise NotAuthorized(_("You may not refresh this publication."))
    services.publication_refresh(name=name, actor=request.user)
    lineage = next(x for x in selectors.lineages() if x.publication.name == name)
    return selectors.lineage_dict(lineage, with_errors=True)


@router.get("/dashboard", auth=None, summary="The province dashboard's figures")
def publishing_dashboard(request):
    if not permissions.can_view_dashboard(request.user):
        raise NotAuthorized(_("You may not see the dashboard."))
    return {
        "cards": [
            {
                "key": view.card.key,
                "title": view.title,
                "value": view.value,
                "unit": view.card.unit,
                "period": view.period,
                "dataset": view.dataset,
                "refreshed_at": view.refreshed_at.isoformat() if view.refreshed_at else None,
            }
            for view in selectors.dashboard_cards(CARDS)
        ]
    }
