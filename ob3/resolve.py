"""Finding the public key behind a verification method, and who controls it.

Supported:
- `did:key:z6Mk…#z6Mk…` — self-certifying; the controller is the DID.
- `did:web:host:path…#frag` — the DID document from `documents` (keyed by DID or by its did.json
  URL) or, when a `fetch` callable is injected, fetched from `https://host/path/did.json`.
- `https://…#frag` — a controller document (e.g. the issuer's Profile) with `verificationMethod`
  and `assertionMethod`, or a bare Multikey/JWK document at a URL without a fragment.
- As the 1EdTech validator does, `<issuer id>#z6Mk…` carries its key in the fragment. Taking a key
  from the fragment proves nothing about who owns it, so such a key is marked `confirmed=False`
  unless the controller document is available and lists it.

No I/O happens here: documents are passed in, or fetched through the injected `fetch`.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any
from urllib.parse import unquote

from ob3.errors import KeyFormatError, Ob3Error
from ob3.keys import PublicKey


class ResolutionError(Ob3Error):
    """The verification method could not be resolved to a key."""


@dataclass(frozen=True)
class ResolvedKey:
    public_key: PublicKey
    controller: str
    verification_method: str
    confirmed: bool  # the controller's own document lists this key for assertionMethod
    source: str  # how it was found, for the human-readable report
    # When the controller reported the key compromised (CID `revoked`); signatures made from then on
    # must not be trusted, earlier ones still can be.
    revoked: datetime | None = None


Fetch = Callable[[str], Mapping[str, Any]]


def did_web_url(did: str) -> str:
    """did:web:example.com%3A8443:issuers:x -> https://example.com:8443/issuers/x/did.json"""
    if not did.startswith("did:web:"):
        raise ResolutionError(f"not a did:web: {did!r}")
    parts = did[len("did:web:") :].split("#", 1)[0].split(":")
    host = unquote(parts[0])
    if not host or "/" in host:
        raise ResolutionError(f"malformed did:web host in {did!r}")
    path = "/".join(unquote(p) for p in parts[1:])
    return f"https://{host}/{path}/did.json" if path else f"https://{host}/.well-known/did.json"


def _as_list(value: Any) -> list[Any]:
    if value is None:
        return []
    return value if isinstance(value, list) else [value]


def _key_from_method(method: Mapping[str, Any]) -> PublicKey:
    if isinstance(method.get("publicKeyMultibase"), str):
        return PublicKey.from_multikey(method["publicKeyMultibase"])
    if isinstance(method.get("publicKeyJwk"), dict):
        return PublicKey.from_jwk(method["publicKeyJwk"])
    raise ResolutionError("verification method has neither publicKeyMultibase nor publicKeyJwk")


def _revoked(method: Mapping[str, Any]) -> datetime | None:
    value = method.get("revoked")
    if value is None:
        return None
    try:
        moment = datetime.fromisoformat(str(value).replace("Z", "+00:00"))
    except ValueError:
        raise ResolutionError(f"verification method has a malformed 'revoked' date: {value!r}") from None
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def _absolute(identifier: str, base: str) -> str:
    return base.split("#", 1)[0] + identifier if identifier.startswith("#") else identifier


def key_from_controller_document(document: Mapping[str, Any], verification_method: str) -> ResolvedKey:
    """Find `verification_method` in a DID/controller document; it must be an assertionMethod."""
    doc_id = document.get("id")
    if not isinstance(doc_id, str):
        raise ResolutionError("controller document has no id")
    # A bare Multikey / JsonWebKey document (the 1EdTech validator's https-without-fragment case).
    if document.get("id") == verification_method and "controller" in document:
        return ResolvedKey(_key_from_method(document), str(document["controller"]), verification_method,
                           True, "Multikey document", _revoked(document))
    methods = {
        _absolute(m["id"], doc_id): m
        for m in _as_list(document.get("verificationMethod"))
        if isinstance(m, dict) and isinstance(m.get("id"), str)
    }
    assertion = set()
    for entry in _as_list(document.get("assertionMethod")):
        if isinstance(entry, str):
            assertion.add(_absolute(entry, doc_id))
        elif isinstance(entry, dict) and isinstance(entry.get("id"), str):
            methods.setdefault(_absolute(entry["id"], doc_id), entry)
            assertion.add(_absolute(entry["id"], doc_id))
    method = methods.get(verification_method)
    if method is None:
        raise ResolutionError(f"{verification_method} is not listed in the controller document {doc_id}")
    if verification_method not in assertion:
        raise ResolutionError(f"{verification_method} is not authorised for assertionMethod by {doc_id}")
    controller = method.get("controller", doc_id)
    try:
        key = _key_from_method(method)
    except KeyFormatError as exc:
        raise ResolutionError(f"unusable key in {verification_method}: {exc}") from None
    return ResolvedKey(key, str(controller), verification_method, True, f"controller document {doc_id}",
                       _revoked(method))


class KeyResolver:
    """Resolve verification methods from given documents and, optionally, an injected fetcher.

    `documents` maps a DID, a controller-document URL or a did.json URL to its JSON document.
    `jwks` are public JWKs (or JWK Sets) known out of band, e.g. from `--jwk` on the command line.
    `trust_fragment_keys`: accept `<id>#z6Mk…` keys that no document confirms, as unconfirmed.
    """

    def __init__(
        self,
        documents: Mapping[str, Mapping[str, Any]] | None = None,
        *,
        fetch: Fetch | None = None,
        jwks: Iterable[Mapping[str, Any]] = (),
        trust_fragment_keys: bool = True,
    ):
        self._documents = dict(documents or {})
        for document in list(self._documents.values()):
            if isinstance(document.get("id"), str):
                self._documents.setdefault(document["id"], document)
        self._fetch = fetch
        self._jwks: list[Mapping[str, Any]] = []
        for entry in jwks:
            self._jwks.extend(entry["keys"] if isinstance(entry.get("keys"), list) else [entry])
        self.trust_fragment_keys = trust_fragment_keys

    def _document(self, *names: str) -> Mapping[str, Any] | None:
        for name in names:
            if name in self._documents:
                return self._documents[name]
        if self._fetch is not None:
            url = names[-1]
            document = self._fetch(url)
            self._documents[url] = document
            return document
        return None

    def resolve(self, verification_method: str) -> ResolvedKey:
        """The key for `verification_method`; raises ResolutionError with the reason otherwise."""
        if not isinstance(verification_method, str) or not verification_method:
            raise ResolutionError("no verification method given")
        base, _, fragment = verification_method.partition("#")
        if base.startswith("did:key:"):
            try:
                key = PublicKey.from_did_key(base)
            except KeyFormatError as exc:
                raise ResolutionError(f"malformed did:key: {exc}") from None
            if fragment and fragment != base[len("did:key:") :]:
                raise ResolutionError("did:key fragment does not match the key")
            return ResolvedKey(key, base, verification_method, True, "did:key")
        if base.startswith("did:web:"):
            document = self._document(base, did_web_url(base))
            if document is None:
                raise ResolutionError(f"DID document for {base} is not available (no network access configured)")
            resolved = key_from_controller_document(document, verification_method)
            if resolved.controller != base:
                raise ResolutionError(f"{verification_method} is controlled by {resolved.controller}, not {base}")
            return resolved
        if base.startswith("did:"):
            raise ResolutionError(f"unsupported DID method in {verification_method!r}")
        if not base.startswith(("https://", "http://")):
            raise ResolutionError(f"unsupported verification method {verification_method!r}")
        try:
            document = self._document(base)
        except Ob3Error as exc:
            document = None
            fetch_problem = str(exc)
        else:
            fetch_problem = ""
        if document is not None:
            return key_from_controller_document(document, verification_method)
        if fragment.startswith("z") and self.trust_fragment_keys:
            try:
                key = PublicKey.from_multikey(fragment)
            except KeyFormatError as exc:
                raise ResolutionError(f"fragment of {verification_method} is not a Multikey: {exc}") from None
            note = f" ({fetch_problem})" if fetch_problem else ""
            return ResolvedKey(key, base, verification_method, False,
                               f"key taken from the verification method's fragment; {base} not consulted{note}")
        raise ResolutionError(f"cannot resolve {verification_method}: its controller document is not available")

    def resolve_jwt_key(self, header: Mapping[str, Any]) -> ResolvedKey | None:
        """Key for a VC-JWT header: `kid` (resolved like a verification method, or matched in the
        given JWKs), else the inline `jwk` (self-asserted, so unconfirmed)."""
        kid = header.get("kid")
        if isinstance(kid, str):
            for jwk in self._jwks:
                if jwk.get("kid") == kid:
                    return ResolvedKey(PublicKey.from_jwk(jwk), str(jwk.get("iss") or ""), kid, True, "given JWK set",
                                       _revoked(jwk))
            if kid.startswith(("did:", "https://", "http://")):
                try:
                    return self._resolve_kid(kid)
                except ResolutionError:
                    if not self._jwks:
                        raise
        if len(self._jwks) == 1 or (self._jwks and not isinstance(kid, str)):
            jwk = self._jwks[0]
            return ResolvedKey(PublicKey.from_jwk(jwk), str(jwk.get("iss") or ""), str(kid or ""), True, "given JWK")
        if isinstance(header.get("jwk"), dict):
            return ResolvedKey(PublicKey.from_jwk(header["jwk"]), "", "", False, "key embedded in the JWT header")
        return None

    def _resolve_kid(self, kid: str) -> ResolvedKey:
        base = kid.split("#", 1)[0]
        if kid.startswith("did:") or "#" in kid:
            return self.resolve(kid)
        document = self._document(base)
        if document is None:
            raise ResolutionError(f"JWK at {kid} is not available (no network access configured)")
        if "kty" in document:  # the kid URL serves a single JWK (what the 1EdTech validator expects)
            return ResolvedKey(PublicKey.from_jwk(document), str(document.get("iss") or ""), kid, True,
                               f"JWK at {kid}", _revoked(document))
        return key_from_controller_document(document, kid)


# The platform resolves its own issuers from documents it already has, without HTTP.
StaticResolver = KeyResolver
