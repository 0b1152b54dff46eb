import uuid

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied
from django.http import Http404

from badges.achievements.access import access_achievement_for_member
from issuers.models import Role
from issuers.roles import Capability
from tests.factories import make_issuer, make_member, make_user

pytestmark = pytest.mark.django_db


def test_it_returns_the_achievement_to_a_member_of_its_issuer(issuer, achievement):
    member = make_member(issuer, "disa", Role.DESIGNER)
    public_id = str(achievement.public_id)
    found = access_achievement_for_member(member.user, public_id, capability=Capability.EDIT_ACHIEVEMENTS)
    assert found == achievement


def test_it_refuses_a_member_lacking_the_capability_with_403(issuer, achievement):
    member = make_member(issuer, "asa", Role.ASSESSOR)
    with pytest.raises(PermissionDenied):
        access_achievement_for_member(member.user, str(achievement.public_id), capability=Capability.EDIT_ACHIEVEMENTS)


@pytest.mark.parametrize("who", ["anonymous", "non-member", "other-issuer-owner"])
def test_it_answers_404_to_anyone_outside_the_issuer(achievement, who):
    user = {
        "anonymous": lambda: AnonymousUser(),
        "non-member": lambda: make_user("nils"),
        "other-issuer-owner": lambda: make_member(make_issuer("annan-skola"), "olle", Role.OWNER).user,
    }[who]()
    with pytest.raises(Http404):
        access_achievement_for_member(user, str(achievement.public_id))


@pytest.mark.parametrize("public_id", [str(uuid.uuid4()), "not-a-uuid"])
def test_it_answers_404_for_unknown_achievements(issuer, public_id):
    member = make_member(issuer, "disa", Role.DESIGNER)
    with pytest.raises(Http404):
        access_achievement_for_member(member.user, public_id)
