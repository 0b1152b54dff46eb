"""The security gates of the wallet. Every wallet view reaches credentials through these.

A credential that is not the learner's answers exactly like one that does not exist (404), so the wallet
never confirms which credentials are on the platform.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.http import Http404

from badges.models import Credential
from kernel.emails import verified_emails
from kernel.lookups import first_or_404
from learners.models import ExternalCredential, LearnerExport

if TYPE_CHECKING:
    from kernel.users import AnyUser


def access_credential_for_learner(user: AnyUser, public_id: object) -> Credential:
    """One of the learner's credentials (any version of a renewal chain); 404 for everything else."""
    if not user.is_authenticated or not user.is_active:
        raise Http404
    emails = verified_emails(user)
    if not emails:
        raise Http404
    credentials = (
        Credential.objects.select_related("achievement", "issuer")
        .filter(recipient_email__in=emails)
        .exclude(status=Credential.Status.FAILED)
    )
    return first_or_404(credentials, public_id=public_id)


def access_external_credential_for_learner(
    user: AnyUser, public_id: object
) -> ExternalCredential:
    """A credential the learner imported; 404 for anyone else's and for unknown ids."""
    if not user.is_authenticated or not user.is_active:
        raise Http404
    return first_or_404(ExternalCredential.objects.filter(user=user), public_id=public_id)


def access_export_for_learner(user: AnyUser, public_id: object) -> LearnerExport:
    """One of the person's own data exports; 404 for anyone else's and for unknown ids."""
    if not user.is_authenticated or not user.is_active:
        raise Http404
    return first_or_404(LearnerExport.objects.filter(user=user), public_id=public_id)
