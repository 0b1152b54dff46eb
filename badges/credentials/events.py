"""Writing the append-only credential history. Every pipeline step goes through here."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from badges.models import Credential, CredentialEvent

if TYPE_CHECKING:
    from kernel.users import User

# Rows per INSERT when a chunk of credentials records its steps at once.
BULK_BATCH_SIZE = 1000


def credential_event_record(
    *,
    credential: Credential | int,
    kind: str,
    actor: User | None = None,
    **data: Any,
) -> CredentialEvent:
    credential_id = credential if isinstance(credential, int) else credential.pk
    return CredentialEvent.objects.create(credential_id=credential_id, kind=kind, actor=actor, data=data)


def credential_events_record(
    entries: Iterable[tuple[int, str, dict[str, Any]]], *, actor: User | None = None
) -> list[CredentialEvent]:
    """The same rows as credential_event_record, for many credentials in one INSERT per 1,000:
    (credential id, kind, data) each, written in the order given."""
    events = [
        CredentialEvent(credential_id=credential_id, kind=kind, actor=actor, data=data)
        for credential_id, kind, data in entries
    ]
    return CredentialEvent.objects.bulk_create(events, batch_size=BULK_BATCH_SIZE)
