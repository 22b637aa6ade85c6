"""The CKAN-compatible Action API at /api/3/action/<name> (and /api/action/<name>), so that
existing CKAN clients (ckanapi, harvesters) work against the hub unchanged."""

from django.urls import path

from onedata.datahub import ckan

app_name = "ckan"

urlpatterns: list = [
    path("3/action/<str:name>", ckan.action_view, name="action3"),
    path("action/<str:name>", ckan.action_view, name="action"),
]
