"""What the OB 3.0 API does: a learner's credentials for an app, credentials an app upserts into the
wallet (verified first, refused unless valid), the OB profile, and the apps a learner connected."""

from __future__ import annotations

import base64
import hashlib
import json
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Any

from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _
from oauth2_provider.models import AccessToken, Application, Grant, RefreshToken

from badges.models import Credential
from kernel.emails import primary_verified_email, verified_emails
from learners.models import ExternalCredential
from learners.selectors import credential_list_for_learner, learner_verified_did
from ob3.baking import unbake
from obapi.errors import ObApiError
from obapi.models import ClientRegistration, DeliveredCredential, ObProfile
from verification.checking import upload_verify
from verification.forms import upload_max_bytes

if TYPE_CHECKING:
    from kernel.users import User

JSON_FORMATS = ("json", "jwt")
PROFILE_MAX_BYTES = 64 * 1024


# --- getCredentials ------------------------------------------------------------------------------------
@dataclass
class CredentialPage:
    credentials: list[dict[str, Any]]
    compact_jws: list[str]
    total: int


def _ours(user: User, since: datetime | None):
    credentials = credential_list_for_learner(user, signed_documents=True).filter(
        Q(document__isnull=False) | ~Q(jwt=""), status=Credential.Status.ISSUED
    )
    if since is not None:
        credentials = credentials.filter(valid_from__gt=since)
    return credentials


def _external(user: User, since: datetime | None):
    # Only what verified as valid: every credential the API returns must be verifiable (OB 3.0 Host duties).
    externals = ExternalCredential.objects.filter(user=user, verdict="valid", format__in=JSON_FORMATS)
    if since is not None:
        externals = externals.filter(created_at__gt=since)
    return externals.order_by("-created_at", "-pk")


def ob_credentials_for_learner(*, user: User, limit: int, offset: int, since: datetime | None) -> CredentialPage:
    """The learner's signed credentials from this platform (newest first), then the valid ones from
    elsewhere (newest first), paged as one list."""
    ours, theirs = _ours(user, since), _external(user, since)
    ours_total, theirs_total = ours.count(), theirs.count()
    documents: list[dict[str, Any]] = []
    jws: list[str] = []
    if offset < ours_total:
        for credential in ours[offset:offset + limit]:
            if credential.document is not None:
                documents.append(credential.document)
            else:
                jws.append(credential.jwt)
    left = limit - min(limit, max(0, ours_total - offset))
    start = max(0, offset - ours_total)
    if left > 0:
        for external in theirs[start:start + left]:
            raw = bytes(external.raw).decode("utf-8")
            if external.format == "jwt":
                jws.append(raw.strip())
            else:
                documents.append(json.loads(raw))
    return CredentialPage(documents, jws, ours_total + theirs_total)


# --- upsertCredential ----------------------------------------------------------------------------------
def _issuer_id(credential: dict[str, Any]) -> str:
    issuer = credential.get("issuer")
    value = issuer.get("id") if isinstance(issuer, dict) else issuer
    return value if isinstance(value, str) else ""


def _text(value: Any) -> str:
    return value if isinstance(value, str) else ""


def _recipient_is(credential: dict[str, Any], user: User) -> bool:
    """Whether the credential names this learner: their proved DID, or one of their verified e-mail
    addresses as an `identifier` (plain or `sha256$` hashed with its salt)."""
    subjects = credential.get("credentialSubject")
    subjects = subjects if isinstance(subjects, list) else [subjects]
    did = learner_verified_did(user)
    emails = verified_emails(user)
    for subject in subjects:
        if not isinstance(subject, dict):
            continue
        if did and subject.get("id") == did:
            return True
        identifiers = subject.get("identifier")
        for entry in identifiers if isinstance(identifiers, list) else [identifiers]:
            if not isinstance(entry, dict) or entry.get("identityType") != "emailAddress":
                continue
            hashed, value, salt = entry.get("hashed"), _text(entry.get("identityHash")), _text(entry.get("salt"))
            for email in emails:
                if hashed is True and value.startswith("sha256$"):
                    if hashlib.sha256((email + salt).encode()).hexdigest() == value[len("sha256$"):].lower():
                        return True
                elif hashed is False and value.lower() == email.lower():
                    return True
    return False


def _describe(credential: dict[str, Any]) -> tuple[str, str]:
    subject = credential.get("credentialSubject")
    subject = subject[0] if isinstance(subject, list) and subject else subject
    achievement = subject.get("achievement") if isinstance(subject, dict) else None
    name = _text(achievement.get("name")) if isinstance(achievement, dict) else ""
    issuer = credential.get("issuer")
    issuer_name = _text(issuer.get("name")) if isinstance(issuer, dict) else ""
    return (name or _text(credential.get("name")))[:300], issuer_name[:300]


def _jwt_payload(token: str) -> dict[str, Any]:
    payload = token.strip().split(".")[1]
    document = json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))
    if not isinstance(document, dict):
        return {}
    credential = document.get("vc", document)
    return credential if isinstance(credential, dict) else {}


def _stored_issuer(external: ExternalCredential) -> str:
    """The issuer id of a credential already in the wallet (read from what was kept; it was verified then)."""
    delivery = DeliveredCredential.objects.filter(external=external).first()
    if delivery is not None:
        return delivery.issuer_id
    raw = bytes(external.raw)
    try:
        content: dict[str, Any] | str = unbake(raw) if external.format in ("png", "svg") else raw.decode("utf-8")
        if isinstance(content, dict):
            document = content
        else:
            document = json.loads(content) if content.lstrip().startswith("{") else _jwt_payload(content)
    except Exception:  # noqa: BLE001 - an unreadable stored import matches nothing
        return ""
    return _issuer_id(document) if isinstance(document, dict) else ""


@dataclass
class Upserted:
    external: ExternalCredential
    created: bool


def ob_credential_upsert(*, user: User, data: bytes, format: str, application: Application | None) -> Upserted:
    """Verify a credential an app sends (JSON with an embedded proof, or a VC-JWT) and keep it in the
    learner's wallet as a credential from elsewhere, replacing the one with the same issuer and id.

    Fails closed: anything that does not verify as valid here and now (a bad signature, a key the issuer
    does not bind, a status that could not be read, revoked, expired) is refused, and so is a credential
    that does not name this learner. Nothing is stored on a refusal."""
    if len(data) > upload_max_bytes():
        raise ObApiError("too_large", _("The credential is too large."), status=413, minor="invalid_data")
    verification = upload_verify(data=data)
    result = verification.result
    if result.limit is not None or result.credential is None or result.format not in JSON_FORMATS:
        raise ObApiError("not_a_credential", _("The body is not an Open Badges 3.0 credential."), minor="invalid_data")
    credential = result.credential
    if result.verdict != "valid":
        reasons = tuple(f"{check.name}: {check.reason}" for check in result.checks if not check.passed)[:5]
        raise ObApiError("not_verified", _("The credential could not be verified as valid (%(verdict)s), so it "
                         "was not stored.") % {"verdict": result.verdict}, minor="invalid_data", details=reasons)
    credential_id, issuer_id = _text(credential.get("id"))[:500], _issuer_id(credential)[:500]
    if not credential_id or not issuer_id:
        raise ObApiError("no_id", _("The credential has no id or no issuer id."), minor="invalid_data")
    if not _recipient_is(credential, user):
        raise ObApiError("not_the_learner", _("The credential is not issued to this learner (neither their "
                         "verified e-mail address nor their DID)."), status=403, minor="forbidden")
    name, issuer_name = _describe(credential)
    report = result.to_dict()
    report.pop("credential", None)
    client_name = application.name if application is not None else ""
    with transaction.atomic():
        existing = next(
            (external for external in ExternalCredential.objects.select_for_update().filter(
                user=user, credential_id=credential_id).order_by("pk")
             if _stored_issuer(external) == issuer_id),
            None,
        )
        fields = {
            "format": result.format, "raw": data, "name": name, "issuer_name": issuer_name,
            "verdict": result.verdict, "verification": report, "verified_at": timezone.now(),
        }
        if existing is None:
            external = ExternalCredential.objects.create(user=user, credential_id=credential_id, **fields)
        else:
            external = existing
            for key, value in fields.items():
                setattr(external, key, value)
            external.original_filename = ""
            external.save()
        DeliveredCredential.objects.update_or_create(
            external=external,
            defaults={"application": application, "client_name": client_name[:255], "issuer_id": issuer_id},
        )
    return Upserted(external, created=existing is None)


# --- Profile -------------------------------------------------------------------------------------------
def _ob_profile(user: User) -> ObProfile:
    profile, _created = ObProfile.objects.get_or_create(user=user)
    return profile


def ob_profile_get(*, user: User) -> dict[str, Any]:
    """The profile an app last wrote, else one made from the account: a stable id (the proved DID, or an
    opaque URN), the name and the primary verified e-mail address."""
    profile = _ob_profile(user)
    if profile.document is not None:
        return profile.document
    email = primary_verified_email(user) or next(iter(verified_emails(user)), None)
    document: dict[str, Any] = {"id": learner_verified_did(user) or profile.profile_id, "type": ["Profile"]}
    name = " ".join(filter(None, [user.first_name, user.last_name])).strip()
    if name:
        document["name"] = name
    if email:
        document["email"] = email
    return document


def ob_profile_put(*, user: User, document: Any) -> dict[str, Any]:
    """Keep the OB Profile an app sends (its data preserved as sent) for later reads; it changes nothing of
    the account, its sign-in or its e-mail addresses."""
    if not isinstance(document, dict):
        raise ObApiError("invalid", _("The profile must be a JSON object."))
    if len(json.dumps(document)) > PROFILE_MAX_BYTES:
        raise ObApiError("too_large", _("The profile is too large."), status=413)
    identifier, types = document.get("id"), document.get("type")
    if not isinstance(identifier, str) or ":" not in identifier or len(identifier) > 500:
        raise ObApiError("invalid", _("The profile needs an id that is a URI."))
    types = [types] if isinstance(types, str) else types
    if not isinstance(types, list) or "Profile" not in types or not all(isinstance(t, str) for t in types):
        raise ObApiError("invalid", _("The profile's type must include \"Profile\"."))
    for field in ("name", "email", "givenName", "familyName", "url", "description", "phone"):
        if field in document and not isinstance(document[field], str):
            raise ObApiError("invalid", _("%(field)s must be a string.") % {"field": field})
    profile = _ob_profile(user)
    profile.document = document
    profile.save(update_fields=["document", "updated_at"])
    return document


# --- Connected apps ------------------------------------------------------------------------------------
@dataclass
class ConnectedApp:
    application: Application
    registration: ClientRegistration | None
    scopes: list[str]
    connected_at: datetime
    last_token_at: datetime


def connected_apps_for_learner(*, user: User) -> list[ConnectedApp]:
    """The apps that hold a token (access or refresh) of this learner that is not revoked, or a code the
    learner just allowed that the app has not yet exchanged."""
    now = timezone.now()
    access = AccessToken.objects.filter(user=user, expires__gt=now).select_related("application")
    refresh = RefreshToken.objects.filter(user=user, revoked__isnull=True).select_related(
        "application", "access_token")
    grants = Grant.objects.filter(user=user, expires__gt=now).select_related("application")
    apps: dict[int, ConnectedApp] = {}
    for token in [*access, *refresh, *grants]:
        application = token.application
        if application is None:
            continue
        if isinstance(token, RefreshToken):
            scopes = token.access_token.scope.split() if token.access_token is not None else []
        else:
            scopes = token.scope.split()
        current = apps.get(application.pk)
        if current is None:
            registration = ClientRegistration.objects.filter(application=application).first()
            apps[application.pk] = ConnectedApp(application, registration, scopes, token.created, token.created)
        else:
            current.scopes = list(dict.fromkeys([*current.scopes, *scopes]))
            current.connected_at = min(current.connected_at, token.created)
            current.last_token_at = max(current.last_token_at, token.created)
    return sorted(apps.values(), key=lambda app: app.application.name.lower())


@transaction.atomic
def connected_app_disconnect(*, user: User, application: Application) -> int:
    """Revoke every token and pending code this learner gave `application`; returns how many tokens."""
    count = 0
    for refresh in RefreshToken.objects.filter(user=user, application=application, revoked__isnull=True):
        refresh.revoke()
        count += 1
    for access in AccessToken.objects.filter(user=user, application=application):
        access.revoke()
        count += 1
    Grant.objects.filter(user=user, application=application).delete()
    return count
