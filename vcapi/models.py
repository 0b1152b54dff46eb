"""What the W3C VC-API signed: each credential as it was returned, so its status can be changed later."""

from __future__ import annotations

import uuid

from django.db import models
from django.utils.translation import gettext_lazy as _

from api.models import ApiToken
from badges.models import StatusList
from issuers.models import Issuer


class VcApiCredential(models.Model):
    """One credential signed through POST /credentials/issue. Rows are never deleted: the signed document
    is the record of what the issuer vouched for, and its status entry (if any) keeps its index for good."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    issuer = models.ForeignKey(Issuer, on_delete=models.PROTECT, related_name="vc_api_credentials")
    token = models.ForeignKey(ApiToken, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    # The credential's own `id` (a URL the caller chose, or the urn:uuid we added); "" when it has none.
    credential_id = models.CharField(_("credential id"), max_length=500, blank=True, db_index=True)
    identity = models.CharField(_("issuer identity"), max_length=500)
    document = models.JSONField(_("signed credential"))
    status_list = models.ForeignKey(StatusList, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    status_list_index = models.PositiveIntegerField(null=True, blank=True)
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("VC-API credential")
        verbose_name_plural = _("VC-API credentials")
        ordering = ["-created_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["status_list", "status_list_index"], condition=models.Q(status_list__isnull=False),
                name="vc_api_status_index_once",
            ),
        ]

    def __str__(self) -> str:
        return self.credential_id or str(self.public_id)
