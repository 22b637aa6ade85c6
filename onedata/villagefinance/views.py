"""Pages of the village finance (sikuat) module."""

from django.shortcuts import render


def home(request):
    return render(request, "villagefinance/home.html")
