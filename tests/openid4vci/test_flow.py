"""The pre-authorized code flow end to end through the endpoints a wallet calls: offer, token (with the
transaction code from the e-mail), nonce, credential; and everything a wallet or an attacker gets wrong."""

from __future__ import annotations

import re
from datetime import timedelta
from urllib.parse import parse_qs, urlencode, urlsplit

import pytest
from django.conf import settings
from django.core import mail
from freezegun import freeze_time

from badges.credentials.revocation import credential_revoke
from openid4vci.metadata import JWT_VC_JSON, LDP_VC, PRE_AUTHORIZED_GRANT
from openid4vci.models import WalletCredential, WalletOffer, WalletOfferEvent
from openid4vci.offers import wallet_offer_create
from tests.openid4vci.wallet import TestWallet
from verification.checking import offline_verify

pytestmark = pytest.mark.django_db


def offer_path(offer_uri: str) -> str:
    query = parse_qs(urlsplit(offer_uri).query)
    return urlsplit(query["credential_offer_uri"][0]).path


def token_request(client, data: dict):
    return client.post("/oid4vci/token", urlencode(data), content_type="application/x-www-form-urlencoded")


def code_from_mail() -> str:
    return re.search(r"\b(\d{6})\b", mail.outbox[-1].body).group(1)


class Session:
    """A wallet's walk through the flow, one step at a time, so each test can stop or go wrong anywhere."""

    def __init__(self, client, credential, capture, wallet=None):
        self.client, self.credential, self.wallet = client, credential, wallet or TestWallet()
        with capture(execute=True):  # the e-mail with the code goes out when the offer is committed
            made = wallet_offer_create(credential=credential, created_by=None, channel=WalletOffer.Channel.API)
        self.offer, self.offer_uri, self.tx_code = made.offer, made.offer_uri, code_from_mail()

    def fetch_offer(self):
        return self.client.get(offer_path(self.offer_uri))

    def token(self, code: str, tx_code: str | None = None, grant_type: str = PRE_AUTHORIZED_GRANT):
        return token_request(self.client, {
            "grant_type": grant_type, "pre-authorized_code": code, "tx_code": tx_code or self.tx_code})

    def nonce(self) -> str:
        return self.client.post("/oid4vci/nonce").json()["c_nonce"]

    def credential_request(self, access_token: str, configuration_id: str = LDP_VC, *, proof: str | None = None,
                           body: dict | None = None):
        proof = proof or self.wallet.proof(nonce=self.nonce(), audience=settings.PUBLIC_BASE_URL)
        return self.client.post(
            "/oid4vci/credential",
            body or {"credential_configuration_id": configuration_id, "proofs": {"jwt": [proof]}},
            content_type="application/json", HTTP_AUTHORIZATION=f"Bearer {access_token}")

    def access_token(self) -> str:
        code = self.fetch_offer().json()["grants"][PRE_AUTHORIZED_GRANT]["pre-authorized_code"]
        return self.token(code).json()["access_token"]


@pytest.fixture
def session(client, award, django_capture_on_commit_callbacks):
    return Session(client, award, django_capture_on_commit_callbacks)


def revoke(credential):
    from tests.factories import workflow_member

    manager = workflow_member(credential.issuer, "assessor").user
    credential_revoke(credential=credential, by=manager, reason="Fel mottagare.")


def test_metadata_names_the_endpoints_and_both_formats(client):
    issuer = client.get("/.well-known/openid-credential-issuer").json()
    assert issuer["credential_issuer"] == settings.PUBLIC_BASE_URL
    assert issuer["nonce_endpoint"].endswith("/oid4vci/nonce")
    assert set(issuer["credential_configurations_supported"]) == {LDP_VC, JWT_VC_JSON}
    authorization = client.get("/.well-known/oauth-authorization-server/oid4vci").json()
    assert authorization["issuer"] == issuer["authorization_servers"][0]
    assert authorization["pre-authorized_grant_anonymous_access_supported"] is True


def test_a_wallet_gets_the_credential_bound_to_its_key_and_it_verifies(session, award):
    offer = session.fetch_offer().json()
    assert offer["credential_configuration_ids"] == [LDP_VC]  # this issuer signs no VC-JWTs
    grant = offer["grants"][PRE_AUTHORIZED_GRANT]
    assert grant["tx_code"] == {"input_mode": "numeric", "length": 6, "description": grant["tx_code"]["description"]}
    token = session.token(grant["pre-authorized_code"])
    assert token.status_code == 200 and token["Cache-Control"] == "no-store"
    answer = session.credential_request(token.json()["access_token"])
    assert answer.status_code == 200, answer.content
    document = answer.json()["credentials"][0]["credential"]
    assert document["credentialSubject"]["id"] == session.wallet.did
    assert document["id"] != award.uri and document["id"].startswith("urn:uuid:")
    assert document["credentialStatus"] == award.document["credentialStatus"]  # revoking the award revokes it
    assert document["credentialSubject"]["achievement"] == award.document["credentialSubject"]["achievement"]
    assert offline_verify(data=document).verdict == "valid"
    stored = WalletCredential.objects.get()
    assert stored.holder_did == session.wallet.did and stored.document == document
    kinds = list(WalletOfferEvent.objects.values_list("kind", flat=True))
    assert kinds == ["created", "fetched", "token_issued", "credential_issued"]


def test_a_jwt_issuer_offers_both_formats_and_the_vc_jwt_is_bound_too(
    client, amina, django_capture_on_commit_callbacks
):
    from badges.credentials.issuing import credential_issue
    from badges.credentials.signing import credential_sign
    from tests.factories import make_achievement, make_issuer

    achievement = make_achievement(make_issuer("jwt-skolan", jwt_enabled=True))
    with django_capture_on_commit_callbacks(execute=False):
        award = credential_issue(achievement=achievement, recipient_email="amina@example.org")
    credential_sign(credential_id=award.id)
    award.refresh_from_db()
    session = Session(client, award, django_capture_on_commit_callbacks)
    token = session.access_token()
    assert session.offer.__class__.objects.get().configuration_ids == [LDP_VC, JWT_VC_JSON]
    jwt = session.credential_request(token, JWT_VC_JSON).json()["credentials"][0]["credential"]
    result = offline_verify(data=jwt)
    assert result.verdict == "valid", result.problems
    assert result.credential["credentialSubject"]["id"] == session.wallet.did
    assert session.credential_request(token, LDP_VC).status_code == 200


def test_revoking_the_award_revokes_the_copy_in_the_wallet(session, award, issuer):
    document = session.credential_request(session.access_token()).json()["credentials"][0]["credential"]
    revoke(award)
    assert offline_verify(data=document).verdict == "revoked"


def test_the_transaction_code_goes_by_e_mail_to_the_recipient_only(session, award):
    message = mail.outbox[-1]
    assert message.to == [award.recipient_email]
    assert session.tx_code in message.body and session.tx_code not in session.offer_uri
    assert session.tx_code not in str(session.fetch_offer().json())


# --- what is spent once stays spent --------------------------------------------------------------------

def test_an_offer_is_opened_by_one_wallet_only(session):
    assert session.fetch_offer().status_code == 200
    assert session.fetch_offer().status_code == 410


def test_a_replayed_code_fails_and_withdraws_the_token_it_bought(session):
    code = session.fetch_offer().json()["grants"][PRE_AUTHORIZED_GRANT]["pre-authorized_code"]
    token = session.token(code).json()["access_token"]
    replay = session.token(code)
    assert replay.status_code == 400 and replay.json()["error"] == "invalid_grant"
    assert session.credential_request(token).status_code == 401
    assert WalletCredential.objects.count() == 0


def test_wrong_transaction_codes_close_the_offer(session):
    code = session.fetch_offer().json()["grants"][PRE_AUTHORIZED_GRANT]["pre-authorized_code"]
    wrong = "000000" if session.tx_code != "000000" else "111111"
    for _ in range(settings.WALLET_TX_CODE_ATTEMPTS):
        assert session.token(code, wrong).json()["error"] == "invalid_grant"
    # Even the right code is no use now: guessing is over.
    assert session.token(code).json()["error"] == "invalid_grant"
    assert WalletOffer.objects.get().closed_reason == "too many wrong transaction codes"


def test_an_expired_offer_cannot_be_redeemed(session):
    with freeze_time(session.offer.expires_at + timedelta(seconds=1)):
        assert session.fetch_offer().json()["error"] == "invalid_grant"


def test_an_expired_access_token_is_refused(session):
    token = session.access_token()
    with freeze_time(WalletOffer.objects.get().access_token_expires_at + timedelta(seconds=1)):
        answer = session.credential_request(token, proof="x.y.z")
    assert answer.status_code == 401 and answer["WWW-Authenticate"].startswith("Bearer")


def test_each_format_is_handed_out_once(session):
    token = session.access_token()
    assert session.credential_request(token).status_code == 200
    again = session.credential_request(token)
    assert again.status_code == 400 and again.json()["error"] == "credential_request_denied"
    assert WalletCredential.objects.count() == 1


def test_a_nonce_works_once(session):
    token = session.access_token()
    nonce = session.nonce()
    proof = session.wallet.proof(nonce=nonce, audience=settings.PUBLIC_BASE_URL)
    assert session.credential_request(token, proof=proof).status_code == 200
    WalletCredential.objects.all().delete()
    WalletOffer.objects.update(issued_configuration_ids=[])
    replay = session.credential_request(token, proof=proof)
    assert replay.status_code == 400 and replay.json()["error"] == "invalid_nonce"


def test_a_nonce_we_never_gave_is_refused(session):
    proof = session.wallet.proof(nonce="made-up", audience=settings.PUBLIC_BASE_URL)
    answer = session.credential_request(session.access_token(), proof=proof)
    assert answer.json()["error"] == "invalid_nonce"


def test_a_revoked_credential_is_neither_offered_nor_handed_out(session, award, client):
    token = session.access_token()
    revoke(award)
    answer = session.credential_request(token)
    assert answer.status_code == 400 and answer.json()["error"] == "credential_request_denied"
    from openid4vci.offers import WalletOfferRefused

    with pytest.raises(WalletOfferRefused) as refused:
        wallet_offer_create(credential=award, created_by=None, channel=WalletOffer.Channel.API)
    assert refused.value.code == "credential_not_offerable"


# --- hostile and malformed requests: a clear 4xx, nothing stored ----------------------------------------

@pytest.mark.parametrize(("body", "error"), [
    ({"credential_configuration_id": LDP_VC}, "invalid_proof"),
    ({"credential_configuration_id": LDP_VC, "proofs": {"jwt": []}}, "invalid_proof"),
    ({"credential_configuration_id": LDP_VC, "proofs": {"jwt": ["a", "b"]}}, "invalid_proof"),
    ({"credential_configuration_id": LDP_VC, "proofs": {"cwt": ["a"]}}, "invalid_proof"),
    ({"credential_configuration_id": LDP_VC, "proofs": {"jwt": ["not-a-jwt"]}}, "invalid_proof"),
    ({"credential_configuration_id": LDP_VC, "proofs": {"jwt": [{"a": 1}]}}, "invalid_proof"),
    ({"credential_configuration_id": "mdoc"}, "unknown_credential_configuration"),
    ({"credential_identifier": "x"}, "invalid_credential_request"),
    ({"format": "ldp_vc"}, "invalid_credential_request"),
])
def test_malformed_credential_requests_are_refused(session, body, error):
    answer = session.credential_request(session.access_token(), body=body)
    assert answer.status_code == 400 and answer.json()["error"] == error
    assert WalletCredential.objects.count() == 0


def test_alg_none_and_foreign_keys_are_refused(session):
    token = session.access_token()
    unsigned = session.wallet.proof(nonce=session.nonce(), audience=settings.PUBLIC_BASE_URL,
                                    header={"alg": "none"}).rsplit(".", 1)[0] + "."
    assert session.credential_request(token, proof=unsigned).json()["error"] == "invalid_proof"
    other = TestWallet()
    foreign = other.proof(nonce=session.nonce(), audience=settings.PUBLIC_BASE_URL,
                          header={"kid": f"{session.wallet.did}#{session.wallet.did[8:]}"})
    assert session.credential_request(token, proof=foreign).json()["error"] == "invalid_proof"
    misdirected = session.wallet.proof(nonce=session.nonce(), audience="https://evil.example")
    assert session.credential_request(token, proof=misdirected).json()["error"] == "invalid_proof"
    assert WalletCredential.objects.count() == 0


@pytest.mark.parametrize(("data", "content_type", "status"), [
    ("{", "application/json", 400),
    ("[]", "application/json", 400),
    ('"x"', "application/json", 400),
    ("\udcff", "application/json", 400),
    ("credential_configuration_id=x", "application/x-www-form-urlencoded", 415),
    ("{}" + " " * 70_000, "application/json", 413),
])
def test_broken_bodies_get_a_clear_4xx(session, data, content_type, status):
    token = session.access_token()
    answer = session.client.post("/oid4vci/credential", data.encode("utf-8", "surrogateescape"),
                                 content_type=content_type, HTTP_AUTHORIZATION=f"Bearer {token}")
    assert answer.status_code == status
    assert "error" in answer.json()


def test_no_token_or_a_made_up_token_is_401(client):
    assert client.post("/oid4vci/credential", {}, content_type="application/json").status_code == 401
    answer = client.post("/oid4vci/credential", {}, content_type="application/json", HTTP_AUTHORIZATION="Bearer nope")
    assert answer.status_code == 401 and answer.json()["error"] == "invalid_token"


@pytest.mark.parametrize(("data", "content_type", "error"), [
    ({"grant_type": "authorization_code", "code": "x"}, None, "unsupported_grant_type"),
    ({"grant_type": PRE_AUTHORIZED_GRANT}, None, "invalid_request"),
    ({"grant_type": PRE_AUTHORIZED_GRANT, "pre-authorized_code": "made-up", "tx_code": "123456"}, None,
     "invalid_grant"),
    ('{"grant_type": "x"}', "application/json", "invalid_request"),
    ({"grant_type": PRE_AUTHORIZED_GRANT, "pre-authorized_code": "x"}, "multipart/form-data", "invalid_request"),
])
def test_the_token_endpoint_answers_in_oauth_errors(client, data, content_type, error):
    if content_type is None:
        answer = token_request(client, data)
    elif content_type == "multipart/form-data":
        answer = client.post("/oid4vci/token", data)
    else:
        answer = client.post("/oid4vci/token", data, content_type=content_type)
    assert answer.status_code == 400 and answer.json()["error"] == error


def test_unknown_offers_are_404(client):
    assert client.get("/oid4vci/offers/00000000-0000-0000-0000-000000000000").status_code == 404


def test_old_nonces_are_tidied_away_and_fresh_ones_kept(client):
    from openid4vci.models import WalletNonce
    from openid4vci.offers import wallet_nonces_tidy

    with freeze_time("2026-01-01 12:00"):
        client.post("/oid4vci/nonce")
    client.post("/oid4vci/nonce")
    assert wallet_nonces_tidy() == 1 and WalletNonce.objects.count() == 1
