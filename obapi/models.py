"""What the Open Badges API keeps beside django-oauth-toolkit's applications and tokens.

- ClientRegistration: what a client said about itself at dynamic registration (RFC 7591), shown to the
  learner on the consent page and the connected apps page.
- DeliveredCredential: a credential an app upserted into a learner's wallet. The credential itself is a
  learners.ExternalCredential (a credential from elsewhere), verified like an import.
- ObProfile: the learner's OB 3.0 Profile as apps read and write it (never the account itself).
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from oauth2_provider.models import Application

from learners.models import ExternalCredential


def new_profile_id() -> str:
    return f"urn:uuid:{uuid.uuid4()}"


class ClientRegistration(models.Model):
    application = models.OneToOneField(Application, on_delete=models.CASCADE, related_name="ob_registration")
    client_uri = models.URLField(_("site"), max_length=500)
    logo_uri = models.URLField(_("logo"), max_length=500)
    tos_uri = models.URLField(_("terms of service"), max_length=500)
    policy_uri = models.URLField(_("privacy policy"), max_length=500)
    software_id = models.CharField(max_length=200)
    software_version = models.CharField(max_length=100)
    scope = models.CharField(max_length=1000)
    contacts = models.JSONField(default=list, blank=True)
    # Everything the client sent, answered back as RFC 7591 asks.
    metadata = models.JSONField(default=dict)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("registered app")
        verbose_name_plural = _("registered apps")

    def __str__(self) -> str:
        return self.application.name

    @property
    def scopes(self) -> list[str]:
        return self.scope.split()


class DeliveredCredential(models.Model):
    external = models.OneToOneField(ExternalCredential, on_delete=models.CASCADE, related_name="delivery")
    application = models.ForeignKey(Application, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    client_name = models.CharField(max_length=255)
    issuer_id = models.CharField(max_length=500)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("credential delivered by an app")
        verbose_name_plural = _("credentials delivered by apps")

    def __str__(self) -> str:
        return f"{self.external} ({self.client_name})"


class ObProfile(models.Model):
    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="ob_profile")
    profile_id = models.CharField(max_length=500, default=new_profile_id)
    document = models.JSONField(null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("Open Badges profile")
        verbose_name_plural = _("Open Badges profiles")

    def __str__(self) -> str:
        return self.profile_id
