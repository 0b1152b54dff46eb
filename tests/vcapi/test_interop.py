"""An independent verifier and holder: digitalbazaar's JS stack (interop/, `make interop`) verifies what
POST /credentials/issue signs as a did:key, and signs a presentation that POST /presentations/verify accepts.
Its document loader holds only ob3's vendored contexts and resolves did:key itself: nothing is fetched."""

from __future__ import annotations

import pytest

from tests.ob3.test_interop import NodeInterop, _unavailable
from tests.vcapi.conftest import credential_v2

pytestmark = [
    pytest.mark.interop, pytest.mark.django_db,
    pytest.mark.skipif(_unavailable() is not None, reason=str(_unavailable())),
]


@pytest.fixture(scope="module")
def node():
    interop = NodeInterop()
    yield interop
    interop.close()


def _run(node, job):
    [answer] = node.batch([job])
    assert answer["ok"], answer.get("error")
    return answer["result"]


def test_digitalbazaars_verifier_accepts_what_the_vc_api_signs(signer_api, did_key, node):
    v2 = credential_v2(did_key.did, validFrom="2026-01-01T00:00:00Z")
    v1 = {"@context": ["https://www.w3.org/2018/credentials/v1"], "type": ["VerifiableCredential"],
          "issuer": did_key.did, "issuanceDate": "2026-01-01T00:00:00Z",
          "credentialSubject": {"id": "did:example:123"}}
    for credential in (v2, v1):
        response = signer_api.post("/credentials/issue", {"credential": credential})
        assert response.status_code == 201, response.content
        signed = response.json()["verifiableCredential"]
        result = _run(node, {"op": "verify-di", "credential": signed, "documents": {}})
        assert result == {"verified": True, "errors": []}

        signed["credentialSubject"]["id"] = "did:example:mallory"
        assert _run(node, {"op": "verify-di", "credential": signed, "documents": {}})["verified"] is False


def test_a_presentation_signed_by_digitalbazaars_stack_verifies_here(signer_api, did_key, anonymous, node):
    issued = signer_api.post("/credentials/issue", {"credential": credential_v2(did_key.did)}).json()
    presentation = {"@context": ["https://www.w3.org/ns/credentials/v2"], "type": ["VerifiablePresentation"],
                    "verifiableCredential": [issued["verifiableCredential"]]}
    signed = _run(node, {"op": "sign-presentation", "presentation": presentation, "challenge": "abc-123",
                         "domain": "verifier.example"})
    assert signed["proof"]["proofPurpose"] == "authentication"

    options = {"challenge": "abc-123", "domain": "verifier.example"}
    answer = anonymous.post("/presentations/verify", {"verifiablePresentation": signed, "options": options})
    assert answer.status_code == 200, answer.content
    assert {"proof", "issuer_key", "verifiableCredential[0].proof"} <= set(answer.json()["checks"])

    other = {"challenge": "another", "domain": "verifier.example"}
    replayed = anonymous.post("/presentations/verify", {"verifiablePresentation": signed, "options": other})
    assert replayed.status_code == 400
