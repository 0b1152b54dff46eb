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
        _("name on your public page"), max_length=200, blank=True,
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
