import hashlib
import json

import pytest

from ob3.documents import CONTEXTS_DIR, DEFAULT_LOADER, OB_V3P0, VC_V2, DocumentLoader
from ob3.errors import UnknownContextError
from ob3.jsonld import canonicalize


def test_every_vendored_context_matches_its_recorded_sha256():
    manifest = json.loads((CONTEXTS_DIR / "manifest.json").read_text())
    assert len(manifest) >= 15
    for row in manifest:
        digest = hashlib.sha256((CONTEXTS_DIR / row["file"]).read_bytes()).hexdigest()
        assert digest == row["sha256"], row["file"]


def test_vc_v2_context_has_the_digest_the_recommendation_publishes():
    manifest = {row["url"]: row for row in json.loads((CONTEXTS_DIR / "manifest.json").read_text())}
    assert manifest[VC_V2]["sha256"] == "59955ced6697d61e03f2b2556febe5308ab16842846f5b586d7f1f7adec92734"


def test_ob_context_is_the_validator_revision_with_jti_and_endorsement_jwt():
    context = DEFAULT_LOADER(OB_V3P0)["document"]["@context"]
    assert "jti" in context and "endorsementJwt" in context


def test_unknown_context_fails_clearly_and_is_never_fetched():
    with pytest.raises(UnknownContextError, match="https://evil.example/ctx.jsonld"):
        DEFAULT_LOADER("https://evil.example/ctx.jsonld")


def test_a_credential_naming_an_unknown_context_cannot_be_canonicalised():
    document = {"@context": [VC_V2, "https://evil.example/ctx.jsonld"], "type": ["VerifiableCredential"]}
    with pytest.raises(UnknownContextError, match="only vendored contexts"):
        canonicalize(document)


def test_loader_hands_out_copies_so_callers_cannot_poison_the_cache():
    first = DEFAULT_LOADER(VC_V2)["document"]
    first["@context"]["id"] = "https://poison.example/"
    assert DEFAULT_LOADER(VC_V2)["document"]["@context"]["id"] == "@id"


def test_extra_documents_can_be_registered_per_loader_without_touching_the_default():
    loader = DocumentLoader(extra={"https://example.org/ctx": {"@context": {"x": "https://example.org/x"}}})
    assert "https://example.org/ctx" in loader
    assert "https://example.org/ctx" not in DEFAULT_LOADER
