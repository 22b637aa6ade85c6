from django.urls import path

from onedata.clinics import views

app_name = "clinics"

urlpatterns = [
    path("", views.home, name="home"),
]
