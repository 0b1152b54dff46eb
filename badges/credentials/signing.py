"""Signing one credential: claim it, build and sign it (Data Integrity, and VC-JWT where the issuer
wants it), bake it into PNG and SVG, store it. Safe to run twice and to re-run after a crash."""

from __future__ import annotations

import logging
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import InterfaceError, OperationalError, transaction
from django.db.models import F, Q
from django.utils import timezone

from badges.contexts import platform_canonicalizer, platform_loader
from badges.credentials.adapters import credential_draft, credential_identity_kind
from badges.credentials.claims import credential_claim_offer
from badges.credentials.events import credential_event_record
from badges.credentials.status_lists import credential_status_allocate
from badges.credentials.webhook_events import credential_webhook_emit
from badges.models import Achievement, Credential, CredentialEvent
from issuers.models import SigningKey
from issuers.signing import NoActiveSigningKey, active_key, signer_for
from kernel.errors import ApplicationError
from ob3.baking import bake_png, bake_svg
from ob3.build import build_credential
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


# --- Signing -------------------------------------------------------------------------------------------
def claim_is_stale_before(now: datetime) -> datetime:
    return now - timedelta(minutes=settings.CREDENTIAL_SIGNING_STALE_MINUTES)


def credential_claim(*, credential_id: int) -> datetime | None:
    """Take the credential for signing with one conditional UPDATE. Returns the claim time (our token)
    or None when someone else holds it or there is nothing to do."""
    now = timezone.now()
    claimable = Q(status=Credential.Status.PENDING) | Q(
        status=Credential.Status.SIGNING, claimed_at__lt=claim_is_stale_before(now)
    )
    claimed = (
        Credential.objects.filter(claimable, pk=credential_id)
        .update(status=Credential.Status.SIGNING, claimed_at=now, attempts=F("attempts") + 1, updated_at=now)
    )
    return now if claimed else None


def credential_sign(*, credential_id: int) -> None:
    """Sign, bake and store one credential. Safe to run twice and safe to re-run after a crash.

    Business refusals end in FAILED. Transient errors release the claim and propagate, so the task
    can retry; if even the release fails, the sweeper picks the row up once the claim is stale.
    """
    claimed_at = credential_claim(credential_id=credential_id)
    if claimed_at is None:
        logger.info("credential not claimable, skipping", extra={"credential_id": credential_id})
        return
    credential_event_record(credential=credential_id, kind=CredentialEvent.Kind.SIGNING_STARTED)
    credential = Credential.objects.select_related("issuer", "achievement").get(pk=credential_id)
    try:
        _sign_bake_store(credential, claimed_at=claimed_at)
    except SigningRefused as exc:
        _credential_fail(credential_id, claimed_at=claimed_at, code=exc.code, reason=str(exc))
    except Ob3Error as exc:  # the draft cannot become a valid credential: retrying gives the same answer
        _credential_fail(credential_id, claimed_at=claimed_at, code="invalid_credential", reason=str(exc))
    except TRANSIENT_ERRORS as exc:
        _credential_release(credential_id, claimed_at=claimed_at, reason=repr(exc))
        raise


def _sign_bake_store(credential: Credential, *, claimed_at: datetime) -> None:
    achievement = credential.achievement
    if achievement.status != Achievement.Status.PUBLISHED:
        raise SigningRefused("achievement_unpublished", f"achievement {achievement.public_id} is not published")
    signer, verification_method, jwt_signer = _signers(credential)
    document = sign_credential(
        build_credential(credential_draft(credential)),
        signer=signer,
        verification_method=verification_method,
        created=timezone.now().replace(microsecond=0),
        loader=platform_loader(),
        # Our own credentials take the fast path; it is proven equal to the general one and falls
        # back to it (and to its safe-mode checks) for anything it does not recognise.
        canonicalizer=platform_canonicalizer(),
    )
    jwt = ""
    if jwt_signer is not None:
        rsa_signer, kid = jwt_signer
        jwt = sign_jwt(document, signer=rsa_signer, kid=kid)
    credential_event_record(
        credential=credential,
        kind=CredentialEvent.Kind.SIGNED,
        verification_method=verification_method,
        formats=["data-integrity", *(["vc-jwt"] if jwt else [])],
    )
    # The JWT, when there is one, is what gets baked: it carries both proofs.
    png_name, svg_name = _bake_and_store(credential, jwt or document)
    _finish(credential, claimed_at=claimed_at, document=document, jwt=jwt, png_name=png_name, svg_name=svg_name)


def _signers(credential: Credential) -> tuple[Any, str, tuple[Any, str] | None]:
    """The Ed25519 signer and its verification method, and the RSA signer and kid when the issuer signs
    VC-JWTs too. Refuses before the credential uses up an index in a status list."""
    issuer = credential.issuer
    try:
        active_key(issuer, SigningKey.Kind.ED25519)
        if issuer.jwt_enabled:
            active_key(issuer, SigningKey.Kind.RSA)
        # Every credential carries a revocation entry; a re-run keeps the index it already got, and so the
        # list's issuer identity, even if the issuer has chosen another identity since.
        credential_status_allocate(credential=credential)
        identity_kind = credential_identity_kind(credential)
        signer, verification_method = signer_for(issuer, SigningKey.Kind.ED25519, identity_kind=identity_kind)
        jwt_signer = (
            signer_for(issuer, SigningKey.Kind.RSA, identity_kind=identity_kind) if issuer.jwt_enabled else None
        )
    except NoActiveSigningKey as exc:
        raise SigningRefused("no_active_key", str(exc)) from None
    return signer, verification_method, jwt_signer


def _bake_and_store(credential: Credential, content: dict[str, Any] | str) -> tuple[str, str]:
    achievement = credential.achievement
    with achievement.image.open("rb") as file:
        png = bake_png(file.read(), content)
    with achievement.image_svg.open("rb") as file:
        svg = bake_svg(file.read(), content)
    png_name = _store(f"credentials/{credential.public_id}.png", png)
    svg_name = _store(f"credentials/{credential.public_id}.svg", svg)
    credential_event_record(credential=credential, kind=CredentialEvent.Kind.BAKED, png=png_name, svg=svg_name)
    return png_name, svg_name


def _finish(credential: Credential, *, claimed_at: datetime, document: dict[str, Any], jwt: str, png_name: str,
            svg_name: str) -> None:
    """Mark the credential issued, unless our claim went stale and another run took over."""
    with transaction.atomic():
        finished = Credential.objects.filter(
            pk=credential.pk, status=Credential.Status.SIGNING, claimed_at=claimed_at
        ).update(
            status=Credential.Status.ISSUED,
            document=document,
            jwt=jwt,
            baked_png=png_name,
            baked_svg=svg_name,
            updated_at=timezone.now(),
        )
        if finished:
            credential_event_record(credential=credential, kind=CredentialEvent.Kind.ISSUED)
            # Every award path ends here, so the recipient is told once, with a link to a real credential.
            credential_claim_offer(credential=credential)
            credential_webhook_emit(credential, EventType.CREDENTIAL_ISSUED)
    if not finished:
        # Our claim went stale and another run took over; its result stands, ours is dropped.
        logger.warning("signing claim lost before finishing", extra={"credential_id": credential.pk})


def _store(name: str, content: bytes) -> str:
    """Save under a fixed name, replacing a file a crashed earlier run may have left."""
    if default_storage.exists(name):
        default_storage.delete(name)
    return default_storage.save(name, ContentFile(content))


def _credential_fail(credential_id: int, *, claimed_at: datetime, code: str, reason: str) -> None:
    with transaction.atomic():
        failed = Credential.objects.filter(
            pk=credential_id, status=Credential.Status.SIGNING, claimed_at=claimed_at
        ).update(status=Credential.Status.FAILED, updated_at=timezone.now())
        if failed:
            credential_event_record(
                credential=credential_id, kind=CredentialEvent.Kind.FAILED, code=code, reason=reason
            )
    logger.warning("credential signing failed", extra={"credential_id": credential_id, "code": code})


def _credential_release(credential_id: int, *, claimed_at: datetime, reason: str) -> None:
    try:
        with transaction.atomic():
            released = Credential.objects.filter(
                pk=credential_id, status=Credential.Status.SIGNING, claimed_at=claimed_at
            ).update(status=Credential.Status.PENDING, claimed_at=None, updated_at=timezone.now())
            if released:
                credential_event_record(
                    credential=credential_id, kind=CredentialEvent.Kind.SIGNING_INTERRUPTED, reason=reason
                )
    except TRANSIENT_ERRORS:
        logger.warning("could not release signing claim; the sweeper will", extra={"credential_id": credential_id})
