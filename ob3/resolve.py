"""Finding the public key behind a verification method, and whether the issuer says it is theirs.

Two questions, answered separately:

1. `KeyResolver.resolve(verification_method)` — what key does this URL stand for?
   - `did:key:z6Mk…#z6Mk…` — self-certifying.
   - `did:web:host:path…#frag` — the DID document (from `documents`, keyed by DID or did.json URL, or
     fetched from `https://host/path/did.json` through the injected `fetch`).
   - `https://…/key` without a fragment — the URL serves the key itself: a Multikey or JsonWebKey
     document (with `controller`), or a JWK (a VC-JWT `kid`, with `iss`).
   - `https://…#frag` — the controller document at the URL before `#` lists it. As the 1EdTech validator
     does, `<url>#z6Mk…` may also be read from the fragment when no document can be had.
2. `KeyResolver.binding(resolved, issuer_id)` — does the issuer's own identity document (its DID
   document, or the controller document at its https id) list that key, with the same key material,
   for `assertionMethod`? Only then does a signature speak for the issuer. A key read from a fragment,
   from a JWT header or from a document of some other URL proves nothing about who owns it.

Errors come in two kinds: `ResolutionError` — the method is known not to give a usable key (not listed,
malformed, wrong controller) — and its subclass `KeyUnavailable` — a document we need could not be had
(offline, unreachable), so nothing can be concluded. No I/O happens here: documents are passed in, or
fetched through the injected `fetch`.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any
from urllib.parse import unquote

from ob3.errors import KeyFormatError, Ob3Error
from ob3.keys import PublicKey
from ob3.result import ISSUER_NOT_RESOLVABLE, KEY_DOCUMENT_UNAVAILABLE, KEY_IN_TOKEN, KEY_NOT_BOUND
from ob3.values import as_list


class ResolutionError(Ob3Error):
    """The verification method is known not to give a usable key of the issuer."""


class KeyUnavailable(ResolutionError):
    """A document needed to find or confirm the key could not be obtained; nothing can be concluded."""


# How a key was found, when no verification method URL stands behind it.
SOURCE_JWT_HEADER = "key embedded in the JWT header"


@dataclass(frozen=True)
class ResolvedKey:
    public_key: PublicKey
    controller: str  # who the document that gave the key says controls it ("" when nobody says)
    verification_method: str  # "" for a key that came with no URL (a JWT header jwk)
    source: str  # how it was found, for the human-readable report
    # When the controller reported the key compromised (CID `revoked`); signatures made from then on
    # must not be trusted, earlier ones still can be.
    revoked: datetime | None = None


@dataclass(frozen=True)
class Binding:
    """Whether the issuer's identity document binds a key to the issuer.

    `state`: "bound"; "not_bound" — the issuer's own document says otherwise, so the signature is not
    the issuer's; "unknown" — it could not be established (`code` says why, one of ob3.result's codes).
    """

    state: str
    reason: str
    code: str = ""
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


def _key_from_method(method: Mapping[str, Any]) -> PublicKey:
    try:
        if isinstance(method.get("publicKeyMultibase"), str):
            return PublicKey.from_multikey(method["publicKeyMultibase"])
        if isinstance(method.get("publicKeyJwk"), dict):
            return PublicKey.from_jwk(method["publicKeyJwk"])
        if "kty" in method:
            return PublicKey.from_jwk(dict(method))
    except KeyFormatError as exc:
        raise ResolutionError(f"unusable key in {method.get('id') or method.get('kid') or 'the document'}: {exc}") \
            from None
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


def listed_method(document: Mapping[str, Any], verification_method: str) -> Mapping[str, Any]:
    """The entry for `verification_method` in a DID/controller document, authorised for assertionMethod.

    Raises ResolutionError when the document does not list it, or lists it for other purposes only.
    """
    doc_id = document.get("id")
    if not isinstance(doc_id, str):
        raise ResolutionError("controller document has no id")
    methods = {
        _absolute(m["id"], doc_id): m
        for m in as_list(document.get("verificationMethod"))
        if isinstance(m, dict) and isinstance(m.get("id"), str)
    }
    assertion = set()
    for entry in as_list(document.get("assertionMethod")):
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
    return method


def key_from_controller_document(document: Mapping[str, Any], verification_method: str) -> ResolvedKey:
    """The key `document` lists for `verification_method` (it must be an assertionMethod)."""
    method = listed_method(document, verification_method)
    doc_id = str(document["id"])
    return ResolvedKey(_key_from_method(method), str(method.get("controller", doc_id)), verification_method,
                       f"controller document {doc_id}", _revoked(method))


def _key_document(document: Mapping[str, Any], url: str) -> ResolvedKey | None:
    """A document at a fragment-less URL that is the key itself (Multikey/JsonWebKey document or a JWK)."""
    if "kty" in document:  # a JWK, as a VC-JWT `kid` URL serves it (the 1EdTech validator expects this)
        return ResolvedKey(_key_from_method(document), str(document.get("iss") or ""), url, f"JWK at {url}",
                           _revoked(document))
    if document.get("id") == url and ("publicKeyMultibase" in document or "publicKeyJwk" in document):
        return ResolvedKey(_key_from_method(document), str(document.get("controller") or ""), url,
                           f"key document {url}", _revoked(document))
    return None


@dataclass(frozen=True)
class ProofKey:
    """KeyResolver.proof_key's answer: the key, or the problem and whether it is only that the key's
    document could not be read."""

    resolved: ResolvedKey | None
    problem: str = ""
    unavailable: bool = False


class KeyResolver:
    """Resolve verification methods from given documents and, optionally, an injected fetcher.

    `documents` maps a DID, a controller-document URL or a did.json URL to its JSON document.
    `jwks` are public JWKs (or JWK Sets) known out of band, e.g. from `--jwk` on the command line.
    `trust_fragment_keys`: read `<url>#z6Mk…` keys from the fragment when no document can be had (the
    signature can then be checked, though the key's owner cannot).
    `fetch(url)` returns a parsed document; it raises KeyUnavailable (or another Ob3Error) when the
    document cannot be had, and ResolutionError when the site says there is no such document.
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

    def _document(self, *names: str) -> Mapping[str, Any]:
        for name in names:
            if name in self._documents:
                return self._documents[name]
        url = names[-1]
        if self._fetch is None:
            raise KeyUnavailable(f"{url} was not consulted (no network access configured)")
        try:
            document = self._fetch(url)
        except ResolutionError:
            raise
        except Ob3Error as exc:
            raise KeyUnavailable(str(exc)) from None
        if not isinstance(document, Mapping):
            raise KeyUnavailable(f"{url} did not give a JSON object")
        self._documents[url] = document
        return document

    def identity_document(self, issuer_id: str) -> Mapping[str, Any]:
        """The issuer's own identity document: its DID document, or the document at its https id."""
        if issuer_id.startswith("did:web:"):
            return self._document(issuer_id, did_web_url(issuer_id))
        if issuer_id.startswith(("https://", "http://")):
            return self._document(issuer_id.split("#", 1)[0])
        raise ResolutionError(f"no identity document can be found for {issuer_id}")

    def proof_key(self, proof: Mapping[str, Any]) -> ProofKey:
        """The key a proof names, or why there is none, told apart: a document that could not be read means
        the proof cannot be confirmed (fail closed, but not "forged"); any other reason is a failure."""
        try:
            return ProofKey(self.resolve(proof.get("verificationMethod", "")))
        except KeyUnavailable as exc:
            return ProofKey(None, f"the signing key could not be read: {exc}", unavailable=True)
        except ResolutionError as exc:
            return ProofKey(None, f"key: {exc}")

    def resolve(self, verification_method: str) -> ResolvedKey:
        """The key for `verification_method`; raises ResolutionError / KeyUnavailable with the reason."""
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
            return ResolvedKey(key, base, verification_method, "did:key")
        if base.startswith("did:web:"):
            resolved = key_from_controller_document(self._document(base, did_web_url(base)), verification_method)
            if resolved.controller != base:
                raise ResolutionError(f"{verification_method} is controlled by {resolved.controller}, not {base}")
            return resolved
        if base.startswith("did:"):
            raise ResolutionError(f"unsupported DID method in {verification_method!r}")
        if not base.startswith(("https://", "http://")):
            raise ResolutionError(f"unsupported verification method {verification_method!r}")
        if not fragment:
            document = self._document(base)
            return _key_document(document, base) or key_from_controller_document(document, base)
        try:
            return key_from_controller_document(self._document(base), verification_method)
        except KeyUnavailable as unavailable:
            if not (fragment.startswith("z") and self.trust_fragment_keys):
                raise
            try:
                key = PublicKey.from_multikey(fragment)
            except KeyFormatError as exc:
                raise KeyUnavailable(f"{unavailable}; its fragment is not a Multikey key either: {exc}") from None
            return ResolvedKey(key, "", verification_method,
                               f"key read from the verification method's fragment ({unavailable})")

    def resolve_jwt_key(self, header: Mapping[str, Any]) -> ResolvedKey | None:
        """Key for a VC-JWT header: `kid` (resolved like a verification method, or matched in the
        given JWKs), else the inline `jwk` (which anyone can put there)."""
        kid = header.get("kid")
        if isinstance(kid, str):
            for jwk in self._jwks:
                if jwk.get("kid") == kid:
                    return ResolvedKey(PublicKey.from_jwk(dict(jwk)), str(jwk.get("iss") or ""), kid, "given JWK",
                                       _revoked(jwk))
            if kid.startswith(("did:", "https://", "http://")):
                try:
                    return self.resolve(kid)
                except KeyUnavailable:
                    if not self._jwks and not isinstance(header.get("jwk"), dict):
                        raise
        if len(self._jwks) == 1 or (self._jwks and not isinstance(kid, str)):
            jwk = self._jwks[0]
            return ResolvedKey(PublicKey.from_jwk(dict(jwk)), str(jwk.get("iss") or ""), str(kid or ""), "given JWK")
        if isinstance(header.get("jwk"), dict):
            return ResolvedKey(PublicKey.from_jwk(header["jwk"]), "", "", SOURCE_JWT_HEADER)
        return None

    def binding(self, resolved: ResolvedKey, issuer_id: str | None) -> Binding:
        """Whether `issuer_id`'s own identity document lists the resolved key for assertionMethod."""
        if issuer_id is None:
            return Binding("not_bound", "the credential names no issuer, so no key can belong to it")
        if not resolved.verification_method:
            return Binding("unknown", "the key travels inside the token itself, so anyone could have made it "
                                      "in the issuer's name", KEY_IN_TOKEN)
        if not issuer_id.startswith(("did:", "https://", "http://")):
            # A urn:uuid (say) has no document that could list keys; whoever holds the key may or may not be
            # the issuer, and nobody can tell.
            return Binding("unknown", f"the issuer id {issuer_id} names no document that could list its keys; "
                                      f"signed by {resolved.controller or resolved.source}", ISSUER_NOT_RESOLVABLE)
        if resolved.controller and resolved.controller != issuer_id:
            return Binding("not_bound", f"the signing key belongs to {resolved.controller}, not to the issuer "
                                        f"{issuer_id}")
        if issuer_id.startswith("did:key:"):
            # A did:key is its own identity document: the key is the issuer's iff it is that did:key.
            if resolved.verification_method.split("#", 1)[0] == issuer_id:
                return Binding("bound", "the issuer is the did:key of the signing key")
            return Binding("not_bound", f"the signing key is not the issuer's did:key {issuer_id}")
        if not issuer_id.startswith(("did:web:", "https://", "http://")):
            return Binding("unknown", f"the issuer's DID method is not one this verifier resolves ({issuer_id})",
                           ISSUER_NOT_RESOLVABLE)
        return self._binding_in_document(resolved, issuer_id)

    def _binding_in_document(self, resolved: ResolvedKey, issuer_id: str) -> Binding:
        try:
            document = self.identity_document(issuer_id)
        except KeyUnavailable as exc:
            code = KEY_NOT_BOUND if "fragment" in resolved.source else KEY_DOCUMENT_UNAVAILABLE
            return Binding("unknown", f"the issuer's identity document could not be read, so nothing confirms "
                                      f"the key is theirs: {exc}", code)
        except ResolutionError as exc:
            return Binding("not_bound", str(exc))
        try:
            method = listed_method(document, resolved.verification_method)
            listed_key = _key_from_method(method)
            listed_revoked = _revoked(method)
        except ResolutionError as exc:
            return Binding("not_bound", f"the issuer's identity document does not vouch for the signing key: {exc}")
        if listed_key.to_jwk() != resolved.public_key.to_jwk():
            return Binding("not_bound", f"the issuer's identity document lists other key material under "
                                        f"{resolved.verification_method}")
        controller = str(method.get("controller", document.get("id")))
        if controller != issuer_id:
            return Binding("not_bound", f"the issuer's identity document says {controller} controls the key, "
                                        f"not the issuer {issuer_id}")
        return Binding("bound", f"the issuer's identity document lists the signing key ({resolved.source})",
                       revoked=listed_revoked or resolved.revoked)
