from datetime import date

import pytest
from django.utils import translation

from badges.achievements.drafting import achievement_update
from badges.achievements.outcomes import achievement_outcome_add
from badges.achievements.publishing import achievement_new_version, achievement_publish
from badges.achievements.review import (
    achievement_external_review_record,
    achievement_review_approve,
    achievement_review_request_changes,
    achievement_submit_for_review,
)
from badges.admin import AchievementAdmin  # noqa: F401 - the admin module imports cleanly with the new models
from badges.credentials.issuing import credential_issue
from badges.models import Achievement, AchievementAuditEvent, Credential
from issuers.models import Role
from kernel.errors import ApplicationError
from tests.factories import make_achievement, make_draft, make_member, make_user, workflow_member

pytestmark = pytest.mark.django_db

Status = Achievement.Status


@pytest.fixture(autouse=True)
def english():
    # The messages are matched in English; the Swedish catalogue is checked separately.
    with translation.override("en"):
        yield


@pytest.fixture
def designer(issuer):
    return workflow_member(issuer, Role.DESIGNER).user


@pytest.fixture
def reviewer(issuer):
    return workflow_member(issuer, Role.QA_REVIEWER).user


@pytest.fixture
def owner(issuer):
    return make_member(issuer, "owner", Role.OWNER).user


@pytest.fixture
def draft(issuer):
    return make_draft(issuer)


@pytest.fixture
def in_review(draft, designer):
    return achievement_submit_for_review(achievement=draft, by=designer)


@pytest.fixture
def approved(in_review, reviewer):
    return achievement_review_approve(achievement=in_review, by=reviewer, comment="Bra.")


def kinds(achievement):
    return list(achievement.audit_events.values_list("kind", flat=True))


def test_it_takes_a_definition_from_draft_to_published(draft, designer, reviewer):
    achievement = achievement_submit_for_review(achievement=draft, by=designer)
    assert achievement.status == Status.IN_REVIEW
    achievement = achievement_review_approve(achievement=achievement, by=reviewer, comment="Tydliga mål.")
    assert achievement.status == Status.APPROVED
    achievement = achievement_publish(achievement=achievement, by=reviewer)
    assert achievement.status == Status.PUBLISHED
    assert kinds(achievement) == ["created", "updated", "updated", "submitted", "approved", "published"]
    approval = achievement.audit_events.get(kind="approved")
    assert (approval.actor, approval.comment) == (reviewer, "Tydliga mål.")
    assert approval.created_at is not None


def test_submitting_an_incomplete_definition_lists_what_is_missing(issuer, designer):
    incomplete = make_draft(issuer, name="Halvfärdig", full=False)
    with pytest.raises(ApplicationError) as refused:
        achievement_submit_for_review(achievement=incomplete, by=designer)
    assert refused.value.code == "not_publishable"
    assert "Add at least one learning outcome." in refused.value.details
    assert "Describe the target group." in refused.value.details
    assert "Describe the target group." in str(refused.value)
    incomplete.refresh_from_db()
    assert incomplete.status == Status.DRAFT
    assert "submitted" not in kinds(incomplete)


def test_a_vague_outcome_keeps_it_from_review(issuer, designer):
    achievement = make_draft(issuer, name="Vag", full=False)
    achievement_outcome_add(
        achievement=achievement, by=designer, statement="Förstå grupparbete", assessment_criteria="x",
    )
    with pytest.raises(ApplicationError, match="observable verb"):
        achievement_submit_for_review(achievement=achievement, by=designer)


@pytest.mark.parametrize("role", [Role.ASSESSOR, Role.QA_REVIEWER])
def test_only_owners_and_designers_submit(draft, issuer, role):
    someone = make_member(issuer, "someone", role).user
    with pytest.raises(ApplicationError) as refused:
        achievement_submit_for_review(achievement=draft, by=someone)
    assert refused.value.code == "forbidden"


def test_people_outside_the_issuer_can_do_nothing(in_review):
    outsider = make_user("outsider")
    for step in (achievement_review_approve, achievement_publish):
        with pytest.raises(ApplicationError, match="roles"):
            step(achievement=in_review, by=outsider)


@pytest.mark.parametrize("role", [Role.OWNER, Role.DESIGNER, Role.ASSESSOR])
def test_only_quality_reviewers_approve(in_review, issuer, role):
    someone = make_member(issuer, "someone", role).user
    with pytest.raises(ApplicationError) as refused:
        achievement_review_approve(achievement=in_review, by=someone, comment="")
    assert refused.value.code == "forbidden"
    in_review.refresh_from_db()
    assert in_review.status == Status.IN_REVIEW


def test_the_author_cannot_approve_their_own_definition(issuer):
    author = make_member(issuer, "author", Role.DESIGNER, Role.QA_REVIEWER).user
    draft = make_draft(issuer)
    draft = achievement_update(achievement=draft, by=author, changes={"prerequisites": "Inga alls."})
    # make_draft's designer wrote it; let the author be the one who submits it instead.
    draft = achievement_submit_for_review(achievement=draft, by=author)
    with pytest.raises(ApplicationError) as refused:
        achievement_review_approve(achievement=draft, by=author, comment="Ser bra ut.")
    assert refused.value.code == "own_work"


def test_the_creator_cannot_approve_even_if_someone_else_submitted(issuer, owner):
    creator = make_member(issuer, "creator", Role.DESIGNER, Role.QA_REVIEWER).user
    achievement = make_draft(issuer)
    Achievement.objects.filter(pk=achievement.pk).update(created_by=creator)
    achievement = achievement_submit_for_review(achievement=achievement, by=owner)
    with pytest.raises(ApplicationError, match="someone else"):
        achievement_review_approve(achievement=achievement, by=creator, comment="")


def test_approving_needs_a_definition_in_review(draft, reviewer):
    with pytest.raises(ApplicationError) as refused:
        achievement_review_approve(achievement=draft, by=reviewer, comment="")
    assert refused.value.code == "wrong_status"


def test_requesting_changes_sends_it_back_to_draft_with_the_comment(in_review, reviewer, designer):
    achievement = achievement_review_request_changes(
        achievement=in_review, by=reviewer, comment="Lägg till en nivå till i matrisen."
    )
    assert achievement.status == Status.DRAFT
    event = achievement.audit_events.get(kind="changes_requested")
    assert (event.actor, event.comment) == (reviewer, "Lägg till en nivå till i matrisen.")
    # Back in draft, the designer can edit and submit again.
    achievement_update(achievement=achievement, by=designer, changes={"prerequisites": "Praktikplats."})
    assert achievement_submit_for_review(achievement=achievement, by=designer).status == Status.IN_REVIEW


def test_requesting_changes_needs_a_reviewer_and_a_comment(in_review, designer, reviewer):
    with pytest.raises(ApplicationError, match="roles"):
        achievement_review_request_changes(achievement=in_review, by=designer, comment="Nej.")
    with pytest.raises(ApplicationError) as refused:
        achievement_review_request_changes(achievement=in_review, by=reviewer, comment="  ")
    assert refused.value.code == "comment_required"


def test_publishing_needs_an_approved_definition(in_review, reviewer):
    with pytest.raises(ApplicationError, match="in review"):
        achievement_publish(achievement=in_review, by=reviewer)


def test_owners_and_reviewers_publish_but_designers_do_not(approved, owner, designer):
    with pytest.raises(ApplicationError, match="roles"):
        achievement_publish(achievement=approved, by=designer)
    assert achievement_publish(achievement=approved, by=owner).status == Status.PUBLISHED


def test_an_external_review_is_recorded_with_the_audit_trail(in_review, reviewer, designer):
    review = achievement_external_review_record(
        achievement=in_review,
        by=reviewer,
        reviewer="Karin Ek",
        body="Branschrådet",
        date=date(2026, 10, 1),
        statement="Målen motsvarar arbetsgivarnas behov.",
    )
    assert (review.body, review.reviewed_on, review.recorded_by) == ("Branschrådet", date(2026, 10, 1), reviewer)
    event = in_review.audit_events.get(kind="external_review")
    assert event.data == {"reviewer": "Karin Ek", "body": "Branschrådet", "date": "2026-10-01"}
    with pytest.raises(ApplicationError, match="roles"):
        achievement_external_review_record(
            achievement=in_review, by=designer, reviewer="x", body="y", date=date(2026, 10, 1), statement="z"
        )


def test_a_published_achievement_cannot_be_edited(issuer):
    published = make_achievement(issuer)
    designer = workflow_member(issuer, Role.DESIGNER).user
    with pytest.raises(ApplicationError) as refused:
        achievement_update(achievement=published, by=designer, changes={"name": "Nytt namn"})
    assert refused.value.code == "published_is_immutable"
    with pytest.raises(ApplicationError, match="new version"):
        achievement_outcome_add(achievement=published, by=designer, statement="Bygga en mur.")
    with pytest.raises(ApplicationError, match="new version"):
        achievement_submit_for_review(achievement=published, by=designer)
    published.refresh_from_db()
    assert published.name == "Samarbete i arbetsgrupp"
    assert published.learning_outcomes.count() == 1


def test_definitions_in_review_cannot_be_edited(in_review, designer):
    with pytest.raises(ApplicationError, match="in review"):
        achievement_update(achievement=in_review, by=designer, changes={"prerequisites": "Ändrat."})


def test_workflow_fields_are_not_editable(draft, designer):
    with pytest.raises(ValueError, match="status"):
        achievement_update(achievement=draft, by=designer, changes={"status": Status.PUBLISHED})


def test_a_new_version_copies_the_definition_and_old_credentials_keep_their_version(
    issuer, django_capture_on_commit_callbacks
):
    published = make_achievement(issuer)
    with django_capture_on_commit_callbacks(execute=False):
        credential = credential_issue(achievement=published, recipient_email="amina@example.org")
    designer = workflow_member(issuer, Role.DESIGNER).user

    successor = achievement_new_version(achievement=published, by=designer)

    assert (successor.status, successor.version, successor.previous_version) == (Status.DRAFT, 2, published)
    assert successor.public_id != published.public_id
    assert successor.created_by == designer
    assert (successor.name, successor.eqf_level, successor.workload_hours) == (
        published.name, published.eqf_level, published.workload_hours,
    )
    old_outcome, new_outcome = published.learning_outcomes.get(), successor.learning_outcomes.get()
    assert new_outcome.pk != old_outcome.pk and new_outcome.public_id != old_outcome.public_id
    assert new_outcome.statement == old_outcome.statement
    assert [(lv.name, lv.is_pass_level) for lv in new_outcome.rubric_levels.all()] == [
        (lv.name, lv.is_pass_level) for lv in old_outcome.rubric_levels.all()
    ]
    assert kinds(published)[-1] == "new_version"
    assert kinds(successor) == ["created"]

    achievement_update(achievement=successor, by=designer, changes={"workload_hours": 50})
    credential.refresh_from_db()
    assert credential.achievement_id == published.pk
    published.refresh_from_db()
    assert (published.status, published.workload_hours) == (Status.PUBLISHED, 40)
    assert Credential.objects.filter(achievement=successor).count() == 0


def test_only_published_achievements_get_a_new_version_and_only_one(issuer, draft, designer):
    with pytest.raises(ApplicationError, match="draft"):
        achievement_new_version(achievement=draft, by=designer)
    published = make_achievement(issuer)
    achievement_new_version(achievement=published, by=designer)
    with pytest.raises(ApplicationError) as refused:
        achievement_new_version(achievement=published, by=designer)
    assert refused.value.code == "has_next_version"


def test_the_audit_trail_is_append_only(in_review):
    event = in_review.audit_events.get(kind="submitted")
    event.comment = "rewritten"
    with pytest.raises(TypeError, match="append-only"):
        event.save()
    with pytest.raises(TypeError, match="append-only"):
        event.delete()
    with pytest.raises(TypeError, match="append-only"):
        AchievementAuditEvent.objects.all().delete()
    with pytest.raises(TypeError, match="append-only"):
        AchievementAuditEvent.objects.update(comment="rewritten")
    assert AchievementAuditEvent.objects.filter(comment="rewritten").count() == 0
