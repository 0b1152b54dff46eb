"""What waits for each member, per role, counted in a fixed number of queries."""

from datetime import timedelta

import pytest
from django.utils import timezone

from assessment.applications import application_submit
from badges.achievements.review import achievement_submit_for_review
from badges.models import Achievement
from console.nav import ENTRIES
from console.todos import ASSESS, INVITATIONS, KINDS, PUBLISH, REVIEW, member_todos, todos_by_section
from issuers.membership import issuer_member_invite
from issuers.models import IssuerInvitation, IssuerMember, Role
from issuers.roles import roles_with
from tests.console.support import application_submitted, approve, ask_for_revision, second_approval_required
from tests.factories import make_achievement, make_draft, make_member, workflow_member

pytestmark = pytest.mark.django_db


def counts(member: IssuerMember) -> dict[str, int]:
    member = IssuerMember.objects.select_related("issuer").get(pk=member.pk)
    return {todo.kind.key: todo.count for todo in member_todos(member)}


def test_each_role_gets_the_kinds_of_work_it_does(issuer):
    expected = {
        Role.OWNER: {PUBLISH: 0, INVITATIONS: 0},
        Role.DESIGNER: {},
        Role.ASSESSOR: {ASSESS: 0},
        Role.QA_REVIEWER: {REVIEW: 0, PUBLISH: 0},
    }
    for role, kinds in expected.items():
        assert counts(make_member(issuer, f"only-{role}", role)) == kinds, role


def test_a_reviewer_counts_definitions_in_review_but_not_their_own(issuer):
    reviewer = make_member(issuer, "rut", Role.QA_REVIEWER, Role.DESIGNER)
    for _ in range(2):
        make_achievement(issuer, status=Achievement.Status.IN_REVIEW)
    own = make_draft(issuer, name="Min egen")
    achievement_submit_for_review(achievement=own, by=reviewer.user)
    make_achievement(issuer, status=Achievement.Status.APPROVED)
    make_draft(issuer, name="Utkast")
    assert counts(reviewer) == {REVIEW: 2, PUBLISH: 1}
    # Another reviewer may review the one `rut` submitted.
    assert counts(make_member(issuer, "sixten", Role.QA_REVIEWER)) == {REVIEW: 3, PUBLISH: 1}


def test_publishers_count_approved_definitions(issuer):
    owner = workflow_member(issuer, Role.OWNER)
    make_achievement(issuer, status=Achievement.Status.APPROVED)
    make_achievement(issuer, status=Achievement.Status.APPROVED)
    make_achievement(issuer, status=Achievement.Status.PUBLISHED)
    assert counts(owner)[PUBLISH] == 2


def test_an_assessor_counts_what_they_can_act_on(issuer):
    achievement = make_achievement(issuer)
    second_approval_required(achievement)
    first = make_member(issuer, "asa", Role.ASSESSOR)
    second = make_member(issuer, "bertil", Role.ASSESSOR)
    waiting = application_submitted(achievement, "amina")
    half_approved = application_submitted(achievement, "eli")
    approve(half_approved, first.user)
    assert counts(first)[ASSESS] == 1  # the second approval must come from someone else
    assert counts(second)[ASSESS] == 2

    # A new round after a revision waits for `first` again, although they approved an earlier round.
    approve(half_approved, second.user)  # approved: the credential is issued, out of the queue
    ask_for_revision(waiting, second.user)
    assert counts(first)[ASSESS] == 0 and counts(second)[ASSESS] == 0
    application_submit(application=waiting, by=waiting.learner)
    assert counts(first)[ASSESS] == 1 and counts(second)[ASSESS] == 1


def test_an_assessor_does_not_count_their_own_application(issuer):
    achievement = make_achievement(issuer)
    application = application_submitted(achievement, "amina")
    learner_as_assessor = IssuerMember.objects.create(issuer=issuer, user=application.learner, is_assessor=True)
    assert counts(learner_as_assessor)[ASSESS] == 0


def test_owners_count_invitations_sent_neither_accepted_nor_expired(issuer):
    owner = workflow_member(issuer, Role.OWNER)
    for email in ("a@example.org", "b@example.org", "c@example.org"):
        issuer_member_invite(issuer=issuer, invited_by=owner.user, email=email, roles=[Role.DESIGNER])
    IssuerInvitation.objects.filter(email="b@example.org").update(expires_at=timezone.now() - timedelta(minutes=1))
    assert counts(owner)[INVITATIONS] == 2
    # Accepting needs the token, which only the e-mail carries; mark it accepted as accepting does.
    IssuerInvitation.objects.filter(email="c@example.org").update(accepted_at=timezone.now())
    assert counts(owner)[INVITATIONS] == 1


def fill(issuer, size: int) -> None:
    """`size` of every kind of waiting work."""
    owner = workflow_member(issuer, Role.OWNER)
    achievement = make_achievement(issuer)
    for number in range(size):
        make_achievement(issuer, status=Achievement.Status.IN_REVIEW)
        make_achievement(issuer, status=Achievement.Status.APPROVED)
        application_submitted(achievement, f"learner-{size}-{number}")
        issuer_member_invite(issuer=issuer, invited_by=owner.user, email=f"p{size}-{number}@example.org",
                             roles=[Role.ASSESSOR])


@pytest.mark.parametrize("size", [1, 6])
def test_the_counts_take_three_queries_whatever_the_size(issuer, size, django_assert_num_queries):
    fill(issuer, size)
    everything = make_member(issuer, "allt", Role.OWNER, Role.QA_REVIEWER, Role.ASSESSOR)
    member = IssuerMember.objects.select_related("issuer").get(pk=everything.pk)
    with django_assert_num_queries(3):  # definitions, applications, invitations
        todos = member_todos(member)
    assert {todo.kind.key: todo.count for todo in todos} == {REVIEW: size, PUBLISH: size, ASSESS: size,
                                                             INVITATIONS: size}


def test_each_kind_of_work_is_behind_a_menu_entry_its_roles_see():
    sections = {entry.section: entry for entry in ENTRIES}
    for kind in KINDS:
        entry = sections[kind.section]
        for role in roles_with(kind.capability):
            assert role in roles_with(entry.capability), (kind.key, role)


def test_the_menu_adds_up_the_work_behind_each_entry(issuer):
    reviewer = make_member(issuer, "rut", Role.QA_REVIEWER)
    make_achievement(issuer, status=Achievement.Status.IN_REVIEW)
    make_achievement(issuer, status=Achievement.Status.APPROVED)
    make_achievement(issuer, status=Achievement.Status.APPROVED)
    member = IssuerMember.objects.select_related("issuer").get(pk=reviewer.pk)
    assert todos_by_section(member_todos(member)) == {"review": 3}
