"""Public verification (/c/<id>, /verify/), issuers' status lists, and the console pages to revoke and re-issue."""

from django.urls import path

from badges import verification_views as views

app_name = "verification"
urlpatterns = [
    path("c/<uuid:public_id>", views.credential_page, name="credential"),
    path("verify/", views.verify_page, name="verify"),
    path("verify/api", views.verify_api, name="verify-api"),
    path("status/<slug:issuer_slug>/<uuid:public_id>", views.status_list, name="status-list"),
    path("console/<slug:issuer_slug>/credentials/", views.console_credential_list, name="console-credentials"),
    path(
        "console/<slug:issuer_slug>/credentials/<uuid:public_id>/revoke/",
        views.console_credential_revoke,
        name="console-credential-revoke",
    ),
    path(
        "console/<slug:issuer_slug>/credentials/<uuid:public_id>/reissue/",
        views.console_credential_reissue,
        name="console-credential-reissue",
    ),
]
