"""What the platform told whom, and how each person wants to be told."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.db.models import F
from django.db.models.functions import Upper
from django.utils.translation import gettext_lazy as _


class NotificationSettings(models.Model):
    """One row per person who changed anything, or whose language we learnt at sign-in."""

    class Delivery(models.TextChoices):
        IMMEDIATE = "immediate", _("One e-mail for each thing")
        DAILY = "daily", _("One e-mail a day with everything")

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    # Only notices about work waiting for the person can wait for the digest; a credential or an
    # invitation is always sent at once.
    delivery = models.CharField(max_length=16, choices=Delivery.choices, default=Delivery.IMMEDIATE)
    language = models.CharField(max_length=8, choices=settings.LANGUAGES, default=settings.LANGUAGE_CODE)
    # Set once the person picks a language on the settings page; until then it follows their last sign-in.
    language_chosen = models.BooleanField(default=False)

    class Meta:
        verbose_name = _("notification settings")
        verbose_name_plural = _("notification settings")

    def __str__(self) -> str:
        return f"{self.user_id}: {self.delivery}, {self.language}"


class Notice(models.Model):
    """One e-mail, rendered when it was decided on. Kept so issuers can see whether it was delivered."""

    class State(models.TextChoices):
        WAITING = "waiting", _("Waiting to be sent")
        IN_DIGEST = "in_digest", _("Waiting for the daily e-mail")
        SENT = "sent", _("E-mail sent")
        UNDELIVERABLE = "undeliverable", _("Could not be delivered")
        BOUNCED = "bounced", _("Bounced")

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    email = models.EmailField(max_length=254)
    kind = models.CharField(max_length=64)  # e.g. "credential_awarded", "review_waiting"
    language = models.CharField(max_length=8)
    subject = models.CharField(max_length=255)
    body = models.TextField()
    state = models.CharField(max_length=16, choices=State.choices, default=State.WAITING)
    created_at = models.DateTimeField(auto_now_add=True)
    # Set while a worker sends it, so two workers cannot both send one notice.
    sending_since = models.DateTimeField(null=True, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    failed_at = models.DateTimeField(null=True, blank=True)
    failure = models.CharField(max_length=500, blank=True)
    # A notice that waited for the daily e-mail points at the digest that carried it.
    digest = models.ForeignKey("self", on_delete=models.SET_NULL, null=True, blank=True, related_name="carried")

    class Meta:
        indexes = [
            models.Index(fields=["state", "user"], name="notice_state_user"),
            models.Index(fields=["email", "created_at"], name="notice_email_created"),
            # A bounce names an address in any case (notifications.bounces compares case-insensitively).
            models.Index(Upper("email"), F("sent_at"), name="notice_email_upper_sent"),
        ]

    def __str__(self) -> str:
        return f"{self.kind} → {self.email} ({self.state})"
