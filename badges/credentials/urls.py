"""Issuers' signed status lists, where verifiers read whether a credential is revoked."""

from django.urls import path

from badges.credentials import views

app_name = "credentials"
urlpatterns = [
    path("status/<slug:issuer_slug>/<uuid:public_id>", views.status_list, name="status-list"),
]
