"""A learner's own things: wallet settings, the public profile, and credentials brought in from elsewhere.

Credentials from this platform are not copied here: a learner's wallet is every badges.Credential whose
recipient e-mail is one of the learner's verified addresses (see learners.selectors).
"""

from __future__ import annotations

import secrets
import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from kernel.validation import bidi_controls_refuse


def new_public_handle() -> str:
    """An opaque, unguessable address for a public profile; it says nothing about the person."""
    return secrets.token_urlsafe(12)


class LearnerProfile(models.Model):
    """Wallet settings of one person. Created on first visit to the wallet."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="learner_profile")
    public_handle = models.CharField(max_length=32, unique=True, default=new_public_handle, editable=False)
    # Off by default: nothing about a learner is public until they say so.
    public_profile_enabled = models.BooleanField(_("public profile"), default=False)
    display_name = models.CharField(
        _("name on your public page"), max_length=200, blank=True, validators=[bidi_controls_refuse],
        help_text=_("Leave empty to show no name."),
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("learner profile")
        verbose_name_plural = _("learner profiles")

    def __str__(self) -> str:
        return f"{self.user} ({self.public_handle})"


class ExternalCredential(models.Model):
    """A credential a learner brought from elsewhere, kept exactly as given, with our verification of it."""

    class Format(models.TextChoices):
        PNG = "png", _("PNG image")
        SVG = "svg", _("SVG image")
        JSON = "json", _("JSON")
        JWT = "jwt", _("JSON Web Token")

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="external_credentials")
    format = models.CharField(_("format"), max_length=8, choices=Format.choices)
    raw = models.BinaryField(_("credential as imported"))
    original_filename = models.CharField(_("file name"), max_length=255, blank=True)
    # The credential's own `id`, so the same credential is not imported twice.
    credential_id = models.CharField(_("credential id"), max_length=500, blank=True)
    name = models.CharField(_("name"), max_length=300, blank=True)
    issuer_name = models.CharField(_("issuer"), max_length=300, blank=True)
    verdict = models.CharField(_("verdict"), max_length=20)
    verification = models.JSONField(_("verification result"), default=dict)
    verified_at = models.DateTimeField(_("verified"))
    created_at = models.DateTimeField(_("imported"), auto_now_add=True)

    class Meta:
        verbose_name = _("external credential")
        verbose_name_plural = _("external credentials")
        ordering = ["-created_at", "pk"]

    def __str__(self) -> str:
        return self.name or str(self.public_id)

    @property
    def is_valid(self) -> bool:
        return self.verdict == "valid"


class DidChallenge(models.Model):
    """A one-time challenge a learner's wallet signs to prove it controls a DID.

    Only a hash of the nonce is stored; the nonce itself is shown once, to the learner who asked for it.
    """

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="did_challenges")
    nonce_hash = models.CharField(max_length=64, unique=True, editable=False)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    expires_at = models.DateTimeField(_("expires"))
    used_at = models.DateTimeField(_("used"), null=True, blank=True)

    class Meta:
        verbose_name = _("DID challenge")
        verbose_name_plural = _("DID challenges")
        ordering = ["-created_at", "pk"]

    def __str__(self) -> str:
        return f"{self.user} ({self.created_at:%Y-%m-%d %H:%M})"


class LearnerDid(models.Model):
    """A DID the learner has proved they control; credentials issued afterwards name it as their subject."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="learner_did")
    did = models.CharField(_("DID"), max_length=500)
    verified_at = models.DateTimeField(_("verified"))

    class Meta:
        verbose_name = _("learner DID")
        verbose_name_plural = _("learner DIDs")

    def __str__(self) -> str:
        return self.did


class LearnerExport(models.Model):
    """One request for a person's data as a ZIP, written in the background (learners.exports).

    The file lives in the private "exports" storage, never under MEDIA_URL; it leaves only through the
    owner's gated download and is deleted EXPORT_KEEP_DAYS after it was written.
    """

    class Status(models.TextChoices):
        QUEUED = "queued", _("waiting to start")
        RUNNING = "running", _("being prepared")
        READY = "ready", _("ready to download")
        FAILED = "failed", _("failed")
        EXPIRED = "expired", _("deleted")

    RUNNING_STATUSES = (Status.QUEUED, Status.RUNNING)

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="learner_exports")
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.QUEUED)
    items_done = models.PositiveIntegerField(default=0)
    items_total = models.PositiveIntegerField(default=0)
    file_name = models.CharField(max_length=255, blank=True)
    file_size = models.PositiveBigIntegerField(default=0)
    error_code = models.CharField(max_length=40, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    expires_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("data export")
        verbose_name_plural = _("data exports")
        ordering = ["-created_at", "-pk"]
        constraints = [
            # One export in progress per person: a second click, tab or request gets the running one.
            models.UniqueConstraint(
                fields=["user"], condition=models.Q(status__in=["queued", "running"]),
                name="learner_export_one_running",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} ({self.created_at:%Y-%m-%d}, {self.status})"

    @property
    def in_progress(self) -> bool:
        return self.status in self.RUNNING_STATUSES
