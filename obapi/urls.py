"""/ims/ob/v3p0/…: the 1EdTech Open Badges 3.0 API, its OAuth endpoints, and the learner's connected apps."""

from django.urls import path, re_path
from oauth2_provider.views import RevokeTokenView, TokenView

from obapi import views

app_name = "obapi"
urlpatterns = [
    path("ims/ob/v3p0/", views.not_found, name="base"),
    path("ims/ob/v3p0/discovery", views.discovery, name="discovery"),
    path("ims/ob/v3p0/credentials", views.credentials, name="credentials"),
    path("ims/ob/v3p0/profile", views.profile, name="profile"),
    path("ims/ob/v3p0/oauth/register", views.register, name="register"),
    path("ims/ob/v3p0/oauth/authorize", views.ConsentView.as_view(), name="authorize"),
    path("ims/ob/v3p0/oauth/token", TokenView.as_view(), name="token"),
    path("ims/ob/v3p0/oauth/revoke", RevokeTokenView.as_view(), name="revoke"),
    re_path(r"^ims/ob/v3p0/(?P<unmatched>.+)$", views.not_found),
    path("wallet/apps/", views.connected_apps, name="connected-apps"),
    path("wallet/apps/<str:client_id>/disconnect", views.connected_app_disconnect, name="connected-app-disconnect"),
]
