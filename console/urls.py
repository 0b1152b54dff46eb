"""The issuer console under /console/: the list of one's issuers, each issuer's overview (console app),
and the member and profile pages (issuers app)."""

from django.urls import path

from console import audit_views, views
from issuers import console_views

app_name = "console"

urlpatterns = [
    path("", console_views.console_home, name="home"),
    path("<slug:issuer_slug>/", views.issuer_overview, name="issuer"),
    path("<slug:issuer_slug>/members/", console_views.member_list, name="members"),
    path("<slug:issuer_slug>/members/<int:member_id>/", console_views.member_roles_edit, name="member-roles"),
    path("<slug:issuer_slug>/members/<int:member_id>/remove/", console_views.member_remove, name="member-remove"),
    path("<slug:issuer_slug>/profile/", console_views.issuer_profile_edit, name="profile"),
    path("<slug:issuer_slug>/audit-log/", audit_views.audit_log, name="audit-log"),
]
