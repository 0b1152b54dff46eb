"""Writing the append-only credential history. Every pipeline step goes through here."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.models import AbstractBaseUser

from badges.models import Credential, CredentialEvent


def credential_event_record(
    *,
    credential: Credential | int,
    kind: str,
    actor: AbstractBaseUser | None = None,
    **data: Any,
) -> CredentialEvent:
    credential_id = credential if isinstance(credential, int) else credential.pk
    return CredentialEvent.objects.create(credential_id=credential_id, kind=kind, actor=actor, data=data)
