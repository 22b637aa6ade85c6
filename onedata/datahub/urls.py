from django.urls import path

from onedata.datahub import views

app_name = "datahub"

urlpatterns = [
    path("", views.home, name="home"),
    path("baru/", views.dataset_create, name="dataset_create"),
    path("tinjauan/", views.review_queue, name="review_queue"),
    path("catalog.jsonld", views.catalog_jsonld, name="catalog_jsonld"),
    path("catalog.ttl", views.catalog_ttl, name="catalog_ttl"),
    path("catalog.rdf", views.catalog_rdf, name="catalog_rdf"),
    path("data.json", views.data_json, name="data_json"),
    path("sumber/<uuid:resource_id>/unduh/", views.resource_download, name="resource_download"),
    path("sumber/<uuid:resource_id>/status/", views.resource_status, name="resource_status"),
    path("sumber/<uuid:resource_id>/tabel/", views.resource_table, name="resource_table"),
    path("sumber/<uuid:resource_id>/grafik/baru/", views.view_create, name="view_create"),
    path("grafik/<uuid:view_id>/ubah/", views.view_edit, name="view_edit"),
    path("grafik/<uuid:view_id>/hapus/", views.view_delete, name="view_delete"),
    path("grafik/<uuid:view_id>/pindah/", views.view_move, name="view_move"),
    path("<slug:name>.ttl", views.dataset_ttl, name="dataset_ttl"),
    path("<slug:name>.jsonld", views.dataset_jsonld, name="dataset_jsonld"),
    path("<slug:name>.rdf", views.dataset_rdf, name="dataset_rdf"),
    path("<slug:name>/", views.dataset_detail, name="dataset_detail"),
    path("<slug:name>/ubah/", views.dataset_edit, name="dataset_edit"),
    path("<slug:name>/sumber/baru/", views.resource_add, name="resource_add"),
    path("<slug:name>/kirim/", views.dataset_submit, name="dataset_submit"),
    path("<slug:name>/tinjau/", views.dataset_review, name="dataset_review"),
    path("<slug:name>/versi/", views.dataset_versions, name="dataset_versions"),
    path(
        "<slug:name>/versi/<int:number>/<str:resource_id>/",
        views.version_download,
        name="version_download",
    ),
]
