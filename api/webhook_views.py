"""/api/v1/issuers/<slug>/webhooks/…: endpoints, their signing secret, deliveries and replays."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.http import Http404
from drf_spectacular.utils import extend_schema
from rest_framework.generics import ListAPIView
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from api.access import access_api_member
from api.etags import response_with_etag
from api.forms import form_validated
from api.idempotency import idempotent
from api.pagination import ApiCursorPagination
from api.scopes import Scope
from api.webhook_serializers import (
    WebhookDeliverySerializer,
    WebhookEndpointSerializer,
    WebhookEndpointWithSecretSerializer,
    WebhookSecretSerializer,
)
from issuers.models import IssuerMember
from issuers.roles import Capability
from webhooks.deliveries import webhook_deliveries_of, webhook_delivery_replay
from webhooks.endpoints import (
    webhook_endpoint_create,
    webhook_endpoint_delete,
    webhook_endpoint_secret_rotate,
    webhook_endpoint_update,
)
from webhooks.forms import WebhookEndpointForm
from webhooks.models import WebhookDelivery, WebhookEndpoint

FIELDS = ("url", "description", "event_types", "enabled")


def _member(request: Request, issuer_slug: str) -> IssuerMember:
    return access_api_member(request, issuer_slug, scope=Scope.WEBHOOKS, capability=Capability.MANAGE_MEMBERS)


def _endpoint(member: IssuerMember, endpoint_id: Any) -> WebhookEndpoint:
    endpoint = WebhookEndpoint.objects.filter(issuer=member.issuer, public_id=endpoint_id).first()
    if endpoint is None:
        raise Http404
    return endpoint


def endpoint_data(endpoint: WebhookEndpoint) -> dict[str, Any]:
    return {
        "id": str(endpoint.public_id), "url": endpoint.url, "description": endpoint.description,
        "event_types": list(endpoint.event_types), "enabled": endpoint.enabled,
        "disabled_because": endpoint.disabled_because,
        "secret_rotated_at": endpoint.secret_rotated_at.isoformat() if endpoint.secret_rotated_at else None,
        "created_at": endpoint.created_at.isoformat(),
    }


def delivery_data(delivery: WebhookDelivery) -> dict[str, Any]:
    return WebhookDeliverySerializer({
        "id": delivery.public_id, "event_id": delivery.event.event_id, "event_type": delivery.event.event_type,
        "state": delivery.state, "attempt_count": delivery.attempt_count,
        "next_attempt_at": delivery.next_attempt_at, "created_at": delivery.created_at,
        "finished_at": delivery.finished_at,
        "replay_of": delivery.replay_of.public_id if delivery.replay_of else None,
        "attempts": list(delivery.attempts.all()),
    }).data


def _form(request: Request, endpoint: WebhookEndpoint | None = None) -> WebhookEndpointForm:
    data: Any = request.data
    current: dict[str, Any] = {}
    if endpoint is not None:  # PATCH: the fields not sent keep their values
        current = {"url": endpoint.url, "description": endpoint.description,
                   "event_types": list(endpoint.event_types), "enabled": endpoint.enabled}
    posted = {name: data[name] for name in FIELDS if name in data}
    merged = {**current, **posted}
    merged.setdefault("enabled", True)
    if merged.get("enabled") is False:
        merged.pop("enabled")  # a BooleanField reads a missing value as False
    return form_validated(WebhookEndpointForm(merged))


class WebhookEndpointListView(APIView):
    @extend_schema(responses=WebhookEndpointSerializer(many=True), operation_id="webhook_endpoint_list",
                   description="The issuer's webhook endpoints (at most ten).")
    def get(self, request: Request, issuer_slug: str) -> Response:
        member = _member(request, issuer_slug)
        endpoints = WebhookEndpoint.objects.filter(issuer=member.issuer)
        return response_with_etag(request, [endpoint_data(endpoint) for endpoint in endpoints])

    @extend_schema(request=WebhookEndpointSerializer, responses={201: WebhookEndpointWithSecretSerializer},
                   operation_id="webhook_endpoint_create",
                   description="Register an endpoint; the answer carries its signing secret, shown only this once.")
    @idempotent
    def post(self, request: Request, issuer_slug: str) -> Response:
        member = _member(request, issuer_slug)
        form = _form(request)
        endpoint, secret = webhook_endpoint_create(issuer=member.issuer, by=member.user, **form.endpoint_fields())
        return Response({**endpoint_data(endpoint), "secret": secret}, status=201)


class WebhookEndpointView(APIView):
    @extend_schema(responses=WebhookEndpointSerializer, operation_id="webhook_endpoint_read")
    def get(self, request: Request, issuer_slug: str, endpoint_id: str) -> Response:
        endpoint = _endpoint(_member(request, issuer_slug), endpoint_id)
        return response_with_etag(request, endpoint_data(endpoint))

    @extend_schema(request=WebhookEndpointSerializer(partial=True), responses=WebhookEndpointSerializer,
                   operation_id="webhook_endpoint_update",
                   description="Change some fields; enabling a disabled endpoint starts its failure count again.")
    @idempotent
    def patch(self, request: Request, issuer_slug: str, endpoint_id: str) -> Response:
        member = _member(request, issuer_slug)
        endpoint = _endpoint(member, endpoint_id)
        form = _form(request, endpoint)
        webhook_endpoint_update(endpoint=endpoint, by=member.user, **form.endpoint_fields())
        endpoint.refresh_from_db()
        return Response(endpoint_data(endpoint))

    @extend_schema(request=None, responses={204: None}, operation_id="webhook_endpoint_delete",
                   description="Remove the endpoint, its deliveries and their log.")
    @idempotent
    def delete(self, request: Request, issuer_slug: str, endpoint_id: str) -> Response:
        member = _member(request, issuer_slug)
        webhook_endpoint_delete(endpoint=_endpoint(member, endpoint_id), by=member.user)
        return Response(status=204)


class WebhookSecretRotateView(APIView):
    @extend_schema(request=None, responses=WebhookSecretSerializer, operation_id="webhook_endpoint_secret_rotate",
                   description="A new signing secret, used from the next attempt on; shown only this once.")
    @idempotent
    def post(self, request: Request, issuer_slug: str, endpoint_id: str) -> Response:
        member = _member(request, issuer_slug)
        secret = webhook_endpoint_secret_rotate(endpoint=_endpoint(member, endpoint_id), by=member.user)
        return Response({"secret": secret})


class DeliveryPagination(ApiCursorPagination):
    ordering = "-pk"  # newest first; unique, so a cursor never skips or repeats a row


class WebhookDeliveryListView(ListAPIView):
    serializer_class = WebhookDeliverySerializer
    pagination_class = DeliveryPagination

    def get_queryset(self) -> QuerySet[WebhookDelivery]:
        member = _member(self.request, self.kwargs["issuer_slug"])
        endpoint = _endpoint(member, self.kwargs["endpoint_id"])
        return webhook_deliveries_of(endpoint).select_related("replay_of")

    @extend_schema(operation_id="webhook_delivery_list",
                   description="The endpoint's deliveries, newest first, each with its attempts.")
    def get(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        page = self.paginate_queryset(self.get_queryset())
        return self.get_paginated_response([delivery_data(delivery) for delivery in page or []])


class WebhookDeliveryReplayView(APIView):
    @extend_schema(request=None, responses={202: WebhookDeliverySerializer}, operation_id="webhook_delivery_replay",
                   description="Send the same event (same webhook-id and body) again, as a new delivery.")
    @idempotent
    def post(self, request: Request, issuer_slug: str, endpoint_id: str, delivery_id: str) -> Response:
        member = _member(request, issuer_slug)
        endpoint = _endpoint(member, endpoint_id)
        delivery = WebhookDelivery.objects.filter(endpoint=endpoint, public_id=delivery_id).first()
        if delivery is None:
            raise Http404
        replay = webhook_delivery_replay(delivery=delivery, by=member.user)
        return Response(delivery_data(replay), status=202)
