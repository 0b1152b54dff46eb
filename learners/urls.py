"""Learner pages at the site root: /catalogue/, /wallet/…, /p/<handle>."""

from django.urls import path

from learners import claim_views, views

app_name = "learners"
urlpatterns = [
    path("welcome/", views.after_sign_in, name="after-sign-in"),
    path("catalogue/", views.catalogue, name="catalogue"),
    path("wallet/", views.wallet, name="wallet"),
    path("wallet/credentials/<uuid:public_id>/", views.credential_detail, name="credential"),
    path("wallet/credentials/<uuid:public_id>/share", views.credential_share, name="credential-share"),
    path(
        "wallet/credentials/<uuid:public_id>/download.<str:kind>",
        views.credential_download,
        name="credential-download",
    ),
    path("wallet/import/", views.credential_import, name="import"),
    path("wallet/imported/<uuid:public_id>/", views.external_detail, name="external"),
    path("wallet/imported/<uuid:public_id>/delete", views.external_delete, name="external-delete"),
    path("wallet/export/", views.export_page, name="export"),
    path("wallet/export/start", views.export_start, name="export-start"),
    path("wallet/export/<uuid:public_id>/status.json", views.export_status, name="export-status"),
    path("wallet/export/<uuid:public_id>/download", views.export_download, name="export-download"),
    path("wallet/did/", views.did_page, name="did"),
    path("wallet/did/challenge", views.did_challenge, name="did-challenge"),
    path("wallet/did/remove", views.did_remove, name="did-remove"),
    path("wallet/delete-account/", views.account_delete, name="account-delete"),
    path("p/<str:handle>", views.public_profile, name="public-profile"),
    path("claim/<str:token>", claim_views.claim, name="claim"),
    path("claim/<str:token>/new-link", claim_views.claim_new_link, name="claim-new-link"),
]
