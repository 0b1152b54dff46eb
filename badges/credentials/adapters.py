"""Credential rows -> the ob3 draft that gets signed. No decisions, no I/O."""

from __future__ import annotations

from badges.achievements.adapters import achievement_value, eu_elements
from badges.contexts import extension_context_url
from badges.credentials.status_lists import status_entry_for
from badges.models import Credential
from issuers.adapters import issuer_profile
from ob3 import eu
from ob3.model import (
    CredentialDraft,
    Evidence,
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


def credential_draft(credential: Credential) -> CredentialDraft:
    achievement = credential.achievement
    draft = CredentialDraft(
        id=credential.uri,
        issuer=issuer_profile(credential.issuer, identity_kind=credential_identity_kind(credential)),
        achievement=achievement_value(achievement),
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
    )
    return eu.with_eu_extension(draft, eu_elements(achievement), context_url=extension_context_url())
