"""Pages of the clinic queue module."""

from django.shortcuts import render


def home(request):
    return render(request, "clinics/home.html")
