"""Read-only queries for the learner pages: the wallet, a credential's history, the catalogue."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING

from django.db.models import Exists, OuterRef, Q, QuerySet

from badges.credentials.selectors import credential_state as badges_credential_state
from badges.models import Achievement, Credential
from badges.models.credentials import CredentialQuerySet
from kernel.emails import verified_emails
from learners.models import ExternalCredential, LearnerDid, LearnerProfile

if TYPE_CHECKING:
    from kernel.users import AnyUser, User


def learner_verified_did(user: AnyUser) -> str | None:
    """The DID the person proved they control (learners.dids), which credentials issued to them name."""
    if not user.is_authenticated:
        return None
    return LearnerDid.objects.filter(user=user).values_list("did", flat=True).first()


def learner_verified_did_for_email(email: str) -> str | None:
    """The proved DID of whoever verified `email`: for awards made to an address rather than to an account."""
    return (
        LearnerDid.objects.filter(user__emailaddress__email__iexact=email.strip(), user__emailaddress__verified=True)
        .values_list("did", flat=True)
        .first()
    )


def learner_verified_dids_for_emails(emails: Iterable[str]) -> dict[str, str]:
    """learner_verified_did_for_email for many addresses in one query: {lowercased address: DID}, for the
    addresses that have one. Addresses are stored lowercased (allauth), so `in` can use their index."""
    wanted = {email.strip().lower() for email in emails}
    return dict(
        LearnerDid.objects.filter(user__emailaddress__email__in=wanted, user__emailaddress__verified=True)
        .values_list("user__emailaddress__email", "did")
    )


def _learner_credentials(emails: list[str]) -> CredentialQuerySet:
    # A failed signing is the issuer's problem to solve; it is not something the learner holds.
    return (
        Credential.objects.filter(recipient_email__in=emails)
        .exclude(status=Credential.Status.FAILED)
        .select_related("achievement", "issuer")
    )


def credential_list_for_learner(user: AnyUser, *, signed_documents: bool = False) -> CredentialQuerySet:
    """The learner's credentials, newest first; of a renewal chain only the newest version. Without their
    signed documents (the wallet's and the public profile's lists), unless `signed_documents` (the OB API)."""
    emails = verified_emails(user)
    if not emails:
        return Credential.objects.none()
    renewed = _learner_credentials(emails).filter(replaces=OuterRef("pk"))
    credentials = _learner_credentials(emails).filter(~Exists(renewed)).order_by("-valid_from", "-pk")
    return credentials if signed_documents else credentials.without_signed_documents()


def credential_history(credential: Credential) -> list[Credential]:
    """The versions this credential renewed, newest first (the `replaces` chain)."""
    history: list[Credential] = []
    seen = {credential.pk}
    current = credential.replaces
    while current is not None and current.pk not in seen:  # a cycle would be a data error; never loop on it
        history.append(current)
        seen.add(current.pk)
        current = current.replaces
    return history


def credential_newer_version(credential: Credential) -> Credential | None:
    """The renewal of this credential, if it has one that is not a failed signing."""
    return credential.renewals.exclude(status=Credential.Status.FAILED).order_by("-pk").first()


@dataclass(frozen=True)
class CredentialState:
    """What a learner should understand about a credential right now: a key, a word and an icon."""

    key: str  # pending | issued | expired | revoked
    icon: str


_STATE_ICONS = {"revoked": "✕", "pending": "…", "failed": "…", "expired": "⌛", "issued": "✓"}


def credential_state(credential: Credential, *, now: datetime | None = None) -> CredentialState:
    key = badges_credential_state(credential, now=now)
    if key == "failed":  # still being worked on by the issuer: the learner sees it as pending
        key = "pending"
    return CredentialState(key, _STATE_ICONS[key])


def external_credential_list_for_learner(user: User) -> QuerySet[ExternalCredential]:
    return ExternalCredential.objects.filter(user=user).defer("raw")


def learner_profile_by_handle(handle: str) -> LearnerProfile | None:
    """A public profile that its owner switched on; None for unknown handles and private profiles."""
    return (
        LearnerProfile.objects.select_related("user")
        .filter(public_handle=handle, public_profile_enabled=True, user__is_active=True)
        .first()
    )


def shared_credentials_for_learner(user: User) -> list[Credential]:
    """What a public profile shows: only what the learner chose to share, and only signed credentials."""
    return list(credential_list_for_learner(user).shared_publicly())


# --- Catalogue -----------------------------------------------------------------------------------------
def catalogue_achievements() -> QuerySet[Achievement]:
    """Published micro-credentials, each only in its latest published version."""
    newer_published = Achievement.objects.filter(previous_version=OuterRef("pk"), status=Achievement.Status.PUBLISHED)
    return Achievement.objects.filter(status=Achievement.Status.PUBLISHED).filter(~Exists(newer_published))


def catalogue_search(
    *,
    text: str = "",
    issuer_slug: str = "",
    eqf_level: int | None = None,
    field_of_study: str = "",
    occupation: str = "",
    language: str = "",
) -> QuerySet[Achievement]:
    achievements = catalogue_achievements()
    for word in text.split()[:10]:
        achievements = achievements.filter(
            Q(name__icontains=word)
            | Q(description__icontains=word)
            | Q(field_of_study__icontains=word)
            | Q(human_code__icontains=word)
            | Q(issuer__name__icontains=word)
            | Q(learning_outcomes__statement__icontains=word)
            | Q(translations__name__icontains=word)
            | Q(translations__description__icontains=word)
            | Q(learning_outcomes__translations__statement__icontains=word)
        )
    if issuer_slug:
        achievements = achievements.filter(issuer__slug=issuer_slug)
    if eqf_level is not None:
        achievements = achievements.filter(eqf_level=eqf_level)
    if field_of_study:
        achievements = achievements.filter(field_of_study=field_of_study)
    if occupation:
        achievements = achievements.filter(occupation_uris__icontains=f'"{occupation}"')
    if language:
        achievements = achievements.filter(in_language=language)
    return (
        achievements.distinct()
        .select_related("issuer")
        .prefetch_related("learning_outcomes")
        .order_by("name", "issuer__name", "pk")
    )


def catalogue_facets() -> dict[str, list]:
    """The values the catalogue filters offer: only what some published micro-credential has."""
    published = catalogue_achievements()
    issuers = sorted(
        {(slug, name) for slug, name in published.values_list("issuer__slug", "issuer__name")}, key=lambda i: i[1]
    )
    fields = sorted({value for value in published.values_list("field_of_study", flat=True) if value})
    occupations = sorted({uri for uris in published.values_list("occupation_uris", flat=True) for uri in uris or []
                          if isinstance(uri, str)})
    return {"issuers": issuers, "fields": fields, "occupations": occupations}
