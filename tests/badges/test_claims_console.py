"""The issuer sees, per credential, whether the e-mail arrived, whether it was claimed and shared, and how
often its page was viewed; and can send a new link."""

from datetime import timedelta

import pytest
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from badges.credentials.issuing import credential_issue
from badges.credentials.signing import credential_sign
from badges.models import CredentialClaim, CredentialPageView
from notifications.models import Notice
from tests.factories import make_user, workflow_member

pytestmark = pytest.mark.django_db


def list_url(issuer):
    return f"/console/{issuer.slug}/credentials/"


def resend_url(credential):
    return f"/console/{credential.issuer.slug}/credentials/{credential.public_id}/claim-link/"


def issue_signed(achievement, email, capture):
    with capture(execute=False):
        credential = credential_issue(achievement=achievement, recipient_email=email)
    with capture(execute=True):
        credential_sign(credential_id=credential.id)
    return credential


def test_the_list_shows_delivery_claim_sharing_and_views(client, achievement, django_capture_on_commit_callbacks):
    bounced = issue_signed(achievement, "bounced@example.org", django_capture_on_commit_callbacks)
    claimed = issue_signed(achievement, "claimed@example.org", django_capture_on_commit_callbacks)
    Notice.objects.filter(pk=bounced.claim.notice_id).update(state=Notice.State.BOUNCED)
    CredentialClaim.objects.filter(credential=claimed).update(claimed_at=timezone.now())
    claimed.share_enabled, claimed.first_shared_at = True, timezone.now()
    claimed.save(update_fields=["share_enabled", "first_shared_at"])
    CredentialPageView.objects.create(credential=claimed, day=timezone.localdate(), count=3)
    CredentialPageView.objects.create(credential=claimed, day=timezone.localdate() - timedelta(days=1), count=4)
    client.force_login(workflow_member(achievement.issuer, "owner").user)
    response = client.get(list_url(achievement.issuer), headers={"Accept-Language": "en"})
    rows = {credential.recipient_email: credential for credential in response.context["credentials"]}
    assert rows["claimed@example.org"].page_view_total == 7 and rows["bounced@example.org"].page_view_total == 0
    page = response.content.decode()
    assert "Bounced" in page and "Sent" in page and "first " in page
    unclaimed = client.get(list_url(achievement.issuer), {"claim": "unclaimed"}).context["credentials"]
    assert [c.recipient_email for c in unclaimed] == ["bounced@example.org"]
    undelivered = client.get(list_url(achievement.issuer), {"claim": "undelivered"}).context["credentials"]
    assert [c.recipient_email for c in undelivered] == ["bounced@example.org"]


def _list_queries(client, issuer) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(list_url(issuer)).status_code == 200
    return len(queries)


def test_the_list_takes_as_many_queries_for_many_credentials_as_for_one(
    client, achievement, django_capture_on_commit_callbacks, django_assert_num_queries
):
    client.force_login(workflow_member(achievement.issuer, "owner").user)
    first = issue_signed(achievement, "one@example.org", django_capture_on_commit_callbacks)
    CredentialPageView.objects.create(credential=first, day=timezone.localdate(), count=1)
    with_one = _list_queries(client, achievement.issuer)
    for number in range(4):
        credential = issue_signed(achievement, f"many{number}@example.org", django_capture_on_commit_callbacks)
        CredentialPageView.objects.create(credential=credential, day=timezone.localdate(), count=2)
    with django_assert_num_queries(with_one):
        assert len(client.get(list_url(achievement.issuer)).context["credentials"]) == 5


def test_the_detail_page_resends_the_link_with_post_and_csrf(client, issued, django_capture_on_commit_callbacks):
    client.force_login(workflow_member(issued.issuer, "assessor").user)
    detail = client.get(f"/console/{issued.issuer.slug}/credentials/{issued.public_id}/",
                        headers={"Accept-Language": "en"})
    assert "Re-send claim link" in detail.content.decode()
    assert client.get(resend_url(issued)).status_code == 405
    old_hash = issued.claim.token_hash
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(resend_url(issued))
    assert response.status_code == 302
    issued.claim.refresh_from_db()
    assert issued.claim.token_hash != old_hash and mail.outbox[0].to == ["amina@example.org"]


def test_resending_is_for_credential_managers_and_rate_limited(client, issued, settings):
    client.force_login(workflow_member(issued.issuer, "designer").user)
    assert client.post(resend_url(issued)).status_code == 403
    client.force_login(make_user("stranger"))
    assert client.post(resend_url(issued)).status_code == 404
    settings.CLAIM_RESEND_RATE_LIMIT = "2/h"
    client.force_login(workflow_member(issued.issuer, "owner").user)
    for _attempt in range(3):
        client.post(resend_url(issued))
    issued.claim.refresh_from_db()
    assert issued.claim.sent_count == 3  # the first e-mail and two new links; the third click was refused
