"""Plain factory functions for platform tests; they go through the services, as real callers do."""

from __future__ import annotations

from decimal import Decimal

from allauth.account.models import EmailAddress
from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractUser

from badges.achievements.drafting import achievement_create, achievement_update
from badges.achievements.outcomes import RubricLevelInput, achievement_outcome_add
from badges.achievements.publishing import achievement_publish
from badges.achievements.review import achievement_review_approve, achievement_submit_for_review
from badges.models import Achievement
from issuers.membership import issuer_member_add
from issuers.models import Issuer, IssuerMember, Role
from issuers.services import issuer_create

ESCO_SKILL = "http://data.europa.eu/esco/skill/"
FULL_DEFINITION = {
    "target_group": "Deltagare i vård- och omsorgsutbildning och nyanställda i hemtjänsten.",
    "standalone_value": "Visar för en arbetsgivare att personen kan planera och genomföra arbete i grupp.",
    "occupation_uris": ["http://data.europa.eu/esco/occupation/12a6ed4e-9c4a-4c4b-9b1c-6b3b0c2a1f3e"],
    "workload_hours": Decimal("40"),
    "credit_points": Decimal("1.5"),
    "credit_unit": Achievement.CreditUnit.ECTS,
    "eqf_level": 3,
    "seqf_level": 3,
    "assessment_types": ["practical-demonstration", "observation"],
    "participation_form": Achievement.ParticipationForm.ON_SITE,
    "supervision": Achievement.Supervision.SUPERVISED_ONSITE_ID,
    "prerequisites": "Inga.",
    "qa_types": ["internal-review", "external-review"],
    "qa_internal_process": "Ämneslaget granskar definitionen varje termin.",
    "qa_external_process": "Branschrådet granskar definitionen vartannat år.",
    "qa_responsible_body": "Vård- och omsorgscollege Västerbotten",
    "stackability": Achievement.Stackability.STANDALONE,
}
PASS_RUBRIC = (
    RubricLevelInput(name="Ej godkänd", description="Uppfyller inte målet."),
    RubricLevelInput(name="Godkänd", description="Uppfyller målet.", is_pass_level=True),
)


def make_issuer(slug: str = "testskolan", *, jwt_enabled: bool = False) -> Issuer:
    return issuer_create(
        slug=slug, name="Testskolan", country_code="SE", url="https://testskolan.example", jwt_enabled=jwt_enabled
    )


def workflow_member(issuer: Issuer, role: str) -> IssuerMember:
    """The issuer's `<slug>-<role>` member, created on first use; factories act through them."""
    member = IssuerMember.objects.filter(issuer=issuer, user__username=f"{issuer.slug}-{role}").first()
    return member or make_member(issuer, f"{issuer.slug}-{role}", role)


def make_draft(issuer: Issuer, *, name: str = "Samarbete i arbetsgrupp", full: bool = True) -> Achievement:
    """A draft written by the issuer's designer: a complete micro-credential definition unless `full=False`."""
    designer = workflow_member(issuer, Role.DESIGNER).user
    achievement = achievement_create(
        issuer=issuer,
        name=name,
        description="Kan samarbeta i en arbetsgrupp.",
        criteria_narrative="Har genomfört en gemensam uppgift.",
        created_by=designer,
    )
    if full:
        achievement = achievement_update(achievement=achievement, by=designer, changes=FULL_DEFINITION)
        achievement_outcome_add(
            achievement=achievement,
            by=designer,
            statement="Fördela uppgifter i en arbetsgrupp och följa upp att de blir gjorda.",
            kind="skill",
            esco_skill_uri=ESCO_SKILL + "0e8d3a2b-1b6e-4f1c-9a55-cc0c1ee0c1c4",
            assessment_criteria="Handledaren observerar ett arbetspass och bedömer mot matrisen.",
            rubric_levels=PASS_RUBRIC,
        )
    return achievement


def make_achievement(issuer: Issuer, *, status: str = Achievement.Status.PUBLISHED) -> Achievement:
    """A full micro-credential taken through the review workflow as far as `status`."""
    achievement = make_draft(issuer)
    steps = [
        (Achievement.Status.IN_REVIEW, achievement_submit_for_review, Role.DESIGNER),
        (Achievement.Status.APPROVED, achievement_review_approve, Role.QA_REVIEWER),
        (Achievement.Status.PUBLISHED, achievement_publish, Role.QA_REVIEWER),
    ]
    for reached, step, role in steps:
        if achievement.status == status:
            break
        achievement = step(achievement=achievement, by=workflow_member(issuer, role).user)
        assert achievement.status == reached
    return achievement


def make_user(username: str, *, password: str = "correct-horse-battery", verified: bool = True) -> AbstractUser:
    """A person who can sign in: with a verified (or, if asked, unverified) address <username>@example.org."""
    email = f"{username}@example.org"
    user = get_user_model().objects.create_user(username=username, email=email, password=password)
    EmailAddress.objects.create(user=user, email=email, verified=verified, primary=True)
    return user


def make_member(issuer: Issuer, username: str, *roles: str) -> IssuerMember:
    return issuer_member_add(issuer=issuer, user=make_user(username), roles=roles)
