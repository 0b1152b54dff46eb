import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied
from django.http import Http404

from issuers.access import access_issuer_for_member, access_member_of_issuer, access_membership_for_user
from issuers.models import Role
from issuers.roles import ROLE_CAPABILITIES, Capability
from tests.factories import make_issuer, make_member, make_user

pytestmark = pytest.mark.django_db


def test_it_returns_the_issuer_to_a_member_without_a_role_requirement(issuer):
    member = make_member(issuer, "asa", Role.ASSESSOR)
    assert access_issuer_for_member(member.user, issuer.slug) == issuer


GRANTS = [(role, capability) for role in Role for capability in ROLE_CAPABILITIES[role]]
REFUSALS = [(role, capability) for role in Role for capability in sorted(set(Capability) - ROLE_CAPABILITIES[role])]


@pytest.mark.parametrize(("role", "capability"), GRANTS)
def test_it_returns_the_issuer_to_a_member_whose_role_grants_the_capability(issuer, role, capability):
    member = make_member(issuer, "asa", role)
    assert access_issuer_for_member(member.user, issuer.slug, capability=capability) == issuer


@pytest.mark.parametrize(("role", "capability"), REFUSALS)
def test_it_refuses_a_member_whose_roles_lack_the_capability_with_403(issuer, role, capability):
    member = make_member(issuer, "asa", role)
    with pytest.raises(PermissionDenied):
        access_issuer_for_member(member.user, issuer.slug, capability=capability)


def test_a_capability_granted_by_any_of_the_members_roles_is_granted(issuer):
    member = make_member(issuer, "asa", Role.DESIGNER, Role.ASSESSOR)
    assert access_issuer_for_member(member.user, issuer.slug, capability=Capability.EDIT_ACHIEVEMENTS) == issuer
    assert access_issuer_for_member(member.user, issuer.slug, capability=Capability.ASSESS_APPLICATIONS) == issuer
    with pytest.raises(PermissionDenied):
        access_issuer_for_member(member.user, issuer.slug, capability=Capability.PUBLISH_ACHIEVEMENTS)


def test_it_answers_404_to_a_non_member(issuer):
    with pytest.raises(Http404):
        access_issuer_for_member(make_user("nils"), issuer.slug)


def test_it_answers_404_to_a_non_member_even_with_a_capability_asked_for(issuer):
    with pytest.raises(Http404):
        access_issuer_for_member(make_user("nils"), issuer.slug, capability=Capability.VIEW_CONSOLE)


def test_it_answers_404_for_an_issuer_that_does_not_exist(issuer):
    member = make_member(issuer, "asa", Role.OWNER)
    with pytest.raises(Http404):
        access_issuer_for_member(member.user, "no-such-issuer")


def test_it_answers_404_to_a_member_of_another_issuer(issuer):
    other_owner = make_member(make_issuer("annan-skola"), "olle", Role.OWNER)
    with pytest.raises(Http404):
        access_issuer_for_member(other_owner.user, issuer.slug, capability=Capability.VIEW_CONSOLE)


def test_it_answers_404_to_anonymous_visitors(issuer):
    with pytest.raises(Http404):
        access_issuer_for_member(AnonymousUser(), issuer.slug)


def test_it_answers_404_to_a_deactivated_member(issuer):
    member = make_member(issuer, "asa", Role.OWNER)
    member.user.is_active = False
    member.user.save()
    with pytest.raises(Http404):
        access_issuer_for_member(member.user, issuer.slug)


def test_it_grants_superusers_nothing_beyond_their_memberships(issuer):
    superuser = make_user("root")
    superuser.is_superuser = superuser.is_staff = True
    superuser.save()
    with pytest.raises(Http404):
        access_issuer_for_member(superuser, issuer.slug)


def test_it_returns_the_membership_with_its_roles(issuer):
    member = make_member(issuer, "asa", Role.DESIGNER, Role.ASSESSOR)
    found = access_membership_for_user(member.user, issuer.slug, capability=Capability.ASSESS_APPLICATIONS)
    assert found == member and found.roles == {Role.DESIGNER, Role.ASSESSOR}


def test_it_finds_a_member_only_within_the_given_issuer(issuer):
    stranger = make_member(make_issuer("annan-skola"), "olle", Role.OWNER)
    local = make_member(issuer, "asa", Role.ASSESSOR)
    assert access_member_of_issuer(issuer, local.pk) == local
    with pytest.raises(Http404):
        access_member_of_issuer(issuer, stranger.pk)
