"""/api/v1/issuers/<slug>/credentials/…: the issuer's credentials, their files, revoking and re-issuing."""

from django.urls import path

from api import credential_views, wallet_offer_views

_ONE = "credentials/<uuid:public_id>/"

urlpatterns = [
    path("credentials/", credential_views.CredentialListView.as_view(), name="credentials"),
    path(_ONE, credential_views.CredentialDetailView.as_view(), name="credential"),
    path(_ONE + "download/<str:fmt>", credential_views.CredentialDownloadView.as_view(), name="credential-download"),
    path(_ONE + "revoke/", credential_views.CredentialRevokeView.as_view(), name="credential-revoke"),
    path(_ONE + "reissue/", credential_views.CredentialReissueView.as_view(), name="credential-reissue"),
    path(_ONE + "wallet-offers/", wallet_offer_views.WalletOfferCreateView.as_view(), name="credential-wallet-offer"),
]
