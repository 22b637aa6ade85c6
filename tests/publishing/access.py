"""What One Data publishing expects for every role (see tests/access/matrix.py).

The dashboard and the list of publications are open data: everyone. Refreshing a
publication now is for a data steward of its steward agency (the province's Diskominfos
for the region list) or a platform admin."""

from onedata.core.roles import Role
from tests.access.matrix import Case, public


def province_steward(actor) -> bool:
    return actor.role == Role.PLATFORM_ADMIN or (
        actor.role == Role.DATA_STEWARD and actor.place == "province"
    )


NAME = "kode-wilayah-bali"

CASES = {
    "publishing:dashboard": [Case("GET", lambda w: "/satu-data/", public)],
    "publishing:publications": [Case("GET", lambda w: "/satu-data/publikasi/", public)],
    "publishing:refresh": [
        Case("POST", lambda w: f"/satu-data/publikasi/{NAME}/perbarui/", province_steward)
    ],
    "api:publishing_publications": [Case("GET", lambda w: "/api/v1/onedata/publications", public)],
    "api:publishing_publication": [
        Case("GET", lambda w: f"/api/v1/onedata/publications/{NAME}", public)
    ],
    "api:publishing_refresh": [
        Case("POST", lambda w: f"/api/v1/onedata/publications/{NAME}/refresh", province_steward)
    ],
    "api:publishing_dashboard": [Case("GET", lambda w: "/api/v1/onedata/dashboard", public)],
}
