"""POST /credentials/status: revoke a credential the VC-API signed, by its id. The bit is set in the issuer's
list inside the transaction and the list is signed afresh when it is next read (status_lists.py)."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from badges.credentials.status_lists import status_list_set_revoked
from issuers.models import Issuer
from ob3.vcdm import BITSTRING_ENTRY
from vcapi.errors import VcApiRefusal
from vcapi.models import VcApiCredential


def vc_credential_status_update(*, issuer: Issuer, request: dict[str, Any]) -> list[VcApiCredential]:
    """Set the revocation bit of every credential of `issuer` signed with this id; idempotent."""
    credential_id = request.get("credentialId")
    entry = request.get("credentialStatus")
    if not isinstance(credential_id, str) or not credential_id:
        raise VcApiRefusal(400, "malformed_request", _("credentialId must be the id of a credential."))
    if isinstance(entry, list) and len(entry) == 1:
        entry = entry[0]
    if not isinstance(entry, dict) or entry.get("type") != BITSTRING_ENTRY or \
            entry.get("statusPurpose", "revocation") != "revocation":
        raise VcApiRefusal(400, "invalid_status", _("credentialStatus must be {\"type\": \"BitstringStatusListEntry\","
                                                    " \"statusPurpose\": \"revocation\"}."))
    if request.get("status", True) is not True:
        raise VcApiRefusal(422, "irreversible", _("A revocation cannot be undone."))
    with transaction.atomic():
        records = list(
            VcApiCredential.objects.select_for_update()
            .filter(issuer=issuer, credential_id=credential_id, status_list__isnull=False)
            .order_by("pk")
        )
        if not records:
            raise VcApiRefusal(404, "not_found", _("This issuer signed no credential with that id and a status."))
        for record in records:
            assert record.status_list_id is not None and record.status_list_index is not None
            status_list_set_revoked(status_list_id=record.status_list_id, index=record.status_list_index)
            if record.revoked_at is None:
                record.revoked_at = timezone.now()
                record.save(update_fields=["revoked_at"])
    return records
