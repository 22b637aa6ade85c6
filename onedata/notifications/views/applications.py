"""Screens for application owners (filled in by the applications slice)."""

urlpatterns = []
