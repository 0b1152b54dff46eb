"""The W3C VC-API, at the site root as the VC-API names its paths (nothing else on the site uses them)."""

from django.urls import path

from vcapi import views

app_name = "vcapi"

urlpatterns = [
    path("credentials/issue", views.credentials_issue, name="issue"),
    path("credentials/status", views.credentials_status, name="status"),
    path("credentials/verify", views.credentials_verify, name="verify"),
    path("presentations/verify", views.presentations_verify, name="presentations-verify"),
]
