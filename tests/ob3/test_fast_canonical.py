"""The fast canonicaliser returns exactly what the general path returns, value or exception."""

from __future__ import annotations

import random
from pathlib import Path
from typing import Any

import pytest

from ob3 import fast
from ob3.build import build_credential
from ob3.documents import DEFAULT_LOADER, DocumentLoader
from ob3.errors import Ob3Error, SafeModeError, UnknownContextError
from ob3.fast import _compiler, _Unsupported, fast_canonicalize, fast_canonicalizer
from ob3.jsonld import canonicalize
from ob3.keys import LocalSigner
from ob3.proofs.data_integrity import sign_credential, verify_proof
from tests.ob3.factories import random_draft, realistic_draft
from tests.ob3.support import NOW, SPEC_EXAMPLES, VALIDATOR, W3C_VECTOR, load_json, shared_params, w3c_loader

VECTOR_FILES = [
    *shared_params(SPEC_EXAMPLES, "*.json"), *shared_params(VALIDATOR, "**/*.json"),
    *shared_params(W3C_VECTOR, "unsigned.json", "signedDataInt.json"),
]


def outcome(canonicalizer, document: Any) -> tuple[str, str]:
    try:
        return ("ok", canonicalizer(document))
    except Ob3Error as exc:
        return (type(exc).__name__, str(exc))


def assert_same(document: Any, loader: DocumentLoader = DEFAULT_LOADER) -> None:
    assert outcome(lambda d: fast_canonicalize(d, loader=loader), document) == \
        outcome(lambda d: canonicalize(d, loader=loader), document)


def takes_fast_path(document: dict[str, Any]) -> bool:
    try:
        _compiler(DEFAULT_LOADER).document(document)
    except _Unsupported:
        return False
    return True


def test_generated_credentials_are_identical_and_take_the_fast_path():
    credentials = [build_credential(realistic_draft())]
    credentials += [build_credential(random_draft(random.Random(seed))) for seed in range(520)]
    for index, credential in enumerate(credentials):
        assert fast_canonicalize(credential) == canonicalize(credential), f"credential {index}"
    # The point of the module: our own credentials never need pyld.
    assert all(takes_fast_path(credential) for credential in credentials)


@pytest.mark.parametrize("path", VECTOR_FILES)
def test_vectors_and_their_parts(path):
    document = load_json(path)
    # The W3C vector names the VC examples context, which only the tests need and ob3 does not hold.
    loader = w3c_loader() if path.parent.name == Path(W3C_VECTOR).name else DEFAULT_LOADER
    assert_same(document, loader)
    if isinstance(document, dict) and "proof" in document:
        unsecured = {k: v for k, v in document.items() if k != "proof"}
        assert_same(unsecured, loader)
        for proof in document["proof"] if isinstance(document["proof"], list) else [document["proof"]]:
            if isinstance(proof, dict):
                assert_same({**{k: v for k, v in proof.items() if k != "proofValue"},
                             "@context": document.get("@context")}, loader)


def _base() -> dict[str, Any]:
    return build_credential(realistic_draft())


def _with(path: list[Any], value: Any) -> dict[str, Any]:
    document = _base()
    target = document
    for step in path[:-1]:
        target = target[step]
    target[path[-1]] = value
    return document


UNSAFE_OR_UNUSUAL = {
    "undefined term": _with(["credentialSubject", "favouriteColour"], "blue"),
    "undefined type": _with(["credentialSubject", "type"], ["AchievementSubject", "Nonsense"]),
    "relative id": _with(["id"], "credentials/1"),
    "blank node id": _with(["id"], "_:b0"),
    "unknown context": {**_base(), "@context": [*_base()["@context"], "https://example.org/ctx.json"]},
    "nested context": _with(["credentialSubject", "@context"], {"colour": "https://example.org/colour"}),
    "value object": _with(["name"], {"@value": "Namn", "@language": "sv"}),
    "null value": _with(["name"], None),
    "nested array": _with(["credentialSubject", "achievement", "tag"], [["a"], "b"]),
    "empty list": _with(["credentialSubject", "achievement", "resultDescription", 0, "allowedValue"], []),
    "boolean": _with(["credentialSubject", "identifier", 0, "hashed"], False),
    "integer where a float is typed": _with(["credentialSubject", "creditsEarned"], 3),
    "huge number": _with(["credentialSubject", "creditsEarned"], 1e22),
    "nan": _with(["credentialSubject", "creditsEarned"], float("nan")),
    "id not a string": _with(["id"], 5),
    "type not a string": _with(["type"], ["VerifiableCredential", 5]),
    "iri with a space": _with(["issuer", "url"], "https://example.org/a b"),
    "compact iri key": _with(["credentialSubject", "https://schema.org/color"], "blue"),
    "@type key": {**_base(), "@type": ["VerifiableCredential", "OpenBadgeCredential"]},
    "protected term redefined": _with(["@context"], [*_base()["@context"], {"name": "https://example.org/n"}]),
    "identical blank nodes": _with(["credentialSubject", "achievement", "alignment"], [
        {"type": ["Alignment"], "targetName": "x", "targetUrl": "https://skills.example/1"}] * 3),
    "identical lists": _with(["credentialSubject", "achievement", "tag"], ["a", "a"]),
    "not a dict": ["a list"],
    "no context": {k: v for k, v in _base().items() if k != "@context"},
}


@pytest.mark.parametrize("name", sorted(UNSAFE_OR_UNUSUAL))
def test_unsafe_or_unusual_documents_behave_like_the_general_path(name):
    assert_same(UNSAFE_OR_UNUSUAL[name])


def test_safe_mode_is_still_enforced():
    with pytest.raises(SafeModeError):
        fast_canonicalize(UNSAFE_OR_UNUSUAL["undefined term"])
    with pytest.raises(UnknownContextError):
        fast_canonicalize(UNSAFE_OR_UNUSUAL["unknown context"])


def test_signatures_from_either_path_verify_with_the_other():
    signer = LocalSigner.from_ed25519_seed(bytes(range(32)))
    method = f"did:key:{signer.public_key.to_multikey()}#{signer.public_key.to_multikey()}"
    credential = _base()

    fast = sign_credential(credential, signer=signer, verification_method=method, created=NOW,
                           canonicalizer=fast_canonicalizer)
    general = sign_credential(credential, signer=signer, verification_method=method, created=NOW)

    assert fast == general
    assert verify_proof(fast, fast["proof"][0], public_key=signer.public_key).passed
    assert verify_proof(general, general["proof"][0], public_key=signer.public_key,
                        canonicalizer=fast_canonicalizer).passed



def test_documents_with_contexts_of_their_own_do_not_grow_the_caches_without_bound(monkeypatch):
    # Uploads (wallet import) are checked with the platform's long-lived compiler; each may bring a new
    # inline context. The caches start afresh past their budget (made small here), and the answers stay
    # the general path's.
    monkeypatch.setattr(fast, "MAX_CACHED_ENTRIES", 2_000)
    loader = DocumentLoader()
    document = build_credential(realistic_draft())
    sizes = []
    for number in range(60):
        inline = {f"t{number}_{k}": f"https://example.org/v{number}#{k}" for k in range(50)}
        hostile = {**document, "@context": [*document["@context"], inline]}
        canonical = fast_canonicalize(hostile, loader=loader)
        if number in (0, 59):
            assert canonical == canonicalize(hostile, loader=loader)
        sizes.append(_compiler(loader).cached_entries())
    assert max(sizes) <= 2_000 + 500
    assert min(sizes[20:]) < max(sizes), "the caches were started afresh"
    assert fast_canonicalize(document, loader=loader) == canonicalize(document, loader=loader)
