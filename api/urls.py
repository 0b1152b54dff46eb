"""/api/v1/: the schema, its docs page, and the resources of one issuer (one URL module per area)."""

from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularRedocView, SpectacularSwaggerView

from api import issuer_views

app_name = "api"
ISSUER = "issuers/<slug:issuer_slug>"

urlpatterns = [
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    path("docs/", SpectacularSwaggerView.as_view(url_name="api:schema"), name="docs"),
    path("redoc/", SpectacularRedocView.as_view(url_name="api:schema"), name="redoc"),
    path(f"{ISSUER}/", issuer_views.IssuerProfileView.as_view(), name="issuer"),
    path(f"{ISSUER}/members/", issuer_views.MemberListView.as_view(), name="members"),
    path(f"{ISSUER}/", include("api.award_urls")),
]
