"""Achievements and the credential pipeline: issue (record and queue), sign, bake, store, sweep."""

from __future__ import annotations

import calendar
import logging
import secrets
from collections.abc import Sequence
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone

from badges import adapters, images
from badges.contexts import platform_canonicalizer, platform_loader
from badges.errors import TRANSIENT_ERRORS, SigningRefused
from badges.events import credential_event_record
from badges.models import Achievement, AchievementAuditEvent, Credential, CredentialEvent
from badges.status_lists import credential_status_allocate
from issuers.models import Issuer, SigningKey
from issuers.signing import NoActiveSigningKey, active_key, signer_for
from ob3.baking import bake_png, bake_svg
from ob3.build import build_credential
from ob3.errors import Ob3Error
from ob3.proofs.data_integrity import sign_credential
from ob3.proofs.vc_jwt import sign_jwt
from ob3.recipient import hash_email, normalise_email

logger = logging.getLogger(__name__)

SWEEP_BATCH_SIZE = 500


# --- Achievements --------------------------------------------------------------------------------------
@transaction.atomic
def achievement_create(
    *,
    issuer: Issuer,
    name: str,
    description: str,
    criteria_narrative: str,
    image_png: bytes | None = None,
    image_alt: str = "",
    colour: str = "#1f5f8b",
    achievement_type: str = "MicroCredential",
    in_language: str = "sv",
    human_code: str = "",
    field_of_study: str = "",
    created_by: AbstractBaseUser | None = None,
) -> Achievement:
    """A new draft. It is published through the review workflow in badges.achievement_services."""
    from badges.achievement_services import achievement_audit_record  # it imports this module

    achievement = Achievement(
        issuer=issuer,
        name=name,
        description=description,
        criteria_narrative=criteria_narrative,
        image_alt=image_alt,
        colour=colour,
        achievement_type=achievement_type,
        in_language=in_language,
        human_code=human_code,
        field_of_study=field_of_study,
        created_by=created_by,
    )
    if image_png is not None:
        if not images.png_is_valid(image_png):
            raise ValueError("the achievement image must be a PNG")
        achievement.image.save(f"{achievement.public_id}.png", ContentFile(image_png), save=False)
    achievement.full_clean()
    achievement.save()
    achievement_images_ensure(achievement=achievement)
    achievement_audit_record(achievement=achievement, kind=AchievementAuditEvent.Kind.CREATED, actor=created_by)
    return achievement


def achievement_images_ensure(*, achievement: Achievement) -> None:
    """Give the achievement a PNG and an SVG to bake into: generated from name and colour if none was
    uploaded, or an SVG that shows the uploaded PNG. Also records a text alternative."""
    changed = []
    if not achievement.image:
        png = images.default_badge_png(achievement.name, achievement.colour)
        achievement.image.save(f"{achievement.public_id}.png", ContentFile(png), save=False)
        achievement.image_svg.save(
            f"{achievement.public_id}.svg",
            ContentFile(images.default_badge_svg(achievement.name, achievement.colour)),
            save=False,
        )
        changed += ["image", "image_svg"]
    elif not achievement.image_svg:
        with achievement.image.open("rb") as file:
            svg = images.svg_wrapping_png(file.read(), achievement.name)
        achievement.image_svg.save(f"{achievement.public_id}.svg", ContentFile(svg), save=False)
        changed.append("image_svg")
    if not achievement.image_alt:
        achievement.image_alt = achievement.name
        changed.append("image_alt")
    if changed:
        achievement.save(update_fields=[*changed, "updated_at"])


def add_months(moment: datetime, months: int) -> datetime:
    """`moment` `months` calendar months later; the 31st becomes the month's last day where needed."""
    month_index = moment.month - 1 + months
    year, month = moment.year + month_index // 12, month_index % 12 + 1
    return moment.replace(year=year, month=month, day=min(moment.day, calendar.monthrange(year, month)[1]))


# --- Issuing -------------------------------------------------------------------------------------------
@transaction.atomic
def credential_issue(
    *,
    achievement: Achievement,
    recipient_email: str,
    recipient_name: str | None = None,
    issued_by: AbstractBaseUser | None = None,
    valid_from: datetime | None = None,
    valid_until: datetime | None = None,
    results: Sequence[dict[str, Any]] = (),
    evidence: Sequence[dict[str, Any]] = (),
    recipient_did: str = "",
    replaces: Credential | None = None,
) -> Credential:
    """Record a credential as PENDING and queue its signing once the transaction commits.

    `results` and `evidence` are plain data captured at award time (see Credential); a renewal
    (`replaces`) keeps the original award date.
    """
    from badges.tasks import credential_sign_task  # tasks import services; import here to avoid the cycle

    email = normalise_email(recipient_email).lower()
    salt = secrets.token_hex(16)
    # OB dates are written in whole seconds (VC-JWT nbf must equal validFrom).
    valid_from = (valid_from or timezone.now()).replace(microsecond=0)
    if valid_until is None and achievement.validity_months:
        valid_until = add_months(valid_from, achievement.validity_months)
    credential = Credential.objects.create(
        issuer=achievement.issuer,
        achievement=achievement,
        recipient_email=email,
        recipient_salt=salt,
        recipient_identifier=hash_email(email, salt),
        recipient_name=recipient_name or "",
        issued_by=issued_by,
        valid_from=valid_from,
        valid_until=valid_until.replace(microsecond=0) if valid_until else None,
        results=list(results),
        evidence=list(evidence),
        recipient_did=recipient_did,
        awarded_at=(replaces.awarded_at or replaces.valid_from) if replaces else valid_from,
        replaces=replaces,
    )
    credential_event_record(credential=credential, kind=CredentialEvent.Kind.ISSUE_REQUESTED, actor=issued_by)
    # robust: a broker outage must not turn a recorded request into an error for the caller (who would
    # retry and issue twice); the row stays PENDING and the sweeper queues it once the broker is back.
    transaction.on_commit(lambda: credential_sign_task.delay(credential.id), robust=True)
    return credential


# --- Signing -------------------------------------------------------------------------------------------
def _claim_is_stale_before(now: datetime) -> datetime:
    return now - timedelta(minutes=settings.CREDENTIAL_SIGNING_STALE_MINUTES)


def credential_claim(*, credential_id: int) -> datetime | None:
    """Take the credential for signing with one conditional UPDATE. Returns the claim time (our token)
    or None when someone else holds it or there is nothing to do."""
    now = timezone.now()
    claimable = Q(status=Credential.Status.PENDING) | Q(
        status=Credential.Status.SIGNING, claimed_at__lt=_claim_is_stale_before(now)
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
    issuer, achievement = credential.issuer, credential.achievement
    if achievement.status != Achievement.Status.PUBLISHED:
        raise SigningRefused("achievement_unpublished", f"achievement {achievement.public_id} is not published")
    try:
        # Refuse before the credential uses up an index in a status list.
        active_key(issuer, SigningKey.Kind.ED25519)
        if issuer.jwt_enabled:
            active_key(issuer, SigningKey.Kind.RSA)
        # Every credential carries a revocation entry; a re-run keeps the index it already got, and so the
        # list's issuer identity, even if the issuer has chosen another identity since.
        credential_status_allocate(credential=credential)
        identity_kind = adapters.credential_identity_kind(credential)
        signer, verification_method = signer_for(issuer, SigningKey.Kind.ED25519, identity_kind=identity_kind)
        jwt_signer = (
            signer_for(issuer, SigningKey.Kind.RSA, identity_kind=identity_kind) if issuer.jwt_enabled else None
        )
    except NoActiveSigningKey as exc:
        raise SigningRefused("no_active_key", str(exc)) from None

    document = sign_credential(
        build_credential(adapters.credential_draft(credential)),
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
    baked_content = jwt or document
    with achievement.image.open("rb") as file:
        png = bake_png(file.read(), baked_content)
    with achievement.image_svg.open("rb") as file:
        svg = bake_svg(file.read(), baked_content)
    png_name = _store(f"credentials/{credential.public_id}.png", png)
    svg_name = _store(f"credentials/{credential.public_id}.svg", svg)
    credential_event_record(credential=credential, kind=CredentialEvent.Kind.BAKED, png=png_name, svg=svg_name)

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


# --- Sweeping ------------------------------------------------------------------------------------------
def credential_sweep_stale() -> int:
    """Queue again what got stuck: PENDING rows nobody signed, SIGNING rows whose worker vanished.
    Rows that used up their attempts are marked FAILED instead. Returns how many were re-queued."""
    from badges.tasks import credential_sign_task

    now = timezone.now()
    stale_before = _claim_is_stale_before(now)
    stuck = Credential.objects.filter(
        Q(status=Credential.Status.PENDING, updated_at__lt=stale_before)
        | Q(status=Credential.Status.SIGNING, claimed_at__lt=stale_before)
    ).order_by("pk")[:SWEEP_BATCH_SIZE]
    requeued = 0
    for credential_id, status, attempts in stuck.values_list("pk", "status", "attempts"):
        with transaction.atomic():
            # Conditional, so a row a worker claimed or finished since the query above is left alone.
            still_stuck = Credential.objects.filter(pk=credential_id, status=status, updated_at__lt=stale_before)
            if attempts >= settings.CREDENTIAL_SIGNING_MAX_ATTEMPTS:
                if still_stuck.update(status=Credential.Status.FAILED, updated_at=now):
                    credential_event_record(
                        credential=credential_id,
                        kind=CredentialEvent.Kind.FAILED,
                        code="too_many_attempts",
                        reason=f"gave up after {attempts} signing attempts",
                    )
                continue
            # Touching updated_at spaces out re-queues of a PENDING row while no worker is running.
            if still_stuck.update(updated_at=now):
                credential_event_record(credential=credential_id, kind=CredentialEvent.Kind.REQUEUED)
                transaction.on_commit(
                    lambda credential_id=credential_id: credential_sign_task.delay(credential_id), robust=True
                )
                requeued += 1
    if requeued:
        logger.info("re-queued stale credentials", extra={"count": requeued})
    return requeued
