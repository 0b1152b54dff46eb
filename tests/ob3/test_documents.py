import hashlib
import json

import pytest

from ob3 import documents
from ob3.documents import CONTEXTS_DIR, DEFAULT_LOADER, OB_V3P0, VC_V2, DocumentLoader, document_digest
from ob3.errors import ContextInstallError, UnknownContextError
from ob3.jsonld import canonicalize
from tests.ob3.support import shared

MANIFEST = json.loads((CONTEXTS_DIR / "manifest.json").read_text())


def test_every_context_is_the_document_its_manifest_row_pins():
    assert len(MANIFEST) >= 15
    for row in MANIFEST:
        document = json.loads((CONTEXTS_DIR / row["file"]).read_text())
        assert document_digest(document) == row["document_sha256"], row["file"]


def test_our_own_contexts_keep_their_exact_bytes():
    ours = [row for row in MANIFEST if "ours" in row]
    assert ours
    for row in ours:
        assert hashlib.sha256((CONTEXTS_DIR / row["file"]).read_bytes()).hexdigest() == row["sha256"], row["file"]


def test_vc_v2_context_is_the_document_whose_digest_the_recommendation_publishes():
    published = shared("contexts", "credentials-v2.jsonld")
    # VC Data Model 2.0 §B.1 gives the SHA-256 of the bytes W3C serves.
    assert hashlib.sha256(published.read_bytes()).hexdigest() == (
        "59955ced6697d61e03f2b2556febe5308ab16842846f5b586d7f1f7adec92734"
    )
    assert DEFAULT_LOADER(VC_V2)["document"] == json.loads(published.read_text())


@pytest.fixture
def contexts_copy(tmp_path, monkeypatch):
    for row in MANIFEST:
        target = tmp_path / row["file"]
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes((CONTEXTS_DIR / row["file"]).read_bytes())
    monkeypatch.setattr(documents, "CONTEXTS_DIR", tmp_path)
    return tmp_path


def test_a_context_that_is_not_installed_fails_loudly(contexts_copy):
    row = next(row for row in MANIFEST if row["url"] == VC_V2)
    (contexts_copy / row["file"]).unlink()
    with pytest.raises(ContextInstallError, match="not installed.*make install"):
        documents._read_context(row)


def test_a_context_whose_content_changed_is_refused(contexts_copy):
    row = next(row for row in MANIFEST if row["url"] == VC_V2)
    path = contexts_copy / row["file"]
    document = json.loads(path.read_text())
    document["@context"]["name"] = "https://evil.example/name"
    path.write_text(json.dumps(document))
    with pytest.raises(ContextInstallError, match="not the document manifest.json pins"):
        documents._read_context(row)


def test_reformatting_a_context_changes_nothing(contexts_copy):
    row = next(row for row in MANIFEST if row["url"] == VC_V2)
    path = contexts_copy / row["file"]
    path.write_text(json.dumps(json.loads(path.read_text()), indent=7, sort_keys=True))
    assert documents._read_context(row) == DEFAULT_LOADER(VC_V2)["document"]


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


def test_an_alias_serves_the_known_context_under_another_address():
    from ob3.eu import MIKROMERIT_CONTEXT

    loader = DocumentLoader(aliases={"https://badges.example/ns/v1": MIKROMERIT_CONTEXT})
    assert loader("https://badges.example/ns/v1")["document"] == DEFAULT_LOADER(MIKROMERIT_CONTEXT)["document"]
    with pytest.raises(UnknownContextError, match="not held"):
        DocumentLoader(aliases={"https://badges.example/ns/v2": "https://nowhere.example/ctx"})


def test_a_fetched_context_is_used_only_when_it_is_a_copy_of_one_we_hold():
    from ob3.errors import DocumentUnavailable
    from ob3.eu import MIKROMERIT_CONTEXT

    ours = DEFAULT_LOADER(MIKROMERIT_CONTEXT)["document"]
    served = {"https://copy.example/ns/v1": json.loads(json.dumps(ours)),
              "https://evil.example/ns/v1": {"@context": {"eqfLevel": "https://evil.example/level"}}}

    def fetch(url):
        if url not in served:
            raise DocumentUnavailable(f"{url} answered with HTTP status 404")
        return served[url]

    loader = DocumentLoader(fetch=fetch)
    assert loader("https://copy.example/ns/v1")["document"] == ours
    with pytest.raises(UnknownContextError, match="none of the contexts this verifier knows"):
        loader("https://evil.example/ns/v1")
    with pytest.raises(UnknownContextError, match="could not be fetched.*404"):
        loader("https://gone.example/ns/v1")
