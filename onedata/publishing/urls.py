from django.urls import path

from onedata.publishing import views

app_name = "publishing"

urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("publikasi/", views.publications, name="publications"),
    path("publikasi/<slug:name>/perbarui/", views.publication_refresh, name="refresh"),
]
