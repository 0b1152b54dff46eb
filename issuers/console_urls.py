from django.urls import path

from issuers import console_views as views

app_name = "console"

urlpatterns = [
    path("", views.console_home, name="home"),
    path("<slug:issuer_slug>/", views.issuer_home, name="issuer"),
    path("<slug:issuer_slug>/members/", views.member_list, name="members"),
    path("<slug:issuer_slug>/members/<int:member_id>/", views.member_roles_edit, name="member-roles"),
    path("<slug:issuer_slug>/members/<int:member_id>/remove/", views.member_remove, name="member-remove"),
    path("<slug:issuer_slug>/profile/", views.issuer_profile_edit, name="profile"),
]
