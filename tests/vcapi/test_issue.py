"""POST /credentials/issue: a conforming credential comes back signed (eddsa-rdfc-2022) as the identity its
issuer names, with its @context and subject as sent; anything non-conforming is refused and nothing stored."""

from __future__ import annotations

import copy

import pytest

from tests.vcapi.conftest import credential_v2

pytestmark = pytest.mark.django_db
ISSUE = "/credentials/issue"


def _stored():
    from vcapi.models import VcApiCredential

    return VcApiCredential.objects.count()


def test_a_credential_is_signed_as_the_issuers_did_key_and_otherwise_unchanged(signer_api, did_key):
    credential = credential_v2(did_key.did, validFrom="2026-01-01T00:00:00Z")
    credential["@context"].append({"@vocab": "https://example.com/vocab#"})
    sent = copy.deepcopy(credential)

    response = signer_api.post(ISSUE, {"credential": credential, "options": {}})

    assert response.status_code == 201, response.content
    signed = response.json()["verifiableCredential"]
    assert signed["@context"] == sent["@context"]
    assert signed["credentialSubject"] == sent["credentialSubject"]
    assert signed["issuer"] == did_key.did
    [proof] = signed["proof"]
    assert proof["type"] == "DataIntegrityProof"
    assert proof["cryptosuite"] == "eddsa-rdfc-2022"
    assert proof["proofPurpose"] == "assertionMethod"
    assert proof["verificationMethod"] == did_key.verification_method
    assert proof["proofValue"].startswith("z")
    assert _stored() == 1


def test_what_is_signed_verifies_offline_with_ob3(signer_api, did_key):
    from ob3.resolve import KeyResolver
    from ob3.vcdm import Verifier, verify_credential

    response = signer_api.post(ISSUE, {"credential": credential_v2(did_key.did)})
    signed = response.json()["verifiableCredential"]

    from django.utils import timezone

    outcome = verify_credential(signed, Verifier(resolver=KeyResolver(), status_fetcher=None, now=timezone.now()))
    assert outcome.verified, outcome.errors
    signed["credentialSubject"]["name"] = "Mallory"
    outcome = verify_credential(signed, Verifier(resolver=KeyResolver(), status_fetcher=None, now=timezone.now()))
    assert not outcome.verified


def test_the_issuers_did_web_and_https_ids_can_sign_too(signer_api, issuer):
    for identity, method_start in ((issuer.did, f"{issuer.did}#z6Mk"), (issuer.public_id, f"{issuer.public_id}/keys/")):
        response = signer_api.post(ISSUE, {"credential": credential_v2(identity)})
        assert response.status_code == 201, response.content
        assert response.json()["verifiableCredential"]["proof"][0]["verificationMethod"].startswith(method_start)


def test_a_vc_1_1_credential_is_signed_with_the_data_integrity_context_appended(signer_api, did_key):
    credential = {
        "@context": ["https://www.w3.org/2018/credentials/v1"],
        "type": ["VerifiableCredential"],
        "issuer": did_key.did,
        "issuanceDate": "2026-01-01T00:00:00Z",
        "credentialSubject": {"id": "did:example:123"},
    }
    response = signer_api.post(ISSUE, {"credential": credential})
    assert response.status_code == 201, response.content
    signed = response.json()["verifiableCredential"]
    assert signed["@context"] == [
        "https://www.w3.org/2018/credentials/v1", "https://w3id.org/security/data-integrity/v2",
    ]
    assert signed["issuanceDate"] == "2026-01-01T00:00:00Z"


V2 = "https://www.w3.org/ns/credentials/v2"


@pytest.mark.parametrize(("change", "reason"), [
    ({"@context": ["https://www.w3.org/ns/credentials/examples/v2", V2]}, "first @context"),
    ({"@context": V2}, "@context must be an array"),
    ({"type": ["ExampleCredential"]}, "VerifiableCredential"),
    ({"type": "VerifiableCredential", "issuer": None}, "issuer is required"),
    ({"issuer": {"name": "No id"}}, "issuer must be a URL"),
    ({"issuer": "not a url"}, "issuer is required"),
    ({"credentialSubject": None}, "credentialSubject is required"),
    ({"credentialSubject": {}}, "at least one claim"),
    ({"credentialSubject": {"id": "relative"}}, "credentialSubject[0].id must be a URL"),
    ({"id": "not a url"}, "credential.id must be a URL"),
    ({"validFrom": "2026-01-01"}, "validFrom must be a date-time"),
    ({"validFrom": "2026-01-01T00:00:00"}, "time zone"),
    ({"validUntil": "yesterday"}, "validUntil"),
    ({"validFrom": "2027-01-01T00:00:00Z", "validUntil": "2026-01-01T00:00:00Z"}, "not be later"),
    ({"undefinedTerm": "x"}, "'undefinedTerm' is not defined"),
    ({"type": ["VerifiableCredential", "UndefinedType"]}, "UndefinedType"),
    ({"credentialSchema": {"type": "JsonSchema"}}, "credentialSchema[0] must have an id"),
    ({"credentialSchema": {"id": "https://example.com/schema.json"}}, "credentialSchema[0] must have a type"),
    ({"refreshService": {"id": "https://example.com/refresh"}}, "refreshService[0] must have a type"),
    ({"relatedResource": [{"id": V2}]}, "digestSRI or digestMultibase"),
    ({"relatedResource": [{"digestSRI": "sha384-abc"}]}, "must have an id"),
    ({"relatedResource": [{"id": V2, "digestSRI": "sha256-" + "A" * 43 + "="}]}, "digestSRI does not match"),
    ({"relatedResource": [{"id": V2, "digestMultibase": "u" + "EiA" + "A" * 43}]}, "digestMultibase does not match"),
    ({"relatedResource": [{"id": V2, "digestSRI": "md5-abc"}]}, "digestSRI must be"),
    ({"relatedResource": [{"id": V2, "digestMultibase": "zQmNotAHash"}]}, "digestMultibase"),
    ({"credentialStatus": {"type": "BitstringStatusListEntry", "statusPurpose": "revocation",
                           "statusListIndex": "x", "statusListCredential": "https://example.com/s"}},
     "statusListIndex"),
    ({"credentialStatus": {"statusPurpose": "revocation"}}, "must have a type"),
    ({"@context": ["https://example.com/unknown-context"]}, "first @context"),
    ({"@context": [V2, "https://example.com/not-held.jsonld"]}, "JSON-LD"),
])
def test_a_non_conforming_credential_is_refused_with_its_reason_and_nothing_is_signed(signer_api, did_key, change,
                                                                                       reason):
    credential = {**credential_v2(did_key.did), **change}
    credential = {key: value for key, value in credential.items() if value is not None}

    response = signer_api.post(ISSUE, {"credential": credential})

    assert response.status_code == 400, response.content
    body = response.json()
    assert "verifiableCredential" not in body
    assert reason in body.get("detail", ""), body
    assert _stored() == 0


def test_a_related_resource_whose_digest_matches_the_published_context_is_signed(signer_api, did_key):
    import base64

    from ob3.multibase import multibase_encode
    from ob3.vcdm import PUBLISHED_SHA256

    digest = bytes.fromhex(PUBLISHED_SHA256[V2])
    related = [{"id": V2, "digestSRI": "sha256-" + base64.b64encode(digest).decode(),
                "digestMultibase": multibase_encode(b"\x12\x20" + digest)}]
    response = signer_api.post(ISSUE, {"credential": credential_v2(did_key.did, relatedResource=related)})
    assert response.status_code == 201, response.content


def test_an_issuer_the_token_does_not_hold_is_refused(signer_api, issuer):
    from ob3.keys import LocalSigner

    foreign = LocalSigner.generate().public_key.to_did_key()
    response = signer_api.post(ISSUE, {"credential": credential_v2(foreign)})
    assert response.status_code == 422
    assert response.json()["code"] == "foreign_issuer"
    assert _stored() == 0


def test_another_issuers_identity_is_refused(signer_api):
    from issuers.services import did_key_identity_create, issuer_create

    other = issuer_create(slug="other-school", name="Other school")
    foreign = did_key_identity_create(issuer=other)
    response = signer_api.post(ISSUE, {"credential": credential_v2(foreign.did)})
    assert response.status_code == 422
    response = signer_api.post(ISSUE, {"credential": credential_v2(other.did)})
    assert response.status_code == 422
    assert _stored() == 0


@pytest.mark.parametrize("options", [
    {"cryptosuite": "none"},
    {"cryptosuite": "ecdsa-rdfc-2019"},
    {"type": "Ed25519Signature2020"},
    {"created": "2020-01-01T00:00:00Z"},
    {"alg": "none"},
    {"credentialStatus": {"type": "StatusList2021Entry", "statusPurpose": "revocation"}},
    {"credentialStatus": {"type": "BitstringStatusListEntry", "statusPurpose": "message"}},
    {"credentialStatus": "revocation"},
])
def test_options_that_cannot_be_honoured_are_refused(signer_api, did_key, options):
    response = signer_api.post(ISSUE, {"credential": credential_v2(did_key.did), "options": options})
    assert response.status_code == 400, response.content
    assert _stored() == 0


def test_a_credential_that_already_has_a_proof_is_refused(signer_api, did_key):
    credential = credential_v2(did_key.did, proof={"type": "DataIntegrityProof", "cryptosuite": "none"})
    assert signer_api.post(ISSUE, {"credential": credential}).status_code == 400


def test_issuing_needs_a_token_with_the_signing_scope(client, token_for, did_key):
    from tests.vcapi.conftest import VcApiClient

    body = {"credential": credential_v2(did_key.did)}
    assert VcApiClient(client).post(ISSUE, body).status_code == 401
    assert VcApiClient(client, "mkm_forged_secret").post(ISSUE, body).status_code == 401
    assert VcApiClient(client, token_for("read")).post(ISSUE, body).status_code == 403
    assert _stored() == 0


def test_a_token_whose_creator_lost_the_role_cannot_sign(client, owner, did_key, token_for):
    from issuers.models import IssuerMember
    from tests.vcapi.conftest import VcApiClient

    secret = token_for("credentials:sign")
    IssuerMember.objects.filter(pk=owner.pk).update(is_owner=False, is_designer=True)
    response = VcApiClient(client, secret).post(ISSUE, {"credential": credential_v2(did_key.did)})
    assert response.status_code == 403
    assert _stored() == 0
