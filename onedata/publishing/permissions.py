"""Who may do what with One Data publications: one function per action."""

from onedata.core import scope
from onedata.core.models import Region
from onedata.core.roles import Role

STEWARDS = {Role.DATA_STEWARD}


def can_view_publications(user) -> bool:
    """The list of publications with their refresh state: the public sees it (lineage is
    part of open data); errors' detail is shown to stewards only (see can_view_errors)."""
    return True


def can_view_errors(user) -> bool:
    return bool(getattr(user, "is_authenticated", False)) and (
        scope.is_platform_admin(user) or scope.has_role(user, STEWARDS)
    )


def can_refresh_publication(user, publication) -> bool:
    """A steward of the publication's steward agency (or above it), or a platform admin."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return False
    if scope.is_platform_admin(user):
        return True
    from onedata.core.models import Agency

    steward = Agency.objects.select_related("region").filter(slug=publication.steward).first()
    region = steward.region if steward else Region.objects.filter(code="51").first()
    return region is not None and scope.covers(user, STEWARDS, region)


def can_view_dashboard(user) -> bool:
    """The province dashboard shows only open, aggregated data: everyone may see it."""
    return True
