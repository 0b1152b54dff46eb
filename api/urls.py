"""/api/v1/: the schema, its docs page, and the resources of one issuer (one URL module per area)."""

from csp.decorators import csp_update
from django.urls import include, path, re_path
from drf_spectacular.views import SpectacularAPIView, SpectacularRedocView, SpectacularSwaggerSplitView

from api import issuer_views, problems, verify_views

app_name = "api"
ISSUER = "issuers/<slug:issuer_slug>"

# The docs pages keep the site's script policy (the split Swagger view loads its start-up script as a file,
# not inline), but Swagger UI and ReDoc set style attributes and <style> elements from their JavaScript, which
# no nonce can cover: style-src 'unsafe-inline' for these two pages only. ReDoc also draws in a blob: worker.
_docs_csp = csp_update({"style-src": ["'unsafe-inline'"], "img-src": ["data:"], "worker-src": ["'self'", "blob:"]})

urlpatterns = [
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    path("docs/", _docs_csp(SpectacularSwaggerSplitView.as_view(url_name="api:schema")), name="docs"),
    path("redoc/", _docs_csp(SpectacularRedocView.as_view(url_name="api:schema")), name="redoc"),
    path(f"{ISSUER}/", issuer_views.IssuerProfileView.as_view(), name="issuer"),
    path(f"{ISSUER}/members/", issuer_views.MemberListView.as_view(), name="members"),
    path(f"{ISSUER}/", include("api.achievement_urls")),
    path("verify", verify_views.VerifyView.as_view(), name="verify"),
    path(f"{ISSUER}/", include("api.credential_urls")),
    path(f"{ISSUER}/", include("api.webhook_urls")),
    path(f"{ISSUER}/", include("api.application_urls")),
    path(f"{ISSUER}/", include("api.award_urls")),
    # Last: whatever names no operation answers a 404 problem body, not the site's HTML page.
    re_path(r"^(?P<unmatched>[\s\S]*)$", problems.api_not_found),  # [\s\S]: a %0A in the path too
]
