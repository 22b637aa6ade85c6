from django.contrib import admin
from django.urls import include, path

from onedata.api import api
from onedata.core import health
from onedata.datahub import views as datahub_views

admin.site.site_header = "Bali One Data"
admin.site.site_title = "Bali One Data"

# Uploaded files (selfies, receipts) are never served as plain media: each module serves
# its files through a view that checks permissions first.
urlpatterns = [
    path("", include("onedata.core.urls")),
    path("notifikasi/", include("onedata.notifications.urls")),
    path("data/", include("onedata.datahub.urls")),
    path("rumah-sakit/", include("onedata.hospitals.urls")),
    path("antrean/", include("onedata.clinics.urls")),
    path("presensi/", include("onedata.attendance.urls")),
    path("sikuat/", include("onedata.villagefinance.urls")),
    path("cek-fakta/", include("onedata.factcheck.urls")),
    path("satu-data/", include("onedata.publishing.urls")),
    path("api/v1/", health.api_index, name="api_index"),
    path("api/v1/", api.urls),
    path("api/", include("onedata.datahub.ckan_urls")),
    # DCAT at the site's root, where harvesters (the national Satu Data portal, the
    # European data portal's harvester) look for a catalog first.
    path("catalog.ttl", datahub_views.catalog_ttl, name="dcat_catalog_ttl"),
    path("catalog.jsonld", datahub_views.catalog_jsonld, name="dcat_catalog_jsonld"),
    path("catalog.rdf", datahub_views.catalog_rdf, name="dcat_catalog_rdf"),
    path("data.json", datahub_views.data_json, name="pod_data_json"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
    path("healthz", health.healthz, name="healthz"),
    path("readyz", health.readyz, name="readyz"),
    path("metrics", health.metrics_view, name="metrics"),
]
