from datetime import timedelta

import pytest
from django.utils import timezone
from freezegun import freeze_time

from badges.credentials.revocation import credential_revoke
from badges.credentials.signing import credential_sign
from badges.models import Credential
from tests.factories import workflow_member


@pytest.fixture
def shared(credential):
    credential_sign(credential_id=credential.id)
    Credential.objects.filter(pk=credential.pk).update(share_enabled=True)
    credential.refresh_from_db()
    return credential


def page(client, credential, **headers):
    return client.get(f"/c/{credential.public_id}", headers={"Accept-Language": "en", **headers})


def test_a_shared_valid_credential_says_valid_and_answers_the_four_questions(client, shared):
    response = page(client, shared)
    assert response.status_code == 200
    checked = response.context["checked"]
    assert checked.verdict == "valid"
    assert checked.result.check("proof").passed
    assert checked.result.check("revocation").reason == "not revoked"  # the status list was consulted
    html = response.content.decode()
    assert "Valid" in html
    for heading in ("Who issued it", "What the holder achieved", "How it was assessed", "How it is quality-assured"):
        assert heading in html
    assert "Testskolan" in html and "Amina" in html
    assert "Fördela uppgifter i en arbetsgrupp" in html  # learning outcome from the signed document
    assert "Vård- och omsorgscollege Västerbotten" in html  # QA body
    assert 'property="og:title"' in html
    assert "<svg" in html and "QR code" in html


def test_a_credential_the_learner_does_not_share_is_not_found(client, shared):
    Credential.objects.filter(pk=shared.pk).update(share_enabled=False)
    assert page(client, shared).status_code == 404
    assert page(client, shared, Accept="application/ld+json").status_code == 404


def test_a_pending_credential_is_not_found_even_if_shared(client, credential):
    Credential.objects.filter(pk=credential.pk).update(share_enabled=True)
    assert page(client, credential).status_code == 404


def test_machines_get_the_signed_credential_from_the_same_address(client, shared):
    for media_type in ("application/ld+json", "application/vc+ld+json"):
        response = page(client, shared, Accept=media_type)
        assert response["Content-Type"] == media_type
        assert response.json() == shared.document
        assert "Accept" in response["Vary"]


def test_after_revocation_the_page_says_revoked_with_the_reason(client, shared):
    credential_revoke(credential=shared, by=workflow_member(shared.issuer, "owner").user,
                      reason="Intyget utfärdades till fel person.")
    response = page(client, shared)
    assert response.context["checked"].verdict == "revoked"
    html = response.content.decode()
    assert "Revoked" in html and "Intyget utfärdades till fel person." in html


def test_the_verdict_comes_from_the_signed_document_not_the_database(client, shared):
    later = timezone.now() + timedelta(days=3650)
    Credential.objects.filter(pk=shared.pk).update(valid_until=timezone.now())  # database alone changes nothing
    assert page(client, shared).context["checked"].verdict == "valid"
    shared.document["validUntil"] = "2027-01-01T00:00:00Z"  # the signed document decides
    Credential.objects.filter(pk=shared.pk).update(document=shared.document)
    with freeze_time(later):
        checked = page(client, shared).context["checked"]
    # Changing the document breaks the signature, so this one reads invalid: never trusted from the database.
    assert checked.verdict == "invalid"
    assert not checked.result.check("proof").passed


def test_a_validity_period_from_the_achievement_shows_expired_once_past(client, achievement,
                                                                        django_capture_on_commit_callbacks):
    from badges.credentials.issuing import credential_issue

    achievement.validity_months = 12
    achievement.save(update_fields=["validity_months"])
    with django_capture_on_commit_callbacks(execute=False):
        credential = credential_issue(achievement=achievement, recipient_email="saman@example.org")
    credential_sign(credential_id=credential.id)
    Credential.objects.filter(pk=credential.pk).update(share_enabled=True)
    with freeze_time(timezone.now() + timedelta(days=400)):
        response = page(client, credential)
    assert response.context["checked"].verdict == "expired"
    assert "Expired" in response.content.decode()


def test_too_many_requests_get_a_clear_429(client, shared, settings):
    settings.VERIFY_RATE_LIMIT = "2/m"
    assert page(client, shared).status_code == 200
    assert page(client, shared).status_code == 200
    response = page(client, shared)
    assert response.status_code == 429
    assert "wait a minute" in response.content.decode()
    assert response["Retry-After"] == "60"


def test_our_shared_credential_is_valid_from_the_database_alone(client, shared, monkeypatch):
    """Keys and status lists of this site are read from the database: /c/<id> fetches nothing, and is "valid"
    because the issuer's own profile document binds the key and the signed status list was read."""
    from kernel import fetch

    def no_network():
        raise AssertionError("the share page must not fetch anything")

    monkeypatch.setattr(fetch, "default_fetcher", no_network)
    with freeze_time(timezone.now() + timedelta(days=1)):
        checked = page(client, shared).context["checked"]
    assert checked.verdict == "valid" and checked.claims_confirmed
    assert [(c.name, c.outcome) for c in checked.result.checks if c.outcome != "passed"] == []
    assert checked.result.check("issuer_key").passed  # bound by the issuer's own document, not a fragment
    html = page(client, shared).content.decode()
    assert "claims-unconfirmed" not in html and 'class="credential-verdict verdict-valid"' in html
