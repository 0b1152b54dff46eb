"""Applications as the API answers them, described for the schema, and the shape of a decision.

Output only, except `ApplicationDecisionInputSerializer`, which says how a decision is sent; the decision itself is
validated by the assessor's form (assessment.forms.AssessmentForm) and decided by the service
(assessment.assessing.application_assess).
"""

from __future__ import annotations

from typing import Any, ClassVar

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from assessment.models import Application, Assessment, Evidence


class _FixedChoiceField(serializers.ChoiceField):
    """A choice field whose values are its own schema component (the decorator on each subclass): the enum
    drf-spectacular would name after the field (`StatusEnum`, `KindEnum`) collides with other resources'."""

    fixed_choices: ClassVar[list[tuple[str, Any]]] = []

    def __init__(self, **options: Any) -> None:
        super().__init__(choices=self.fixed_choices, **options)


@extend_schema_field({"type": "string", "enum": Application.Status.values}, component_name="ApplicationStatus")
class ApplicationStatusField(_FixedChoiceField):
    fixed_choices = Application.Status.choices


@extend_schema_field({"type": "string", "enum": Evidence.Kind.values}, component_name="EvidenceKind")
class EvidenceKindField(_FixedChoiceField):
    fixed_choices = Evidence.Kind.choices


@extend_schema_field({"type": "string", "enum": Assessment.Decision.values}, component_name="AssessmentDecision")
class DecisionField(_FixedChoiceField):
    fixed_choices = Assessment.Decision.choices


class ApplicationAchievementSerializer(serializers.Serializer):
    id = serializers.UUIDField(help_text="The micro-credential's public id.")
    name = serializers.CharField()
    version = serializers.IntegerField()


class ApplicationPersonSerializer(serializers.Serializer):
    name = serializers.CharField(allow_blank=True)
    email = serializers.CharField(allow_blank=True)


class ApplicationSummarySerializer(serializers.Serializer):
    id = serializers.UUIDField(help_text="The application's public id.")
    achievement = ApplicationAchievementSerializer()
    status = ApplicationStatusField()
    learner = ApplicationPersonSerializer(allow_null=True, help_text="Null once the learner deleted their account.")
    round_count = serializers.IntegerField(help_text="How many times it has been sent for assessment.")
    submitted_at = serializers.DateTimeField(help_text="When the latest round was sent.")
    decided_at = serializers.DateTimeField(allow_null=True)
    credential = serializers.UUIDField(allow_null=True, help_text="The issued credential's public id, once approved.")
    url = serializers.URLField()


class ApplicationEvidenceSerializer(serializers.Serializer):
    """What the API tells about a piece of evidence: never the file itself, only where to download it."""

    id = serializers.UUIDField()
    kind = EvidenceKindField()
    title = serializers.CharField()
    narrative = serializers.CharField(allow_blank=True)
    url = serializers.CharField(allow_blank=True, help_text="The link, for evidence of kind `link`.")
    file_name = serializers.CharField(allow_blank=True, help_text="The name the learner's file had.")
    size = serializers.IntegerField(help_text="Bytes; 0 unless it is a file.")
    content_type = serializers.CharField(allow_blank=True, help_text="The file's type, told by its content.")
    is_public = serializers.BooleanField(help_text="Whether the learner shows it in the credential.")
    download = serializers.URLField(allow_null=True, help_text="Where the file downloads (files only).")


class ApplicationRubricLevelSerializer(serializers.Serializer):
    id = serializers.UUIDField()
    name = serializers.CharField()
    description = serializers.CharField(allow_blank=True)
    is_pass_level = serializers.BooleanField()


class ApplicationOutcomeSerializer(serializers.Serializer):
    id = serializers.UUIDField()
    statement = serializers.CharField()
    assessment_criteria = serializers.CharField(allow_blank=True)
    levels = ApplicationRubricLevelSerializer(many=True, help_text="The rubric, lowest level first.")
    evidence = ApplicationEvidenceSerializer(many=True, help_text="The evidence sent for it in the latest round.")


class ApplicationSentEvidenceSerializer(serializers.Serializer):
    """One piece of evidence as it was when a round was sent."""

    id = serializers.UUIDField()
    outcome = serializers.UUIDField()
    kind = EvidenceKindField()
    title = serializers.CharField()
    narrative = serializers.CharField(allow_blank=True)
    url = serializers.CharField(allow_blank=True)
    file_name = serializers.CharField(allow_blank=True)
    is_public = serializers.BooleanField()
    download = serializers.URLField(allow_null=True)


class ApplicationScoreSerializer(serializers.Serializer):
    outcome = serializers.UUIDField()
    level = serializers.UUIDField(allow_null=True)
    level_name = serializers.CharField(allow_blank=True)
    comment = serializers.CharField(allow_blank=True, help_text="Feedback on this learning outcome.")


class ApplicationAssessmentSerializer(serializers.Serializer):
    assessor = ApplicationPersonSerializer()
    decision = DecisionField()
    comment = serializers.CharField(allow_blank=True, help_text="The overall feedback to the learner.")
    created_at = serializers.DateTimeField()
    scores = ApplicationScoreSerializer(many=True)


class ApplicationRoundSerializer(serializers.Serializer):
    number = serializers.IntegerField()
    submitted_at = serializers.DateTimeField()
    evidence = ApplicationSentEvidenceSerializer(many=True)
    assessments = ApplicationAssessmentSerializer(many=True)


class ApplicationRefusalSerializer(serializers.Serializer):
    code = serializers.CharField()
    message = serializers.CharField()


class ApplicationDetailSerializer(ApplicationSummarySerializer):
    show_name = serializers.BooleanField(help_text="Whether the credential shows the learner's name.")
    recipient_name = serializers.CharField(allow_blank=True)
    created_at = serializers.DateTimeField()
    outcomes = ApplicationOutcomeSerializer(many=True)
    rounds = ApplicationRoundSerializer(many=True, help_text="Every round with its assessments, newest first.")
    decision_refusal = ApplicationRefusalSerializer(
        allow_null=True, help_text="Why you cannot decide on it now (the code a decision would answer), or null."
    )


class ApplicationOutcomeScoreInputSerializer(serializers.Serializer):
    outcome = serializers.UUIDField(help_text="A learning outcome's id.")
    level = serializers.UUIDField(required=False, allow_null=True, help_text="One of the outcome's rubric levels.")
    comment = serializers.CharField(required=False, allow_blank=True, default="")


class ApplicationDecisionInputSerializer(serializers.Serializer):
    decision = DecisionField()
    comment = serializers.CharField(
        required=False, allow_blank=True, default="",
        help_text="Feedback to the learner; needed (here or on an outcome) to request a revision or reject.",
    )
    outcomes = ApplicationOutcomeScoreInputSerializer(
        many=True, required=False, default=list,
        help_text="A level and a comment per learning outcome; to approve, every outcome at its pass level.",
    )
