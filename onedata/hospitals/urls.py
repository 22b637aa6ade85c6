from django.urls import path

from onedata.hospitals import views

app_name = "hospitals"

urlpatterns = [
    path("", views.home, name="home"),
]
