"""Issuers' W3C Bitstring Status Lists: allocating an index per credential, flipping bits, signing the lists.

Indexes are drawn at random (secrets.SystemRandom) from the free ones, so a credential's position says
nothing about when it was issued. A list that fills up is closed and a new one opened. A chunk of
credentials signed together gets its indexes as one block: one short transaction, one write of the list.
"""

from __future__ import annotations

import hashlib
import json
import secrets
from collections import defaultdict
from collections.abc import Sequence
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
from kernel.bulk import rows_update
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
    # Kept on the object: the credentials of a chunk share one, and reversing the URL again for each of
    # them is a measurable share of signing a cohort.
    url: str | None = status_list.__dict__.get("_public_url")
    if url is None:
        url = public_url(reverse("credentials:status-list", args=[status_list.issuer.slug, status_list.public_id]))
        status_list.__dict__["_public_url"] = url
    return url


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
    credentials_status_allocate(credentials=[credential])
    return status_entry_for(credential)


def credentials_status_allocate(*, credentials: Sequence[Credential]) -> None:
    """Give every credential of a chunk that has no index yet one, as credential_status_allocate does, in
    one short transaction, and publish any list that is new.

    Idempotent: a credential that already has an index keeps it, also one another run gave it meanwhile.
    Sets `status_list` and `status_list_index` on the objects passed in."""
    waiting = {credential.pk: credential for credential in credentials if credential.status_list_id is None}
    if waiting:
        with transaction.atomic():
            # Locks in a fixed order (the credentials by pk, then the list) so two runs cannot deadlock.
            locked = (
                Credential.objects.select_for_update().filter(pk__in=waiting).order_by("pk")
                .values_list("pk", "status_list_id", "status_list_index")
            )
            for pk, list_id, index in locked:  # another run may have given it one since we read it: keep that
                waiting[pk].status_list_id, waiting[pk].status_list_index = list_id, index
            assigned = credentials_status_assign(credentials=list(waiting.values()))
            rows_update(Credential, fields=["status_list", "status_list_index"],
                        rows=[(c.pk, c.status_list_id, c.status_list_index) for c in assigned])
    status_lists_publish(credentials=credentials)


def credentials_status_assign(*, credentials: Sequence[Credential]) -> list[Credential]:
    """Give each credential that has no index one, in the caller's transaction, which holds the credentials'
    row locks (taken before the list's, in pk order, so two runs cannot deadlock) and writes the credentials
    it gets back. The list's allocation map is read and written once per chunk, not once per credential
    (each write leaves a dead 16 KB row behind, and every signing would wait for the one before)."""
    groups: dict[tuple[int, str], list[Credential]] = defaultdict(list)
    for credential in credentials:
        if credential.status_list_id is None:
            groups[(credential.issuer_id, credential.issuer.identity_kind)].append(credential)
    assigned: list[Credential] = []
    for (_issuer_id, identity_kind), group in groups.items():
        issuer = group[0].issuer
        _issuer_lock(issuer)
        while group:
            status_list = (
                StatusList.objects.select_for_update()
                .filter(issuer=issuer, purpose=StatusList.Purpose.REVOCATION, identity_kind=identity_kind,
                        is_full=False)
                .order_by("pk")
                .first()
            ) or status_list_create(issuer=issuer)
            room = max(status_list.size - status_list.allocated_count, 0)
            block, group = group[:room], group[room:]
            allocated = bytearray(status_list.allocated)
            for credential in block:
                index = random_free_index(allocated, _rng)
                set_bit(allocated, index)
                credential.status_list, credential.status_list_index = status_list, index
            status_list.allocated = bytes(allocated)
            status_list.allocated_count += len(block)
            status_list.is_full = status_list.allocated_count >= status_list.size
            status_list.save(update_fields=["allocated", "allocated_count", "is_full"])
            assigned.extend(block)
    return assigned


def status_lists_publish(*, credentials: Sequence[Credential]) -> None:
    """Attach each credential's list (one object per list, its issuer loaded) and sign any list that is new,
    before any credential that points at it is signed."""
    list_ids = {credential.status_list_id for credential in credentials if credential.status_list_id is not None}
    lists = StatusList.objects.select_related("issuer").in_bulk(list_ids)
    for credential in credentials:
        if credential.status_list_id is not None:
            credential.status_list = lists[credential.status_list_id]
    for status_list in lists.values():
        if status_list.document is None:
            status_list_sign(status_list=status_list)


def _issuer_lock(issuer: Issuer) -> None:
    """Take the issuer's row lock before looking for an open list: when there is none, two signing runs at
    once would otherwise each open a new list (locking a list cannot stop that, it does not exist yet)."""
    Issuer.objects.select_for_update().filter(pk=issuer.pk).values_list("pk", flat=True).first()


def status_index_allocate(*, issuer: Issuer, identity_kind: str) -> tuple[StatusList, int]:
    """A random free index in one of the issuer's open revocation lists opened under `identity_kind`, for a
    credential signed outside the platform's Credential records (the W3C VC-API keeps its own); the caller
    stores the pair. A new list is signed before it is returned, so nothing ever points at an unpublished list."""
    with transaction.atomic():
        _issuer_lock(issuer)
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
