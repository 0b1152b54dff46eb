"""An independent OpenID4VCI wallet takes credentials from the running platform, and independent verifiers
accept what it received.

The wallet (interop/openid4vci_wallet.mjs) is built on @openid4vc/openid4vci, the OpenWallet Foundation
Labs' OpenID4VCI 1.0 library: it is handed only the offer link a learner's wallet page shows and the code
from the e-mail, and finds everything else (metadata, token, nonce and credential endpoints) on a live
server, as a phone wallet would. Digital Bazaar's @digitalbazaar/vc, the DCC's verifier-core and jose
then check the credentials it received against the documents the same server publishes.
"""

from __future__ import annotations

import json
import re
import subprocess

import pytest
from django.core import mail
from django.core.management import call_command
from django.test import override_settings

from badges.credentials.issuing import credential_issue
from badges.credentials.signing import credential_sign
from notifications import sending
from openid4vci.metadata import JWT_VC_JSON, LDP_VC
from openid4vci.models import WalletOffer
from openid4vci.offers import wallet_offer_create
from tests.factories import make_achievement, make_issuer
from tests.interop import published

PUBLIC_ORIGIN = "https://mikromerit.test"

UNAVAILABLE = published.unavailable()
pytestmark = [
    pytest.mark.interop,
    pytest.mark.skipif(
        UNAVAILABLE is not None and not published.must_run(), reason=f"OpenID4VCI wallet interop: {UNAVAILABLE}"
    ),
]


def _run_wallet(offer_uri: str, tx_code: str, origins: dict[str, str]) -> dict:
    process = subprocess.run(
        ["node", "openid4vci_wallet.mjs"], cwd=published.INTEROP_DIR,
        input=json.dumps({"origins": origins, "offerUri": offer_uri, "txCode": tx_code}),
        capture_output=True, text=True, encoding="utf-8", timeout=published.TIMEOUT_SECONDS, check=False,
    )
    if process.returncode != 0:
        raise RuntimeError(f"the wallet failed ({process.returncode}):\n{process.stderr[-4000:]}")
    return json.loads(process.stdout)


@pytest.fixture(scope="module")
def received(django_db_setup, django_db_blocker, live_server):
    if UNAVAILABLE is not None:
        pytest.fail(f"CI is set, so the OpenID4VCI interop test must run, but {UNAVAILABLE}", pytrace=False)
    settings = override_settings(PUBLIC_BASE_URL=PUBLIC_ORIGIN, EXTENSION_CONTEXT_URL=f"{PUBLIC_ORIGIN}/ns/v1")
    # A module fixture runs before the per-test one that delivers e-mails on commit: deliver them here too.
    with settings, django_db_blocker.unblock(), pytest.MonkeyPatch.context() as patch:
        patch.setattr(sending, "notice_delivery_queue", lambda notice_id: sending.notice_deliver(notice_id=notice_id))
        try:
            achievement = make_achievement(make_issuer("wallet-skolan", jwt_enabled=True))
            credential = credential_issue(achievement=achievement, recipient_email="amina@example.org",
                                          recipient_name="Amina Hassan")
            credential_sign(credential_id=credential.id)
            credential.refresh_from_db()
            mail.outbox.clear()
            made = wallet_offer_create(credential=credential, created_by=None, channel=WalletOffer.Channel.API)
            tx_code = re.search(r"\b(\d{6})\b", mail.outbox[-1].body).group(1)
            origins = {PUBLIC_ORIGIN: live_server.url}
            wallet = _run_wallet(made.offer_uri, tx_code, origins)
            items = [
                {"verifier": "digitalbazaar", "form": "json", "data": wallet["credentials"][LDP_VC]},
                {"verifier": "dcc", "form": "json", "data": wallet["credentials"][LDP_VC]},
                {"verifier": "jose", "form": "jwt", "data": wallet["credentials"][JWT_VC_JSON]},
                {"verifier": "digitalbazaar", "form": "jwt", "data": wallet["credentials"][JWT_VC_JSON]},
            ]
            return wallet, published.verify(items, origins=origins)
        finally:
            call_command("flush", interactive=False, verbosity=0)


def test_the_wallet_found_everything_from_the_offer_link_alone(received):
    wallet, _answers = received
    assert set(wallet["credentials"]) == {LDP_VC, JWT_VC_JSON}
    paths = {url.removeprefix(PUBLIC_ORIGIN).split("?")[0] for url in wallet["fetched"]}
    assert {"/.well-known/openid-credential-issuer", "/.well-known/oauth-authorization-server/oid4vci",
            "/oid4vci/token", "/oid4vci/nonce", "/oid4vci/credential"} <= paths


def test_the_credentials_are_bound_to_the_wallets_key(received):
    wallet, _answers = received
    assert wallet["credentials"][LDP_VC]["credentialSubject"]["id"] == wallet["holderDid"]
    payload = wallet["credentials"][JWT_VC_JSON].split(".")[1]
    claims = json.loads(__import__("base64").urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))
    assert claims["sub"] == wallet["holderDid"]


def test_independent_verifiers_accept_what_the_wallet_received(received):
    _wallet, answers = received
    failures = [answer for answer in answers if answer["verified"] is not True or answer["revoked"]]
    assert not failures, failures
