"""Credential rows -> the ob3 draft that gets signed. No decisions, no I/O."""

from __future__ import annotations

from dataclasses import dataclass

from badges.achievements.adapters import achievement_value, eu_elements
from badges.contexts import extension_context_url
from badges.credentials.status_lists import status_entry_for
from badges.models import Credential
from issuers.adapters import issuer_profile
from ob3 import eu
from ob3.model import Achievement as Ob3Achievement
from ob3.model import (
    CredentialDraft,
    Evidence,
    Profile,
    Recipient,
    Result,
)


def _result(entry: dict) -> Result:
    # Results point at the achievement's ResultDescription and RubricCriterionLevel by their ids.
    return Result(
        result_description=f"urn:uuid:{entry['outcome']}" if entry.get("outcome") else None,
        achieved_level=f"urn:uuid:{entry['level']}" if entry.get("level") else None,
        value=entry.get("value") or None,
        status=entry.get("status") or None,
    )


def _evidence(entry: dict) -> Evidence:
    return Evidence(
        id=entry.get("id") or None,
        name=entry.get("name") or None,
        description=entry.get("description") or None,
        narrative=entry.get("narrative") or None,
        genre=entry.get("genre") or None,
    )


def credential_identity_kind(credential: Credential) -> str:
    """The issuer identity a credential is signed under: that of the status list it was given an index in
    (a re-run of signing keeps the list, so it keeps naming the issuer the list names), else the current."""
    if credential.status_list_id is not None:
        return credential.status_list.identity_kind
    return credential.issuer.identity_kind


@dataclass(frozen=True)
class DraftTemplate:
    """What every credential of one achievement version shares when signed under one issuer identity: the
    issuer Profile and the Achievement with its EU extension. Built once per chunk of a cohort; only the
    recipient parts differ from credential to credential."""

    issuer: Profile
    achievement: Ob3Achievement
    extra_contexts: tuple[str, ...]


def credential_draft_template(credential: Credential) -> DraftTemplate:
    achievement = credential.achievement
    shared = eu.with_eu_extension(
        CredentialDraft(
            id="urn:uuid:00000000-0000-0000-0000-000000000000",
            issuer=issuer_profile(credential.issuer, identity_kind=credential_identity_kind(credential)),
            achievement=achievement_value(achievement),
            recipient=Recipient(),
            valid_from=credential.valid_from,
        ),
        eu_elements(achievement),
        context_url=extension_context_url(),
    )
    return DraftTemplate(issuer=shared.issuer, achievement=shared.achievement, extra_contexts=shared.extra_contexts)


def credential_draft(credential: Credential, *, template: DraftTemplate | None = None) -> CredentialDraft:
    """The draft of one credential; `template` (credential_draft_template of a credential of the same
    achievement and issuer identity) saves rebuilding the shared parts from the database."""
    template = template or credential_draft_template(credential)
    return CredentialDraft(
        id=credential.uri,
        issuer=template.issuer,
        achievement=template.achievement,
        recipient=Recipient(
            did=credential.recipient_did or None,
            email=credential.recipient_email,
            salt=credential.recipient_salt,
            name=credential.recipient_name or None,
        ),
        valid_from=credential.valid_from,
        valid_until=credential.valid_until,
        awarded_date=credential.awarded_at,
        results=tuple(_result(entry) for entry in credential.results),
        evidence=tuple(_evidence(entry) for entry in credential.evidence),
        status=status_entry_for(credential),  # allocated by the signing path before the draft is built
        extra_contexts=template.extra_contexts,
    )
