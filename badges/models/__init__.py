"""The badges app's models: micro-credential definitions (achievements) and issued credentials."""

from badges.models.achievements import (
    LEVEL_VALIDATORS,
    Achievement,
    AchievementAuditEvent,
    AchievementTranslation,
    AssessmentType,
    ExternalReview,
    LearningOutcome,
    LearningOutcomeTranslation,
    QualityAssuranceType,
    RubricLevel,
    RubricLevelTranslation,
)
from badges.models.credentials import Credential, CredentialEvent, StatusList

__all__ = [
    "LEVEL_VALIDATORS", "Achievement", "AchievementAuditEvent", "AchievementTranslation", "AssessmentType",
    "Credential", "CredentialEvent", "ExternalReview", "LearningOutcome", "LearningOutcomeTranslation",
    "QualityAssuranceType", "RubricLevel", "RubricLevelTranslation", "StatusList",
]
