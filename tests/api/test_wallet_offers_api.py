"""POST /api/v1/issuers/<slug>/credentials/<id>/wallet-offers/: an integrator offers an issued credential to
its holder's wallet; the code goes to the holder only (every answer checked against the schema)."""

from __future__ import annotations

import re

import pytest
from django.core import mail

from api.scopes import Scope
from openid4vci.models import WalletOffer
from tests.api.schema_check import SchemaCheckedClient

pytestmark = pytest.mark.django_db


def url(credential) -> str:
    return f"/api/v1/issuers/{credential.issuer.slug}/credentials/{credential.public_id}/wallet-offers/"


def test_an_offer_answers_the_link_and_e_mails_the_code_to_the_holder_only(
    api, issued, django_capture_on_commit_callbacks
):
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        answer = api.post(url(issued), HTTP_IDEMPOTENCY_KEY="offer-1")
    assert answer.status_code == 201, answer.content
    body = answer.json()
    offer = WalletOffer.objects.get()
    assert body["id"] == str(offer.public_id) and offer.channel == WalletOffer.Channel.API
    assert body["offer_uri"].startswith("openid-credential-offer://?credential_offer_uri=")
    assert body["transaction_code_sent_to"] == issued.recipient_email
    code = re.search(r"\b(\d{6})\b", mail.outbox[-1].body).group(1)
    assert mail.outbox[-1].to == [issued.recipient_email] and code not in answer.content.decode()
    replay = api.post(url(issued), HTTP_IDEMPOTENCY_KEY="offer-1")
    assert replay.json() == body and WalletOffer.objects.count() == 1


def test_a_pending_credential_cannot_be_offered(api, credential):
    answer = api.post(url(credential))
    assert answer.status_code == 422 and answer.json()["code"] == "credential_not_offerable"
    assert not WalletOffer.objects.exists()


def test_offering_needs_the_award_scope(token_for, issued):
    _token, secret = token_for(Scope.READ)
    client = SchemaCheckedClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {secret}")
    assert client.post(url(issued)).status_code == 403
    assert not WalletOffer.objects.exists()
