"""A learner proves control of a DID by signing a one-time challenge; credentials then name that DID.

    learner asks ──► did_challenge_create: a random nonce, valid 10 minutes, stored only as its hash
    wallet signs ──► a compact JWS: header {"alg": "EdDSA"|"ES256", "kid": "<DID>#<key>"},
                     payload {"nonce": "<nonce>", "aud": "<PUBLIC_BASE_URL>"}
    learner sends ─► learner_did_prove: resolve the key behind `kid` (did:key locally; did:web through the
                     SSRF-safe fetcher), check the signature, `aud` and the nonce, and use the nonce up.

The key must be one the DID lists for `authentication` or `assertionMethod` (a did:key's only key is both).
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import timedelta
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from kernel.fetch import default_fetcher
from kernel.tokens import secret_token, secret_token_hash
from learners.errors import DidProofRefused
from learners.models import DidChallenge, LearnerDid
from ob3.errors import KeyFormatError, Ob3Error
from ob3.keys import PublicKey
from ob3.multibase import b64url_decode, b64url_encode
from ob3.resolve import KeyResolver
from safefetch import Fetcher, FetchError

if TYPE_CHECKING:
    from kernel.users import User

CHALLENGE_MINUTES = 10
ALGORITHMS = ("EdDSA", "ES256")
MAX_TOKEN_CHARS = 8000
MAX_DID_CHARS = 500  # what Credential.recipient_did holds


# --- Challenges ------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Challenge:
    nonce: str  # shown to the learner once; only its hash is kept
    audience: str
    expires_at: Any


def did_challenge_create(*, user: User) -> Challenge:
    """A fresh challenge for the learner's wallet to sign. Earlier ones stay valid until they expire."""
    nonce = secret_token()
    now = timezone.now()
    DidChallenge.objects.filter(user=user, expires_at__lt=now).delete()
    challenge = DidChallenge.objects.create(
        user=user, nonce_hash=secret_token_hash(nonce), expires_at=now + timedelta(minutes=CHALLENGE_MINUTES)
    )
    return Challenge(nonce=nonce, audience=settings.PUBLIC_BASE_URL, expires_at=challenge.expires_at)


# --- Reading the JWS -------------------------------------------------------------------------------------
@dataclass(frozen=True)
class _Jws:
    header: dict[str, Any]
    payload: dict[str, Any]
    signing_input: bytes
    signature: bytes


def _part(text: str) -> bytes:
    data = b64url_decode(text)
    if b64url_encode(data) != text:  # stray bits would let two tokens share one signature
        raise ValueError("not canonical base64url")
    return data


def _json_object(text: str) -> dict[str, Any]:
    value = json.loads(_part(text).decode("utf-8"))
    if not isinstance(value, dict):
        raise ValueError("not a JSON object")
    return value


def _parse(token: str) -> _Jws:
    malformed = DidProofRefused("malformed", _(
        "This is not a signed challenge. Paste the compact JWS your wallet made: three parts separated by dots."))
    token = "".join(token.split())
    if not token or len(token) > MAX_TOKEN_CHARS or token.count(".") != 2:
        raise malformed
    header_part, payload_part, signature_part = token.split(".")
    try:
        header, payload, signature = _json_object(header_part), _json_object(payload_part), _part(signature_part)
    except (ValueError, KeyFormatError, UnicodeDecodeError, RecursionError):
        raise malformed from None
    if not signature:
        raise malformed
    return _Jws(header, payload, f"{header_part}.{payload_part}".encode("ascii"), signature)


# --- Resolving the key -----------------------------------------------------------------------------------
def _as_list(value: Any) -> list[Any]:
    if value is None:
        return []
    return value if isinstance(value, list) else [value]


def _authentication_counts(document: Mapping[str, Any]) -> dict[str, Any]:
    """ob3 accepts keys listed under assertionMethod; proving control is `authentication`, so both count."""
    document = dict(document)
    document["assertionMethod"] = [
        *_as_list(document.get("assertionMethod")), *_as_list(document.get("authentication"))
    ]
    return document


def _did_of(kid: object) -> str:
    if not isinstance(kid, str) or not kid.startswith(("did:key:", "did:web:")):
        raise DidProofRefused("kid", _(
            "The signature's header must name the key in “kid” as a DID URL, such as did:key:z6Mk…#z6Mk… or "
            "did:web:example.org#key-1. Only did:key and did:web are supported."))
    did, _sep, fragment = kid.partition("#")
    if len(did) > MAX_DID_CHARS or any(char.isspace() for char in kid) or "?" in did or "/" in did:
        raise DidProofRefused("kid", _("The DID in “kid” is not valid."))
    if did.startswith("did:web:") and not fragment:
        raise DidProofRefused("kid", _(
            "For a did:web, “kid” must name one key of the DID document, such as did:web:example.org#key-1."))
    return did


def _resolve(kid: str, did: str, fetcher: Fetcher | None) -> PublicKey:
    if did.startswith("did:key:"):
        resolver = KeyResolver()  # self-certifying: the key is the identifier, nothing is fetched
    else:
        fetcher = fetcher or default_fetcher()
        resolver = KeyResolver(fetch=lambda url: _authentication_counts(fetcher.fetch_json(url)))
    try:
        resolved = resolver.resolve(kid)
    except FetchError as exc:
        raise DidProofRefused("unreachable", _(
            "We could not fetch the DID document of %(did)s, so we cannot check the key. Reason: %(reason)s")
            % {"did": did, "reason": str(exc)}) from None
    except (Ob3Error, ValueError, TypeError, KeyError) as exc:  # a hostile DID document must not crash us
        raise DidProofRefused("key", _(
            "The key %(kid)s could not be used for this DID. Reason: %(reason)s") % {"kid": kid, "reason": str(exc)}
        ) from None
    if resolved.controller != did:
        raise DidProofRefused("key", _("The key %(kid)s is not controlled by %(did)s.") % {"kid": kid, "did": did})
    if resolved.revoked is not None:
        raise DidProofRefused("key", _("The DID document says the key %(kid)s is revoked.") % {"kid": kid})
    return resolved.public_key


# --- Proving -------------------------------------------------------------------------------------------
def _audience_ok(aud: object) -> bool:
    expected = settings.PUBLIC_BASE_URL
    return aud == expected or (isinstance(aud, list) and expected in aud)


def did_proof_check(*, token: str, fetcher: Fetcher | None = None) -> tuple[str, str]:
    """The DID and the nonce of a correctly signed challenge; DidProofRefused otherwise.

    Checks everything except the nonce's record, which learner_did_prove uses up.
    """
    jws = _parse(token)
    alg = jws.header.get("alg")
    if alg not in ALGORITHMS:
        raise DidProofRefused("alg", _(
            "The signature must use EdDSA (Ed25519) or ES256 (P-256), not %(alg)s.") % {"alg": str(alg)[:20]})
    kid = jws.header.get("kid")
    did = _did_of(kid)
    key = _resolve(kid, did, fetcher)
    if key.jose_algorithm != alg or not key.verify(jws.signature, jws.signing_input, algorithm=alg):
        raise DidProofRefused("signature", _(
            "The signature does not match the key %(kid)s. Sign the challenge with that key.") % {"kid": kid})
    if not _audience_ok(jws.payload.get("aud")):
        raise DidProofRefused("aud", _(
            "The signed challenge is meant for another site. Its “aud” must be %(aud)s.")
            % {"aud": settings.PUBLIC_BASE_URL})
    nonce = jws.payload.get("nonce")
    if not isinstance(nonce, str) or not nonce:
        raise DidProofRefused("nonce", _("The signed challenge has no “nonce”."))
    return did, nonce


@transaction.atomic
def learner_did_prove(*, user: User, token: str, fetcher: Fetcher | None = None) -> LearnerDid:
    """Keep the DID the learner proved to control; it replaces an earlier one.

    The nonce is used up with a conditional UPDATE, so the same signed challenge never counts twice,
    even when two requests carry it at once.
    """
    did, nonce = did_proof_check(token=token, fetcher=fetcher)
    now = timezone.now()
    challenge = DidChallenge.objects.filter(user=user, nonce_hash=secret_token_hash(nonce)).first()
    if challenge is None:
        raise DidProofRefused("nonce", _(
            "The signed challenge is not the one we gave you. Sign the challenge shown on this page."))
    if challenge.used_at is not None:
        raise DidProofRefused("nonce_used", _(
            "This challenge has already been used. Ask for a new challenge and sign that."))
    if challenge.expires_at <= now:
        raise DidProofRefused("nonce_expired", _(
            "The challenge has expired: it is valid for %(minutes)s minutes. Ask for a new one and sign that.")
            % {"minutes": CHALLENGE_MINUTES})
    if not DidChallenge.objects.filter(pk=challenge.pk, used_at__isnull=True).update(used_at=now):
        raise DidProofRefused("nonce_used", _(
            "This challenge has already been used. Ask for a new challenge and sign that."))
    learner_did, _created = LearnerDid.objects.update_or_create(user=user, defaults={"did": did, "verified_at": now})
    return learner_did


def learner_did_remove(*, user: User) -> None:
    """Credentials issued from now on name the learner only through their e-mail hash again."""
    LearnerDid.objects.filter(user=user).delete()
