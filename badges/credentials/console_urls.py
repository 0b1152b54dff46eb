"""The issuer console's credential pages, under /console/<issuer>/credentials/."""

from django.urls import path

from badges.credentials import console_views

app_name = "credentials_console"

_ONE = "<slug:issuer_slug>/credentials/<uuid:public_id>/"

urlpatterns = [
    path("<slug:issuer_slug>/credentials/", console_views.credential_list, name="list"),
    path(_ONE, console_views.credential_detail, name="detail"),
    path(_ONE + "claim-link/", console_views.credential_claim_resend_action, name="claim-resend"),
    path(_ONE + "revoke/", console_views.credential_revoke_page, name="revoke"),
    path(_ONE + "reissue/", console_views.credential_reissue_action, name="reissue"),
]
