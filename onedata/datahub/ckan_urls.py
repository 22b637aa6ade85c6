"""The CKAN-compatible Action API at /api/3/action/<name> (and /api/action/<name>), so that
existing CKAN clients (ckanapi, harvesters) work against the hub unchanged."""

app_name = "ckan"

urlpatterns: list = []
