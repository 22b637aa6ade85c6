"""What the data hub expects for every role (see tests/access/matrix.py).

The world gets three datasets of pemkab-badung: a published public one, a published
restricted one, and a draft. Drafts are for producers and stewards in scope; restricted
data for its agency's staff and producers/stewards in scope; public data for everyone.
CKAN writes take an API token, never the session: every session actor is refused.
"""

from onedata.core.roles import Role
from onedata.datahub import services
from onedata.datahub.models import Group
from tests.access.matrix import Case, in_scope, logged_in, nobody, public

CSV = b"kabupaten,penduduk\nBadung,548191\nGianyar,515344\n"
EDITORS = (Role.DATA_PRODUCER, Role.DATA_STEWARD)


def extend_world(world):
    from onedata.core.models import User

    producer = User.objects.get(username=f"{Role.DATA_PRODUCER}.own")
    steward = User.objects.get(username=f"{Role.DATA_STEWARD}.own")
    Group.objects.get_or_create(name="kesehatan", defaults={"title": "Kesehatan"})
    own = world.agencies["own"]
    made = {}
    kinds = [("public", "public"), ("restricted", "restricted"), ("draft", "public")]
    for key, access in [*kinds, ("review", "public")]:
        dataset = services.dataset_create(
            actor=producer,
            organization=own,
            name=f"matrix-{key}",
            title=f"Matrix {key}",
            access_level=access,
        )
        resource = services.resource_create(
            actor=producer, dataset=dataset, upload=CSV, upload_name="d.csv"
        )
        services.datastore_load(table_id=resource.datatable.pk)
        if key != "draft":
            services.dataset_submit(actor=producer, dataset=dataset)
        if key in ("public", "restricted"):
            services.dataset_approve(actor=steward, dataset=dataset)
        made[key] = (dataset, resource)
    world.extra["datahub"] = made
    from onedata.datahub import resource_views

    for key in ("public", "restricted"):
        view = resource_views.resource_view_create(
            actor=producer, resource=made[key][1], title=f"Grafik {key}", settings={"chart": "pie"}
        )
        world.extra[f"datahub_view_{key}"] = view.pk


def _ds(world, key):
    return world.extra["datahub"][key][0]


def _res(world, key):
    return world.extra["datahub"][key][1].pk


def _view(world, key):
    return world.extra[f"datahub_view_{key}"]


def restricted_audience(actor):
    """The organisation's own staff (any role but citizen), editors in scope, admins."""
    if actor.role == Role.PLATFORM_ADMIN:
        return True
    if actor.role in EDITORS and actor.place in ("own", "sibling", "province"):
        return True
    return actor.place == "own" and actor.role != Role.CITIZEN


def steward_in_scope(actor):
    return in_scope(Role.DATA_STEWARD)(actor)


def editors_anywhere(actor):
    return actor.role in (*EDITORS, Role.PLATFORM_ADMIN)


def stewards_anywhere(actor):
    return actor.role in (Role.DATA_STEWARD, Role.PLATFORM_ADMIN)


def _not_listed(key):
    """A leak check: the dataset ``key`` must not appear for actors outside its audience."""
    audience = {"restricted": restricted_audience, "draft": in_scope(*EDITORS)}[key]

    def check(world, actor, response):
        name = f"matrix-{key}"
        if not audience(actor) and name.encode() in response.content:
            return f"{name} appears"
        return None

    return check


def _routed(url_name: str) -> bool:
    from django.urls import NoReverseMatch, reverse

    try:
        reverse(url_name)
    except NoReverseMatch:
        return False
    return True


def ckan(name, query=""):
    return lambda w: f"/api/3/action/{name}{query}"


CASES = {
    "datahub:home": [
        Case("GET", lambda w: "/data/", public, leak_check=None),
    ],
    "datahub:dataset_create": [Case("GET", lambda w: "/data/baru/", editors_anywhere)],
    "datahub:review_queue": [Case("GET", lambda w: "/data/tinjauan/", stewards_anywhere)],
    "datahub:catalog_jsonld": [
        Case("GET", lambda w: "/data/catalog.jsonld", public, leak_check=_not_listed("restricted"))
    ],
    "dcat_catalog_jsonld": [
        Case("GET", lambda w: "/catalog.jsonld", public, leak_check=_not_listed("restricted"))
    ],
    "dcat_catalog_ttl": [
        Case("GET", lambda w: "/catalog.ttl", public, leak_check=_not_listed("draft"))
    ],
    "datahub:catalog_ttl": [
        Case("GET", lambda w: "/data/catalog.ttl", public, leak_check=_not_listed("draft"))
    ],
    "datahub:catalog_rdf": [
        Case("GET", lambda w: "/data/catalog.rdf", public, leak_check=_not_listed("restricted"))
    ],
    "datahub:data_json": [
        Case("GET", lambda w: "/data/data.json", public, leak_check=_not_listed("restricted")),
    ],
    "datahub:dataset_rdf": [
        Case("GET", lambda w: "/data/matrix-public.rdf", public),
        Case("GET", lambda w: "/data/matrix-restricted.rdf", nobody),
    ],
    "datahub:dataset_ttl": [
        Case("GET", lambda w: "/data/matrix-public.ttl", public),
        Case("GET", lambda w: "/data/matrix-restricted.ttl", nobody),
    ],
    "datahub:dataset_jsonld": [
        Case("GET", lambda w: "/data/matrix-public.jsonld", public),
        Case("GET", lambda w: "/data/matrix-draft.jsonld", nobody),
    ],
    "datahub:dataset_detail": [
        Case("GET", lambda w: "/data/matrix-public/", public),
        Case("GET", lambda w: "/data/matrix-restricted/", restricted_audience),
        Case("GET", lambda w: "/data/matrix-draft/", in_scope(*EDITORS)),
    ],
    "datahub:dataset_edit": [Case("GET", lambda w: "/data/matrix-draft/ubah/", in_scope(*EDITORS))],
    "datahub:resource_add": [
        Case("GET", lambda w: "/data/matrix-draft/sumber/baru/", in_scope(*EDITORS))
    ],
    "datahub:dataset_submit": [
        Case("POST", lambda w: "/data/matrix-draft/kirim/", in_scope(*EDITORS))
    ],
    # The public dataset is published, not waiting for review: nobody may decide on it.
    "datahub:dataset_review": [
        Case("POST", lambda w: "/data/matrix-public/tinjau/", nobody, data=lambda w: {})
    ],
    "datahub:dataset_versions": [
        Case("GET", lambda w: "/data/matrix-public/versi/", public),
        Case("GET", lambda w: "/data/matrix-restricted/versi/", restricted_audience),
    ],
    "datahub:version_download": [
        Case(
            "GET",
            lambda w: f"/data/matrix-restricted/versi/1/{_res(w, 'restricted')}/",
            restricted_audience,
        )
    ],
    "datahub:resource_download": [
        Case("GET", lambda w: f"/data/sumber/{_res(w, 'public')}/unduh/", public),
        Case("GET", lambda w: f"/data/sumber/{_res(w, 'draft')}/unduh/", in_scope(*EDITORS)),
    ],
    "datahub:resource_status": [
        Case("GET", lambda w: f"/data/sumber/{_res(w, 'restricted')}/status/", restricted_audience)
    ],
    "datahub:view_create": [
        Case("GET", lambda w: f"/data/sumber/{_res(w, 'public')}/grafik/baru/", in_scope(*EDITORS))
    ],
    "datahub:view_edit": [
        Case("GET", lambda w: f"/data/grafik/{_view(w, 'public')}/ubah/", in_scope(*EDITORS)),
        Case("GET", lambda w: f"/data/grafik/{_view(w, 'restricted')}/ubah/", in_scope(*EDITORS)),
    ],
    "datahub:view_delete": [
        Case("POST", lambda w: f"/data/grafik/{_view(w, 'public')}/hapus/", in_scope(*EDITORS))
    ],
    "datahub:view_move": [
        Case(
            "POST",
            lambda w: f"/data/grafik/{_view(w, 'public')}/pindah/",
            in_scope(*EDITORS),
            data=lambda w: {"step": "1"},
        )
    ],
    "datahub:resource_table": [
        Case("GET", lambda w: f"/data/sumber/{_res(w, 'public')}/tabel/", public),
        Case("GET", lambda w: f"/data/sumber/{_res(w, 'restricted')}/tabel/", restricted_audience),
    ],
}

# The site-root aliases harvesters look for first (/data.json, /catalog.rdf) are routed in
# onedata/urls.py; their expectations are declared once the route exists.
for url_name, path_text, key in (
    ("pod_data_json", "/data.json", "restricted"),
    ("dcat_catalog_rdf", "/catalog.rdf", "draft"),
):
    if _routed(url_name):
        CASES[url_name] = [
            Case("GET", lambda w, p=path_text: p, public, leak_check=_not_listed(key))
        ]

for url_name, prefix in (("ckan:action3", "/api/3/action/"), ("ckan:action", "/api/action/")):
    CASES[url_name] = [
        Case(
            "GET", lambda w, p=prefix: f"{p}package_list", public, leak_check=_not_listed("draft")
        ),
        Case(
            "GET",
            lambda w, p=prefix: f"{p}package_show?id=matrix-restricted",
            restricted_audience,
        ),
        Case("GET", lambda w, p=prefix: f"{p}package_show?id=matrix-draft", in_scope(*EDITORS)),
        Case(
            "GET",
            lambda w, p=prefix: f"{p}datastore_search?resource_id={_res(w, 'restricted')}",
            restricted_audience,
        ),
        Case(
            "GET",
            lambda w, p=prefix: (
                f"{p}datastore_search_sql?sql=" + f'SELECT+count(*)+FROM+"{_res(w, "restricted")}"'
            ),
            restricted_audience,
        ),
        Case(
            "GET",
            lambda w, p=prefix: f"{p}package_search?include_private=true",
            public,
            leak_check=None,
        ),
        Case(
            "GET",
            lambda w, p=prefix: f"{p}resource_view_list?id={_res(w, 'restricted')}",
            restricted_audience,
        ),
        Case(
            "GET",
            lambda w, p=prefix: f"{p}resource_view_show?id={_view(w, 'restricted')}",
            restricted_audience,
        ),
        Case(
            "POST",
            lambda w, p=prefix: f"{p}resource_view_delete",
            nobody,
            json=True,
            data=lambda w: {"id": str(_view(w, "public"))},
        ),
        # Writes take a token, not the browser session.
        Case(
            "POST",
            lambda w, p=prefix: f"{p}package_patch",
            nobody,
            json=True,
            data=lambda w: {"id": "matrix-draft", "title": "x"},
        ),
    ]

API = "/api/v1/datahub"
CASES.update(
    {
        "api:datahub_dataset_list": [
            Case("GET", lambda w: f"{API}/datasets", public, leak_check=_not_listed("restricted"))
        ],
        "api:datahub_dataset_detail": [
            Case("GET", lambda w: f"{API}/datasets/matrix-restricted", restricted_audience),
            Case("GET", lambda w: f"{API}/datasets/matrix-review", in_scope(*EDITORS)),
        ],
        "api:datahub_dataset_submit": [
            Case("POST", lambda w: f"{API}/datasets/matrix-draft/submit", in_scope(*EDITORS))
        ],
        "api:datahub_dataset_approve": [
            Case(
                "POST",
                lambda w: f"{API}/datasets/matrix-review/approve",
                steward_in_scope,
                json=True,
                data=lambda w: {"note": "ok"},
            )
        ],
        "api:datahub_dataset_send_back": [
            Case(
                "POST",
                lambda w: f"{API}/datasets/matrix-review/send-back",
                steward_in_scope,
                json=True,
                data=lambda w: {"comment": "Tambahkan definisi"},
            )
        ],
        "api:datahub_dataset_versions": [
            Case("GET", lambda w: f"{API}/datasets/matrix-restricted/versions", restricted_audience)
        ],
        "api:datahub_resource_validation": [
            Case(
                "GET",
                lambda w: f"{API}/resources/{_res(w, 'restricted')}/validation",
                restricted_audience,
            )
        ],
        "api:datahub_view_data": [
            Case("GET", lambda w: f"{API}/views/{_view(w, 'public')}/data", public),
            Case(
                "GET", lambda w: f"{API}/views/{_view(w, 'restricted')}/data", restricted_audience
            ),
        ],
        "api:datahub_column_update": [
            Case(
                "PATCH",
                lambda w: f"{API}/resources/{_res(w, 'draft')}/columns/penduduk",
                in_scope(*EDITORS),
                json=True,
                data=lambda w: {"label": "Jumlah penduduk"},
            )
        ],
    }
)

__all__ = ["logged_in"]
