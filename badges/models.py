from __future__ import annotations

import uuid
from typing import Any, NoReturn

from django.conf import settings
from django.core.validators import RegexValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from issuers.models import Issuer


class Achievement(models.Model):
    """What a credential says was achieved: an Open Badges 3.0 Achievement."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("draft")
        PUBLISHED = "published", _("published")

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    issuer = models.ForeignKey(Issuer, on_delete=models.PROTECT, related_name="achievements")
    name = models.CharField(_("name"), max_length=200)
    description = models.TextField(_("description"))
    criteria_narrative = models.TextField(_("criteria"), help_text=_("What the learner must show. Markdown."))
    achievement_type = models.CharField(_("type"), max_length=60, default="MicroCredential")
    in_language = models.CharField(_("language"), max_length=10, default="sv")
    human_code = models.CharField(_("code"), max_length=40, blank=True)
    field_of_study = models.CharField(_("field of study"), max_length=120, blank=True)
    colour = models.CharField(
        _("colour"),
        max_length=7,
        default="#1f5f8b",
        validators=[RegexValidator(r"^#[0-9a-fA-F]{6}$", _("Use a hex colour such as #1f5f8b."))],
        help_text=_("Used for the generated badge image when no image is uploaded."),
    )
    image = models.FileField(_("image (PNG)"), upload_to="achievements/", blank=True)
    image_svg = models.FileField(_("image (SVG)"), upload_to="achievements/", blank=True, editable=False)
    image_alt = models.CharField(
        _("image description"), max_length=300, blank=True, help_text=_("Text alternative for the badge image.")
    )
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.DRAFT)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("achievement")
        verbose_name_plural = _("achievements")
        ordering = ["issuer", "name"]

    def __str__(self) -> str:
        return self.name

    @property
    def uri(self) -> str:
        return f"urn:uuid:{self.public_id}"


class Credential(models.Model):
    """One achievement awarded to one recipient. The signed document is never changed after issuing."""

    class Status(models.TextChoices):
        PENDING = "pending", _("waiting to be signed")
        SIGNING = "signing", _("being signed")
        ISSUED = "issued", _("issued")
        FAILED = "failed", _("failed")
        REVOKED = "revoked", _("revoked")

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    issuer = models.ForeignKey(Issuer, on_delete=models.PROTECT, related_name="credentials")
    achievement = models.ForeignKey(Achievement, on_delete=models.PROTECT, related_name="credentials")
    recipient_email = models.EmailField(_("recipient e-mail"))
    recipient_identifier = models.CharField(_("recipient identifier"), max_length=80, db_index=True)
    recipient_salt = models.CharField(max_length=64)
    recipient_name = models.CharField(_("recipient name"), max_length=200, blank=True)
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.PENDING)
    valid_from = models.DateTimeField(_("valid from"))
    valid_until = models.DateTimeField(_("valid until"), null=True, blank=True)
    document = models.JSONField(_("signed credential"), null=True, blank=True)
    jwt = models.TextField(_("signed credential (VC-JWT)"), blank=True)
    baked_png = models.FileField(_("badge (PNG)"), upload_to="credentials/", blank=True)
    baked_svg = models.FileField(_("badge (SVG)"), upload_to="credentials/", blank=True)
    attempts = models.PositiveIntegerField(_("signing attempts"), default=0)
    claimed_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("credential")
        verbose_name_plural = _("credentials")
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["status", "updated_at"])]

    def __str__(self) -> str:
        return f"{self.achievement} → {self.recipient_name or self.recipient_email}"

    @property
    def uri(self) -> str:
        return f"urn:uuid:{self.public_id}"


class AppendOnlyQuerySet(models.QuerySet):
    def update(self, **kwargs: Any) -> NoReturn:
        raise TypeError("credential events are append-only")

    def delete(self) -> NoReturn:
        raise TypeError("credential events are append-only")


class CredentialEvent(models.Model):
    """The append-only story of a credential: who asked for it, each pipeline step, failures."""

    class Kind(models.TextChoices):
        ISSUE_REQUESTED = "issue_requested", _("issuing requested")
        SIGNING_STARTED = "signing_started", _("signing started")
        SIGNING_INTERRUPTED = "signing_interrupted", _("signing interrupted, will retry")
        SIGNED = "signed", _("signed")
        BAKED = "baked", _("badge images baked")
        ISSUED = "issued", _("issued")
        FAILED = "failed", _("failed")
        REQUEUED = "requeued", _("queued again")

    credential = models.ForeignKey(Credential, on_delete=models.PROTECT, related_name="events")
    kind = models.CharField(_("event"), max_length=24, choices=Kind.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    data = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(_("when"), auto_now_add=True)

    objects = AppendOnlyQuerySet.as_manager()

    class Meta:
        verbose_name = _("credential event")
        verbose_name_plural = _("credential events")
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} ({self.created_at:%Y-%m-%d %H:%M})"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.pk is not None:
            raise TypeError("credential events are append-only")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> NoReturn:
        raise TypeError("credential events are append-only")
