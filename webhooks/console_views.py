"""The console's webhook pages (owners): endpoints, their secret (shown once), deliveries and replays."""

from __future__ import annotations

from uuid import UUID

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from issuers.access import access_membership_for_user
from issuers.models import IssuerMember
from issuers.roles import Capability
from kernel.errors import ApplicationError
from kernel.users import AuthenticatedHttpRequest
from webhooks.deliveries import webhook_deliveries_of, webhook_delivery_replay
from webhooks.endpoints import (
    webhook_endpoint_create,
    webhook_endpoint_delete,
    webhook_endpoint_secret_rotate,
    webhook_endpoint_update,
)
from webhooks.forms import WebhookEndpointForm
from webhooks.models import WebhookDelivery, WebhookEndpoint

SECTION = "webhooks"


def _member(request: AuthenticatedHttpRequest, issuer_slug: str) -> IssuerMember:
    return access_membership_for_user(request.user, issuer_slug, capability=Capability.MANAGE_MEMBERS)


def _endpoint(member: IssuerMember, public_id: UUID) -> WebhookEndpoint:
    endpoint = WebhookEndpoint.objects.filter(issuer=member.issuer, public_id=public_id).first()
    if endpoint is None:
        raise Http404
    return endpoint


def _page(request, template: str, member: IssuerMember, status: int = 200, **context) -> HttpResponse:
    return render(request, template, {"member": member, "issuer": member.issuer, "section": SECTION, **context},
                  status=status)


@login_required
@require_GET
def endpoint_list(request: AuthenticatedHttpRequest, issuer_slug: str) -> HttpResponse:
    member = _member(request, issuer_slug)
    return _page(request, "webhooks/endpoint_list.html", member,
                 endpoints=WebhookEndpoint.objects.filter(issuer=member.issuer))


@login_required
@require_http_methods(["GET", "POST"])
def endpoint_new(request: AuthenticatedHttpRequest, issuer_slug: str) -> HttpResponse:
    member = _member(request, issuer_slug)
    form = WebhookEndpointForm(request.POST if request.method == "POST" else None, initial={"enabled": True})
    if request.method == "POST" and form.is_valid():
        try:
            endpoint, secret = webhook_endpoint_create(issuer=member.issuer, by=request.user, **form.endpoint_fields())
        except ApplicationError as refusal:
            form.add_error(None, refusal.message)
        else:
            # Rendered, not redirected: the secret is shown on this one answer and stored nowhere readable.
            return _page(request, "webhooks/endpoint_secret.html", member, endpoint=endpoint, secret=secret)
    return _page(request, "webhooks/endpoint_form.html", member, form=form, status=400 if form.errors else 200)


@login_required
@require_http_methods(["GET", "POST"])
def endpoint_detail(request: AuthenticatedHttpRequest, issuer_slug: str, public_id: UUID) -> HttpResponse:
    member = _member(request, issuer_slug)
    endpoint = _endpoint(member, public_id)
    initial = {"url": endpoint.url, "description": endpoint.description, "event_types": endpoint.event_types,
               "enabled": endpoint.enabled}
    form = WebhookEndpointForm(request.POST if request.method == "POST" else None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            webhook_endpoint_update(endpoint=endpoint, by=request.user, **form.endpoint_fields())
        except ApplicationError as refusal:
            form.add_error(None, refusal.message)
        else:
            messages.success(request, _("The endpoint is saved."))
            return redirect("webhooks_console:detail", member.issuer.slug, endpoint.public_id)
    deliveries = webhook_deliveries_of(endpoint)[:50]
    return _page(request, "webhooks/endpoint_detail.html", member, endpoint=endpoint, form=form,
                 deliveries=deliveries, status=400 if form.errors else 200)


@login_required
@require_POST
def endpoint_secret_rotate(request: AuthenticatedHttpRequest, issuer_slug: str, public_id: UUID) -> HttpResponse:
    member = _member(request, issuer_slug)
    endpoint = _endpoint(member, public_id)
    secret = webhook_endpoint_secret_rotate(endpoint=endpoint, by=request.user)
    return _page(request, "webhooks/endpoint_secret.html", member, endpoint=endpoint, secret=secret, rotated=True)


@login_required
@require_POST
def endpoint_delete(request: AuthenticatedHttpRequest, issuer_slug: str, public_id: UUID) -> HttpResponse:
    member = _member(request, issuer_slug)
    webhook_endpoint_delete(endpoint=_endpoint(member, public_id), by=request.user)
    messages.success(request, _("The endpoint is removed."))
    return redirect("webhooks_console:list", member.issuer.slug)


@login_required
@require_POST
def delivery_replay(
    request: AuthenticatedHttpRequest, issuer_slug: str, public_id: UUID, delivery_id: UUID
) -> HttpResponse:
    member = _member(request, issuer_slug)
    endpoint = _endpoint(member, public_id)
    delivery = WebhookDelivery.objects.filter(endpoint=endpoint, public_id=delivery_id).first()
    if delivery is None:
        raise Http404
    try:
        webhook_delivery_replay(delivery=delivery, by=request.user)
    except ApplicationError as refusal:
        messages.error(request, refusal.message)
    else:
        messages.success(request, _("The event is sent again."))
    return redirect("webhooks_console:detail", member.issuer.slug, endpoint.public_id)
