"""Badge rows -> ob3 value objects. No decisions, no I/O."""

from __future__ import annotations

from django.urls import reverse

from badges.models import Achievement, Credential
from issuers.adapters import issuer_profile
from issuers.identifiers import public_url
from ob3.model import Achievement as Ob3Achievement
from ob3.model import CredentialDraft, Criteria, Image, Recipient


def achievement_value(achievement: Achievement) -> Ob3Achievement:
    image = None
    if achievement.image:
        image = Image(
            id=public_url(reverse("badges:achievement-image", args=[achievement.public_id, "png"])),
            caption=achievement.image_alt or None,
        )
    return Ob3Achievement(
        id=achievement.uri,
        name=achievement.name,
        description=achievement.description,
        criteria=Criteria(narrative=achievement.criteria_narrative),
        achievement_type=achievement.achievement_type or None,
        image=image,
        in_language=achievement.in_language or None,
        human_code=achievement.human_code or None,
        field_of_study=achievement.field_of_study or None,
    )


def credential_draft(credential: Credential) -> CredentialDraft:
    return CredentialDraft(
        id=credential.uri,
        issuer=issuer_profile(credential.issuer),
        achievement=achievement_value(credential.achievement),
        recipient=Recipient(
            email=credential.recipient_email,
            salt=credential.recipient_salt,
            name=credential.recipient_name or None,
        ),
        valid_from=credential.valid_from,
        valid_until=credential.valid_until,
    )
