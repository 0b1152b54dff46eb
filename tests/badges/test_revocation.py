from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone
from freezegun import freeze_time

from badges.credentials.issuing import credential_issue
from badges.credentials.revocation import credential_reissue, credential_revoke
from badges.credentials.selectors import credential_list_for_issuer
from badges.models import Credential, CredentialEvent, StatusList
from issuers.roles import Capability, Role, roles_with
from kernel.errors import ApplicationError
from ob3.status_list import get_bit
from tests.factories import make_issuer, make_member, workflow_member


@pytest.fixture
def assessor(issuer):
    return workflow_member(issuer, "assessor").user


def test_revoking_records_the_reason_sets_the_bit_and_tells_the_learner(
    issued, assessor, django_capture_on_commit_callbacks, monkeypatch
):
    with django_capture_on_commit_callbacks(execute=True):
        credential_revoke(credential=issued, by=assessor, reason="  Fusk vid provet.  ")
    issued.refresh_from_db()
    assert issued.status == Credential.Status.REVOKED
    assert issued.revocation_reason == "Fusk vid provet."
    assert issued.revoked_at is not None
    listing = StatusList.objects.get()
    assert get_bit(listing.bits, issued.status_list_index)
    assert listing.signed_version == listing.version  # re-signed straight away
    event = issued.events.get(kind=CredentialEvent.Kind.REVOKED)
    assert event.actor == assessor and event.data["reason"] == "Fusk vid provet."
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["amina@example.org"]
    assert "Fusk vid provet." in mail.outbox[0].body


def test_the_e_mail_goes_out_only_after_the_revocation_commits(issued, assessor, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        credential_revoke(credential=issued, by=assessor, reason="Fel mottagare.")
    assert len(callbacks) == 1


def test_a_reason_is_required(issued, assessor):
    with pytest.raises(ApplicationError) as refusal:
        credential_revoke(credential=issued, by=assessor, reason="   ")
    assert refusal.value.code == "reason_required"
    issued.refresh_from_db()
    assert issued.status == Credential.Status.ISSUED


@pytest.mark.parametrize("role", sorted(set(Role) - roles_with(Capability.MANAGE_CREDENTIALS)))
def test_only_members_who_manage_credentials_may_revoke(issued, role):
    with pytest.raises(ApplicationError) as refusal:
        credential_revoke(credential=issued, by=workflow_member(issued.issuer, role).user, reason="x")
    assert refusal.value.code == "forbidden"
    issued.refresh_from_db()
    assert issued.status == Credential.Status.ISSUED


def test_a_member_of_another_issuer_may_not_revoke(issued):
    other = make_member(make_issuer("annanskola"), "annan-owner", "owner")
    with pytest.raises(ApplicationError):
        credential_revoke(credential=issued, by=other.user, reason="x")


def test_revoking_twice_is_refused_and_records_one_event(issued, assessor):
    credential_revoke(credential=issued, by=assessor, reason="Fel.")
    with pytest.raises(ApplicationError) as refusal:
        credential_revoke(credential=issued, by=assessor, reason="Igen.")
    assert refusal.value.code == "already_revoked"
    assert issued.events.filter(kind=CredentialEvent.Kind.REVOKED).count() == 1


def test_a_credential_not_yet_signed_cannot_be_revoked(credential, assessor):
    with pytest.raises(ApplicationError) as refusal:
        credential_revoke(credential=credential, by=assessor, reason="x")
    assert refusal.value.code == "not_issued"


def test_reissuing_keeps_the_award_date_and_links_the_renewal(issued, assessor, django_capture_on_commit_callbacks):
    with freeze_time(timezone.now() + timedelta(days=400)):
        with django_capture_on_commit_callbacks(execute=False) as callbacks:
            renewal = credential_reissue(credential=issued, by=assessor)
    assert len(callbacks) == 1  # the new credential is queued for signing
    assert renewal.replaces == issued
    assert renewal.awarded_at == issued.awarded_at
    assert renewal.valid_from > issued.valid_from
    assert renewal.recipient_email == issued.recipient_email
    assert issued.events.filter(kind=CredentialEvent.Kind.REISSUED).exists()
    with pytest.raises(ApplicationError) as refusal:
        credential_reissue(credential=issued, by=assessor)
    assert refusal.value.code == "already_reissued"


def test_a_revoked_credential_is_not_reissued(issued, assessor):
    credential_revoke(credential=issued, by=assessor, reason="Fel.")
    with pytest.raises(ApplicationError):
        credential_reissue(credential=issued, by=assessor)


def test_the_issuer_list_finds_expired_ones(achievement, django_capture_on_commit_callbacks):
    now = timezone.now()
    with django_capture_on_commit_callbacks(execute=False):
        old = credential_issue(achievement=achievement, recipient_email="jacob@example.org",
                               recipient_name="Jacob", valid_from=now - timedelta(days=800),
                               valid_until=now - timedelta(days=35))
        current = credential_issue(achievement=achievement, recipient_email="eli@example.org", recipient_name="Eli")
    Credential.objects.filter(pk__in=[old.pk, current.pk]).update(status=Credential.Status.ISSUED)
    issuer = achievement.issuer
    assert list(credential_list_for_issuer(issuer=issuer, state="expired")) == [old]
    assert list(credential_list_for_issuer(issuer=issuer, state="valid")) == [current]
    assert list(credential_list_for_issuer(issuer=issuer, search="jaco")) == [old]
    assert list(credential_list_for_issuer(issuer=make_issuer("annanskola"))) == []
