"""The wallet's gates: a credential is reachable only by the person whose verified address it was issued to."""

import pytest
from allauth.account.models import EmailAddress
from django.contrib.auth.models import AnonymousUser
from django.http import Http404

from badges.models import Credential
from learners.access import access_credential_for_learner, access_external_credential_for_learner
from learners.models import ExternalCredential
from learners.selectors import credential_list_for_learner

pytestmark = pytest.mark.django_db


def test_the_recipient_gets_her_credential(credential, amina):
    assert access_credential_for_learner(amina, credential.public_id) == credential
    assert access_credential_for_learner(amina, str(credential.public_id)) == credential


def test_another_learner_gets_404(credential, saman):
    with pytest.raises(Http404):
        access_credential_for_learner(saman, credential.public_id)


def test_an_anonymous_visitor_gets_404(credential):
    with pytest.raises(Http404):
        access_credential_for_learner(AnonymousUser(), credential.public_id)


def test_an_unverified_address_does_not_match(credential, amina):
    EmailAddress.objects.filter(user=amina).update(verified=False)
    with pytest.raises(Http404):
        access_credential_for_learner(amina, credential.public_id)
    assert list(credential_list_for_learner(amina)) == []


def test_a_second_verified_address_matches_whatever_its_case(issue, amina):
    EmailAddress.objects.create(user=amina, email="Amina.Work@Example.org", verified=True, primary=False)
    credential = issue("amina.work@example.org")
    assert access_credential_for_learner(amina, credential.public_id) == credential


def test_an_inactive_user_gets_404(credential, amina):
    amina.is_active = False
    amina.save(update_fields=["is_active"])
    with pytest.raises(Http404):
        access_credential_for_learner(amina, credential.public_id)


@pytest.mark.parametrize("public_id", ["not-a-uuid", "00000000-0000-0000-0000-000000000000", ""])
def test_unknown_or_malformed_ids_get_404(credential, amina, public_id):
    with pytest.raises(Http404):
        access_credential_for_learner(amina, public_id)


def test_a_failed_signing_is_not_in_the_wallet(credential, amina):
    Credential.objects.filter(pk=credential.pk).update(status=Credential.Status.FAILED)
    with pytest.raises(Http404):
        access_credential_for_learner(amina, credential.public_id)
    assert list(credential_list_for_learner(amina)) == []


def test_external_credentials_belong_to_their_importer(amina, saman):
    external = ExternalCredential.objects.create(
        user=amina, format="json", raw=b"{}", verdict="invalid", verified_at="2026-01-01T00:00Z"
    )
    assert access_external_credential_for_learner(amina, external.public_id) == external
    for user, public_id in [(saman, external.public_id), (AnonymousUser(), external.public_id),
                            (amina, "not-a-uuid")]:
        with pytest.raises(Http404):
            access_external_credential_for_learner(user, public_id)
