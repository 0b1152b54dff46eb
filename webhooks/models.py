"""Webhook endpoints, the events recorded for them, each delivery of an event to an endpoint, and every
attempt to send one."""

from __future__ import annotations

import uuid

from django.db import models
from django.utils.translation import gettext_lazy as _

from issuers.models import Issuer


class WebhookEndpoint(models.Model):
    """An issuer's receiver: an https URL, the events it wants, and the secret deliveries are signed with."""

    class DisabledBecause(models.TextChoices):
        NOT_DISABLED = "", _("enabled")
        BY_MEMBER = "member", _("disabled by a member")
        FAILURES = "failures", _("disabled after failed deliveries")

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    issuer = models.ForeignKey(Issuer, on_delete=models.CASCADE, related_name="webhook_endpoints")
    url = models.URLField(_("address (https)"), max_length=2000)
    description = models.CharField(_("description"), max_length=200, blank=True)
    event_types = models.JSONField(_("events"), default=list)
    # Sealed with the key-encryption key (webhooks.secrets): the secret must be read to sign, so no hash.
    secret_sealed = models.BinaryField(editable=False)
    secret_kek_id = models.CharField(max_length=40, editable=False)
    secret_rotated_at = models.DateTimeField(_("secret created"), null=True, blank=True)
    enabled = models.BooleanField(_("enabled"), default=True)
    disabled_because = models.CharField(max_length=10, choices=DisabledBecause.choices, blank=True, default="")
    disabled_at = models.DateTimeField(_("disabled"), null=True, blank=True)
    # The failure streak since the last successful attempt (webhooks.sending decides when to disable).
    failing_since = models.DateTimeField(null=True, blank=True)
    consecutive_failures = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("webhook endpoint")
        verbose_name_plural = _("webhook endpoints")
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return self.url


class WebhookEvent(models.Model):
    """One thing that happened, as the JSON body every delivery of it sends (byte for byte, on each retry
    and replay, so a receiver can de-duplicate by `event_id`)."""

    event_id = models.CharField(max_length=40, unique=True)
    issuer = models.ForeignKey(Issuer, on_delete=models.CASCADE, related_name="webhook_events")
    event_type = models.CharField(max_length=40)
    body = models.TextField()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.event_type} {self.event_id}"


class WebhookDelivery(models.Model):
    """An event on its way to one endpoint: retried with backoff until it succeeds or gives up."""

    class State(models.TextChoices):
        PENDING = "pending", _("waiting")
        SENDING = "sending", _("being sent")
        SUCCEEDED = "succeeded", _("delivered")
        FAILED = "failed", _("failed")

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    endpoint = models.ForeignKey(WebhookEndpoint, on_delete=models.CASCADE, related_name="deliveries")
    event = models.ForeignKey(WebhookEvent, on_delete=models.CASCADE, related_name="deliveries")
    state = models.CharField(max_length=10, choices=State.choices, default=State.PENDING)
    attempt_count = models.PositiveIntegerField(default=0)
    next_attempt_at = models.DateTimeField(null=True, blank=True)
    # Set while one worker sends it; a second run finds it taken (webhooks.sending.delivery_claim).
    claimed_at = models.DateTimeField(null=True, blank=True)
    replay_of = models.ForeignKey("self", on_delete=models.SET_NULL, null=True, blank=True, related_name="replays")
    created_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["state", "next_attempt_at"])]

    def __str__(self) -> str:
        return f"{self.event} → {self.endpoint}"


class WebhookAttempt(models.Model):
    """One POST of a delivery: what the receiver answered, or why nothing came back."""

    delivery = models.ForeignKey(WebhookDelivery, on_delete=models.CASCADE, related_name="attempts")
    number = models.PositiveIntegerField()
    started_at = models.DateTimeField()
    duration_ms = models.PositiveIntegerField(default=0)
    status_code = models.PositiveIntegerField(null=True, blank=True)
    response_excerpt = models.TextField(blank=True)  # at most ~1 KB of the receiver's answer
    error = models.TextField(blank=True)
    succeeded = models.BooleanField(default=False)

    class Meta:
        ordering = ["number", "pk"]
        constraints = [models.UniqueConstraint(fields=["delivery", "number"], name="webhook_attempt_number_once")]

    def __str__(self) -> str:
        return f"{self.delivery_id} #{self.number}"
