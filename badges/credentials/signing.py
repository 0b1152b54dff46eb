"""Signing credentials a chunk at a time (a single credential is a chunk of one): claim them, build and
sign each (Data Integrity, and VC-JWT where the issuer wants it), bake it into PNG and SVG, store it, and
finish the chunk in one transaction. Safe to run twice and to re-run after a crash."""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.core.files.storage import default_storage
from django.db import InterfaceError, OperationalError, transaction
from django.db.models import Q
from django.utils import timezone

from badges.contexts import platform_canonicalizer, platform_loader
from badges.credentials.adapters import (
    DraftTemplate,
    credential_draft,
    credential_draft_template,
    credential_identity_kind,
)
from badges.credentials.claims import credential_claims_offer
from badges.credentials.events import credential_events_record
from badges.credentials.status_lists import credentials_status_assign, status_lists_publish
from badges.credentials.webhook_events import credential_webhooks_emit
from badges.models import Achievement, Credential, CredentialEvent
from issuers.models import Issuer, SigningKey
from issuers.signing import NoActiveSigningKey, active_key, signer_for
from kernel.bulk import rows_update
from kernel.errors import ApplicationError
from kernel.storage import storage_overwrite
from ob3.baking import bake_png, bake_svg
from ob3.build import CohortBuilder
from ob3.errors import Ob3Error
from ob3.proofs.data_integrity import sign_credential
from ob3.proofs.vc_jwt import sign_jwt
from webhooks.events import EventType


class SigningRefused(ApplicationError):
    """A business reason not to sign (no active key, unpublished achievement). Retrying cannot help."""


# Worth retrying: the database or the file storage was briefly unreachable. OSError covers IOError,
# timeouts and refused connections from the local file system and most storage clients.
TRANSIENT_ERRORS: tuple[type[BaseException], ...] = (OperationalError, InterfaceError, OSError)


logger = logging.getLogger(__name__)

# Credentials per UPDATE statement when a chunk is finished (each carries its signed document).
FINISH_BATCH_SIZE = 100


# --- Signing -------------------------------------------------------------------------------------------
def claim_is_stale_before(now: datetime) -> datetime:
    return now - timedelta(minutes=settings.CREDENTIAL_SIGNING_STALE_MINUTES)


def credentials_claim(
    *, credential_ids: Sequence[int], chunk: _Chunk | None = None
) -> tuple[datetime, list[Credential]]:
    """Take the credentials for signing: (the claim time, which is our token; the credentials we now hold,
    by pk). One that someone else holds, or that has nothing left to do, is left out.

    The same transaction gives each credential that will be signed its status-list index (a re-run keeps the
    one it got first) and records that signing started: one write of each row, not one per step."""
    now = timezone.now()
    chunk = chunk or _Chunk()
    claimable = Q(status=Credential.Status.PENDING) | Q(
        status=Credential.Status.SIGNING, claimed_at__lt=claim_is_stale_before(now)
    )
    with transaction.atomic():
        # skip_locked: rows another run is claiming or finishing right now are theirs, not ours to wait for.
        claimed = list(
            Credential.objects.select_for_update(skip_locked=True)
            .filter(claimable, pk__in=credential_ids)
            .order_by("pk")
            .values_list("pk", flat=True)
        )
        if not claimed:
            return now, []
        credentials = _credentials_load(claimed)
        # Every credential carries a revocation entry; one that cannot be signed at all does not use one up.
        credentials_status_assign(credentials=[c for c in credentials if chunk.refusal(c) is None])
        for credential in credentials:
            credential.status, credential.claimed_at, credential.updated_at = Credential.Status.SIGNING, now, now
            credential.attempts += 1
        rows_update(
            Credential, fields=["attempts", "status_list", "status_list_index"],
            rows=[(c.pk, c.attempts, c.status_list_id, c.status_list_index) for c in credentials],
            same={"status": Credential.Status.SIGNING, "claimed_at": now, "updated_at": now},
        )
        credential_events_record((pk, CredentialEvent.Kind.SIGNING_STARTED, {}) for pk in claimed)
    return now, credentials


def credential_claim(*, credential_id: int) -> datetime | None:
    """Take one credential for signing. Returns the claim time (our token) or None when someone else holds it
    or there is nothing to do."""
    claimed_at, claimed = credentials_claim(credential_ids=[credential_id])
    return claimed_at if claimed else None


def credential_sign(*, credential_id: int) -> None:
    """Sign, bake and store one credential: credentials_sign with one id."""
    credentials_sign(credential_ids=[credential_id])


@dataclass
class _Signed:
    credential: Credential
    document: dict[str, Any]
    jwt: str
    verification_method: str
    png_name: str
    svg_name: str


@dataclass
class _Refused:
    credential: Credential
    code: str
    reason: str


def credentials_sign(*, credential_ids: Sequence[int]) -> None:
    """Sign, bake and store a chunk of credentials (a cohort's are queued 100 to a task). Safe to
    run twice and safe to re-run after a crash: each credential is signed by whoever holds its claim, keeps
    the status-list index it was given first, and is finished only under the claim it was signed under.

    The chunk shares what its credentials have in common (the draft of each achievement version, the
    issuer's keys, the badge images), gets its status-list indexes as one block, and ends in one
    transaction. Business refusals end the credential they concern in FAILED. Transient errors release
    every claim of the chunk and propagate, so the task can retry; if even the release fails, the sweeper
    picks the rows up once the claims are stale.
    """
    chunk = _Chunk()
    claimed_at, credentials = credentials_claim(credential_ids=credential_ids, chunk=chunk)
    if not credentials:
        logger.info("credentials not claimable, skipping", extra={"credential_ids": list(credential_ids)[:20]})
        return
    try:
        # A new list is published before any credential that points at it is signed.
        status_lists_publish(credentials=credentials)
        signed, refused = _sign_bake_store(credentials, chunk)
        _finish(signed, refused, claimed_at=claimed_at)
    except TRANSIENT_ERRORS as exc:
        _credentials_release([c.pk for c in credentials], claimed_at=claimed_at, reason=repr(exc))
        raise


def _credentials_load(credential_ids: list[int]) -> list[Credential]:
    """The claimed credentials, with one Issuer and one Achievement object per distinct row shared between
    them (a cohort has one of each: a join would build a copy for every credential). The signed document
    and JWT are not read: this run writes them."""
    credentials = list(Credential.objects.filter(pk__in=credential_ids).defer("document", "jwt").order_by("pk"))
    issuers = Issuer.objects.in_bulk({credential.issuer_id for credential in credentials})
    achievements = Achievement.objects.in_bulk({credential.achievement_id for credential in credentials})
    for credential in credentials:
        credential.issuer = issuers[credential.issuer_id]
        credential.achievement = achievements[credential.achievement_id]
    return credentials


class _Chunk:
    """What the credentials of one chunk share, each looked up once."""

    def __init__(self) -> None:
        self._keys_checked: dict[int, SigningRefused | None] = {}
        self._signers: dict[tuple[int, str], tuple[Any, str, tuple[Any, str] | None]] = {}
        self._templates: dict[tuple[int, str], DraftTemplate] = {}
        self._images: dict[int, tuple[bytes, bytes]] = {}
        self.builder = CohortBuilder()
        self.loader = platform_loader()
        self.canonicalizer = platform_canonicalizer()

    def refusal(self, credential: Credential) -> SigningRefused | None:
        """Why the credential cannot be signed at all; checked before it uses up a status-list index."""
        achievement = credential.achievement
        if achievement.status != Achievement.Status.PUBLISHED:
            return SigningRefused("achievement_unpublished", f"achievement {achievement.public_id} is not published")
        issuer = credential.issuer
        if issuer.pk not in self._keys_checked:
            try:
                active_key(issuer, SigningKey.Kind.ED25519)
                if issuer.jwt_enabled:
                    active_key(issuer, SigningKey.Kind.RSA)
                self._keys_checked[issuer.pk] = None
            except NoActiveSigningKey as exc:
                self._keys_checked[issuer.pk] = SigningRefused("no_active_key", str(exc))
        return self._keys_checked[issuer.pk]

    def signers(self, credential: Credential) -> tuple[Any, str, tuple[Any, str] | None]:
        """The Ed25519 signer and its verification method, and the RSA signer and kid when the issuer signs
        VC-JWTs too, under the identity of the list the credential has its index in."""
        issuer = credential.issuer
        identity_kind = credential_identity_kind(credential)
        key = (issuer.pk, identity_kind)
        if key not in self._signers:
            try:
                signer, verification_method = signer_for(issuer, SigningKey.Kind.ED25519, identity_kind=identity_kind)
                jwt_signer = (
                    signer_for(issuer, SigningKey.Kind.RSA, identity_kind=identity_kind) if issuer.jwt_enabled
                    else None
                )
            except NoActiveSigningKey as exc:
                raise SigningRefused("no_active_key", str(exc)) from None
            self._signers[key] = (signer, verification_method, jwt_signer)
        return self._signers[key]

    def template(self, credential: Credential) -> DraftTemplate:
        key = (credential.achievement_id, credential_identity_kind(credential))
        if key not in self._templates:
            self._templates[key] = credential_draft_template(credential)
        return self._templates[key]

    def images(self, credential: Credential) -> tuple[bytes, bytes]:
        achievement = credential.achievement
        if achievement.pk not in self._images:
            with achievement.image.open("rb") as png, achievement.image_svg.open("rb") as svg:
                self._images[achievement.pk] = (png.read(), svg.read())
        return self._images[achievement.pk]


def _sign_bake_store(credentials: list[Credential], chunk: _Chunk) -> tuple[list[_Signed], list[_Refused]]:
    refused: list[_Refused] = []
    ready: list[Credential] = []
    for credential in credentials:
        if (refusal := chunk.refusal(credential)) is not None:
            refused.append(_Refused(credential, refusal.code, str(refusal)))
        else:
            ready.append(credential)
    signed: list[_Signed] = []
    for credential in ready:
        try:
            signed.append(_sign_one(credential, chunk))
        except SigningRefused as exc:
            refused.append(_Refused(credential, exc.code, str(exc)))
        except Ob3Error as exc:  # the draft cannot become a valid credential: retrying gives the same answer
            refused.append(_Refused(credential, "invalid_credential", str(exc)))
    return signed, refused


def _sign_one(credential: Credential, chunk: _Chunk) -> _Signed:
    signer, verification_method, jwt_signer = chunk.signers(credential)
    document = sign_credential(
        chunk.builder.build(credential_draft(credential, template=chunk.template(credential))),
        signer=signer,
        verification_method=verification_method,
        created=timezone.now().replace(microsecond=0),
        loader=chunk.loader,
        # Our own credentials take the fast path; it is proven equal to the general one and falls
        # back to it (and to its safe-mode checks) for anything it does not recognise.
        canonicalizer=chunk.canonicalizer,
    )
    jwt = ""
    if jwt_signer is not None:
        rsa_signer, kid = jwt_signer
        jwt = sign_jwt(document, signer=rsa_signer, kid=kid)
    # The JWT, when there is one, is what gets baked: it carries both proofs.
    content: dict[str, Any] | str = jwt or document
    png_image, svg_image = chunk.images(credential)
    png_name = _store(f"credentials/{credential.public_id}.png", bake_png(png_image, content))
    svg_name = _store(f"credentials/{credential.public_id}.svg", bake_svg(svg_image, content))
    return _Signed(credential, document, jwt, verification_method, png_name, svg_name)


def _finish(signed: list[_Signed], refused: list[_Refused], *, claimed_at: datetime) -> None:
    """Mark the chunk's credentials issued (or failed), each unless our claim on it went stale and another
    run took over: one transaction, a constant number of statements whatever the chunk's size."""
    if not signed and not refused:
        return
    now = timezone.now()
    with transaction.atomic():
        ids = [item.credential.pk for item in signed] + [item.credential.pk for item in refused]
        # Locked, so the rows we still hold cannot be taken over between this read and the writes below.
        ours = set(
            Credential.objects.select_for_update()
            .filter(pk__in=ids, status=Credential.Status.SIGNING, claimed_at=claimed_at)
            .order_by("pk")
            .values_list("pk", flat=True)
        )
        issued = [item for item in signed if item.credential.pk in ours]
        failed = [item for item in refused if item.credential.pk in ours]
        _credentials_mark_issued(issued, now=now)
        if failed:
            Credential.objects.filter(pk__in=[item.credential.pk for item in failed]).update(
                status=Credential.Status.FAILED, updated_at=now
            )
        # One event says what issuing did (signed how, baked where): it all happened in this transaction.
        # Credentials issued before this record SIGNED and BAKED events of their own.
        events: list[tuple[int, str, dict[str, Any]]] = [
            (item.credential.pk, CredentialEvent.Kind.ISSUED, {
                "verification_method": item.verification_method,
                "formats": ["data-integrity", *(["vc-jwt"] if item.jwt else [])],
                "png": item.png_name, "svg": item.svg_name,
            })
            for item in issued
        ]
        events += [(item.credential.pk, CredentialEvent.Kind.FAILED, {"code": item.code, "reason": item.reason})
                   for item in failed]
        credential_events_record(events)
        # Every award path ends here, so each recipient is told once, with a link to a real credential.
        credentials_issued = [item.credential for item in issued]
        credential_claims_offer(credentials=credentials_issued)
        credential_webhooks_emit(credentials_issued, EventType.CREDENTIAL_ISSUED)
    for refusal in failed:
        logger.warning("credential signing failed",
                       extra={"credential_id": refusal.credential.pk, "code": refusal.code})
    if lost := [pk for pk in ids if pk not in ours]:
        # Our claim went stale and another run took over; its result stands, ours is dropped.
        logger.warning("signing claim lost before finishing", extra={"credential_ids": lost[:20]})


def _credentials_mark_issued(issued: list[_Signed], *, now: datetime) -> None:
    """One UPDATE per FINISH_BATCH_SIZE credentials, each with its own document, JWT and files."""
    for item in issued:
        credential = item.credential
        credential.status, credential.document, credential.jwt = Credential.Status.ISSUED, item.document, item.jwt
        credential.baked_png.name, credential.baked_svg.name = item.png_name, item.svg_name
        credential.updated_at = now
    rows_update(
        Credential, fields=["document", "jwt", "baked_png", "baked_svg"],
        rows=[(item.credential.pk, item.document, item.jwt, item.png_name, item.svg_name) for item in issued],
        same={"status": Credential.Status.ISSUED, "updated_at": now}, batch_size=FINISH_BATCH_SIZE,
    )


def _store(name: str, content: bytes) -> str:
    """Save under a fixed name, replacing a file a crashed earlier run may have left."""
    return storage_overwrite(default_storage, name, content)


def _credentials_release(credential_ids: list[int], *, claimed_at: datetime, reason: str) -> None:
    try:
        with transaction.atomic():
            released = list(
                Credential.objects.select_for_update()
                .filter(pk__in=credential_ids, status=Credential.Status.SIGNING, claimed_at=claimed_at)
                .order_by("pk")
                .values_list("pk", flat=True)
            )
            Credential.objects.filter(pk__in=released).update(
                status=Credential.Status.PENDING, claimed_at=None, updated_at=timezone.now()
            )
            credential_events_record(
                (pk, CredentialEvent.Kind.SIGNING_INTERRUPTED, {"reason": reason}) for pk in released
            )
    except TRANSIENT_ERRORS:
        logger.warning(
            "could not release signing claims; the sweeper will", extra={"credential_ids": credential_ids[:20]}
        )
