"""Our OB 3.0 JSON Schemas (ob3/schemas/ob-v3p0-*.json) decide like 1EdTech's published ones.

ob3 does not hold 1EdTech's schemas (no package on PyPI or npm carries them); it checks documents with
schemas of its own, written from the spec's data model (see ob3/schema.py). Here both run over one
corpus and must give the same accept/reject decision for every document, against each of the three
entry points (AchievementCredential, EndorsementCredential, Profile):

* the spec's examples and every sample of the 1EdTech validator (JSON files, the JSON and JWT payloads
  baked into its PNG and SVG images, its JWTs), with the profiles and endorsements inside them;
* 521 credentials from tests/ob3/factories (the realistic draft and 520 random ones), with their issuers;
* broken variants of those documents: every value deleted, emptied, given a wrong type, wrapped in an
  array or unwrapped from one, dates and enumerations and context URLs broken, closed objects extended.

The official schemas are read from ../shared/ob3/schemas; without that folder these tests are skipped.
Only the JSON Schema decision is compared: ob3.schema.validate_schema adds one rule of its own
(credentialSubject needs an `id` or an `identifier`), which 1EdTech's schema does not state.
"""

from __future__ import annotations

import json
import random
from collections.abc import Iterator
from functools import cache
from typing import Any

import pytest
from jsonschema import Draft201909Validator

from ob3.baking import unbake
from ob3.build import build_credential
from ob3.multibase import b64url_decode
from ob3.schema import SCHEMA_FILES, _validator
from tests.ob3.factories import random_draft, realistic_draft
from tests.ob3.support import SCHEMAS, SPEC_EXAMPLES, VALIDATOR, json_paths, load_json, shared

KINDS = ("achievement", "endorsement", "profile")
OFFICIAL_FILES = {
    "achievement": "purl/ob_v3p0_achievementcredential_schema.json",
    "endorsement": "gh-pages/endorsementcredential.json",
    "profile": "gh-pages/profile.json",
}
DELETE = object()


@pytest.fixture(scope="module")
def official() -> dict[str, Draft201909Validator]:
    return {kind: Draft201909Validator(load_json(shared(SCHEMAS, path)),
                                       format_checker=Draft201909Validator.FORMAT_CHECKER)
            for kind, path in OFFICIAL_FILES.items()}


def ours(kind: str) -> Draft201909Validator:
    return _validator(SCHEMA_FILES[kind])


def disagreements(official: dict[str, Draft201909Validator], kind: str,
                  documents: list[Any]) -> list[tuple[int, bool, Any]]:
    """(index, official decision, document) for each document on which the two schemas disagree."""
    found = []
    for index, document in enumerate(documents):
        expected = official[kind].is_valid(document)
        if ours(kind).is_valid(document) != expected:
            found.append((index, expected, document))
    return found


def _explain(found: list[tuple[int, bool, Any]]) -> str:
    return "\n".join(f"#{i}: 1EdTech says {'valid' if valid else 'invalid'}: {json.dumps(doc)[:400]}"
                     for i, valid, doc in found[:5])


# --- the corpus ----------------------------------------------------------------------------------------

def _jwt_payload(token: str) -> dict[str, Any]:
    payload: dict[str, Any] = json.loads(b64url_decode(token.split(".")[1]))
    return payload


def _documents_in(document: Any) -> Iterator[Any]:
    """`document`, and the credentials and profiles it carries (a JWT's payload and `vc` claim,
    issuers, creators, sources, parent organisations, endorsements)."""
    if isinstance(document, str):
        document = _jwt_payload(document)
    yield document
    for _, value in json_paths(document):
        if isinstance(value, dict) and ("@context" in value or "type" in value) and value is not document:
            yield value


def published_documents() -> list[Any]:
    documents: list[Any] = []
    for path in sorted(shared(SPEC_EXAMPLES).glob("*.json")):
        documents += _documents_in(load_json(path))
    for path in sorted(shared(VALIDATOR).rglob("*")):
        if not path.is_file():
            continue
        data = path.read_bytes()
        if path.suffix in (".png", ".svg"):
            documents += _documents_in(unbake(data))
        elif path.suffix == ".jwt":
            documents += _documents_in(data.decode().strip())
        else:
            documents += _documents_in(json.loads(data))
    return documents


@cache
def generated_credentials() -> list[dict[str, Any]]:
    return [build_credential(realistic_draft())] + [
        build_credential(random_draft(random.Random(seed))) for seed in range(520)]


def _with(document: Any, path: tuple[Any, ...], new: Any) -> Any:
    """`document` with the value at `path` replaced by `new` (or removed, for DELETE); copies only the path."""
    if not path:
        return new
    head, rest = path[0], path[1:]
    copy = dict(document) if isinstance(document, dict) else list(document)
    if rest or new is not DELETE:
        copy[head] = _with(document[head], rest, new)
    else:
        del copy[head]
    return copy


DATES = ("validFrom", "validUntil", "awardedDate", "created", "activityStartDate", "activityEndDate", "dateOfBirth")
ENUMS = ("type", "achievementType", "identityType", "identifierType", "targetType", "resultType", "status")
BROKEN = {
    "date": ("2025-01-01", "2025-01-01T00:00:00", "2025-13-01T00:00:00Z", "2025-01-01T00:00:00+02:00"),
    "enum": ("Nope", "ext:Custom", "ext:-dash", "xext:y", ""),
    "@context": ("https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.9.json",
                 "https://purl.imsglobal.org/spec/ob/v3p0/context.json", "https://www.w3.org/2018/credentials/v1"),
    "inLanguage": ("en-us", "sv-SE", "zh-Hant-TW", "es-419", "english"),
    "endorsementJwt": ("a.b", "a..c", "a.b.c.d"),
}


def _broken_strings(path: tuple[Any, ...]) -> tuple[str, ...]:
    key = next((part for part in reversed(path) if isinstance(part, str)), "")
    if key in DATES:
        return BROKEN["date"]
    if key in ENUMS:
        return BROKEN["enum"]
    return BROKEN.get(key, ())


def _mutations(path: tuple[Any, ...], value: Any) -> Iterator[Any]:
    """Missing, wrong-typed, arrays for single values and single values for arrays, and broken dates,
    enumeration values, context URLs, language codes and JWS strings where the place takes them."""
    yield DELETE
    yield [value]
    if isinstance(value, str):
        yield 42
        yield from _broken_strings(path)
    elif isinstance(value, bool | int | float):
        yield from ("text", None, 42 if isinstance(value, bool) else True)
    else:
        yield from (None, 42, "text", {}, [])
    if isinstance(value, list):
        if value:
            yield value[0]
        if len(value) > 1:
            yield value[:1]
        yield [*value, 42]
    if isinstance(value, dict):
        yield {**value, "extraProperty": "x"}


def _place(path: tuple[Any, ...]) -> tuple[Any, ...]:
    """Where in the data model `path` points: its last three member names, and whether it is a list item.
    `endorsement[0].issuer.type[1]` and `credentialSubject.achievement.endorsement[2].issuer.type[0]` are
    the same place (a Profile's type); `issuer.type` and `credentialSubject.type` are not, and neither
    are the first, second and third `@context` entries."""
    names = tuple(part for part in path if isinstance(part, str))
    last = path[-1]
    if isinstance(last, int) and names[-1:] == ("@context",):
        return (*names[-3:], min(last, 2))  # the first, the second and the other contexts obey different rules
    return (*names[-3:], isinstance(last, int))


def _first_of_each_place(document: Any) -> Iterator[tuple[tuple[Any, ...], Any]]:
    """One (path, value) per place in the document's shape (see `_place`), the first met."""
    seen = set()
    for path, value in json_paths(document):
        place = _place(path) if path else None
        if path and place not in seen:
            seen.add(place)
            yield path, value


def broken_variants(document: Any, rng: random.Random | None = None, per_document: int = 0) -> list[Any]:
    """Every mutation of the first value at every place of `document`, or a random `per_document` of them."""
    variants = [(path, new) for path, value in _first_of_each_place(document) for new in _mutations(path, value)]
    if rng is not None and per_document < len(variants):
        variants = rng.sample(variants, per_document)
    return [_with(document, path, new) for path, new in variants]


# --- the tests ------------------------------------------------------------------------------------------

@pytest.mark.parametrize("kind", KINDS)
def test_published_examples_and_samples_are_decided_alike(official, kind):
    documents = published_documents()
    assert len(documents) > 100
    found = disagreements(official, kind, documents)
    assert found == [], _explain(found)


@pytest.mark.parametrize("kind", KINDS)
def test_generated_credentials_and_their_issuers_are_decided_alike(official, kind):
    documents = [document for credential in generated_credentials() for document in _documents_in(credential)]
    assert len(documents) > 521
    found = disagreements(official, kind, documents)
    assert found == [], _explain(found)
    if kind == "achievement":  # and ob3 builds only credentials both accept
        assert all(official[kind].is_valid(credential) for credential in generated_credentials())


def _without_endorsements(value: Any) -> Any:
    if isinstance(value, dict):
        return {key: _without_endorsements(item) for key, item in value.items() if key != "endorsement"}
    if isinstance(value, list):
        return [_without_endorsements(item) for item in value]
    return value


JWS = "eyJhbGciOiJFZERTQSJ9.eyJpc3MiOiJodHRwczovL2V4YW1wbGUub3JnIn0.c2lnbmF0dXJl"
PERSON = {"givenName": "Åsa", "familyName": "Öberg", "additionalName": "Maria", "patronymicName": "Karlsdotter",
          "honorificPrefix": "Dr", "honorificSuffix": "PhD", "familyNamePrefix": "von", "dateOfBirth": "1990-04-01"}


def _first_items(value: Any) -> Any:
    if isinstance(value, dict):
        return {key: _first_items(item) for key, item in value.items()}
    if isinstance(value, list):
        if value and all(isinstance(item, dict) for item in value):
            return [_first_items(value[0])]
        return [_first_items(item) for item in value]
    return value


def _bases() -> list[tuple[str, Any, int]]:
    """Documents to break: the schema each is meant to pass, and how many variants to take (0: all)."""
    full = load_json(shared(SPEC_EXAMPLES, "fullOpenBadge.json"))
    endorsement = load_json(shared(SPEC_EXAMPLES, "endorsement.json"))
    # The spec's complete credential, with every property of every class, made lighter so that each of
    # its variants validates quickly: one item in each array of objects, and the spec's small endorsement
    # example in place of its three full ones (those are broken as documents of their own, and so is
    # its issuer, with the issuer's endorsement).
    light = _first_items(_without_endorsements(full))
    achievement = light["credentialSubject"]["achievement"]
    for owner in (light, achievement):
        owner["endorsement"] = [endorsement]
        owner["endorsementJwt"] = [JWS]
    # What the spec's example leaves out: terms of use, the optional proof members, a value range.
    light["termsOfUse"] = [{"id": "https://example.org/terms", "type": "TrustFrameworkPolicy"}]
    light["proof"] = [{
        "type": "DataIntegrityProof", "cryptosuite": "eddsa-rdfc-2022", "created": "2024-01-01T00:00:00Z",
        "proofPurpose": "assertionMethod", "verificationMethod": "https://example.org/issuer#key-1",
        "proofValue": "z58DAdFfa9SkqZMVPxAQp", "challenge": "c-1", "domain": "example.org", "nonce": "n-1",
    }]
    achievement["resultDescription"][0].update(valueMin="0", valueMax="100")
    realistic = build_credential(realistic_draft())
    person = {**realistic["issuer"], **PERSON, "endorsementJwt": [JWS]}
    return [
        ("achievement", light, 0), ("endorsement", endorsement, 0), ("profile", full["issuer"], 0),
        *(("endorsement", item, 0) for item in full["endorsement"]),
        ("achievement", realistic, 300), ("profile", person, 0),
        ("achievement", load_json(shared(VALIDATOR, "simple.json")), 0),
        ("endorsement", load_json(shared(VALIDATOR, "endorsement-valid.json")), 0),
    ]


def test_every_broken_variant_of_rich_documents_is_decided_alike(official):
    rng = random.Random(7)
    checked = rejected = 0
    for kind, base, sample in _bases():
        assert official[kind].is_valid(base) and ours(kind).is_valid(base)
        variants = broken_variants(base, rng, sample) if sample else broken_variants(base)
        found = disagreements(official, kind, variants)
        assert found == [], _explain(found)
        checked += len(variants)
        rejected += sum(not ours(kind).is_valid(variant) for variant in variants[::5])
    assert checked > 3_000 and rejected > 300


def test_sampled_broken_variants_of_random_credentials_are_decided_alike(official):
    rng = random.Random(3)
    checked = 0
    for credential in generated_credentials()[1:41]:
        variants = broken_variants(credential, rng, per_document=30)
        for kind in KINDS:
            found = disagreements(official, kind, variants)
            assert found == [], _explain(found)
        checked += len(variants)
    assert checked == 40 * 30
