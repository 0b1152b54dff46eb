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
from badges.models.credentials import Credential, CredentialClaim, CredentialEvent, CredentialPageView, StatusList

__all__ = [
    "LEVEL_VALIDATORS", "Achievement", "AchievementAuditEvent", "AchievementTranslation", "AssessmentType",
    "Credential", "CredentialClaim", "CredentialEvent", "CredentialPageView", "ExternalReview", "LearningOutcome",
    "LearningOutcomeTranslation", "QualityAssuranceType", "RubricLevel", "RubricLevelTranslation", "StatusList",
]
