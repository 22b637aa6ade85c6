"""Pages of the fact check module."""

from django.shortcuts import render


def home(request):
    return render(request, "factcheck/home.html")
