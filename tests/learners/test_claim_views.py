"""The claim link /claim/<token>, through allauth's real sign-up and sign-in views."""

import re
from datetime import timedelta

import pytest
from allauth.account.models import EmailAddress
from django.core import mail
from django.utils import timezone
from freezegun import freeze_time

from badges.credentials.signing import credential_sign
from badges.models import CredentialClaim, CredentialEvent
from tests.factories import make_user

pytestmark = pytest.mark.django_db

PASSWORD = "correct-horse-battery"
LINK = re.compile(r"http://localhost:8000(/claim/\S+)")


@pytest.fixture
def claim_path(issue, django_capture_on_commit_callbacks):
    """The link e-mailed to ny@example.org, who has no account, once the credential is signed."""
    credential = issue("ny@example.org", sign=False)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        credential_sign(credential_id=credential.id)
    return LINK.search(mail.outbox[-1].body).group(1)


def claim_of(path):
    return CredentialClaim.objects.select_related("credential").get()


def sign_up(client, email, next_path, capture):
    with capture(execute=True):
        return client.post("/accounts/signup/", {
            "email": email, "password1": PASSWORD, "password2": PASSWORD, "next": next_path,
        }, follow=True)


def test_an_anonymous_visitor_sees_what_was_awarded_and_both_ways_in(client, claim_path):
    response = client.get(claim_path, headers={"Accept-Language": "en"})
    page = response.content.decode()
    assert response.status_code == 200
    assert "Samarbete i arbetsgrupp" in page and "Testskolan" in page
    assert "email=ny%40example.org" in page and 'value="ny@example.org"' in page  # both prefilled
    assert claim_of(claim_path).claimed_at is None  # looking is not claiming


def test_an_account_created_from_the_link_needs_no_confirmation_and_lands_on_the_credential(
    client, claim_path, django_capture_on_commit_callbacks
):
    client.get(claim_path)
    mail.outbox.clear()
    response = sign_up(client, "ny@example.org", claim_path, django_capture_on_commit_callbacks)
    claim = claim_of(claim_path)
    assert response.redirect_chain[-1][0] == f"/wallet/credentials/{claim.credential.public_id}/"
    assert mail.outbox == []  # no second confirmation e-mail for the address the link went to
    assert EmailAddress.objects.get(email="ny@example.org").verified
    assert claim.claimed_at is not None and claim.claimed_by.email == "ny@example.org"
    assert claim.credential.events.filter(kind=CredentialEvent.Kind.CLAIMED).count() == 1


def test_signing_up_with_another_address_from_the_link_still_confirms_that_address(
    client, claim_path, django_capture_on_commit_callbacks
):
    client.get(claim_path)
    mail.outbox.clear()
    sign_up(client, "annan@example.org", claim_path, django_capture_on_commit_callbacks)
    assert not EmailAddress.objects.get(email="annan@example.org").verified
    assert "confirm" in mail.outbox[-1].subject.lower() or "bekräfta" in mail.outbox[-1].subject.lower()


def test_the_link_survives_sign_up_and_confirmation_in_the_same_browser(
    client, claim_path, django_capture_on_commit_callbacks
):
    # Straight to the sign-up form (the landing page's proof is not in this browser): the address is confirmed.
    mail.outbox.clear()
    sign_up(client, "ny@example.org", claim_path, django_capture_on_commit_callbacks)
    confirm = re.search(r"https?://[^/\s]+(/accounts/confirm-email/\S+/)", mail.outbox[-1].body).group(1)
    response = client.post(confirm, follow=True)
    claim = claim_of(claim_path)
    assert response.redirect_chain[-1][0] == f"/wallet/credentials/{claim.credential.public_id}/"
    assert claim.claimed_at is not None


def test_a_signed_in_holder_claims_by_opening_the_link_once(client, claim_path):
    holder = make_user("ny")
    client.force_login(holder)
    response = client.get(claim_path)
    claim = claim_of(claim_path)
    assert response.status_code == 302 and response.url == f"/wallet/credentials/{claim.credential.public_id}/"
    again = client.get(claim_path)  # a double click: the same credential, claimed once
    assert again.url == response.url
    assert claim.credential.events.filter(kind=CredentialEvent.Kind.CLAIMED).count() == 1
    assert claim.claimed_by == holder


def test_another_account_is_refused_with_the_masked_address(client, claim_path):
    client.force_login(make_user("saman"))
    response = client.get(claim_path, headers={"Accept-Language": "en"})
    page = response.content.decode()
    assert response.status_code == 403
    assert "n…@example.org" in page and "ny@example.org" not in page
    assert claim_of(claim_path).claimed_at is None


def test_an_unverified_copy_of_the_address_does_not_claim(client, claim_path):
    client.force_login(make_user("ny", verified=False))
    assert client.get(claim_path).status_code == 403


def test_a_used_link_shows_a_friendly_page_to_others(client, claim_path):
    client.force_login(make_user("ny"))
    client.get(claim_path)
    client.logout()
    response = client.get(claim_path)
    assert response.status_code == 410
    client.force_login(make_user("saman"))
    assert client.get(claim_path).status_code == 410


def test_an_unknown_link_is_a_friendly_not_found(client):
    response = client.get("/claim/not-a-token", headers={"Accept-Language": "en"})
    assert response.status_code == 404 and "We cannot find this link" in response.content.decode()


def test_an_expired_link_offers_a_new_one_sent_only_to_the_original_address(
    client, claim_path, django_capture_on_commit_callbacks, settings
):
    holder = make_user("ny")
    with freeze_time(timezone.now() + timedelta(days=31)):
        client.force_login(holder)
        response = client.get(claim_path, headers={"Accept-Language": "en"})
        assert response.status_code == 410 and "Send me a new link" in response.content.decode()
        assert claim_of(claim_path).claimed_at is None
        mail.outbox.clear()
        with django_capture_on_commit_callbacks(execute=True):
            sent = client.post(claim_path + "/new-link", {"email": "attacker@example.org"})
        assert sent.status_code == 200
        assert [message.to for message in mail.outbox] == [["ny@example.org"]]
        new_path = LINK.search(mail.outbox[0].body).group(1)
        assert client.get(claim_path).status_code == 404  # the old link is gone
        assert client.get(new_path).status_code == 302
        # Asking again at once sends nothing more.
        again = client.post(new_path + "/new-link")
        assert again.status_code in {404, 410, 429} and len(mail.outbox) == 1


def test_asking_for_new_links_is_rate_limited(client, claim_path, settings):
    settings.CLAIM_RESEND_RATE_LIMIT = "1/h"
    with freeze_time(timezone.now() + timedelta(days=31)):
        client.post(claim_path + "/new-link")
        assert client.post(claim_path + "/new-link").status_code == 429
