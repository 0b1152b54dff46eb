"""The console's page for the issuer's did:key, under /console/<issuer>/did-key/."""

from django.urls import path

from vcapi import console_views

app_name = "vcapi_console"

urlpatterns = [
    path("<slug:issuer_slug>/did-key/", console_views.did_key_page, name="did-key"),
]
