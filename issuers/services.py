"""Creating issuers and managing their signing keys."""

from __future__ import annotations

import logging
from datetime import datetime
from typing import TYPE_CHECKING

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone

from issuers.audit import AuditKind, issuer_audit_record
from issuers.keystore import jwk_thumbprint, key_encryption_key_id, private_key_open, private_key_seal
from issuers.logos import CleanLogo
from issuers.models import DidKeyIdentity, IdentityKind, Issuer, SigningKey
from kernel.stored_files import stored_files_delete_unused
from ob3.keys import ED25519, RSA, LocalSigner

if TYPE_CHECKING:
    from kernel.users import User

logger = logging.getLogger(__name__)

_OB3_KIND: dict[str, str] = {SigningKey.Kind.ED25519: ED25519, SigningKey.Kind.RSA: RSA}
RSA_KEY_BITS = 3072


@transaction.atomic
def issuer_create(
    *,
    slug: str,
    name: str,
    country_code: str = "SE",
    url: str = "",
    email: str = "",
    description: str = "",
    official_identifier: str = "",
    street_address: str = "",
    postal_code: str = "",
    locality: str = "",
    region: str = "",
    jwt_enabled: bool = False,
    identity_kind: str = IdentityKind.HTTPS,
) -> Issuer:
    """A new issuer with an Ed25519 key for Data Integrity proofs and, for VC-JWT, an RSA key."""
    issuer = Issuer(
        slug=slug,
        name=name,
        country_code=country_code,
        url=url,
        email=email,
        description=description,
        official_identifier=official_identifier,
        street_address=street_address,
        postal_code=postal_code,
        locality=locality,
        region=region,
        jwt_enabled=jwt_enabled,
        identity_kind=identity_kind,
    )
    issuer.full_clean()
    issuer.save()
    signing_key_create(issuer=issuer, kind=SigningKey.Kind.ED25519)
    if jwt_enabled:
        signing_key_create(issuer=issuer, kind=SigningKey.Kind.RSA)
    logger.info("issuer created", extra={"issuer": issuer.slug, "identity_kind": issuer.identity_kind})
    return issuer


@transaction.atomic
def issuer_profile_update(
    *,
    issuer: Issuer,
    name: str,
    url: str,
    email: str,
    phone: str,
    description: str,
    street_address: str,
    postal_code: str,
    locality: str,
    region: str,
    country_code: str,
    official_identifier: str,
    logo: CleanLogo | None = None,
    identity_kind: str | None = None,
    by: User | None = None,
) -> Issuer:
    """Change what the issuer's OB Profile says about it. The slug (part of every issued id) stays.

    `logo` (None: unchanged) is stored as it is: issuers.logos.logo_clean made it from the upload.
    `identity_kind` (None: unchanged) is the id credentials issued from now on name. Credentials and
    status lists signed earlier keep theirs: both the Profile and the DID document stay published.
    """
    # From the database: a bound ModelForm has already copied the posted values onto `issuer`.
    previous_identity_kind = Issuer.objects.filter(pk=issuer.pk).values_list("identity_kind", flat=True).get()
    issuer.name = name
    issuer.url = url
    issuer.email = email
    issuer.phone = phone
    issuer.description = description
    issuer.street_address = street_address
    issuer.postal_code = postal_code
    issuer.locality = locality
    issuer.region = region
    issuer.country_code = country_code
    issuer.official_identifier = official_identifier
    changed = [
        "name", "url", "email", "phone", "description", "street_address", "postal_code", "locality", "region",
        "country_code", "official_identifier",
    ]
    if logo is not None:
        stored_files_delete_unused(
            storage=issuer.image.storage,
            names=[Issuer.objects.filter(pk=issuer.pk).values_list("image", flat=True).get() or ""],
            in_use=lambda name: Issuer.objects.filter(image=name).exists(),
        )
        issuer.image.save(f"{issuer.slug}.{logo.extension}", ContentFile(logo.content), save=False)
        changed.append("image")
    if identity_kind is not None:
        issuer.identity_kind = identity_kind
        changed.append("identity_kind")
    issuer.full_clean(exclude=["image"])
    before = Issuer.objects.filter(pk=issuer.pk).values(*[field for field in changed if field != "image"]).get()
    issuer.save(update_fields=changed)
    issuer_audit_record(
        issuer_id=issuer.pk, kind=AuditKind.PROFILE_UPDATED, by=by, subject=issuer.name,
        fields=sorted(field for field in changed if field == "image" or before[field] != getattr(issuer, field)),
    )
    logger.info("issuer profile updated", extra={"issuer": issuer.slug})
    if issuer.identity_kind != previous_identity_kind:
        logger.info(
            "issuer identity changed",
            extra={"issuer": issuer.slug, "from": previous_identity_kind, "to": issuer.identity_kind},
        )
    return issuer


def signing_key_create(*, issuer: Issuer, kind: str, by: User | None = None) -> SigningKey:
    signer = LocalSigner.generate(_OB3_KIND[kind], rsa_bits=RSA_KEY_BITS)
    public = signer.public_key
    jwk = public.to_jwk()
    thumbprint = jwk_thumbprint(jwk)
    kek_id, sealed = private_key_seal(signer, thumbprint=thumbprint)
    key = SigningKey.objects.create(
        issuer=issuer,
        kind=kind,
        thumbprint=thumbprint,
        public_key_multibase=public.to_multikey() if kind == SigningKey.Kind.ED25519 else "",
        public_key_jwk=jwk,
        private_key_ciphertext=sealed,
        key_encryption_key_id=kek_id,
    )
    issuer_audit_record(issuer_id=issuer.pk, kind=AuditKind.SIGNING_KEY_CREATED, by=by, subject=thumbprint,
                        key_kind=kind)
    logger.info("signing key created", extra={"issuer": issuer.slug, "key": thumbprint, "kind": kind})
    return key


@transaction.atomic
def signing_key_rotate(*, issuer: Issuer, kind: str, by: User | None = None) -> SigningKey:
    """A fresh active key; the previous one is retired but stays published for old credentials."""
    now = timezone.now()
    current = (
        SigningKey.objects.select_for_update()
        .filter(issuer=issuer, kind=kind, status=SigningKey.Status.ACTIVE)
        .first()
    )
    if current is not None:
        current.status = SigningKey.Status.RETIRED
        current.retired_at = now
        current.save(update_fields=["status", "retired_at"])
    key = signing_key_create(issuer=issuer, kind=kind, by=by)
    issuer_audit_record(issuer_id=issuer.pk, kind=AuditKind.SIGNING_KEY_ROTATED, by=by, subject=key.thumbprint,
                        key_kind=kind, retired=current.thumbprint if current else None)
    return key


@transaction.atomic
def signing_key_mark_compromised(key: SigningKey, *, since: datetime, by: User | None = None) -> SigningKey | None:
    """Mark a leaked key compromised from `since` and, if it was active, replace it.

    The key stays published with `revoked: since`, so credentials signed before `since` keep
    verifying and anything signed from then on fails. Whoever holds the key could backdate a proof's
    `created`, so pick `since` no later than the earliest moment the key may have leaked.
    Returns the replacement key, if one was made.
    """
    was_active = key.status == SigningKey.Status.ACTIVE
    key.status = SigningKey.Status.COMPROMISED
    key.compromised_since = since
    key.retired_at = key.retired_at or timezone.now()
    key.save(update_fields=["status", "compromised_since", "retired_at"])
    issuer_audit_record(issuer_id=key.issuer_id, kind=AuditKind.SIGNING_KEY_COMPROMISED, by=by,
                        subject=key.thumbprint, key_kind=key.kind, since=since.isoformat())
    logger.warning(
        "signing key marked compromised",
        extra={"issuer_id": key.issuer_id, "key": key.thumbprint, "since": since.isoformat()},
    )
    if was_active:
        return signing_key_create(issuer=key.issuer, kind=key.kind, by=by)
    return None


def signing_keys_rewrap() -> int:
    """Re-seal every private key that is not under the current KEK; returns how many were rewrapped."""
    current_id = key_encryption_key_id(settings.KEY_ENCRYPTION_KEY)
    rewrapped = 0
    stale: list[SigningKey | DidKeyIdentity] = [
        *SigningKey.objects.exclude(key_encryption_key_id=current_id).iterator(),
        *DidKeyIdentity.objects.exclude(key_encryption_key_id=current_id).iterator(),
    ]
    for key in stale:
        signer = private_key_open(
            key.private_key_ciphertext, kek_id=key.key_encryption_key_id, thumbprint=key.thumbprint
        )
        key.key_encryption_key_id, key.private_key_ciphertext = private_key_seal(
            signer, thumbprint=key.thumbprint
        )
        key.save(update_fields=["key_encryption_key_id", "private_key_ciphertext"])
        rewrapped += 1
    return rewrapped


def did_key_identity_create(*, issuer: Issuer, by: User | None = None) -> DidKeyIdentity:
    """The issuer's did:key, made once: a second call returns the existing one (a did:key is its key, so
    replacing it would orphan every credential that names it)."""
    existing = DidKeyIdentity.objects.filter(issuer=issuer).first()
    if existing is not None:
        return existing
    signer = LocalSigner.generate(ED25519)
    public = signer.public_key
    thumbprint = jwk_thumbprint(public.to_jwk())
    kek_id, ciphertext = private_key_seal(signer, thumbprint=thumbprint)
    with transaction.atomic():
        Issuer.objects.select_for_update().filter(pk=issuer.pk).first()  # two clicks make one identity
        existing = DidKeyIdentity.objects.filter(issuer=issuer).first()
        if existing is not None:
            return existing
        identity = DidKeyIdentity.objects.create(
            issuer=issuer, did=public.to_did_key(), thumbprint=thumbprint, private_key_ciphertext=ciphertext,
            key_encryption_key_id=kek_id, created_by=by,
        )
        issuer_audit_record(
            issuer_id=issuer.pk, kind=AuditKind.DID_KEY_IDENTITY_CREATED, by=by, subject=identity.did,
        )
    logger.info("did:key identity created", extra={"issuer_id": issuer.pk, "did": identity.did})
    return identity
