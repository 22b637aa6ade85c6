"""The services on the home page and in the menu, and which of them this user sees.

Each module adds its entry to SERVICES when it lands; an entry whose URL name does not
resolve yet is shown as "coming soon" on the home page and left out of the menu.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext_lazy as _

from onedata.core import permissions


@dataclass(frozen=True)
class Service:
    key: str
    title: str
    summary: str
    url_name: str

    @property
    def icon(self) -> str:
        """The symbol id in static/onedata/icons.svg."""
        return self.key

    @property
    def url(self) -> str | None:
        try:
            return reverse(self.url_name)
        except NoReverseMatch:
            return None


SERVICES = [
    Service(
        "onedata",
        _("Province dashboard"),
        _("Oxygen, beds, clinic waits, attendance, village finance and hoaxes today."),
        "publishing:dashboard",
    ),
    Service(
        "data",
        _("Open data"),
        _("Find and download the province's datasets."),
        "datahub:home",
    ),
    Service(
        "hospitals",
        _("Hospitals and oxygen"),
        _("Free beds and oxygen stock at every hospital."),
        "hospitals:home",
    ),
    Service(
        "clinics",
        _("Clinic queue"),
        _("Choose a clinic and take a queue number before you leave home."),
        "clinics:home",
    ),
    Service(
        "attendance",
        _("Attendance"),
        _("Check in and out, request leave, see your allowance."),
        "attendance:home",
    ),
    Service(
        "villagefinance",
        _("Village finance"),
        _("Income and spending of the customary villages (SIKUAT)."),
        "villagefinance:home",
    ),
    Service(
        "factcheck",
        _("Hoax check"),
        _("Check a rumour and read trusted health information."),
        "factcheck:home",
    ),
]


# Other apps add menu entries here (in their AppConfig.ready): a function of the user
# returning a list of {"title", "url"}; core knows nothing of their models.
MENU_CONTRIBUTORS: list = []


def register_menu(contributor) -> None:
    MENU_CONTRIBUTORS.append(contributor)


def items_for(user) -> list[dict]:
    """Menu entries for this user: the services that exist, then the user's own pages."""
    items = [{"title": s.title, "url": s.url} for s in SERVICES if s.url]
    for contributor in MENU_CONTRIBUTORS:
        items.extend(contributor(user))
    if permissions.can_view_audit_log(user):
        items.append({"title": _("Audit log"), "url": reverse("core:audit_log")})
    return items
