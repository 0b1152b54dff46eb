"""The issuer dashboard and the credentials that expire soon, under /console/<issuer>/."""

from django.urls import path

from console import dashboard_views

app_name = "dashboard"

urlpatterns = [
    path("<slug:issuer_slug>/dashboard/", dashboard_views.dashboard, name="overview"),
    path("<slug:issuer_slug>/dashboard/export.csv", dashboard_views.dashboard_export, name="export"),
    path("<slug:issuer_slug>/expiring/", dashboard_views.expiring, name="expiring"),
]
