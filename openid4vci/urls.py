"""OpenID4VCI 1.0: metadata under /.well-known/, the protocol endpoints under /oid4vci/, and the learner's
page that makes an offer."""

from django.urls import path

from openid4vci import views, wallet_views

app_name = "openid4vci"
urlpatterns = [
    path(".well-known/openid-credential-issuer", views.issuer_metadata, name="issuer-metadata"),
    # RFC 8414 §3.1: the authorization server `<base>/oid4vci` has its metadata at this path.
    path(".well-known/oauth-authorization-server/oid4vci", views.authorization_metadata,
         name="authorization-metadata"),
    path("oid4vci/offers/<uuid:public_id>", views.offer, name="offer"),
    path("oid4vci/token", views.token, name="token"),
    path("oid4vci/nonce", views.nonce, name="nonce"),
    path("oid4vci/credential", views.credential, name="credential"),
    path("wallet/credentials/<uuid:public_id>/to-wallet", wallet_views.to_wallet, name="to-wallet"),
]
