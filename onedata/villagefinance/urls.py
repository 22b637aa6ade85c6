from django.urls import path

from onedata.villagefinance import views

app_name = "villagefinance"

urlpatterns = [
    path("", views.home, name="home"),
]
