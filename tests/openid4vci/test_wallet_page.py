"""The learner's page that offers a credential to a wallet app."""

from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse

from openid4vci.models import WalletOffer, WalletOfferEvent
from tests.openid4vci.test_flow import revoke

pytestmark = pytest.mark.django_db


@pytest.fixture
def amina_client(amina):
    client = Client()
    client.force_login(amina)
    return client


def test_the_credential_page_links_to_the_wallet_offer(award, amina_client):
    page = amina_client.get(reverse("learners:credential", args=[award.public_id])).content.decode()
    assert reverse("openid4vci:to-wallet", args=[award.public_id]) in page


def test_opening_the_page_makes_no_offer_until_asked(award, amina_client):
    page = amina_client.get(reverse("openid4vci:to-wallet", args=[award.public_id]))
    assert page.status_code == 200 and not WalletOffer.objects.exists()


def test_asking_makes_an_offer_with_a_qr_code_a_deep_link_and_the_code_by_e_mail(
    award, amina, amina_client, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        page = amina_client.post(reverse("openid4vci:to-wallet", args=[award.public_id]))
    html = page.content.decode()
    offer = WalletOffer.objects.get()
    assert offer.created_by == amina and offer.channel == WalletOffer.Channel.WALLET_PAGE
    assert 'href="openid-credential-offer://?credential_offer_uri=' in html
    assert '<svg role="img"' in html  # the QR code, with its accessible name
    assert "a…@example.org" in html  # where the code went, masked
    link = html.split('href="openid-credential-offer://?', 1)[1].split('"', 1)[0].replace("&amp;", "&")
    offer_url = parse_qs(link)["credential_offer_uri"][0]
    assert urlsplit(offer_url).path == reverse("openid4vci:offer", args=[offer.public_id])
    assert mail.outbox[-1].to == ["amina@example.org"]
    code = [word for word in mail.outbox[-1].body.split() if word.isdigit() and len(word) == 6]
    assert len(code) == 1 and code[0] not in html
    assert WalletOfferEvent.objects.get().actor == amina


def test_a_revoked_credential_cannot_be_offered(award, amina_client):
    revoke(award)
    page = amina_client.post(reverse("openid4vci:to-wallet", args=[award.public_id]))
    assert page.status_code == 409 and not WalletOffer.objects.exists()
    assert "Intyget har återkallats" in page.content.decode()


def test_the_offer_page_is_in_swedish_too(award, amina_client, django_capture_on_commit_callbacks):
    amina_client.cookies.load({"django_language": "sv"})
    with django_capture_on_commit_callbacks(execute=True):
        page = amina_client.post(reverse("openid4vci:to-wallet", args=[award.public_id]),
                                 HTTP_ACCEPT_LANGUAGE="sv")
    assert "Lägg till i en digital plånbok" in page.content.decode()


def test_the_award_e_mail_leads_to_the_wallet_offer(achievement, django_capture_on_commit_callbacks):
    from badges.credentials.issuing import credential_issue
    from badges.credentials.signing import credential_sign

    with django_capture_on_commit_callbacks(execute=False):
        credential = credential_issue(achievement=achievement, recipient_email="eli@example.org")
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        credential_sign(credential_id=credential.id)
    body = mail.outbox[0].body
    assert f"http://localhost:8000{reverse('openid4vci:to-wallet', args=[credential.public_id])}" in body
