"""Public achievement pages (/a/<id>) and the Mikromerit extension's context and schema (/ns/v1)."""

from django.urls import path

from badges import public_views as views

app_name = "badges_public"

urlpatterns = [
    path("a/<uuid:public_id>", views.achievement_page, name="achievement"),
    path("a/<uuid:public_id>/<str:language>", views.achievement_edition_page, name="achievement-edition"),
    path("ns/v1", views.extension_context, name="context"),
    path("ns/v1/achievement-schema.json", views.extension_schema, name="schema"),
]
