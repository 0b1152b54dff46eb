from datetime import timedelta

import pytest
from django.utils import timezone

from badges.credentials.issuing import credential_issue
from badges.credentials.revocation import credential_revoke
from badges.credentials.signing import credential_sign
from badges.models import Credential
from tests.factories import make_achievement, make_issuer, make_member, make_user, workflow_member
from tests.list_queries import page_queries, signed_documents_loaded


def list_url(issuer):
    return f"/console/{issuer.slug}/credentials/"


def revoke_url(credential, slug=None):
    return f"/console/{slug or credential.issuer.slug}/credentials/{credential.public_id}/revoke/"


@pytest.mark.parametrize(("role", "status"), [("owner", 200), ("assessor", 200), ("designer", 403),
                                              ("qa_reviewer", 403)])
def test_the_credential_list_is_for_owners_and_assessors(client, issued, role, status):
    client.force_login(workflow_member(issued.issuer, role).user)
    assert client.get(list_url(issued.issuer)).status_code == status
    assert client.get(revoke_url(issued)).status_code == status


def test_people_outside_the_issuer_get_not_found_and_anonymous_visitors_sign_in(client, issued):
    assert client.get(list_url(issued.issuer)).status_code == 302
    client.force_login(make_user("stranger"))
    assert client.get(list_url(issued.issuer)).status_code == 404
    assert client.get(revoke_url(issued)).status_code == 404
    assert client.post(revoke_url(issued), {"reason": "x"}).status_code == 404
    issued.refresh_from_db()
    assert issued.status == Credential.Status.ISSUED


def test_an_owner_of_another_issuer_cannot_reach_this_issuers_credential_through_their_own(client, issued):
    other = make_issuer("annanskola")
    client.force_login(make_member(other, "annan-owner", "owner").user)
    assert client.get(revoke_url(issued, slug=other.slug)).status_code == 404
    assert client.post(revoke_url(issued, slug=other.slug), {"reason": "x"}).status_code == 404


def test_the_list_shows_and_finds_credentials(client, issued):
    client.force_login(workflow_member(issued.issuer, "assessor").user)
    response = client.get(list_url(issued.issuer), {"q": "amina"}, headers={"Accept-Language": "en"})
    assert list(response.context["credentials"]) == [issued]
    assert "Revoke" in response.content.decode()
    response = client.get(list_url(issued.issuer), {"q": "nobody"})
    assert list(response.context["credentials"]) == []


def test_revoking_through_the_console_needs_a_reason(client, issued):
    client.force_login(workflow_member(issued.issuer, "assessor").user)
    response = client.post(revoke_url(issued), {"reason": ""}, headers={"Accept-Language": "en"})
    assert response.status_code == 400
    assert "error-summary" in response.content.decode()
    response = client.post(revoke_url(issued), {"reason": "Fel person."})
    assert response.status_code == 302
    issued.refresh_from_db()
    assert issued.status == Credential.Status.REVOKED and issued.revocation_reason == "Fel person."


def test_an_expired_credential_can_be_issued_again_from_the_list(client, issuer, django_capture_on_commit_callbacks):
    achievement = make_achievement(issuer)
    now = timezone.now()
    with django_capture_on_commit_callbacks(execute=False):
        old = credential_issue(achievement=achievement, recipient_email="jacob@example.org", recipient_name="Jacob",
                               valid_from=now - timedelta(days=800), valid_until=now - timedelta(days=30))
    credential_sign(credential_id=old.id)
    client.force_login(workflow_member(issuer, "owner").user)
    response = client.get(list_url(issuer), {"state": "expired"}, headers={"Accept-Language": "en"})
    assert "Issue again" in response.content.decode()
    with django_capture_on_commit_callbacks(execute=False):
        response = client.post(f"/console/{issuer.slug}/credentials/{old.public_id}/reissue/")
    assert response.status_code == 302
    renewal = old.renewals.get()
    assert renewal.awarded_at == old.awarded_at


def test_the_list_loads_no_signed_document_and_as_many_queries_for_every_state_as_for_one_row(
    client, db, django_capture_on_commit_callbacks
):
    # This issuer signs VC-JWTs too: every signed row has a document and a JWT, neither shown in the list.
    issuer = make_issuer("jwtskolan", jwt_enabled=True)
    achievement = make_achievement(issuer)
    owner = workflow_member(issuer, "owner")
    client.force_login(owner.user)

    def issue(email, *, sign=True, **dates):
        with django_capture_on_commit_callbacks(execute=False):
            credential = credential_issue(achievement=achievement, recipient_email=email, **dates)
        if sign:
            credential_sign(credential_id=credential.id)
        return Credential.objects.get(pk=credential.pk)

    assert issue("first@example.org").jwt
    _response, with_one = page_queries(client, list_url(issuer))
    now = timezone.now()
    issue("expired@example.org", valid_from=now - timedelta(days=800), valid_until=now - timedelta(days=30))
    with django_capture_on_commit_callbacks(execute=False):
        credential_revoke(credential=issue("revoked@example.org"), by=owner.user, reason="Fel person.")
    issue("pending@example.org", sign=False)
    Credential.objects.filter(pk=issue("shared@example.org").pk).update(share_enabled=True, first_shared_at=now)

    response, queries = page_queries(client, list_url(issuer), headers={"Accept-Language": "en"})
    assert signed_documents_loaded(queries) == []
    assert len(queries) == len(with_one)
    page = response.content.decode()
    assert len(response.context["credentials"]) == 5
    for shown in ("Valid", "Expired", "Issue again", "Revoked", "Fel person.", "waiting to be signed", "first "):
        assert shown in page
