from django.urls import path

from onedata.datahub import views

app_name = "datahub"

urlpatterns = [
    path("", views.home, name="home"),
]
