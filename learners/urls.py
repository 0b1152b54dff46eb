"""URL routes."""

from django.urls import path  # noqa: F401

app_name = "learners"
urlpatterns: list = []
