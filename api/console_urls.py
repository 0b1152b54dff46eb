"""The console's API token pages, under /console/<issuer>/api-tokens/."""

from django.urls import path

from api import console_views

app_name = "api_tokens"

urlpatterns = [
    path("<slug:issuer_slug>/api-tokens/", console_views.api_token_list, name="list"),
    path("<slug:issuer_slug>/api-tokens/<uuid:public_id>/revoke/", console_views.api_token_revoke_page,
         name="revoke"),
]
