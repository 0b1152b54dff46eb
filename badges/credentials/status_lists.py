"""Issuers' W3C Bitstring Status Lists: allocating an index per credential, flipping bits, signing the lists.

Indexes are drawn at random (secrets.SystemRandom) from the free ones, so a credential's position says
nothing about when it was issued. A list that fills up is closed and a new one opened.
"""

from __future__ import annotations

import hashlib
import json
import secrets
from datetime import datetime
from typing import Any

from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from badges.contexts import platform_canonicalizer, platform_loader
from badges.models import Credential, StatusList
from issuers.adapters import issuer_profile
from issuers.models import Issuer, SigningKey
from issuers.signing import signer_for
from kernel.public_urls import public_url
from ob3.model import StatusEntry
from ob3.proofs.data_integrity import sign_credential
from ob3.status_list import (
    build_status_list_credential,
    encode_list,
    get_bit,
    new_status_list,
    random_free_index,
    set_bit,
)

_rng = secrets.SystemRandom()


def status_list_url(status_list: StatusList) -> str:
    """The list's absolute URL: its credential id and where verifiers fetch it."""
    return public_url(
        reverse("credentials:status-list", args=[status_list.issuer.slug, status_list.public_id])
    )


def status_list_create(*, issuer: Issuer, size: int = StatusList.MIN_SIZE) -> StatusList:
    """A new, empty revocation list under the issuer's current identity, which it keeps for good."""
    bits = new_status_list(size)  # validates the size
    return StatusList.objects.create(
        issuer=issuer,
        purpose=StatusList.Purpose.REVOCATION,
        identity_kind=issuer.identity_kind,
        size=size,
        bits=bytes(bits),
        allocated=bytes(bits),
    )


def status_entry_for(credential: Credential) -> StatusEntry | None:
    """The credential's BitstringStatusListEntry, or None while it has no index yet."""
    if credential.status_list_id is None or credential.status_list_index is None:
        return None
    return StatusEntry(
        status_list_credential=status_list_url(credential.status_list), status_list_index=credential.status_list_index
    )


def credential_status_allocate(*, credential: Credential) -> StatusEntry:
    """Give the credential its index in one of its issuer's open revocation lists opened under the
    issuer's current identity (a list names one issuer id for good). Idempotent: a credential that already
    has one keeps it (a re-run of the signing task must not use up a second), whatever the identity now."""
    entry = status_entry_for(credential)
    if entry is not None:
        return entry
    with transaction.atomic():
        # Locks in a fixed order (credential, then list) so two signing runs cannot deadlock.
        locked = Credential.objects.select_for_update().get(pk=credential.pk)
        if locked.status_list_id is None:
            status_list = (
                StatusList.objects.select_for_update()
                .filter(
                    issuer_id=locked.issuer_id,
                    purpose=StatusList.Purpose.REVOCATION,
                    identity_kind=locked.issuer.identity_kind,
                    is_full=False,
                )
                .order_by("pk")
                .first()
            ) or status_list_create(issuer=locked.issuer)
            allocated = bytearray(status_list.allocated)
            index = random_free_index(allocated, _rng)
            set_bit(allocated, index)
            status_list.allocated = bytes(allocated)
            status_list.allocated_count += 1
            status_list.is_full = status_list.allocated_count >= status_list.size
            status_list.save(update_fields=["allocated", "allocated_count", "is_full"])
            Credential.objects.filter(pk=locked.pk).update(status_list=status_list, status_list_index=index)
            locked.status_list, locked.status_list_index = status_list, index
    credential.status_list, credential.status_list_index = locked.status_list, locked.status_list_index
    if credential.status_list.document is None:  # a new list: publish it before any credential points at it
        status_list_sign(status_list=credential.status_list)
    return status_entry_for(credential)


def status_index_allocate(*, issuer: Issuer, identity_kind: str) -> tuple[StatusList, int]:
    """A random free index in one of the issuer's open revocation lists opened under `identity_kind`, for a
    credential signed outside the platform's Credential records (the W3C VC-API keeps its own); the caller
    stores the pair. A new list is signed before it is returned, so nothing ever points at an unpublished list."""
    with transaction.atomic():
        status_list = (
            StatusList.objects.select_for_update()
            .filter(issuer=issuer, purpose=StatusList.Purpose.REVOCATION, identity_kind=identity_kind, is_full=False)
            .order_by("pk")
            .first()
        ) or StatusList.objects.create(
            issuer=issuer, purpose=StatusList.Purpose.REVOCATION, identity_kind=identity_kind,
            size=StatusList.MIN_SIZE, bits=bytes(new_status_list(StatusList.MIN_SIZE)),
            allocated=bytes(new_status_list(StatusList.MIN_SIZE)),
        )
        allocated = bytearray(status_list.allocated)
        index = random_free_index(allocated, _rng)
        set_bit(allocated, index)
        status_list.allocated = bytes(allocated)
        status_list.allocated_count += 1
        status_list.is_full = status_list.allocated_count >= status_list.size
        status_list.save(update_fields=["allocated", "allocated_count", "is_full"])
    if status_list.document is None:
        status_list = status_list_sign(status_list=status_list)
    return status_list, index


def status_list_set_revoked(*, status_list_id: int, index: int) -> None:
    """Set a bit. The caller holds the transaction; the list is re-signed after it commits."""
    status_list = StatusList.objects.select_for_update().get(pk=status_list_id)
    bits = bytearray(status_list.bits)
    if get_bit(bits, index):
        return
    set_bit(bits, index)
    status_list.bits = bytes(bits)
    status_list.version += 1
    status_list.save(update_fields=["bits", "version"])


def _etag(document: dict[str, Any]) -> str:
    digest = hashlib.sha256(json.dumps(document, sort_keys=True, separators=(",", ":")).encode()).hexdigest()
    return f'"{digest[:32]}"'


def status_list_sign(*, status_list: StatusList, now: datetime | None = None) -> StatusList:
    """Sign the current bits and store the document, unless the stored one is already current.

    Signing happens outside any lock; the result is kept only if no bit changed meanwhile (the
    conditional UPDATE on `version`), else the next call signs the newer bits.
    """
    if status_list.document is not None and status_list.signed_version == status_list.version:
        return status_list
    version, bits = status_list.version, bytes(status_list.bits)
    issuer = status_list.issuer
    # Signed as the identity the list was opened under, which its credentials name as their issuer.
    identity_kind = status_list.identity_kind
    signer, verification_method = signer_for(issuer, SigningKey.Kind.ED25519, identity_kind=identity_kind)
    moment = (now or timezone.now()).replace(microsecond=0)
    unsigned = build_status_list_credential(
        id=status_list_url(status_list),
        issuer=issuer_profile(issuer, identity_kind=identity_kind),
        # The list has been in force since it was opened; re-signing leaves that date alone (the proof
        # carries the signing time), so a verifier whose clock reads a moment earlier still accepts it.
        valid_from=status_list.created_at.replace(microsecond=0),
        encoded_list=encode_list(bits),
        status_purpose=status_list.purpose,
    )
    document = sign_credential(
        unsigned,
        signer=signer,
        verification_method=verification_method,
        created=moment,
        loader=platform_loader(),
        canonicalizer=platform_canonicalizer(),
    )
    etag = _etag(document)
    StatusList.objects.filter(pk=status_list.pk, version=version).update(
        document=document, etag=etag, signed_version=version, signed_at=moment
    )
    status_list.refresh_from_db()
    return status_list


def status_list_published(*, issuer_slug: str, public_id: str) -> StatusList | None:
    """The list as verifiers get it, signed afresh first if a bit changed since it was last signed."""
    status_list = StatusList.objects.select_related("issuer").filter(
        issuer__slug=issuer_slug, public_id=public_id
    ).first()
    if status_list is None:
        return None
    return status_list_sign(status_list=status_list)
