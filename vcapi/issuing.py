"""POST /credentials/issue: sign any conforming W3C credential with an eddsa-rdfc-2022 proof, as one of the
token's issuer's identities, and keep what was signed.

The credential's `issuer` chooses the identity: the issuer's did:key (DidKeyIdentity; what generic verifiers
resolve offline), its did:web or its https id. Whatever else the caller sent is signed as sent: the @context
order and the subject stay as they are. Only two things are ever added: the Data Integrity context a VC 1.1
credential needs for its proof's terms (appended), and, on request, a BitstringStatusListEntry (with an
`id` for the credential when it has none, so its status can be changed by id).
"""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from api.models import ApiToken
from badges.contexts import platform_canonicalizer, platform_loader
from badges.credentials.status_lists import status_index_allocate, status_list_url
from issuers.models import DID_KEY, DidKeyIdentity, IdentityKind, Issuer, SigningKey
from issuers.signing import NoActiveSigningKey, signer_for
from ob3.errors import Ob3Error
from ob3.proofs.data_integrity import CRYPTOSUITE, sign_credential
from ob3.values import issuer_id
from ob3.vcdm import BITSTRING_ENTRY, contexts_for_signing, credential_problems, version_of
from vcapi.errors import VcApiRefusal
from vcapi.models import VcApiCredential

STATUS_CONTEXT = "https://www.w3.org/ns/credentials/status/v1"
OPTIONS = ("credentialStatus", "cryptosuite", "type", "created", "challenge", "domain", "mandatoryPointers")


def issuer_identities(issuer: Issuer) -> dict[str, str]:
    """Issuer id -> identity kind, for every identity the issuer can sign as."""
    identities = {issuer.public_id: IdentityKind.HTTPS.value, issuer.did: IdentityKind.DID_WEB.value}
    did_key = DidKeyIdentity.objects.filter(issuer=issuer).values_list("did", flat=True).first()
    if did_key:
        identities[did_key] = DID_KEY
    return identities


def _refuse(message: str, *details: str, code: str = "invalid_credential") -> VcApiRefusal:
    return VcApiRefusal(400, code, message, details=tuple(details))


def _check_options(options: dict[str, Any]) -> dict[str, Any] | None:
    """The requested status entry's shape ({type, statusPurpose}) or None; refuses what we cannot honour."""
    unknown = sorted(set(options) - set(OPTIONS))
    if unknown:
        raise _refuse(_("Unknown issuing options."), ", ".join(unknown)[:300], code="invalid_options")
    if options.get("cryptosuite", CRYPTOSUITE) != CRYPTOSUITE or options.get("type", "DataIntegrityProof") != \
            "DataIntegrityProof":
        raise _refuse(_("Only DataIntegrityProof proofs with the eddsa-rdfc-2022 cryptosuite are made here."),
                      code="unsupported_cryptosuite")
    if any(options.get(name) is not None for name in ("challenge", "domain", "mandatoryPointers")):
        raise _refuse(_("challenge, domain and mandatoryPointers are not used when issuing with eddsa-rdfc-2022."),
                      code="invalid_options")
    if options.get("created") is not None:
        raise _refuse(_("The proof's creation time is the time of signing; it cannot be chosen."),
                      code="invalid_options")
    status = options.get("credentialStatus")
    if status is None:
        return None
    if not isinstance(status, dict) or status.get("type") != BITSTRING_ENTRY:
        raise _refuse(_("credentialStatus must be {\"type\": \"BitstringStatusListEntry\", \"statusPurpose\": "
                        "\"revocation\"}."), code="invalid_status")
    if status.get("statusPurpose", "revocation") != "revocation" or set(status) - {"type", "statusPurpose"}:
        raise _refuse(_("Only a revocation status (statusPurpose \"revocation\") can be added."),
                      code="invalid_status")
    return status


def vc_credential_issue(*, issuer: Issuer, token: ApiToken | None, credential: dict[str, Any],
                        options: dict[str, Any], now: datetime | None = None) -> VcApiCredential:
    """Sign `credential` as the identity its `issuer` names, after every data-model check; store and return
    it. Refuses (VcApiRefusal) anything non-conforming: nothing is signed or stored then."""
    status = _check_options(options)
    if "proof" in credential:
        raise _refuse(_("The credential already has a proof; send it unsigned."))
    loader = platform_loader()
    problems = credential_problems(credential, loader=loader)
    if problems:
        raise _refuse(_("The credential does not conform to the VC Data Model."), *problems[:10])
    named = issuer_id(credential) or ""
    identities = issuer_identities(issuer)
    kind = identities.get(named)
    if kind is None:
        raise VcApiRefusal(422, "foreign_issuer", _("The credential's issuer is not an identity of this token's "
                                                    "issuer; it can be signed as: %(ids)s.") % {
            "ids": ", ".join(identities)})
    if status is not None and "credentialStatus" in credential:
        raise _refuse(_("The credential has a credentialStatus already; leave it out to have one added."),
                      code="invalid_status")
    document = contexts_for_signing(credential)
    with transaction.atomic():
        record = VcApiCredential(issuer=issuer, token=token, identity=named)
        if status is not None:
            document = _with_status(document, issuer, kind, record)
        try:
            signer, verification_method = signer_for(issuer, SigningKey.Kind.ED25519, identity_kind=kind)
            signed = sign_credential(document, signer=signer, verification_method=verification_method,
                                     created=now or timezone.now(), loader=loader,
                                     canonicalizer=platform_canonicalizer())
        except NoActiveSigningKey:
            raise VcApiRefusal(422, "no_signing_key", _("This issuer has no active key for that identity.")) \
                from None
        except Ob3Error as exc:
            raise _refuse(_("The credential cannot be signed."), str(exc)[:500]) from None
        record.document = signed
        record.credential_id = signed["id"] if isinstance(signed.get("id"), str) else ""
        record.save()
    return record


def _with_status(document: dict[str, Any], issuer: Issuer, kind: str, record: VcApiCredential) -> dict[str, Any]:
    """`document` with an id (if it had none) and a BitstringStatusListEntry in one of the issuer's lists
    opened under `kind`, which names the same issuer id as the credential."""
    status_list, index = status_index_allocate(issuer=issuer, identity_kind=kind)
    record.status_list, record.status_list_index = status_list, index
    url = status_list_url(status_list)
    updated = dict(document)
    if "id" not in updated:
        updated["id"] = f"urn:uuid:{uuid.uuid4()}"
    if version_of(updated) == 1 and STATUS_CONTEXT not in updated["@context"]:
        updated["@context"] = [*updated["@context"], STATUS_CONTEXT]
    updated["credentialStatus"] = {
        "id": f"{url}#{index}", "type": BITSTRING_ENTRY, "statusPurpose": "revocation",
        "statusListIndex": str(index), "statusListCredential": url,
    }
    return updated
