from django.urls import path

from issuers import views

app_name = "issuers"

urlpatterns = [
    path("", views.issuer_list, name="list"),
    path("<slug:slug>", views.issuer_detail, name="detail"),
    path("<slug:slug>/did.json", views.issuer_did_document, name="did-document"),
    path("<slug:slug>/jwks.json", views.issuer_jwks, name="jwks"),
    path("<slug:slug>/keys/<str:thumbprint>", views.signing_key_document, name="key"),
    path("<slug:slug>/logo", views.issuer_logo, name="logo"),
]
