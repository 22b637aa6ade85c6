"""Pages of One Data publishing: the province dashboard and the list of publications."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from onedata.core.errors import DomainError
from onedata.publishing import permissions, registry, selectors, services
from onedata.publishing.cards import CARDS


def dashboard(request):
    if not permissions.can_view_dashboard(request.user):
        raise PermissionDenied
    return render(
        request,
        "publishing/dashboard.html",
        {"cards": selectors.dashboard_cards(CARDS)},
    )


def publications(request):
    if not permissions.can_view_publications(request.user):
        raise PermissionDenied
    lineages = selectors.lineages()
    # The answer depends only on the steward agency: ask once per agency, not per row.
    by_steward: dict[str, bool] = {}
    for lineage in lineages:
        steward = lineage.publication.steward
        if steward not in by_steward:
            by_steward[steward] = permissions.can_refresh_publication(
                request.user, lineage.publication
            )
    refreshable = {x.publication.name for x in lineages if by_steward[x.publication.steward]}
    return render(
        request,
        "publishing/publications.html",
        {
            "lineages": lineages,
            "refreshable": refreshable,
            "show_errors": permissions.can_view_errors(request.user),
        },
    )


@require_POST
def publication_refresh(request, name: str):
    publication = registry.get_publication(name)
    if publication is None or not permissions.can_refresh_publication(request.user, publication):
        raise PermissionDenied
    try:
        status = services.publication_refresh(name=name, actor=request.user)
    except DomainError as error:
        messages.error(request, error.message)
        return redirect("publishing:publications")
    if status.failures:
        messages.error(request, _("The refresh failed: %(error)s") % {"error": status.last_error})
    else:
        messages.success(
            request,
            _("Version %(n)d published with %(rows)d rows.")
            % {"n": status.last_version, "rows": status.last_rows},
        )
    return redirect("publishing:publications")
