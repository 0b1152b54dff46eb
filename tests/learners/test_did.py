"""A learner proves control of a DID by signing a one-time challenge; credentials issued afterwards name it."""

import json
import re
from datetime import timedelta

import pytest
from django.conf import settings
from django.core.cache import cache
from django.test import Client
from django.urls import reverse
from freezegun import freeze_time

from learners.dids import did_challenge_create, learner_did_prove
from learners.errors import DidProofRefused
from learners.models import DidChallenge, LearnerDid
from learners.selectors import learner_verified_did
from ob3.keys import P256, LocalSigner
from ob3.multibase import b64url_encode
from safefetch import Fetcher
from tests.badges.site import site_verify
from tests.https_server import JsonDocuments, https_server, trusting_fetcher

pytestmark = pytest.mark.django_db


def did_key(signer: LocalSigner) -> str:
    return f"did:key:{signer.public_key.to_multikey()}"


def jws(signer: LocalSigner, *, kid: str, nonce: str, aud: str | None = None, alg: str | None = None) -> str:
    """A compact JWS made by hand, as a wallet would."""
    header = {"alg": alg or signer.algorithm, "kid": kid}
    payload = {"nonce": nonce, "aud": settings.PUBLIC_BASE_URL if aud is None else aud}
    signing_input = ".".join(
        b64url_encode(json.dumps(part, separators=(",", ":")).encode()) for part in (header, payload)
    )
    return f"{signing_input}.{b64url_encode(signer.sign(signing_input.encode()))}"


@pytest.fixture
def signer():
    return LocalSigner.generate()


def key_kid(signer):
    return f"{did_key(signer)}#{signer.public_key.to_multikey()}"


def refusal(user, token, **kwargs) -> str:
    with pytest.raises(DidProofRefused) as caught:
        learner_did_prove(user=user, token=token, **kwargs)
    return caught.value.code


# --- did:key -------------------------------------------------------------------------------------------
@pytest.mark.parametrize("kind", ["Ed25519", P256])
def test_a_did_key_is_kept_once_the_challenge_is_signed_with_its_key(amina, kind):
    signer = LocalSigner.generate(kind)
    challenge = did_challenge_create(user=amina)
    learner_did = learner_did_prove(user=amina, token=jws(signer, kid=key_kid(signer), nonce=challenge.nonce))
    assert learner_did.did == did_key(signer)
    assert learner_verified_did(amina) == did_key(signer)
    # Only a hash of the nonce is stored, and it has been used up.
    stored = DidChallenge.objects.get(user=amina)
    assert challenge.nonce not in stored.nonce_hash and stored.used_at is not None


def test_a_wrong_nonce_is_refused(amina, signer):
    did_challenge_create(user=amina)
    assert refusal(amina, jws(signer, kid=key_kid(signer), nonce="not-the-challenge")) == "nonce"
    assert learner_verified_did(amina) is None


def test_another_learners_challenge_is_refused(amina, saman, signer):
    challenge = did_challenge_create(user=saman)
    assert refusal(amina, jws(signer, kid=key_kid(signer), nonce=challenge.nonce)) == "nonce"


def test_a_challenge_counts_only_once(amina, signer):
    challenge = did_challenge_create(user=amina)
    token = jws(signer, kid=key_kid(signer), nonce=challenge.nonce)
    learner_did_prove(user=amina, token=token)
    assert refusal(amina, token) == "nonce_used"


def test_an_expired_challenge_is_refused(amina, signer):
    with freeze_time("2026-05-01 10:00"):
        challenge = did_challenge_create(user=amina)
    token = jws(signer, kid=key_kid(signer), nonce=challenge.nonce)
    with freeze_time("2026-05-01 10:10"):
        assert refusal(amina, token) == "nonce_expired"
    assert DidChallenge.objects.get().used_at is None


def test_a_challenge_for_another_site_is_refused(amina, signer):
    challenge = did_challenge_create(user=amina)
    assert refusal(amina, jws(signer, kid=key_kid(signer), nonce=challenge.nonce, aud="https://evil.example")) == "aud"
    # The challenge is not used up by a refused attempt.
    learner_did_prove(user=amina, token=jws(signer, kid=key_kid(signer), nonce=challenge.nonce))


def test_a_signature_by_another_key_is_refused(amina, signer):
    challenge = did_challenge_create(user=amina)
    other = LocalSigner.generate()
    assert refusal(amina, jws(other, kid=key_kid(signer), nonce=challenge.nonce)) == "signature"


@pytest.mark.parametrize(
    ("token", "code"),
    [
        ("", "malformed"),
        ("abc", "malformed"),
        ("a.b.c", "malformed"),
        ("e30.e30.", "malformed"),  # {} . {} . no signature
    ],
)
def test_what_is_not_a_jws_gets_a_clear_refusal(amina, token, code):
    assert refusal(amina, token) == code


def test_algorithms_and_kids_outside_the_rules_are_refused(amina, signer):
    challenge = did_challenge_create(user=amina)
    assert refusal(amina, jws(signer, kid=key_kid(signer), nonce=challenge.nonce, alg="none")) == "alg"
    assert refusal(amina, jws(signer, kid="https://example.org/key", nonce=challenge.nonce)) == "kid"
    assert refusal(amina, jws(signer, kid="did:example:123#k", nonce=challenge.nonce)) == "kid"
    assert refusal(amina, jws(signer, kid="did:web:example.org", nonce=challenge.nonce)) == "kid"
    other = LocalSigner.generate()
    mismatched = f"{did_key(signer)}#{other.public_key.to_multikey()}"
    assert refusal(amina, jws(signer, kid=mismatched, nonce=challenge.nonce)) == "key"


# --- did:web -------------------------------------------------------------------------------------------
class DidHandler(JsonDocuments):
    documents: dict = {}
    content_type = "application/did+json"


@pytest.fixture(scope="module")
def did_server(test_ca):
    with https_server(test_ca, "wallet.example", DidHandler) as port:
        yield port


@pytest.fixture
def local_fetcher(test_ca):
    """The real SSRF-safe fetcher, told that wallet.example is this machine (only tests may allow that)."""
    cache.clear()
    DidHandler.documents = {}
    return trusting_fetcher(test_ca, total_timeout=2, connect_timeout=1)


def did_document(did: str, signer: LocalSigner, relationship: str) -> dict:
    return {
        "@context": ["https://www.w3.org/ns/did/v1", "https://w3id.org/security/multikey/v1"],
        "id": did,
        "verificationMethod": [{
            "id": f"{did}#key-1", "type": "Multikey", "controller": did,
            "publicKeyMultibase": signer.public_key.to_multikey(),
        }],
        relationship: [f"{did}#key-1"],
    }


@pytest.mark.parametrize("relationship", ["authentication", "assertionMethod"])
def test_a_did_web_is_resolved_through_the_safe_fetcher(amina, signer, did_server, local_fetcher, relationship):
    did = f"did:web:wallet.example%3A{did_server}:amina"
    DidHandler.documents["/amina/did.json"] = did_document(did, signer, relationship)
    challenge = did_challenge_create(user=amina)
    token = jws(signer, kid=f"{did}#key-1", nonce=challenge.nonce)
    assert learner_did_prove(user=amina, token=token, fetcher=local_fetcher).did == did


def test_a_did_web_key_for_neither_authentication_nor_assertion_is_refused(amina, signer, did_server,
                                                                           local_fetcher):
    did = f"did:web:wallet.example%3A{did_server}:amina"
    DidHandler.documents["/amina/did.json"] = did_document(did, signer, "keyAgreement")
    challenge = did_challenge_create(user=amina)
    token = jws(signer, kid=f"{did}#key-1", nonce=challenge.nonce)
    assert refusal(amina, token, fetcher=local_fetcher) == "key"


def test_an_unreachable_did_web_gets_a_clear_message(amina, signer, local_fetcher):
    challenge = did_challenge_create(user=amina)
    token = jws(signer, kid="did:web:wallet.example%3A1:amina#key-1", nonce=challenge.nonce)  # nothing on port 1
    with pytest.raises(DidProofRefused) as caught:
        learner_did_prove(user=amina, token=token, fetcher=local_fetcher)
    assert caught.value.code == "unreachable"
    assert "https://wallet.example:1/amina/did.json" in caught.value.message


def test_a_did_web_on_a_private_address_is_not_fetched(amina, signer):
    challenge = did_challenge_create(user=amina)
    token = jws(signer, kid="did:web:intranet.example:amina#key-1", nonce=challenge.nonce)
    fetcher = Fetcher(resolve=lambda host, port: ["10.0.0.5"])  # the production rules, no cache
    with pytest.raises(DidProofRefused) as caught:
        learner_did_prove(user=amina, token=token, fetcher=fetcher)
    assert caught.value.code == "unreachable"
    assert "private or reserved network address" in caught.value.message


# --- the page ------------------------------------------------------------------------------------------
@pytest.fixture
def amina_client(amina):
    client = Client()
    client.force_login(amina)
    return client


def shown_nonce(response) -> str:
    return re.search(r'<code id="challenge-nonce">([^<]+)</code>', response.content.decode())[1]


def test_the_page_explains_gives_a_challenge_and_keeps_the_did(amina_client, amina, signer):
    page = amina_client.get(reverse("learners:did"), HTTP_ACCEPT_LANGUAGE="en")
    assert page.status_code == 200 and "A DID (decentralised identifier)" in page.content.decode()
    response = amina_client.post(reverse("learners:did-challenge"), HTTP_ACCEPT_LANGUAGE="en")
    nonce = shown_nonce(response)
    assert settings.PUBLIC_BASE_URL in response.content.decode()

    bad = amina_client.post(reverse("learners:did"), {"signed": "nonsense", "nonce": nonce},
                            HTTP_ACCEPT_LANGUAGE="en")
    assert bad.status_code == 400
    assert "This is not a signed challenge" in bad.content.decode()
    assert shown_nonce(bad) == nonce  # shown again, to try once more

    response = amina_client.post(reverse("learners:did"), {
        "signed": jws(signer, kid=key_kid(signer), nonce=nonce), "nonce": nonce,
    }, HTTP_ACCEPT_LANGUAGE="en", follow=True)
    assert did_key(signer) in response.content.decode()
    assert LearnerDid.objects.get(user=amina).did == did_key(signer)

    amina_client.post(reverse("learners:did-remove"))
    assert learner_verified_did(amina) is None


def test_the_page_is_in_swedish_and_needs_sign_in(amina_client):
    response = amina_client.post(reverse("learners:did-challenge"), HTTP_ACCEPT_LANGUAGE="sv")
    assert "Din utmaning" in response.content.decode()
    assert Client().get(reverse("learners:did")).status_code == 302


def test_an_empty_submission_gets_a_message_not_an_error(amina_client):
    response = amina_client.post(reverse("learners:did"), {"signed": ""}, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 400 and 'class="error-summary"' in response.content.decode()


# --- credentials issued afterwards ---------------------------------------------------------------------
def test_a_credential_issued_afterwards_names_the_did_and_verifies(amina, signer, issue):
    challenge = did_challenge_create(user=amina)
    learner_did_prove(user=amina, token=jws(signer, kid=key_kid(signer), nonce=challenge.nonce))
    credential = issue("amina@example.org", recipient_did=learner_verified_did(amina))
    assert credential.document["credentialSubject"]["id"] == did_key(signer)
    assert credential.document["credentialSubject"]["identifier"]  # the salted e-mail hash stays
    assert site_verify(credential.document).valid


def test_the_export_names_the_did_and_deletion_removes_it(amina, signer):
    import io
    import zipfile

    from learners.services import learner_account_delete, learner_export_write

    challenge = did_challenge_create(user=amina)
    learner_did_prove(user=amina, token=jws(signer, kid=key_kid(signer), nonce=challenge.nonce))
    buffer = io.BytesIO()
    learner_export_write(user=amina, file=buffer)
    assert json.loads(zipfile.ZipFile(buffer).read("profile.json"))["did"]["did"] == did_key(signer)
    learner_account_delete(user=amina, password="correct-horse-battery")
    assert not LearnerDid.objects.exists() and not DidChallenge.objects.exists()


def test_challenges_expire_after_ten_minutes(amina):
    challenge = did_challenge_create(user=amina)
    stored = DidChallenge.objects.get()
    assert stored.expires_at - stored.created_at == pytest.approx(timedelta(minutes=10), abs=timedelta(seconds=1))
    assert challenge.expires_at == stored.expires_at
