"""Hands ob3 a `Signer` for an issuer's active key, decrypted only for the moment it is needed."""

from __future__ import annotations

from issuers.keystore import private_key_open
from issuers.models import Issuer, SigningKey
from ob3.keys import Signer


class NoActiveSigningKey(Exception):
    def __init__(self, issuer: Issuer, kind: str):
        super().__init__(f"issuer {issuer.slug} has no active {kind} signing key")
        self.issuer = issuer
        self.kind = kind


def verification_method_id(key: SigningKey) -> str:
    """Ed25519: `<issuer id>#<publicKeyMultibase>` (what the 1EdTech validator resolves offline).
    RSA: the URL that serves the single JWK, used as the VC-JWT `kid`."""
    issuer_id = key.issuer.public_id
    if key.kind == SigningKey.Kind.ED25519:
        return f"{issuer_id}#{key.public_key_multibase}"
    return f"{issuer_id}/keys/{key.thumbprint}"


def signer_for(issuer: Issuer, kind: str) -> tuple[Signer, str]:
    """(signer, verification method id) for the issuer's active key of `kind`."""
    key = issuer.signing_keys.filter(kind=kind, status=SigningKey.Status.ACTIVE).first()
    if key is None:
        raise NoActiveSigningKey(issuer, kind)
    signer = private_key_open(
        key.private_key_ciphertext, kek_id=key.key_encryption_key_id, thumbprint=key.thumbprint
    )
    return signer, verification_method_id(key)
