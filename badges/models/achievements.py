"""Micro-credential definitions: the achievement, its learning outcomes and rubric levels, their
translations, external reviews and the audit trail of the quality review."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from issuers.models import Issuer
from kernel.append_only import AppendOnlyEvent
from kernel.public_urls import public_url
from kernel.validation import TEXT_LONG, TEXT_SHORT, bidi_controls_refuse, public_url_validator, text_limit

LEVEL_VALIDATORS = [MinValueValidator(1), MaxValueValidator(8)]


class AssessmentType(models.TextChoices):
    """The v1 extension's assessment types (ob3.eu.ASSESSMENT_TYPES)."""

    WRITTEN_EXAM = "written-exam", _("written exam")
    ORAL_EXAM = "oral-exam", _("oral exam")
    ONLINE_TEST = "online-test", _("online test")
    PRACTICAL_DEMONSTRATION = "practical-demonstration", _("practical demonstration")
    PROJECT = "project", _("project")
    PORTFOLIO = "portfolio", _("portfolio")
    ASSIGNMENT = "assignment", _("assignment")
    PRESENTATION = "presentation", _("presentation")
    OBSERVATION = "observation", _("observation")
    SIMULATION = "simulation", _("simulation")
    PEER_ASSESSMENT = "peer-assessment", _("peer assessment")
    SELF_ASSESSMENT = "self-assessment", _("self-assessment")


class QualityAssuranceType(models.TextChoices):
    """The v1 extension's quality assurance types (ob3.eu.QA_TYPES)."""

    INTERNAL_REVIEW = "internal-review", _("internal review")
    EXTERNAL_REVIEW = "external-review", _("external review")
    ACCREDITATION = "accreditation", _("accreditation")
    CERTIFICATION = "certification", _("certification")
    NATIONAL_OVERSIGHT = "national-oversight", _("national oversight")


class Achievement(models.Model):
    """What a credential says was achieved: an Open Badges 3.0 Achievement.

    For a micro-credential the row also holds its definition (the EU standard elements). Only
    drafts may change; a published achievement changes by publishing a new version of it.
    """

    class Status(models.TextChoices):
        DRAFT = "draft", _("draft")
        IN_REVIEW = "in_review", _("in review")
        APPROVED = "approved", _("approved")
        PUBLISHED = "published", _("published")

    class Language(models.TextChoices):
        SWEDISH = "sv", _("Swedish")
        ENGLISH = "en", _("English")

    class CreditUnit(models.TextChoices):
        ECTS = "ects", _("ECTS credits")
        HP = "hp", _("higher education credits (hp)")
        YH = "yh", _("higher vocational education credits (YH)")
        OTHER = "other", _("other")

    class ParticipationForm(models.TextChoices):
        ONLINE = "online", _("online")
        ON_SITE = "on-site", _("on site")
        BLENDED = "blended", _("blended")

    class Supervision(models.TextChoices):
        UNSUPERVISED_NO_ID = "unsupervised-no-id", _("unsupervised, no identity verification")
        SUPERVISED_NO_ID = "supervised-no-id", _("supervised, no identity verification")
        SUPERVISED_ONLINE_ID = "supervised-online-id", _("supervised online, with identity verification")
        SUPERVISED_ONSITE_ID = "supervised-onsite-id", _("supervised on site, with identity verification")

    class Stackability(models.TextChoices):
        STANDALONE = "standalone", _("standalone")
        INTEGRATED = "integrated", _("integrated in a larger qualification")
        STACKABLE = "stackable", _("stackable towards a larger qualification")

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    issuer = models.ForeignKey(Issuer, on_delete=models.PROTECT, related_name="achievements")
    name = models.CharField(_("name"), max_length=200, validators=[bidi_controls_refuse])
    description = models.TextField(_("description"), **text_limit(TEXT_LONG))
    criteria_narrative = models.TextField(
        _("criteria"), **text_limit(TEXT_LONG), help_text=_("What the learner must show. Markdown.")
    )
    achievement_type = models.CharField(_("type"), max_length=60, default="MicroCredential")
    in_language = models.CharField(_("language"), max_length=10, choices=Language.choices, default=Language.SWEDISH)
    human_code = models.CharField(_("code"), max_length=40, blank=True)
    field_of_study = models.CharField(_("field of study"), max_length=120, blank=True)
    colour = models.CharField(
        _("colour"),
        max_length=7,
        default="#1f5f8b",
        validators=[RegexValidator(r"^#[0-9a-fA-F]{6}$", _("Use a hex colour such as #1f5f8b."))],
        help_text=_("Used for the generated badge image when no image is uploaded."),
    )
    image = models.FileField(_("image (PNG)"), upload_to="achievements/", blank=True)
    image_svg = models.FileField(_("image (SVG)"), upload_to="achievements/", blank=True, editable=False)
    image_alt = models.CharField(
        _("image description"), max_length=300, blank=True, help_text=_("Text alternative for the badge image.")
    )
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.DRAFT)

    # Standalone value
    target_group = models.TextField(_("target group"), **text_limit(TEXT_SHORT), blank=True)
    standalone_value = models.TextField(
        _("standalone value"), **text_limit(TEXT_SHORT), blank=True,
        help_text=_("What the micro-credential is worth on its own."),
    )
    occupation_uris = models.JSONField(
        _("ESCO occupations"), default=list, blank=True, help_text=_("ESCO occupation URIs.")
    )
    # Volume and level
    workload_hours = models.DecimalField(
        _("workload (hours)"), max_digits=7, decimal_places=2, null=True, blank=True,
        validators=[MinValueValidator(0)],
    )
    credit_points = models.DecimalField(
        _("credit points"), max_digits=6, decimal_places=2, null=True, blank=True, validators=[MinValueValidator(0)]
    )
    credit_unit = models.CharField(_("credit unit"), max_length=8, choices=CreditUnit.choices, blank=True)
    credit_unit_label = models.CharField(
        _("name of the credit unit"), max_length=60, blank=True, help_text=_("Only for the unit 'other'.")
    )
    eqf_level = models.PositiveSmallIntegerField(_("EQF level"), null=True, blank=True, validators=LEVEL_VALIDATORS)
    seqf_level = models.PositiveSmallIntegerField(_("SeQF level"), null=True, blank=True, validators=LEVEL_VALIDATORS)
    level_not_applicable = models.BooleanField(_("level not applicable"), default=False)
    # Assessment and participation
    assessment_types = models.JSONField(_("types of assessment"), default=list, blank=True)
    participation_form = models.CharField(
        _("form of participation"), max_length=10, choices=ParticipationForm.choices, blank=True
    )
    supervision = models.CharField(
        _("supervision and identity verification"), max_length=24, choices=Supervision.choices, blank=True
    )
    prerequisites = models.TextField(_("prerequisites"), **text_limit(TEXT_SHORT), blank=True)
    validity_months = models.PositiveSmallIntegerField(
        _("valid for (months)"), null=True, blank=True, help_text=_("Leave empty if the credential does not expire.")
    )
    # Not part of the signed definition: how long before expiry the holder is reminded (0: never).
    expiry_reminder_days = models.PositiveSmallIntegerField(
        _("remind holders before expiry (days)"), default=30, validators=[MaxValueValidator(365)],
        help_text=_("How many days before a credential expires its holder gets an e-mail with the way to renew it. "
                    "0 sends no reminder."),
    )
    # Quality assurance
    qa_types = models.JSONField(_("types of quality assurance"), default=list, blank=True)
    qa_internal_process = models.TextField(_("internal quality assurance"), **text_limit(TEXT_LONG), blank=True)
    qa_external_process = models.TextField(_("external quality assurance"), **text_limit(TEXT_LONG), blank=True)
    qa_responsible_body = models.CharField(
        _("body responsible for quality assurance"), max_length=200, blank=True, validators=[bidi_controls_refuse]
    )
    qa_responsible_body_url = models.URLField(
        _("web address of the quality assurance body"), blank=True, validators=[public_url_validator]
    )
    # Stackability
    stackability = models.CharField(_("stackability"), max_length=12, choices=Stackability.choices, blank=True)
    counts_towards = models.TextField(
        _("counts towards"), **text_limit(TEXT_SHORT), blank=True,
        help_text=_("The larger qualification it counts towards."),
    )
    counts_towards_url = models.URLField(
        _("web address of that qualification"), blank=True, validators=[public_url_validator]
    )

    # Versions: a published achievement is never edited; `achievement_new_version` copies it.
    version = models.PositiveIntegerField(_("version"), default=1)
    previous_version = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="next_versions",
        verbose_name=_("previous version"),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+",
        verbose_name=_("author"),
    )
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+",
        verbose_name=_("submitted for review by"),
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("achievement")
        verbose_name_plural = _("achievements")
        ordering = ["issuer", "name", "version"]
        constraints = [
            models.UniqueConstraint(fields=["previous_version"], name="achievement_one_next_version"),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def uri(self) -> str:
        """The achievement's OB id: its public page, which also serves the Achievement as JSON-LD."""
        return public_url(f"/a/{self.public_id}")


class LearningOutcome(models.Model):
    """One learning outcome of an achievement, with its assessment criteria and rubric."""

    class Kind(models.TextChoices):
        KNOWLEDGE = "knowledge", _("knowledge")
        SKILL = "skill", _("skill")
        RESPONSIBILITY_AUTONOMY = "responsibility_autonomy", _("responsibility and autonomy")

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    achievement = models.ForeignKey(Achievement, on_delete=models.CASCADE, related_name="learning_outcomes")
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    statement = models.TextField(
        _("statement"), **text_limit(TEXT_SHORT), help_text=_("What the learner can do, e.g. 'Explain …'.")
    )
    kind = models.CharField(_("kind"), max_length=24, choices=Kind.choices, blank=True)
    esco_skill_uri = models.URLField(_("ESCO skill"), blank=True)
    assessment_criteria = models.TextField(_("assessment criteria"), **text_limit(TEXT_LONG), blank=True)

    class Meta:
        verbose_name = _("learning outcome")
        verbose_name_plural = _("learning outcomes")
        ordering = ["achievement", "position", "pk"]

    def __str__(self) -> str:
        return self.statement

    @property
    def uri(self) -> str:
        return f"urn:uuid:{self.public_id}"


class RubricLevel(models.Model):
    """One level of a learning outcome's rubric, lowest first."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    outcome = models.ForeignKey(LearningOutcome, on_delete=models.CASCADE, related_name="rubric_levels")
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    name = models.CharField(_("name"), max_length=100, validators=[bidi_controls_refuse])
    description = models.TextField(_("description"), **text_limit(TEXT_SHORT), blank=True)
    is_pass_level = models.BooleanField(_("pass level"), default=False)

    class Meta:
        verbose_name = _("rubric level")
        verbose_name_plural = _("rubric levels")
        ordering = ["outcome", "position", "pk"]

    def __str__(self) -> str:
        return self.name

    @property
    def uri(self) -> str:
        return f"urn:uuid:{self.public_id}"


# --- The second language -------------------------------------------------------------------------------
# An achievement is written in its primary language (`Achievement.in_language`); these rows hold the same
# texts in the other platform language. OB 3.0 has no language maps (NOTES §9.11), so the public site
# serves the translation as its own Achievement edition at /a/<id>/<language>, linked both ways with
# `related` + `inLanguage`. Like the achievement, they change only while it is a draft, and
# `achievement_new_version` copies them. A row in the primary language itself is ignored.
class AchievementTranslation(models.Model):
    """The achievement's own texts in a second language."""

    achievement = models.ForeignKey(Achievement, on_delete=models.CASCADE, related_name="translations")
    language = models.CharField(_("language"), max_length=10, choices=Achievement.Language.choices)
    name = models.CharField(_("name"), max_length=200, validators=[bidi_controls_refuse])
    description = models.TextField(_("description"), **text_limit(TEXT_LONG))
    criteria_narrative = models.TextField(_("criteria"), **text_limit(TEXT_LONG))
    target_group = models.TextField(_("target group"), **text_limit(TEXT_SHORT), blank=True)
    standalone_value = models.TextField(_("standalone value"), **text_limit(TEXT_SHORT), blank=True)
    prerequisites = models.TextField(_("prerequisites"), **text_limit(TEXT_SHORT), blank=True)
    image_alt = models.CharField(_("image description"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("achievement translation")
        verbose_name_plural = _("achievement translations")
        ordering = ["achievement", "language"]
        constraints = [
            models.UniqueConstraint(fields=["achievement", "language"], name="achievement_translation_once"),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.language})"


class LearningOutcomeTranslation(models.Model):
    outcome = models.ForeignKey("LearningOutcome", on_delete=models.CASCADE, related_name="translations")
    language = models.CharField(_("language"), max_length=10, choices=Achievement.Language.choices)
    statement = models.TextField(_("statement"), **text_limit(TEXT_SHORT))
    assessment_criteria = models.TextField(_("assessment criteria"), **text_limit(TEXT_LONG), blank=True)

    class Meta:
        verbose_name = _("learning outcome translation")
        verbose_name_plural = _("learning outcome translations")
        ordering = ["outcome", "language"]
        constraints = [
            models.UniqueConstraint(fields=["outcome", "language"], name="outcome_translation_once"),
        ]

    def __str__(self) -> str:
        return self.statement


class RubricLevelTranslation(models.Model):
    level = models.ForeignKey("RubricLevel", on_delete=models.CASCADE, related_name="translations")
    language = models.CharField(_("language"), max_length=10, choices=Achievement.Language.choices)
    name = models.CharField(_("name"), max_length=100, validators=[bidi_controls_refuse])
    description = models.TextField(_("description"), **text_limit(TEXT_SHORT), blank=True)

    class Meta:
        verbose_name = _("rubric level translation")
        verbose_name_plural = _("rubric level translations")
        ordering = ["level", "language"]
        constraints = [
            models.UniqueConstraint(fields=["level", "language"], name="rubric_level_translation_once"),
        ]

    def __str__(self) -> str:
        return self.name


class ExternalReview(models.Model):
    """A review of an achievement's definition by someone outside the issuer, as reported to us."""

    achievement = models.ForeignKey(Achievement, on_delete=models.PROTECT, related_name="external_reviews")
    reviewer = models.CharField(_("reviewer"), max_length=200, validators=[bidi_controls_refuse])
    body = models.CharField(_("reviewing body"), max_length=200, validators=[bidi_controls_refuse])
    reviewed_on = models.DateField(_("review date"))
    statement = models.TextField(_("statement"), **text_limit(TEXT_LONG))
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(_("recorded"), auto_now_add=True)

    class Meta:
        verbose_name = _("external review")
        verbose_name_plural = _("external reviews")
        ordering = ["achievement", "reviewed_on", "pk"]

    def __str__(self) -> str:
        return f"{self.body}, {self.reviewed_on}"


class AchievementAuditEvent(AppendOnlyEvent):
    """The append-only story of an achievement's definition: each review step, who took it and why."""

    class Kind(models.TextChoices):
        CREATED = "created", _("created")
        UPDATED = "updated", _("changed")
        SUBMITTED = "submitted", _("submitted for review")
        APPROVED = "approved", _("approved")
        CHANGES_REQUESTED = "changes_requested", _("changes requested")
        EXTERNAL_REVIEW = "external_review", _("external review recorded")
        PUBLISHED = "published", _("published")
        NEW_VERSION = "new_version", _("new version started")

    achievement = models.ForeignKey(Achievement, on_delete=models.PROTECT, related_name="audit_events")
    kind = models.CharField(_("event"), max_length=24, choices=Kind.choices)
    comment = models.TextField(_("comment"), **text_limit(TEXT_LONG), blank=True)

    class Meta(AppendOnlyEvent.Meta):
        verbose_name = _("achievement audit event")
        verbose_name_plural = _("achievement audit events")
