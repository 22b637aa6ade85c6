from django.urls import path

from onedata.factcheck import views

app_name = "factcheck"

urlpatterns = [
    path("", views.home, name="home"),
]
