"""Security gates for the console pages that list, revoke and re-issue an issuer's credentials."""

from __future__ import annotations

from typing import TYPE_CHECKING

from badges.models import Credential
from issuers.access import access_membership_for_user
from issuers.models import Issuer, IssuerMember
from issuers.roles import Capability
from kernel.lookups import first_or_404

if TYPE_CHECKING:
    from kernel.users import AnyUser


# --- Gates ---------------------------------------------------------------------------------------------
def access_issuer_for_credential_manager(user: AnyUser, issuer_slug: str) -> IssuerMember:
    """404 for non-members and unknown issuers; 403 for members who may not manage credentials."""
    return access_membership_for_user(user, issuer_slug, capability=Capability.MANAGE_CREDENTIALS)


def access_credential_for_issuer(issuer: Issuer, credential_public_id: str) -> Credential:
    """A credential of an issuer the caller already passed a gate for; never one of another issuer."""
    return first_or_404(Credential.objects.select_related("issuer", "achievement").filter(issuer=issuer),
                        public_id=credential_public_id)
