"""Pages of the data hub module."""

from django.shortcuts import render


def home(request):
    return render(request, "datahub/home.html")
