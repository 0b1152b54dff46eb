"""/verify/ uploads use the fast canonicaliser for every document that names only contexts the platform holds
(our own credentials and their status lists), and the general one for anything else."""

import json

import pytest

from badges.contexts import platform_loader
from ob3 import jsonld
from verification import checking

pytestmark = pytest.mark.django_db


@pytest.fixture
def canonicalisers(monkeypatch):
    """Which canonicaliser ran, on which document's id (the real ones, observed)."""
    ran = []
    fast, general = checking.platform_canonicalizer(), jsonld.canonicalize

    def observed_fast(document):
        ran.append(("fast", document.get("id")))
        return fast(document)

    def observed_general(document, **kwargs):
        ran.append(("general", document.get("id")))
        return general(document, **kwargs)

    monkeypatch.setattr(checking, "platform_canonicalizer", lambda: observed_fast)
    monkeypatch.setattr(jsonld, "canonicalize", observed_general)
    return ran


def test_our_credential_and_its_status_list_go_through_the_fast_canonicaliser(client, issued, canonicalisers):
    response = client.post("/verify/api", {"credential": json.dumps(issued.document)})
    assert response.json()["verdict"] == "valid"
    kinds = {kind for kind, _id in canonicalisers}
    assert kinds == {"fast"}, canonicalisers
    status_list = issued.document["credentialStatus"]["statusListCredential"]
    assert ("fast", issued.document["id"]) in canonicalisers and ("fast", status_list) in canonicalisers


def test_a_baked_badge_is_checked_the_same_way(client, issued, canonicalisers):
    with issued.baked_png.open("rb") as file:
        response = client.post("/verify/api", {"file": file})
    assert response.json()["verdict"] == "valid"
    assert {kind for kind, _id in canonicalisers} == {"fast"}


def test_a_document_with_a_context_the_platform_does_not_hold_takes_the_general_path(canonicalisers):
    canonicalize = checking.upload_canonicalizer(platform_loader())
    document = {"@context": {"@vocab": "https://example.org/vocab#", "id": "@id"}, "id": "urn:x", "name": "Foreign"}
    assert canonicalize(document) == '<urn:x> <https://example.org/vocab#name> "Foreign" .\n'
    assert canonicalisers == [("general", "urn:x")]


def test_a_nested_unknown_context_also_takes_the_general_path(issued):
    known = platform_loader()
    assert checking._platform_contexts_only(issued.document, known)
    nested = {**issued.document, "evidence": [{"@context": "https://elsewhere.example/ctx", "id": "urn:e"}]}
    assert not checking._platform_contexts_only(nested, known)
    assert not checking._platform_contexts_only({**issued.document, "@context": [None]}, known)
