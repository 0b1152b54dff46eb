"""JSON-LD safe mode: what a plain processor would silently drop must be refused."""

import pytest

from ob3.documents import OB_V3P0, VC_V2
from ob3.errors import CanonicalizationError, SafeModeError
from ob3.jsonld import canonicalize, expand, safe_mode_problems


def _credential(**extra):
    document = {
        "@context": [VC_V2, OB_V3P0],
        "id": "urn:uuid:2f8b4c66-3e8e-4f56-9b2a-1f8a3b7c9d10",
        "type": ["VerifiableCredential", "OpenBadgeCredential"],
        "issuer": {"id": "https://issuer.example/issuers/1", "type": ["Profile"], "name": "Issuer"},
        "validFrom": "2026-01-01T00:00:00Z",
        "credentialSubject": {"type": ["AchievementSubject"], "id": "did:example:123",
                              "achievement": {"id": "https://issuer.example/a/1", "type": ["Achievement"],
                                              "name": "A", "description": "D", "criteria": {"narrative": "N"}}},
    }
    document.update(extra)
    return document


def _problems(document):
    return safe_mode_problems(*expand(document))


def test_a_defined_credential_is_safe():
    assert _problems(_credential()) == []


def test_undefined_property_is_reported():
    problems = _problems(_credential(favouriteColour="green"))
    assert len(problems) == 1 and "'favouriteColour' is not defined by any @context" in problems[0]


def test_undefined_term_in_a_plain_vc_is_reported():
    # termsOfUse.policyId and friends: defined by no context, so the 1EdTech validator rejects them too.
    document = {"@context": [VC_V2], "type": ["VerifiableCredential"], "id": "urn:uuid:1", "policyId": "x"}
    assert [p for p in _problems(document) if "'policyId' is not defined" in p]


def test_issuer_dependent_vocab_terms_are_reported():
    expanded = [{"@id": "urn:uuid:1", "https://www.w3.org/ns/credentials/issuer-dependent#colour": [{"@value": "x"}],
                 "@type": ["https://www.w3.org/ns/credentials/issuer-dependent#Thing"]}]
    assert safe_mode_problems(expanded, []) == [
        "type 'Thing' is not defined by any @context", "property 'colour' is not defined by any @context"]


def test_undefined_type_is_reported():
    document = _credential()
    document["credentialSubject"]["type"] = ["AchievementSubject", "MysterySubject"]
    assert any("MysterySubject" in p for p in _problems(document))


def test_relative_id_is_reported():
    document = _credential()
    document["credentialSubject"]["achievement"]["id"] = "achievements/1"
    assert any("relative" in p for p in _problems(document))


def test_term_dropped_without_vocab_is_reported():
    # The OB 3.0 context alone has no @vocab: a plain processor drops the term silently.
    document = {"@context": [OB_V3P0], "type": ["Achievement"], "id": "https://x.example/a", "oops": 1}
    assert any("oops" in p for p in _problems(document))


def test_canonicalize_refuses_unsafe_documents_unless_asked_not_to_check():
    document = _credential(favouriteColour="green")
    with pytest.raises(SafeModeError, match="favouriteColour"):
        canonicalize(document)
    assert "favouriteColour" not in canonicalize(document, safe=False)  # what a plain processor signs


@pytest.mark.parametrize("document", [[], "text", {"@context": 5}, {"@context": [VC_V2], "@id": 5}])
def test_malformed_json_ld_raises_a_clear_error(document):
    with pytest.raises(CanonicalizationError):
        canonicalize(document)
