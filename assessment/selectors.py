"""Reads for applications, assessments and direct awards: nothing here changes a row."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.db.models import Count, Exists, OuterRef, QuerySet, Subquery
from django.urls import reverse

from assessment.models import AchievementAssessmentPolicy, Application, Assessment, Evidence, Submission
from badges.models import Achievement, RubricLevel
from issuers.models import Issuer
from kernel.public_urls import public_url

if TYPE_CHECKING:
    from kernel.users import User


def application_open(*, achievement: Achievement, learner: User) -> Application | None:
    """The learner's application for the achievement that is still a draft or in assessment, if any."""
    open_statuses = [*Application.EDITABLE, *Application.IN_ASSESSMENT]
    return Application.objects.filter(achievement=achievement, learner=learner, status__in=open_statuses).first()


def evidence_current(application: Application) -> list[Evidence]:
    return list(application.evidence.filter(removed_at__isnull=True).select_related("outcome"))


def current_submission(application: Application) -> Submission | None:
    return application.submissions.order_by("-number").first()


def application_history(application: Application) -> list[Submission]:
    """Every round with its assessments, newest first, for the learner (and assessors) to read back."""
    return list(
        application.submissions.order_by("-number").prefetch_related(
            "assessments__scores__outcome", "assessments__scores__level"
        )
    )


def policy_for(achievement: Achievement) -> AchievementAssessmentPolicy:
    return AchievementAssessmentPolicy.objects.filter(achievement=achievement).first() or AchievementAssessmentPolicy(
        achievement=achievement
    )


def level_passes(level: RubricLevel) -> bool:
    """A level passes when it is the outcome's pass level or above it; a rubric without one passes any level."""
    levels = list(level.outcome.rubric_levels.all())
    passing = next((candidate for candidate in levels if candidate.is_pass_level), None)
    if passing is None:
        return True
    return (level.position, level.pk) >= (passing.position, passing.pk)


def public_evidence_url(evidence: Evidence) -> str:
    return public_url(reverse("public-evidence", args=[evidence.share_id]))


def credential_evidence(evidence: list[Evidence]) -> list[dict[str, Any]]:
    """What the credential shows of the evidence: only the pieces the learner made public."""
    entries = []
    for item in evidence:
        if not item.is_public:
            continue
        entry: dict[str, Any] = {"name": item.title}
        if item.narrative:
            entry["narrative"] = item.narrative
        if item.kind == Evidence.Kind.LINK:
            entry["id"] = item.url
        elif item.kind == Evidence.Kind.FILE:
            entry["id"] = public_evidence_url(item)
        entries.append(entry)
    return entries


def assessment_queue(
    *, issuer: Issuer, achievement: Achievement | None = None, statuses: tuple[str, ...] = Application.IN_ASSESSMENT
) -> QuerySet[Application]:
    """Submitted applications for the issuer's achievements, the longest-waiting first."""
    queue = Application.objects.filter(achievement__issuer=issuer, submitted_at__isnull=False, status__in=statuses)
    if achievement is not None:
        queue = queue.filter(achievement=achievement)
    return queue.select_related("achievement", "learner").annotate(rounds=Count("submissions")).order_by(
        "submitted_at", "pk"
    )



def assessment_queue_waiting_for(*, issuer: Issuer, assessor_id: int) -> QuerySet[Application]:
    """The part of the issuer's queue the assessor can act on now: not their own application, and not a round
    they have already assessed (a second approval must come from someone else: assessing.check_can_assess)."""
    current_round = Submission.objects.filter(application=OuterRef(OuterRef("pk"))).order_by("-number").values("pk")
    assessed_by_them = Assessment.objects.filter(assessor_id=assessor_id, submission=Subquery(current_round[:1]))
    return assessment_queue(issuer=issuer).exclude(learner_id=assessor_id).exclude(Exists(assessed_by_them))
