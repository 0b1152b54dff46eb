"""The recipient is told once a credential is signed, with a single-use claim link; renewals are claimed
for the holder; the issuer can send a new link."""

import re
from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone
from freezegun import freeze_time

from assessment.awards import award_batch_confirm, award_batch_prepare
from assessment.csv_import import RecipientRow
from badges.credentials.claims import ClaimRefused, credential_claim_resend, email_mask
from badges.credentials.issuing import credential_issue
from badges.credentials.revocation import credential_reissue
from badges.credentials.signing import credential_sign
from badges.models import CredentialClaim, CredentialEvent
from kernel.errors import ApplicationError
from kernel.tokens import secret_token_hash
from notifications.models import NotificationSettings
from tests.factories import make_user, workflow_member

pytestmark = pytest.mark.django_db

LINK = re.compile(r"http://localhost:8000/claim/(\S+)")


def sign(credential, capture):
    with capture(execute=True):
        credential_sign(credential_id=credential.id)
    credential.refresh_from_db()
    return credential


def claim_token(message) -> str:
    return LINK.search(message.body).group(1)


def test_signing_tells_the_recipient_once_with_a_single_use_link(credential, django_capture_on_commit_callbacks):
    mail.outbox.clear()
    sign(credential, django_capture_on_commit_callbacks)
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["amina@example.org"]
    token = claim_token(message)
    claim = CredentialClaim.objects.get(credential=credential)
    assert claim.token_hash == secret_token_hash(token) and token not in claim.token_hash
    assert claim.notice.state == "sent" and claim.sent_count == 1 and claim.claimed_at is None
    assert timedelta(days=29) < claim.expires_at - timezone.now() <= timedelta(days=30)
    # Signing again (a retried task) tells nobody twice.
    credential_sign(credential_id=credential.id)
    assert CredentialClaim.objects.count() == 1 and len(mail.outbox) == 1


def test_the_e_mail_is_in_the_recipients_language_else_the_achievements(
    achievement, django_capture_on_commit_callbacks, settings
):
    settings.CLAIM_LINK_DAYS = 3
    achievement.in_language = "sv"
    achievement.save(update_fields=["in_language"])
    english = make_user("erik")
    NotificationSettings.objects.create(user=english, language="en")
    with django_capture_on_commit_callbacks(execute=False):
        to_erik = credential_issue(achievement=achievement, recipient_email="erik@example.org")
        to_nobody = credential_issue(achievement=achievement, recipient_email="ny@example.org")
    mail.outbox.clear()
    sign(to_erik, django_capture_on_commit_callbacks)
    sign(to_nobody, django_capture_on_commit_callbacks)
    erik, nobody = mail.outbox
    assert "is ready" in erik.subject  # Erik has an account with the address: it is ready, not "awarded"
    assert "har tilldelat dig" in nobody.subject and "ta emot" in nobody.body
    assert to_nobody.claim.expires_at - timezone.now() <= timedelta(days=3)


def test_every_csv_award_ends_in_a_claim_e_mail(issuer, achievement, django_capture_on_commit_callbacks):
    owner = workflow_member(issuer, "owner").user
    rows = [RecipientRow(line=2, email="a@example.org", name="A"), RecipientRow(line=3, email="b@example.org", name="")]
    with django_capture_on_commit_callbacks(execute=False):
        batch = award_batch_confirm(
            batch=award_batch_prepare(issuer=issuer, achievement=achievement, by=owner, rows=rows), by=owner
        )
    mail.outbox.clear()
    for recipient in batch.recipients.all():
        sign(recipient.credential, django_capture_on_commit_callbacks)
    assert sorted(message.to[0] for message in mail.outbox) == ["a@example.org", "b@example.org"]
    assert all(LINK.search(message.body) for message in mail.outbox)


def test_a_renewal_of_a_claimed_credential_is_claimed_for_its_holder_who_is_told(
    issued, django_capture_on_commit_callbacks
):
    holder = make_user("amina")
    claim = issued.claim
    CredentialClaim.objects.filter(pk=claim.pk).update(claimed_at=timezone.now(), claimed_by=holder)
    owner = workflow_member(issued.issuer, "owner").user
    with django_capture_on_commit_callbacks(execute=False):
        renewal = credential_reissue(credential=issued, by=owner)
    mail.outbox.clear()
    sign(renewal, django_capture_on_commit_callbacks)
    assert renewal.claim.claimed_by == holder and renewal.claim.claimed_at is not None
    (message,) = mail.outbox
    assert "har förnyats" in message.subject and f"/wallet/credentials/{renewal.public_id}/" in message.body
    assert not LINK.search(message.body)
    assert renewal.events.filter(kind=CredentialEvent.Kind.CLAIMED).exists()


def test_a_renewal_of_an_unclaimed_credential_gets_its_own_claim_link(issued, django_capture_on_commit_callbacks):
    owner = workflow_member(issued.issuer, "owner").user
    with django_capture_on_commit_callbacks(execute=False):
        renewal = credential_reissue(credential=issued, by=owner)
    mail.outbox.clear()
    sign(renewal, django_capture_on_commit_callbacks)
    assert renewal.claim.claimed_at is None and LINK.search(mail.outbox[0].body)


def test_the_issuer_sends_a_new_link_and_the_old_one_stops_working(issued, django_capture_on_commit_callbacks):
    owner = workflow_member(issued.issuer, "owner").user
    old = issued.claim
    with freeze_time(timezone.now() + timedelta(days=10)):
        mail.outbox.clear()
        with django_capture_on_commit_callbacks(execute=True):
            claim = credential_claim_resend(credential=issued, by=owner)
        assert claim.token_hash != old.token_hash and claim.sent_count == 2
        assert claim.expires_at > old.expires_at + timedelta(days=9)
        assert claim.token_hash == secret_token_hash(claim_token(mail.outbox[0]))
        assert not CredentialClaim.objects.filter(token_hash=old.token_hash).exists()
    assert issued.events.filter(kind=CredentialEvent.Kind.CLAIM_RESENT, actor=owner).exists()


def test_only_credential_managers_resend_and_never_a_claimed_credential(issued):
    designer = workflow_member(issued.issuer, "designer").user
    with pytest.raises(ApplicationError) as refused:
        credential_claim_resend(credential=issued, by=designer)
    assert refused.value.code == "forbidden"
    CredentialClaim.objects.filter(pk=issued.claim.pk).update(claimed_at=timezone.now())
    with pytest.raises(ClaimRefused) as claimed:
        credential_claim_resend(credential=issued, by=workflow_member(issued.issuer, "owner").user)
    assert claimed.value.code == "claimed"


def test_the_address_is_masked_for_people_who_may_not_own_it():
    assert email_mask("amina@example.org") == "a…@example.org"
