"""Hands ob3 a `Signer` for an issuer's active key, decrypted only for the moment it is needed, and names
the verification method a proof or VC-JWT `kid` points at under each identity kind.

| identity | Ed25519 (Data Integrity)        | RSA (VC-JWT kid)                |
|----------|---------------------------------|---------------------------------|
| https    | `{public_id}/keys/{thumbprint}` | `{public_id}/keys/{thumbprint}` |
| did:web  | `{did}#{publicKeyMultibase}`    | `{did}#{thumbprint}`            |
| did:key  | `{did}#{publicKeyMultibase}`    | (none)                          |

did:key is the one identity with its own key (DidKeyIdentity): the key is the identifier, so it is never the
issuer's SigningKey and never rotates.

The https key URL has no fragment on purpose: an HTTP fetch drops fragments, so only a fragment-less URL
returns the key itself (a Multikey document or a JWK) to verifiers that dereference it literally.
"""

from __future__ import annotations

from issuers.keystore import private_key_open
from issuers.models import DID_KEY, DidKeyIdentity, IdentityKind, Issuer, SigningKey
from ob3.keys import Signer


class NoActiveSigningKey(Exception):
    def __init__(self, issuer: Issuer, kind: str):
        super().__init__(f"issuer {issuer.slug} has no active {kind} signing key")
        self.issuer = issuer
        self.kind = kind


def key_url(key: SigningKey) -> str:
    """Where the key is published on its own (issuers:key): its https verification method id."""
    return f"{key.issuer.public_id}/keys/{key.thumbprint}"


def legacy_verification_method_id(key: SigningKey) -> str:
    """`{public_id}#{publicKeyMultibase}`: what Ed25519 proofs named before issuers chose an identity.
    The Profile keeps listing it so those credentials keep verifying."""
    return f"{key.issuer.public_id}#{key.public_key_multibase}"


def verification_method_id(key: SigningKey, identity_kind: str | None = None) -> str:
    """The id proofs and `kid`s use for `key` under `identity_kind` (default: the issuer's current one)."""
    if IdentityKind(identity_kind or key.issuer.identity_kind) == IdentityKind.DID_WEB:
        fragment = key.public_key_multibase if key.kind == SigningKey.Kind.ED25519 else key.thumbprint
        return f"{key.issuer.did}#{fragment}"
    return key_url(key)


def active_key(issuer: Issuer, kind: str) -> SigningKey:
    """The issuer's active key of `kind`; raises NoActiveSigningKey. Reads only public columns."""
    key = issuer.signing_keys.filter(kind=kind, status=SigningKey.Status.ACTIVE).first()
    if key is None:
        raise NoActiveSigningKey(issuer, kind)
    return key


def signer_for(issuer: Issuer, kind: str, *, identity_kind: str | None = None) -> tuple[Signer, str]:
    """(signer, verification method id) for the issuer's active key of `kind`, named under
    `identity_kind`: a status list passes the kind it was opened under, everything else the issuer's
    current one (the default). Under DID_KEY, the issuer's did:key (Ed25519 only)."""
    if identity_kind == DID_KEY:
        if kind != SigningKey.Kind.ED25519:
            raise NoActiveSigningKey(issuer, f"{kind} did:key")
        return did_key_signer(issuer)
    key = active_key(issuer, kind)
    signer = private_key_open(
        key.private_key_ciphertext, kek_id=key.key_encryption_key_id, thumbprint=key.thumbprint
    )
    return signer, verification_method_id(key, identity_kind)


def did_key_signer(issuer: Issuer) -> tuple[Signer, str]:
    """(signer, verification method) of the issuer's did:key; raises NoActiveSigningKey when it has none."""
    identity = DidKeyIdentity.objects.filter(issuer=issuer).first()
    if identity is None:
        raise NoActiveSigningKey(issuer, DID_KEY)
    signer = private_key_open(
        identity.private_key_ciphertext, kek_id=identity.key_encryption_key_id, thumbprint=identity.thumbprint
    )
    return signer, identity.verification_method
