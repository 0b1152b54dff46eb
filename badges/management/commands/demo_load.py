"""Demo data for local runs: one issuer, three micro-credentials, demo people. Safe to run repeatedly."""

from __future__ import annotations

from collections.abc import Collection
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from allauth.account.models import EmailAddress
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import translation

from badges.achievements.drafting import achievement_create, achievement_update
from badges.achievements.outcomes import RubricLevelInput, achievement_outcome_add
from badges.achievements.publishing import achievement_new_version, achievement_publish
from badges.achievements.review import achievement_review_approve, achievement_submit_for_review
from badges.achievements.translations import (
    LevelTranslationInput,
    OutcomeTranslationInput,
    achievement_translation_save,
)
from badges.achievements.workflow import achievement_scorecard
from badges.credentials.issuing import credential_issue
from badges.models import Achievement, Credential
from issuers.membership import issuer_member_add
from issuers.models import Issuer, Role
from issuers.services import issuer_create

if TYPE_CHECKING:
    from kernel.users import User

DEMO_PASSWORD = "mikromerit-demo"  # noqa: S105 - printed on purpose; the command refuses to run in production

ISSUER: dict[str, Any] = {
    "slug": "skelleftea-vuxenutbildningen",
    "name": "Skellefteå kommun – Vuxenutbildningen",
    "description": "Kommunal vuxenutbildning (komvux) med yrkesutbildningar inom vård, omsorg och service.",
    "url": "https://skelleftea.se",
    "locality": "Skellefteå",
    "region": "Västerbottens län",
    "country_code": "SE",
}

ACHIEVEMENTS = [
    {
        "name": "Vårdsvenska: kommunikation med brukare",
        "description": "Kan samtala med brukare i vård och omsorg om vardag, mående och behov, "
        "och anpassa språket efter personen.",
        "criteria_narrative": "Deltagaren visar i ett bedömt samtal med en brukare att hen kan hälsa, "
        "fråga om behov, förklara vad som ska hända och bekräfta att brukaren förstått.",
        "field_of_study": "Vård och omsorg",
        "human_code": "VSV-1",
        "colour": "#1f5f8b",
        "definition": {
            "target_group": "Vuxenstuderande med svenska som andraspråk som utbildar sig till eller arbetar "
            "inom vård och omsorg.",
            "standalone_value": "Visar för en arbetsgivare inom äldreomsorg eller hemtjänst att personen "
            "klarar vardagliga samtal med brukare på svenska.",
            "occupation_uris": ["http://data.europa.eu/esco/occupation/7b2b1d9c-5a3b-4a8e-a5b6-2c8e0f7c4d10"],
            "workload_hours": Decimal("60"),
            "credit_points": Decimal("50"),
            "credit_unit": Achievement.CreditUnit.YH,
            "eqf_level": 2,
            "seqf_level": 2,
            "assessment_types": ["oral-exam", "observation"],
            "participation_form": Achievement.ParticipationForm.BLENDED,
            "supervision": Achievement.Supervision.SUPERVISED_ONSITE_ID,
            "prerequisites": "Svenska som andraspråk, delkurs 2, eller motsvarande kunskaper.",
            "validity_months": None,
            "qa_types": ["internal-review", "external-review"],
            "qa_internal_process": "Ämneslaget för vård och omsorg granskar definitionen varje termin och "
            "följer upp kursutvärderingarna.",
            "qa_external_process": "Vård- och omsorgscollege granskar definitionen tillsammans med arbetsgivare "
            "vartannat år.",
            "qa_responsible_body": "Vård- och omsorgscollege Västerbotten",
            "qa_responsible_body_url": "https://www.vo-college.se",
            "stackability": Achievement.Stackability.STACKABLE,
            "counts_towards": "Undersköterska, gymnasial vuxenutbildning",
        },
        "outcomes": [
            {
                "statement": "Hälsa på och samtala med en brukare om vardag, mående och behov på enkel svenska.",
                "kind": "skill",
                "esco_skill_uri": "http://data.europa.eu/esco/skill/15d76317-c71a-4fa2-aadc-2ecc34e627b7",
                "assessment_criteria": "Bedöms i ett rollspelat samtal med en brukare, med läraren som observatör.",
            },
            {
                "statement": "Förklara för brukaren vad som ska hända och kontrollera att hen har förstått.",
                "kind": "responsibility_autonomy",
                "assessment_criteria": "Bedöms under praktiken av handledaren med hjälp av matrisen.",
            },
        ],
        "translation": {
            "language": "en",
            "name": "Swedish for care work: talking with care recipients",
            "description": "Can talk with care recipients about everyday life, well-being and needs, and adapt "
            "the language to the person.",
            "criteria_narrative": "In an assessed conversation with a care recipient, the learner shows that they "
            "can greet, ask about needs, explain what will happen and check that the recipient has understood.",
            "target_group": "Adult learners with Swedish as a second language who train for or work in health "
            "and social care.",
            "standalone_value": "Shows an employer in elderly care or home care that the person can manage "
            "everyday conversations with care recipients in Swedish.",
            "prerequisites": "Swedish as a second language, part 2, or equivalent knowledge.",
            "outcomes": [
                ("Greet and talk with a care recipient about everyday life, well-being and needs in simple Swedish.",
                 "Assessed in a role-played conversation with a care recipient, observed by the teacher."),
                ("Explain to the care recipient what will happen and check that they have understood.",
                 "Assessed during the work placement by the supervisor, using the rubric."),
            ],
        },
    },
    {
        "name": "Samarbete i arbetsgrupp",
        "description": "Kan ta och ge information, fördela uppgifter och lösa meningsskiljaktigheter "
        "i en arbetsgrupp.",
        "criteria_narrative": "Deltagaren har under praktik genomfört en gemensam uppgift i grupp och "
        "beskrivit sin egen roll; handledaren har bekräftat samarbetet.",
        "field_of_study": "Generella kompetenser",
        "colour": "#2e7d4f",
        "definition": {
            "target_group": "Vuxenstuderande i yrkesutbildningar med arbetsplatsförlagt lärande.",
            "standalone_value": "Visar att personen kan planera och genomföra en uppgift tillsammans med andra "
            "på en arbetsplats.",
            "workload_hours": Decimal("40"),
            "credit_points": Decimal("1.5"),
            "credit_unit": Achievement.CreditUnit.ECTS,
            "eqf_level": 3,
            "seqf_level": 3,
            "assessment_types": ["observation", "self-assessment"],
            "participation_form": Achievement.ParticipationForm.ON_SITE,
            "supervision": Achievement.Supervision.SUPERVISED_ONSITE_ID,
            "prerequisites": "Påbörjad yrkesutbildning med praktik.",
            "validity_months": 36,
            "qa_types": ["internal-review", "external-review"],
            "qa_internal_process": "Yrkeslärarna granskar definitionen och bedömningarna varje termin.",
            "qa_external_process": "Det lokala branschrådet granskar definitionen årligen.",
            "qa_responsible_body": "Branschrådet för vuxenutbildningen i Skellefteå",
            "stackability": Achievement.Stackability.STANDALONE,
        },
        "outcomes": [
            {
                "statement": "Fördela uppgifter i en arbetsgrupp och följa upp att de blir gjorda.",
                "kind": "skill",
                "esco_skill_uri": "http://data.europa.eu/esco/skill/ee3ff2c4-6dd3-4b42-a5d5-4a2c4a0d9f4c",
                "assessment_criteria": "Handledaren observerar ett arbetspass och bedömer mot matrisen.",
            },
            {
                "statement": "Beskriva sin egen roll i gruppen och hantera en meningsskiljaktighet sakligt.",
                "kind": "responsibility_autonomy",
                "assessment_criteria": "Deltagarens skriftliga reflektion och handledarens observation.",
            },
        ],
        "translation": {
            "language": "en",
            "name": "Working together in a team",
            "description": "Can give and take information, share out tasks and resolve disagreements in a team.",
            "criteria_narrative": "During the work placement the learner has carried out a shared task in a group "
            "and described their own role; the supervisor has confirmed the cooperation.",
            "target_group": "Adult learners in vocational programmes with workplace-based learning.",
            "standalone_value": "Shows that the person can plan and carry out a task together with others at a "
            "workplace.",
            "prerequisites": "Started a vocational programme with a work placement.",
            "outcomes": [
                ("Share out tasks in a team and follow up that they get done.",
                 "The supervisor observes a working shift and assesses against the rubric."),
                ("Describe their own role in the team and handle a disagreement objectively.",
                 "The learner's written reflection and the supervisor's observation."),
            ],
        },
    },
    {
        "name": "Knowledgeable Problem Articulator",
        "description": "Articulates sustainability problems (SDGs) in the teaching of their own "
        "vocational subject.",
        "criteria_narrative": "Submit evidence of applying the Sustainable Development Goals in teaching "
        "your vocational subject; a teacher assesses it and gives feedback.",
        "field_of_study": "Vocational teacher education",
        "in_language": "en",
        "colour": "#7a4b8c",
        "definition": {
            "target_group": "Vocational teachers in upper secondary and adult education.",
            "standalone_value": "Shows that the teacher can build sustainability problems into the teaching "
            "of their own vocational subject.",
            "workload_hours": Decimal("27"),
            "credit_points": Decimal("1"),
            "credit_unit": Achievement.CreditUnit.ECTS,
            "eqf_level": 6,
            "level_not_applicable": False,
            "assessment_types": ["portfolio"],
            "participation_form": Achievement.ParticipationForm.ONLINE,
            "supervision": Achievement.Supervision.UNSUPERVISED_NO_ID,
            "prerequisites": "A teaching position or teacher training in a vocational subject.",
            "qa_types": ["internal-review", "external-review"],
            "qa_internal_process": "Two teacher educators review the definition and a sample of assessments "
            "each term.",
            "qa_external_process": "The regional adult education council reviews the definition every two years.",
            "qa_responsible_body": "Regional adult education council",
            "stackability": Achievement.Stackability.STACKABLE,
            "counts_towards": "Sustainability in vocational teaching, 7.5 ECTS",
        },
        "outcomes": [
            {
                "statement": "Describe a sustainability problem from their vocational field in terms of the SDGs.",
                "kind": "knowledge",
                "esco_skill_uri": "http://data.europa.eu/esco/skill/2c0a4a43-8b2b-4b7d-9fd7-8a1e1e5f3a56",
                "assessment_criteria": "The portfolio names the problem, the goals involved and who is affected.",
            },
            {
                "statement": "Plan a lesson in which learners work on that problem.",
                "kind": "skill",
                "assessment_criteria": "A teacher assesses the lesson plan against the rubric and gives feedback.",
            },
        ],
        "translation": {
            "language": "sv",
            "name": "Kunnig problemformulerare",
            "description": "Formulerar hållbarhetsproblem (de globala målen) i undervisningen i det egna "
            "yrkesämnet.",
            "criteria_narrative": "Lämna in belägg för att du tillämpar de globala målen för hållbar utveckling i "
            "undervisningen i ditt yrkesämne; en lärare bedömer dem och ger återkoppling.",
            "target_group": "Yrkeslärare i gymnasieskolan och vuxenutbildningen.",
            "standalone_value": "Visar att läraren kan bygga in hållbarhetsproblem i undervisningen i sitt eget "
            "yrkesämne.",
            "prerequisites": "En lärartjänst eller lärarutbildning i ett yrkesämne.",
            "outcomes": [
                ("Beskriva ett hållbarhetsproblem från sitt yrkesområde med hjälp av de globala målen.",
                 "Portfolion namnger problemet, de mål som berörs och vilka som påverkas."),
                ("Planera en lektion där eleverna arbetar med det problemet.",
                 "En lärare bedömer lektionsplaneringen mot matrisen och ger återkoppling."),
            ],
        },
    },
]

PEOPLE = [
    # username (the e-mail is <username>@example.org), first name, roles at the demo issuer
    ("issuer-admin", "Ingrid", {Role.OWNER, Role.DESIGNER}),
    ("designer", "Disa", {Role.DESIGNER}),
    ("assessor", "Anders", {Role.ASSESSOR}),
    ("reviewer", "Rut", {Role.QA_REVIEWER}),
    ("amina", "Amina", set()),
    ("eli", "Eli", set()),
    ("saman", "Saman", set()),
    ("jacob", "Jacob", set()),
]

# Who gets which demo credential, so a fresh `make run` shows the signing pipeline at work.
AWARDS = [("amina", 0), ("saman", 1), ("jacob", 1)]


class Command(BaseCommand):
    help = "Load demo data (issuer, micro-credentials, people) for local runs. Idempotent."

    def handle(self, *args: object, **options: object) -> None:
        if settings.PRODUCTION:
            raise CommandError("demo_load only runs with MIKROMERIT_DEV=1 or DJANGO_DEBUG=1.")
        with transaction.atomic():
            issuer = self._issuer()
            users = {
                username: self._user(issuer, username, first_name, roles) for username, first_name, roles in PEOPLE
            }
            achievements = [
                self._achievement(issuer, spec, designer=users["designer"], reviewer=users["reviewer"])
                for spec in ACHIEVEMENTS
            ]
            for username, index in AWARDS:
                self._award(achievements[index], users[username], issued_by=users["assessor"])
        self._print_logins(issuer)

    def _issuer(self) -> Issuer:
        existing = Issuer.objects.filter(slug=ISSUER["slug"]).first()
        return existing or issuer_create(**ISSUER)

    def _achievement(
        self, issuer: Issuer, spec: dict[str, Any], *, designer: User, reviewer: User
    ) -> Achievement:
        """The latest version of a demo micro-credential, taken through review to published.

        Picks up where an earlier run stopped; a published version without a complete definition
        (from before definitions existed) gets a new version rather than being edited.
        """
        spec = dict(spec)
        definition, outcomes = spec.pop("definition"), spec.pop("outcomes")
        translation = spec.pop("translation")
        achievement = issuer.achievements.filter(name=spec["name"]).order_by("-version").first()
        if achievement is None:
            achievement = achievement_create(issuer=issuer, created_by=designer, **spec)
        elif achievement.status == Achievement.Status.PUBLISHED:
            translated = achievement.translations.filter(language=translation["language"]).exists()
            if translated and achievement_scorecard(achievement=achievement).publishable:
                return achievement
            achievement = achievement_new_version(achievement=achievement, by=designer)
        if achievement.status == Achievement.Status.DRAFT:
            achievement = achievement_update(achievement=achievement, by=designer, changes=definition)
            if not achievement.learning_outcomes.exists():
                for outcome in outcomes:
                    achievement_outcome_add(
                        achievement=achievement, by=designer, rubric_levels=self._rubric(spec), **outcome
                    )
            self._translate(achievement, translation, designer=designer)
            achievement = achievement_submit_for_review(achievement=achievement, by=designer)
        if achievement.status == Achievement.Status.IN_REVIEW:
            achievement = achievement_review_approve(
                achievement=achievement, by=reviewer, comment="Demo: granskad och godkänd."
            )
        return achievement_publish(achievement=achievement, by=reviewer)

    def _translate(self, achievement: Achievement, spec: dict[str, Any], *, designer: User) -> None:
        """The texts in the other language, rubric level names included (the rubric is the other language's)."""
        spec = dict(spec)
        language, texts = spec.pop("language"), spec.pop("outcomes")
        rubric = self._rubric({"in_language": language})
        outcomes = [
            OutcomeTranslationInput(
                outcome_id=str(outcome.public_id),
                statement=statement,
                assessment_criteria=criteria,
                levels=tuple(
                    LevelTranslationInput(level_id=str(level.public_id), name=text.name, description=text.description)
                    for level, text in zip(outcome.rubric_levels.all(), rubric, strict=False)
                ),
            )
            for outcome, (statement, criteria) in zip(
                achievement.learning_outcomes.prefetch_related("rubric_levels"), texts, strict=False
            )
        ]
        achievement_translation_save(achievement=achievement, by=designer, language=language, outcomes=outcomes, **spec)

    def _rubric(self, spec: dict[str, Any]) -> tuple[RubricLevelInput, ...]:
        if spec.get("in_language") == "en":
            return (
                RubricLevelInput(name="Not yet", description="The outcome is not shown yet."),
                RubricLevelInput(name="Pass", description="The outcome is shown.", is_pass_level=True),
                RubricLevelInput(name="Distinction", description="The outcome is shown independently and well."),
            )
        return (
            RubricLevelInput(name="Ej godkänd", description="Deltagaren visar ännu inte målet."),
            RubricLevelInput(name="Godkänd", description="Deltagaren visar målet med visst stöd.", is_pass_level=True),
            RubricLevelInput(name="Väl godkänd", description="Deltagaren visar målet självständigt."),
        )

    def _user(self, issuer: Issuer, username: str, first_name: str, roles: Collection[str]) -> User:
        email = f"{username}@example.org"
        user, created = get_user_model().objects.get_or_create(
            username=username, defaults={"first_name": first_name, "email": email, "is_staff": bool(roles)}
        )
        if created:
            user.set_password(DEMO_PASSWORD)
            user.is_superuser = Role.OWNER in roles
            user.save()
        # Sign-in needs a verified address (verification is mandatory); demo addresses cannot receive mail.
        EmailAddress.objects.get_or_create(user=user, email=email, defaults={"verified": True, "primary": True})
        if roles:
            issuer_member_add(issuer=issuer, user=user, roles=roles)
        return user

    def _award(self, achievement: Achievement, learner: User, *, issued_by: User) -> None:
        already = Credential.objects.filter(
            achievement__issuer=achievement.issuer, achievement__name=achievement.name, recipient_email=learner.email
        )
        if already.exists():
            return
        credential_issue(
            achievement=achievement,
            recipient_email=learner.email,
            recipient_name=learner.first_name,
            issued_by=issued_by,
        )

    def _print_logins(self, issuer: Issuer) -> None:
        self.stdout.write(self.style.SUCCESS(f"Demo issuer: {issuer.name}"))
        self.stdout.write(f"  {issuer.public_id}")
        self.stdout.write(f"Demo logins, by e-mail or user name (password for all: {DEMO_PASSWORD}):")
        for username, first_name, roles in PEOPLE:
            # The rest of this output is English; keep the role names in the same language.
            with translation.override("en"):
                label = ", ".join(str(Role(role).label) for role in sorted(roles)) or "learner"
            self.stdout.write(f"  {username + '@example.org':<28} {username:<14} {first_name:<8} {label}")
