"""The console's webhook pages, under /console/<issuer>/webhooks/."""

from django.urls import path

from webhooks import console_views as views

app_name = "webhooks_console"

_ONE = "<slug:issuer_slug>/webhooks/<uuid:public_id>/"

urlpatterns = [
    path("<slug:issuer_slug>/webhooks/", views.endpoint_list, name="list"),
    path("<slug:issuer_slug>/webhooks/new/", views.endpoint_new, name="new"),
    path(_ONE, views.endpoint_detail, name="detail"),
    path(_ONE + "rotate-secret/", views.endpoint_secret_rotate, name="rotate"),
    path(_ONE + "delete/", views.endpoint_delete, name="delete"),
    path(_ONE + "deliveries/<uuid:delivery_id>/replay/", views.delivery_replay, name="replay"),
]
