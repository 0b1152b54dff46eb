import re
from datetime import timedelta

import pytest
from allauth.account.models import EmailAddress
from django.utils import timezone
from freezegun import freeze_time

from issuers.errors import MembershipRefused
from issuers.membership import (
    issuer_invitation_accept,
    issuer_member_invite,
    issuer_member_remove,
    issuer_member_roles_set,
)
from issuers.models import IssuerInvitation, IssuerMember, Role
from tests.factories import make_member, make_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def owner(issuer):
    return make_member(issuer, "ingrid", Role.OWNER)


@pytest.fixture
def on_commit(django_capture_on_commit_callbacks):
    return django_capture_on_commit_callbacks


def invite(issuer, owner, email, *roles, capture):
    with capture(execute=True):
        issuer_member_invite(issuer=issuer, invited_by=owner.user, email=email, roles=roles)


def token_from(message) -> str:
    return re.search(r"/invitations/([^/\s]+)/", message.body).group(1)


def test_it_sends_the_invitation_by_e_mail_after_the_commit(issuer, owner, mailoutbox, on_commit):
    with on_commit() as callbacks:
        invitation = issuer_member_invite(
            issuer=issuer, invited_by=owner.user, email="Asa@Example.org", roles=[Role.ASSESSOR]
        )
    assert mailoutbox == []
    callbacks[0]()
    assert [message.to for message in mailoutbox] == [["asa@example.org"]]
    assert issuer.name in mailoutbox[0].subject
    assert invitation.roles == [Role.ASSESSOR] and invitation.email == "asa@example.org"


def test_it_stores_only_a_hash_of_the_token(issuer, owner, mailoutbox, on_commit):
    invite(issuer, owner, "asa@example.org", Role.ASSESSOR, capture=on_commit)
    token = token_from(mailoutbox[0])
    assert not IssuerInvitation.objects.filter(token_hash=token).exists()


def test_the_invited_person_joins_with_the_invited_roles(issuer, owner, mailoutbox, on_commit):
    invite(issuer, owner, "asa@example.org", Role.ASSESSOR, Role.QA_REVIEWER, capture=on_commit)
    asa = make_user("asa")
    member = issuer_invitation_accept(token=token_from(mailoutbox[0]), user=asa)
    assert member.user == asa and member.roles == {Role.ASSESSOR, Role.QA_REVIEWER}
    assert IssuerInvitation.objects.get().accepted_by == asa


def test_it_does_not_invite_an_existing_member_by_another_of_their_addresses(issuer, owner):
    designer = make_member(issuer, "disa", Role.DESIGNER)
    EmailAddress.objects.create(user=designer.user, email="disa@work.example.org", verified=True)
    with pytest.raises(MembershipRefused) as refusal:
        issuer_member_invite(issuer=issuer, invited_by=owner.user, email="disa@work.example.org", roles=["assessor"])
    assert refusal.value.code == "already_member"


def test_it_refuses_someone_signed_in_with_another_e_mail(issuer, owner, mailoutbox, on_commit):
    invite(issuer, owner, "asa@example.org", Role.ASSESSOR, capture=on_commit)
    with pytest.raises(MembershipRefused) as refusal:
        issuer_invitation_accept(token=token_from(mailoutbox[0]), user=make_user("mallory"))
    assert refusal.value.code == "wrong_email"
    assert not IssuerMember.objects.filter(user__username="mallory").exists()


def test_it_refuses_an_unverified_address(issuer, owner, mailoutbox, on_commit):
    invite(issuer, owner, "asa@example.org", Role.ASSESSOR, capture=on_commit)
    with pytest.raises(MembershipRefused) as refusal:
        issuer_invitation_accept(token=token_from(mailoutbox[0]), user=make_user("asa", verified=False))
    assert refusal.value.code == "wrong_email"


def test_it_refuses_an_expired_invitation(issuer, owner, mailoutbox, on_commit):
    invite(issuer, owner, "asa@example.org", Role.ASSESSOR, capture=on_commit)
    asa = make_user("asa")
    with freeze_time(timezone.now() + timedelta(days=7, seconds=1)), pytest.raises(MembershipRefused) as refusal:
        issuer_invitation_accept(token=token_from(mailoutbox[0]), user=asa)
    assert refusal.value.code == "expired"


def test_a_token_works_only_once(issuer, owner, mailoutbox, on_commit):
    invite(issuer, owner, "asa@example.org", Role.ASSESSOR, capture=on_commit)
    asa = make_user("asa")
    issuer_invitation_accept(token=token_from(mailoutbox[0]), user=asa)
    with pytest.raises(MembershipRefused) as refusal:
        issuer_invitation_accept(token=token_from(mailoutbox[0]), user=asa)
    assert refusal.value.code == "invalid"


def test_it_refuses_an_unknown_token(issuer):
    with pytest.raises(MembershipRefused) as refusal:
        issuer_invitation_accept(token="made-up", user=make_user("asa"))
    assert refusal.value.code == "invalid"


def test_a_new_invitation_replaces_the_open_one(issuer, owner, mailoutbox, on_commit):
    invite(issuer, owner, "asa@example.org", Role.ASSESSOR, capture=on_commit)
    invite(issuer, owner, "asa@example.org", Role.DESIGNER, capture=on_commit)
    assert list(IssuerInvitation.objects.values_list("roles", flat=True)) == [[Role.DESIGNER]]
    with pytest.raises(MembershipRefused):
        issuer_invitation_accept(token=token_from(mailoutbox[0]), user=make_user("asa"))


def test_it_does_not_invite_an_existing_member(issuer, owner):
    with pytest.raises(MembershipRefused) as refusal:
        issuer_member_invite(issuer=issuer, invited_by=owner.user, email="INGRID@example.org", roles=[Role.ASSESSOR])
    assert refusal.value.code == "already_member"


@pytest.mark.parametrize(("roles", "code"), [([], "no_role"), (["admin"], "unknown_role")])
def test_it_needs_known_roles(issuer, owner, roles, code):
    with pytest.raises(MembershipRefused) as refusal:
        issuer_member_invite(issuer=issuer, invited_by=owner.user, email="asa@example.org", roles=roles)
    assert refusal.value.code == code


def test_the_last_owner_cannot_be_removed(issuer, owner):
    with pytest.raises(MembershipRefused) as refusal:
        issuer_member_remove(member=owner)
    assert refusal.value.code == "last_owner"
    assert IssuerMember.objects.filter(pk=owner.pk).exists()


def test_the_last_owner_cannot_be_demoted(issuer, owner):
    with pytest.raises(MembershipRefused) as refusal:
        issuer_member_roles_set(member=owner, roles=[Role.DESIGNER])
    assert refusal.value.code == "last_owner"
    owner.refresh_from_db()
    assert owner.roles == {Role.OWNER}


def test_an_owner_can_step_down_when_another_owner_remains(issuer, owner):
    make_member(issuer, "olof", Role.OWNER)
    issuer_member_roles_set(member=owner, roles=[Role.DESIGNER])
    owner.refresh_from_db()
    assert owner.roles == {Role.DESIGNER}
    issuer_member_remove(member=owner)
    assert not IssuerMember.objects.filter(pk=owner.pk).exists()


def test_other_members_can_be_removed_and_their_roles_changed(issuer, owner):
    assessor = make_member(issuer, "asa", Role.ASSESSOR)
    issuer_member_roles_set(member=assessor, roles=[Role.ASSESSOR, Role.QA_REVIEWER])
    assessor.refresh_from_db()
    assert assessor.roles == {Role.ASSESSOR, Role.QA_REVIEWER}
    issuer_member_remove(member=assessor)
    assert list(IssuerMember.objects.all()) == [owner]


def test_a_member_needs_at_least_one_role(issuer, owner):
    with pytest.raises(MembershipRefused) as refusal:
        issuer_member_roles_set(member=owner, roles=[])
    assert refusal.value.code == "no_role"
