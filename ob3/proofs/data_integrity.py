"""Data Integrity proofs with the `eddsa-rdfc-2022` cryptosuite (W3C VC-DI-EDDSA §3.3).

    proofConfig  = proof options (no proofValue) with the document's @context
    hashData     = SHA-256(RDFC-1.0(proofConfig)) ‖ SHA-256(RDFC-1.0(document without proof))
    proofValue   = "z" + base58btc(Ed25519.sign(hashData))

Reproduces the 1EdTech OB 3.0 vector and the W3C vector byte for byte (tests/ob3/test_data_integrity.py).
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from ob3.documents import DEFAULT_LOADER, DocumentLoader
from ob3.errors import KeyFormatError, Ob3Error, SigningError
from ob3.jsonld import canonicalize
from ob3.keys import ED25519, PublicKey, Signer
from ob3.limits import LimitExceeded
from ob3.multibase import multibase_decode, multibase_encode

PROOF_TYPE = "DataIntegrityProof"
CRYPTOSUITE = "eddsa-rdfc-2022"
LEGACY_CRYPTOSUITE = "eddsa-2022"  # same algorithm under its pre-REC name; accepted with a warning
# VC 1.1-era OB 3.0 credentials: the same hashing and signature, without `cryptosuite`.
LEGACY_PROOF_TYPE = "Ed25519Signature2020"
PROOF_PURPOSE = "assertionMethod"
AUTHENTICATION = "authentication"  # a holder's proof on a presentation, with `challenge` and `domain`

# xsd:dateTime as Data Integrity requires for `created`/`expires` (timezone optional in XSD).
_XSD_DATETIME = re.compile(
    r"-?\d{4,}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])T([01]\d|2[0-3]):[0-5]\d:[0-5]\d(\.\d+)?"
    r"(Z|[+-]([01]\d|2[0-3]):[0-5]\d)?"
)

Canonicalizer = Callable[[dict[str, Any]], str]


def format_datetime(moment: datetime) -> str:
    """UTC, whole seconds, `Z` suffix: the form every date in our credentials takes."""
    if moment.tzinfo is None:
        raise SigningError("datetimes must be timezone-aware")
    return moment.astimezone(UTC).replace(microsecond=0).strftime("%Y-%m-%dT%H:%M:%SZ")


def _default_canonicalizer(loader: DocumentLoader) -> Canonicalizer:
    return lambda document: canonicalize(document, loader=loader)


def hash_data(
    document: dict[str, Any], proof_options: dict[str, Any], *, canonicalizer: Canonicalizer
) -> bytes:
    """The 64 bytes that are signed: proof-config hash first, then document hash."""
    unsecured = {k: v for k, v in document.items() if k != "proof"}
    config = {k: v for k, v in proof_options.items() if k != "proofValue"}
    config["@context"] = document.get("@context")
    proof_hash = hashlib.sha256(canonicalizer(config).encode("utf-8")).digest()
    document_hash = hashlib.sha256(canonicalizer(unsecured).encode("utf-8")).digest()
    return proof_hash + document_hash


def sign_credential(
    document: dict[str, Any],
    *,
    signer: Signer,
    verification_method: str,
    created: datetime,
    loader: DocumentLoader = DEFAULT_LOADER,
    canonicalizer: Canonicalizer | None = None,
    proof_purpose: str = PROOF_PURPOSE,
    challenge: str | None = None,
    domain: str | None = None,
) -> dict[str, Any]:
    """Return a copy of `document` with an `eddsa-rdfc-2022` proof appended to `proof` (an array).

    Refuses (SafeModeError) a document in which any term is undefined or would be dropped. A presentation
    is signed with `proof_purpose=AUTHENTICATION` and the verifier's `challenge` and `domain`.
    """
    if signer.public_key.kind != ED25519:
        raise SigningError("eddsa-rdfc-2022 needs an Ed25519 key")
    if not isinstance(document, dict) or "@context" not in document:
        raise SigningError("only a JSON-LD object with @context can carry a Data Integrity proof")
    options = {
        "type": PROOF_TYPE,
        "cryptosuite": CRYPTOSUITE,
        "created": format_datetime(created),
        "verificationMethod": verification_method,
        "proofPurpose": proof_purpose,
    }
    if challenge is not None:
        options["challenge"] = challenge
    if domain is not None:
        options["domain"] = domain
    canon = canonicalizer or _default_canonicalizer(loader)
    signature = signer.sign(hash_data(document, options, canonicalizer=canon))
    existing = document.get("proof", [])
    proofs = list(existing) if isinstance(existing, list) else [existing]
    signed = dict(document)
    signed["proof"] = [*proofs, {**options, "proofValue": multibase_encode(signature)}]
    return signed


@dataclass(frozen=True)
class ProofCheck:
    """Outcome of checking one proof; `reason` says why in words a person can act on."""

    passed: bool
    reason: str
    warning: bool = False


def check_proof_shape(proof: Any, *, purpose: str = PROOF_PURPOSE) -> ProofCheck:
    """Everything about a proof that can be judged without keys or canonicalisation."""
    if not isinstance(proof, dict):
        return ProofCheck(False, "proof is not an object")
    if proof.get("type") not in (PROOF_TYPE, LEGACY_PROOF_TYPE):
        return ProofCheck(False, f"unsupported proof type {proof.get('type')!r} (expected {PROOF_TYPE})")
    if proof["type"] == PROOF_TYPE and proof.get("cryptosuite") not in (CRYPTOSUITE, LEGACY_CRYPTOSUITE):
        return ProofCheck(False, f"unsupported cryptosuite {proof.get('cryptosuite')!r} (expected {CRYPTOSUITE})")
    if proof.get("proofPurpose") != purpose:
        return ProofCheck(False, f"proofPurpose must be {purpose!r}, not {proof.get('proofPurpose')!r}")
    created = proof.get("created")
    if created is not None and (not isinstance(created, str) or not _XSD_DATETIME.fullmatch(created)):
        return ProofCheck(False, f"proof 'created' is not a valid dateTime: {created!r}")
    if not isinstance(proof.get("verificationMethod"), str):
        return ProofCheck(False, "proof has no verificationMethod")
    value = proof.get("proofValue")
    if not isinstance(value, str) or not value.startswith("z"):
        return ProofCheck(False, "proofValue must be a base58btc multibase string ('z…')")
    return ProofCheck(True, "proof is well-formed")


def verify_proof(
    document: dict[str, Any],
    proof: dict[str, Any],
    *,
    public_key: PublicKey,
    loader: DocumentLoader = DEFAULT_LOADER,
    canonicalizer: Canonicalizer | None = None,
    purpose: str = PROOF_PURPOSE,
) -> ProofCheck:
    """Check one `eddsa-rdfc-2022` proof of `document` against `public_key`, made for `purpose`."""
    shape = check_proof_shape(proof, purpose=purpose)
    if not shape.passed:
        return shape
    if public_key.kind != ED25519:
        return ProofCheck(False, "the verification method's key is not Ed25519")
    try:
        signature = multibase_decode(proof["proofValue"])
    except KeyFormatError as exc:
        return ProofCheck(False, f"proofValue is not valid base58btc: {exc}")
    if len(signature) != 64:
        return ProofCheck(False, f"proofValue decodes to {len(signature)} bytes; an Ed25519 signature has 64")
    canon = canonicalizer or _default_canonicalizer(loader)
    try:
        data = hash_data(document, proof, canonicalizer=canon)
    except LimitExceeded:
        raise  # the input is refused for its size, not judged
    except Ob3Error as exc:
        return ProofCheck(False, f"cannot canonicalise the credential: {exc}")
    if not public_key.verify(signature, data, algorithm="EdDSA"):
        return ProofCheck(False, "signature does not match: the credential was changed after signing, "
                                 "or it was signed with another key")
    if proof["type"] == LEGACY_PROOF_TYPE:
        return ProofCheck(True, f"signature valid (legacy {LEGACY_PROOF_TYPE} proof)", warning=True)
    if proof["cryptosuite"] == LEGACY_CRYPTOSUITE:
        return ProofCheck(True, f"signature valid (legacy cryptosuite {LEGACY_CRYPTOSUITE})", warning=True)
    return ProofCheck(True, "signature valid (eddsa-rdfc-2022)")
