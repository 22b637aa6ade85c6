"""Bali One Data: one platform for a provincial government's data and public services."""
