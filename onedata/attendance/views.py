"""Pages of the attendance module."""

from django.shortcuts import render


def home(request):
    return render(request, "attendance/home.html")
