"""Writing the append-only credential history. Every pipeline step goes through here."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from badges.models import Credential, CredentialEvent

if TYPE_CHECKING:
    from kernel.users import User


def credential_event_record(
    *,
    credential: Credential | int,
    kind: str,
    actor: User | None = None,
    **data: Any,
) -> CredentialEvent:
    credential_id = credential if isinstance(credential, int) else credential.pk
    return CredentialEvent.objects.create(credential_id=credential_id, kind=kind, actor=actor, data=data)
