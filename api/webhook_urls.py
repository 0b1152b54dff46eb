"""/api/v1/issuers/<slug>/webhooks/… (included from api/urls.py)."""

from django.urls import path

from api import webhook_views as views

_ONE = "webhooks/<uuid:endpoint_id>/"

urlpatterns = [
    path("webhooks/", views.WebhookEndpointListView.as_view(), name="webhooks"),
    path(_ONE, views.WebhookEndpointView.as_view(), name="webhook"),
    path(_ONE + "rotate-secret/", views.WebhookSecretRotateView.as_view(), name="webhook-secret-rotate"),
    path(_ONE + "deliveries/", views.WebhookDeliveryListView.as_view(), name="webhook-deliveries"),
    path(_ONE + "deliveries/<uuid:delivery_id>/replay/", views.WebhookDeliveryReplayView.as_view(),
         name="webhook-delivery-replay"),
]
