"""The security gates of the wallet. Every wallet view reaches credentials through these.

A credential that is not the learner's answers exactly like one that does not exist (404), so the wallet
never confirms which credentials are on the platform.
"""

from __future__ import annotations

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.core.exceptions import ValidationError
from django.http import Http404

from badges.models import Credential
from learners.models import ExternalCredential
from learners.selectors import learner_verified_emails


def access_credential_for_learner(user: AbstractBaseUser | AnonymousUser, public_id: object) -> Credential:
    """One of the learner's credentials (any version of a renewal chain); 404 for everything else."""
    if not user.is_authenticated or not user.is_active:
        raise Http404
    emails = learner_verified_emails(user)
    if not emails:
        raise Http404
    try:
        credential = (
            Credential.objects.select_related("achievement", "issuer")
            .filter(public_id=public_id, recipient_email__in=emails)
            .exclude(status=Credential.Status.FAILED)
            .first()
        )
    except ValidationError:  # not a UUID
        raise Http404 from None
    if credential is None:
        raise Http404
    return credential


def access_external_credential_for_learner(
    user: AbstractBaseUser | AnonymousUser, public_id: object
) -> ExternalCredential:
    """A credential the learner imported; 404 for anyone else's and for unknown ids."""
    if not user.is_authenticated or not user.is_active:
        raise Http404
    try:
        external = ExternalCredential.objects.filter(public_id=public_id, user=user).first()
    except ValidationError:
        raise Http404 from None
    if external is None:
        raise Http404
    return external
