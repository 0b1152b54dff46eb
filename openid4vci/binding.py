"""Signing the copy of an award that a wallet receives: the same credential, bound to the wallet's key.

The copy has its own id (a wallet may hold it beside the original) but keeps the original's revocation
entry, so revoking the award revokes every copy a wallet holds, with nothing to track down.
"""

from __future__ import annotations

import dataclasses
import uuid
from typing import Any

from django.utils import timezone

from badges.contexts import platform_canonicalizer, platform_loader
from badges.credentials.adapters import credential_draft, credential_identity_kind
from badges.models import Credential
from issuers.models import SigningKey
from issuers.signing import signer_for
from ob3.build import build_credential
from ob3.proofs.data_integrity import sign_credential
from ob3.proofs.vc_jwt import sign_jwt


@dataclasses.dataclass(frozen=True)
class BoundCopy:
    uri: str
    document: dict[str, Any]
    jwt: str  # "" unless the JWT format was asked for


def credential_bound_copy(credential: Credential, *, holder_did: str, as_jwt: bool) -> BoundCopy:
    """Sign the award anew with credentialSubject.id = `holder_did` (Data Integrity; and as a VC-JWT with
    the issuer's RSA key when `as_jwt`). The caller has checked the credential may still be handed out."""
    uri = f"urn:uuid:{uuid.uuid4()}"
    draft = credential_draft(credential)
    draft = dataclasses.replace(draft, id=uri, recipient=dataclasses.replace(draft.recipient, did=holder_did))
    identity_kind = credential_identity_kind(credential)
    signer, verification_method = signer_for(credential.issuer, SigningKey.Kind.ED25519, identity_kind=identity_kind)
    document = sign_credential(
        build_credential(draft),
        signer=signer,
        verification_method=verification_method,
        created=timezone.now().replace(microsecond=0),
        loader=platform_loader(),
        canonicalizer=platform_canonicalizer(),
    )
    jwt = ""
    if as_jwt:
        rsa_signer, kid = signer_for(credential.issuer, SigningKey.Kind.RSA, identity_kind=identity_kind)
        jwt = sign_jwt(document, signer=rsa_signer, kid=kid)
    return BoundCopy(uri=uri, document=document, jwt=jwt)
