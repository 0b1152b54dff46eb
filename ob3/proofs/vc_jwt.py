"""VC-JWT: the OB 3.0 external proof (spec §8.2), a compact JWS over the credential.

The JWS payload is the credential itself plus the registered claims `iss` (issuer id), `jti`
(credential id), `nbf` (validFrom), `sub` (credentialSubject.id) and `exp` (validUntil). Verification
checks the JOSE header, the signature, and that those claims agree with the credential. It does not
check the validity window or status: the general verifier does that.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta, timezone
from decimal import Decimal
from typing import Any

from ob3.documents import VC_V1
from ob3.errors import KeyFormatError, Ob3Error, SigningError
from ob3.keys import PublicKey, Signer
from ob3.multibase import b64url_decode, b64url_encode
from ob3.result import Check, check
from ob3.values import issuer_id

ALLOWED_ALGORITHMS = ("RS256", "ES256", "EdDSA")
ALLOWED_HEADERS = frozenset({"alg", "kid", "jwk", "typ"})

KeyResolver = Callable[[dict[str, Any], dict[str, Any]], PublicKey | None]

# RFC 7519 §4.1; removed from the payload to give back the credential as issued.
REGISTERED_CLAIMS = frozenset({"iss", "sub", "aud", "exp", "nbf", "iat", "jti"})
PRIVATE_JWK_MEMBERS = ("d", "p", "q", "dp", "dq", "qi", "oth", "k")
_PRIVATE_JWK_MEMBERS = PRIVATE_JWK_MEMBERS
_URI = re.compile(r"[A-Za-z][A-Za-z0-9+.-]*:\S+")
_DATE_TIME = re.compile(
    r"(\d{4})-(\d{2})-(\d{2})[Tt](\d{2}):(\d{2}):(\d{2})(\.\d+)?([Zz]|[+-]\d{2}:\d{2})?"
)
_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
_RAW_SIGNATURE_BYTES = {"ES256": 64, "EdDSA": 64}


@dataclass(frozen=True)
class JwtVerification:
    """Outcome of `verify_jwt`.

    `credential` is the parsed credential whenever the payload could be read, even if a check failed:
    trust it only when `valid` is True. It is the payload without the JWT registered claims (so it equals
    what `sign_jwt` was given), or the `vc` claim of a VC 1.1 token.
    """

    credential: dict[str, Any] | None
    checks: list[Check]
    valid: bool


# --- claims shared by signing and verification -------------------------------------------------------
def _subject_id(credential: dict[str, Any]) -> str | None:
    subject = credential.get("credentialSubject")
    if isinstance(subject, list) and len(subject) == 1:
        subject = subject[0]
    subject_id = subject.get("id") if isinstance(subject, dict) else None
    return subject_id if isinstance(subject_id, str) and subject_id else None


def _first_context(credential: dict[str, Any]) -> Any:
    contexts = credential.get("@context")
    return contexts[0] if isinstance(contexts, list) and contexts else contexts


def _numeric_date(value: object, name: str) -> Decimal:
    """Seconds since the epoch for a date-time with a timezone (fractions kept exactly).

    Raises ValueError with a reason a person can act on.
    """
    match = _DATE_TIME.fullmatch(value) if isinstance(value, str) else None
    if match is None:
        raise ValueError(f"{name} is not a date-time like 2024-05-01T12:00:00Z: {value!r}")
    year, month, day, hour, minute, second = (int(part) for part in match.groups()[:6])
    fraction, zone = match.group(7), match.group(8)
    if zone is None:
        raise ValueError(f"{name} has no timezone: {value!r}")
    try:
        offset = timedelta(0)
        if zone not in ("Z", "z"):
            sign = -1 if zone[0] == "-" else 1
            offset = sign * timedelta(hours=int(zone[1:3]), minutes=int(zone[4:6]))
        moment = datetime(year, month, day, hour, minute, second, tzinfo=timezone(offset))
    except ValueError as exc:
        raise ValueError(f"{name} is not a valid date-time: {value!r} ({exc})") from None
    seconds = Decimal((moment - _EPOCH) // timedelta(seconds=1))
    return seconds + Decimal(fraction) if fraction else seconds


def _signing_claims(credential: dict[str, Any]) -> dict[str, Any]:
    """The registered claims for `credential`; SigningError when it lacks what they need."""
    credential_id, issuer = credential.get("id"), issuer_id(credential)
    if not isinstance(credential_id, str) or not credential_id:
        raise SigningError("a VC-JWT needs the credential 'id' (it becomes the jti claim)")
    if issuer is None:
        raise SigningError("a VC-JWT needs the issuer id (it becomes the iss claim)")
    if "validFrom" not in credential:
        raise SigningError("a VC-JWT needs 'validFrom' (it becomes the nbf claim)")
    claims: dict[str, Any] = {"iss": issuer, "jti": credential_id}
    for field, claim in (("validFrom", "nbf"), ("validUntil", "exp")):
        if field not in credential:
            continue
        value = credential[field]
        try:
            seconds = _numeric_date(value, field)
        except ValueError as exc:
            raise SigningError(str(exc)) from None
        if "." in value:
            raise SigningError(
                f"{field} has fractional seconds ({value!r}); use whole seconds so {claim} can equal it"
            )
        claims[claim] = int(seconds)
    subject = _subject_id(credential)
    if subject is not None:
        claims["sub"] = subject
    return claims


# --- signing ------------------------------------------------------------------------------------------
def _b64_json(value: dict[str, Any]) -> str:
    try:
        text = json.dumps(value, ensure_ascii=False, separators=(",", ":"), allow_nan=False)
        return b64url_encode(text.encode("utf-8"))
    except (TypeError, ValueError) as exc:  # UnicodeEncodeError is a ValueError
        raise SigningError(f"credential cannot be written as JSON: {exc}") from None


def sign_jwt(
    credential: dict[str, Any], *, signer: Signer, kid: str | None = None, embed_jwk: bool = False
) -> str:
    """Sign `credential` as a VC-JWT and return the compact JWS.

    The header is exactly `alg`, `typ: "JWT"` and either `kid` (a URI where the public JWK is published)
    or `jwk` (the public key inline). The payload is the credential plus iss, jti, nbf, sub (when the
    subject has an id) and exp (when validUntil is present). Raises SigningError when the credential
    lacks id, issuer or validFrom, when a date has no timezone or has fractional seconds, or when the
    credential already carries one of those claims with another value.
    """
    if not isinstance(credential, dict):
        raise SigningError("the credential must be a JSON object (dict)")
    if kid is not None and embed_jwk:
        raise SigningError("give either kid or embed_jwk=True, not both")
    if kid is None and not embed_jwk:
        raise SigningError("a VC-JWT header needs a key reference: pass kid (a URI) or embed_jwk=True")
    if kid is not None and (not isinstance(kid, str) or not _URI.fullmatch(kid)):
        raise SigningError(f"kid must be a URI, got {kid!r}")
    algorithm = signer.algorithm
    if algorithm not in ALLOWED_ALGORITHMS:
        raise SigningError(f"algorithm {algorithm!r} is not allowed for VC-JWT ({', '.join(ALLOWED_ALGORITHMS)})")
    if signer.public_key.jose_algorithm != algorithm:
        raise SigningError(f"signer says {algorithm} but its key is {signer.public_key.kind}")

    payload = dict(credential)
    for name, value in _signing_claims(credential).items():
        if name in payload and payload[name] != value:
            raise SigningError(f"the credential already has a {name!r} member that differs from {value!r}")
        payload[name] = value
    header: dict[str, Any] = {"alg": algorithm, "typ": "JWT"}
    if kid is not None:
        header["kid"] = kid
    else:
        header["jwk"] = signer.public_key.to_jwk()

    signing_input = f"{_b64_json(header)}.{_b64_json(payload)}"
    signature = signer.sign(signing_input.encode("ascii"))
    expected = _RAW_SIGNATURE_BYTES.get(algorithm)
    if expected is not None and len(signature) != expected:
        raise SigningError(f"{algorithm} signature must be {expected} raw bytes, got {len(signature)}")
    return f"{signing_input}.{b64url_encode(signature)}"


# --- verification -------------------------------------------------------------------------------------
def header_jwk(header: dict[str, Any], payload: dict[str, Any]) -> PublicKey | None:
    """A `resolve_key` that trusts the `jwk` in the JWS header.

    This proves only that the token is intact, not who issued it: the caller must still tie the key to
    the issuer (or use a resolver that fetches the key from the issuer's `kid`).
    """
    jwk = header.get("jwk")
    return PublicKey.from_jwk(jwk) if isinstance(jwk, dict) else None


def _no_duplicates(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    result: dict[str, Any] = {}
    for key, value in pairs:
        if key in result:
            raise ValueError(f"duplicate member {key!r}")
        result[key] = value
    return result


def _decode_part(part: str, name: str) -> bytes:
    try:
        data = b64url_decode(part)
    except KeyFormatError as exc:
        raise ValueError(f"{name}: {exc}") from None
    # Non-canonical base64url (stray trailing bits) would let two different tokens carry one signature.
    if b64url_encode(data) != part:
        raise ValueError(f"{name} is not canonical base64url")
    return data


def _decode_json(part: str, name: str) -> dict[str, Any]:
    data = _decode_part(part, name)
    try:
        value = json.loads(data.decode("utf-8"), object_pairs_hook=_no_duplicates)
    except (UnicodeDecodeError, ValueError, RecursionError) as exc:
        raise ValueError(f"{name} is not JSON: {exc}") from None
    if not isinstance(value, dict):
        raise ValueError(f"{name} is not a JSON object")
    return value


def parse_compact_jws(token: object) -> tuple[dict[str, Any], dict[str, Any], bytes, bytes]:
    """Header, payload, signing input and signature of a compact JWS; ValueError when malformed
    (duplicate members, non-canonical base64url, an empty signature)."""
    return _parse(token)


def _parse(token: object) -> tuple[dict[str, Any], dict[str, Any], bytes, bytes]:
    """Header, payload, signing input and signature of a compact JWS; ValueError when malformed."""
    if not isinstance(token, str):
        raise ValueError("a VC-JWT must be a string")
    parts = token.split(".")
    if len(parts) != 3:
        raise ValueError(f"a compact JWS has 3 dot-separated parts, this one has {len(parts)}")
    header = _decode_json(parts[0], "header")
    payload = _decode_json(parts[1], "payload")
    signature = _decode_part(parts[2], "signature")
    if not signature:
        raise ValueError("the signature is empty (unsigned JWT)")
    return header, payload, f"{parts[0]}.{parts[1]}".encode("ascii"), signature


def _header_problems(header: dict[str, Any]) -> list[str]:
    problems = []
    alg = header.get("alg")
    if alg is None:
        problems.append("no 'alg' header")
    elif isinstance(alg, str) and alg.lower() == "none":
        problems.append("alg 'none' (an unsigned JWT) is never accepted")
    elif alg not in ALLOWED_ALGORITHMS:
        problems.append(f"alg {alg!r} is not allowed (only {', '.join(ALLOWED_ALGORITHMS)})")
    unknown = sorted(set(header) - ALLOWED_HEADERS)
    if unknown:
        problems.append(f"headers not allowed by OB 3.0: {', '.join(unknown)}")
    if "typ" in header and header["typ"] != "JWT":
        problems.append(f"typ must be 'JWT', not {header['typ']!r}")
    if "kid" not in header and "jwk" not in header:
        problems.append("no key reference: the header needs 'kid' or 'jwk'")
    if "kid" in header and not isinstance(header["kid"], str):
        problems.append("kid must be a string")
    if "jwk" in header and not isinstance(header["jwk"], dict):
        problems.append("jwk must be a JSON object")
    return problems


def _find_key(header: dict[str, Any], payload: dict[str, Any], resolve_key: KeyResolver) -> PublicKey:
    """The verification key; ValueError with the reason when there is no usable one."""
    jwk = header.get("jwk")
    if isinstance(jwk, dict):
        private = [member for member in _PRIVATE_JWK_MEMBERS if member in jwk]
        if private:
            raise ValueError(f"the header jwk contains private key material ({', '.join(private)}); refused")
    try:
        key = resolve_key(header, payload)
    except Ob3Error as exc:
        raise ValueError(f"the key could not be resolved: {exc}") from None
    if key is None:
        where = f"kid {header['kid']!r}" if "kid" in header else "the header jwk"
        raise ValueError(f"no key found for {where}")
    if not isinstance(key, PublicKey):
        raise ValueError(f"the key resolver returned {type(key).__name__}, not a PublicKey")
    if key.jose_algorithm != header["alg"]:
        raise ValueError(f"the key is {key.kind}, which cannot verify alg {header['alg']}")
    return key


def _claim_checks(payload: dict[str, Any], credential: dict[str, Any], legacy: bool) -> list[Check]:
    checks = []
    for claim, value, what in (
        ("iss", issuer_id(credential), "issuer id"),
        ("jti", credential.get("id"), "credential id"),
    ):
        if not isinstance(value, str) or not value:
            checks.append(Check(f"jwt.{claim}", False, f"the credential has no {what} to compare {claim} with"))
        elif claim not in payload:
            checks.append(Check(f"jwt.{claim}", False, f"the {claim} claim is missing (it must be the {what})"))
        else:
            checks.append(check(f"jwt.{claim}", payload[claim] == value, f"{claim} matches the {what}",
                                f"{claim} {payload[claim]!r} differs from the {what} {value!r}"))

    start, end = ("issuanceDate", "expirationDate") if legacy else ("validFrom", "validUntil")
    checks.append(_date_check(payload, "nbf", credential, start, required=True))
    checks.append(_date_check(payload, "exp", credential, end, required=False))

    subject = _subject_id(credential)
    sub = payload.get("sub")
    if subject is None:
        checks.append(check("jwt.sub", "sub" not in payload, "no sub claim, as the subject has no id",
                            f"sub {sub!r} is present but credentialSubject has no id"))
    elif "sub" not in payload:
        # The spec requires sub; the 1EdTech validator does not, and its own samples omit it.
        checks.append(Check("jwt.sub", True, f"no sub claim although credentialSubject.id is {subject!r}",
                            warning=True))
    else:
        checks.append(check("jwt.sub", sub == subject, "sub matches credentialSubject.id",
                            f"sub {sub!r} differs from credentialSubject.id {subject!r}"))
    return checks


def _date_check(payload: dict[str, Any], claim: str, credential: dict[str, Any], field: str, *,
                required: bool) -> Check:
    name = f"jwt.{claim}"
    if field not in credential:
        if required:
            return Check(name, False, f"the credential has no {field} to compare {claim} with")
        return check(name, claim not in payload, f"no {claim} claim, as there is no {field}",
                     f"{claim} is present but the credential has no {field}")
    try:
        expected = _numeric_date(credential[field], field)
    except ValueError as exc:
        return Check(name, False, str(exc))
    if claim not in payload:
        return Check(name, False, f"the {claim} claim is missing (it must equal {field})")
    actual = payload[claim]
    if isinstance(actual, bool) or not isinstance(actual, int | float):
        return Check(name, False, f"{claim} is not a NumericDate: {actual!r}")
    # repr() of a float is the shortest text that reads back the same, i.e. what the JSON said.
    matches = Decimal(repr(actual) if isinstance(actual, float) else actual) == expected
    return check(name, matches, f"{claim} matches {field}",
                 f"{claim} {actual!r} differs from {field} {credential[field]!r} ({expected} seconds)")


def verify_jwt(token: str, *, resolve_key: KeyResolver, now: datetime | None = None) -> JwtVerification:
    """Verify a VC-JWT's header, signature and claims, with one `Check` per step.

    `resolve_key(header, payload)` returns the public key for the token's `kid`/`jwk`, or None; it may
    raise an Ob3Error, which fails the key check. A header `jwk` holding private key material is refused
    before the resolver is called. VC 1.1 tokens (credential in a `vc` claim, dates from issuanceDate and
    expirationDate) are accepted with a warning. The validity window is not checked here, so `now` is
    ignored; it is accepted so callers can pass one clock to every verifier.
    """
    checks: list[Check] = []

    def done(credential: dict[str, Any] | None) -> JwtVerification:
        return JwtVerification(credential, checks, all(c.passed for c in checks))

    try:
        header, payload, signing_input, signature = _parse(token)
    except ValueError as exc:
        checks.append(Check("jwt.structure", False, str(exc)))
        return done(None)
    checks.append(Check("jwt.structure", True, "compact JWS with a JSON header and payload"))

    problems = _header_problems(header)
    checks.append(check("jwt.header", not problems, f"header allowed (alg {header.get('alg')})", "; ".join(problems)))
    if not problems:
        try:
            key = _find_key(header, payload, resolve_key)
        except ValueError as exc:
            checks.append(Check("jwt.key", False, str(exc)))
        else:
            checks.append(Check("jwt.key", True, f"{key.kind} key found"))
            checks.append(check("jwt.signature", key.verify(signature, signing_input, algorithm=header["alg"]),
                                f"{header['alg']} signature valid", f"{header['alg']} signature invalid"))

    wrapped = "vc" in payload
    credential = payload["vc"] if wrapped else {
        name: value for name, value in payload.items() if name not in REGISTERED_CLAIMS}
    if not isinstance(credential, dict):
        checks.append(Check("jwt.credential", False, "the vc claim is not a JSON object"))
        return done(None)
    # The `vc` claim is VC-JWT 1.1 packaging; what decides the data model (and so which dates nbf and exp
    # must equal) is the credential's own first @context. A VC 2.0 credential in a `vc` claim is VC 2.0.
    legacy = wrapped and _first_context(credential) == VC_V1
    if legacy:
        checks.append(Check("jwt.credential", True, "VC 1.1 JWT: the credential is the vc claim", warning=True))
    elif wrapped:
        checks.append(Check("jwt.credential", True, "a VC 2.0 credential in a vc claim (VC-JWT 1.1 packaging; "
                                                    "OB 3.0 puts the credential in the payload itself)", warning=True))
    else:
        checks.append(Check("jwt.credential", True, "the payload is the credential"))
    checks.extend(_claim_checks(payload, credential, legacy))
    return done(credential)
