"""Plain factory functions for platform tests; they go through the services, as real callers do."""

from __future__ import annotations

from badges.models import Achievement
from badges.services import achievement_create
from issuers.models import Issuer
from issuers.services import issuer_create


def make_issuer(slug: str = "testskolan", *, jwt_enabled: bool = False) -> Issuer:
    return issuer_create(slug=slug, name="Testskolan", country_code="SE", jwt_enabled=jwt_enabled)


def make_achievement(issuer: Issuer, *, status: str = Achievement.Status.PUBLISHED) -> Achievement:
    return achievement_create(
        issuer=issuer,
        name="Samarbete i arbetsgrupp",
        description="Kan samarbeta i en arbetsgrupp.",
        criteria_narrative="Har genomfört en gemensam uppgift.",
        status=status,
    )
