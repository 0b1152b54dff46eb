"""Creating, revoking and recognising API tokens. Only owners manage them (MANAGE_MEMBERS)."""

from __future__ import annotations

import secrets
from datetime import datetime
from typing import TYPE_CHECKING

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from api.models import ApiToken
from api.scopes import Scope
from issuers.access import capability_check
from issuers.audit import AuditKind, issuer_audit_record
from issuers.models import Issuer
from issuers.roles import Capability
from kernel.errors import ApplicationError
from kernel.tokens import secret_token_hash

if TYPE_CHECKING:
    from kernel.users import User

TOKEN_START = "mkm_"  # noqa: S105 (the marker every token starts with, not a secret)
# last_used_at is written at most this often per token, so a busy integration does not write on every call.
LAST_USED_RESOLUTION_SECONDS = 60


@transaction.atomic
def api_token_create(
    *, issuer: Issuer, by: User, name: str, scopes: list[str], expires_at: datetime | None = None
) -> tuple[ApiToken, str]:
    """A new token and its secret, which is shown once and never stored."""
    capability_check(issuer_id=issuer.pk, user=by, capability=Capability.MANAGE_MEMBERS)
    unknown = sorted(set(scopes) - set(Scope.values))
    if not scopes or unknown:
        raise ApplicationError("invalid_scopes", _("Choose at least one of the listed scopes."))
    if not name.strip():
        raise ApplicationError("invalid_name", _("Give the token a name that says what uses it."))
    if expires_at is not None and expires_at <= timezone.now():
        raise ApplicationError("invalid_expiry", _("The expiry date must be in the future."))
    prefix = secrets.token_hex(4)
    secret = f"{TOKEN_START}{prefix}_{secrets.token_urlsafe(32)}"
    token = ApiToken.objects.create(
        issuer=issuer, name=name.strip(), prefix=prefix, token_hash=secret_token_hash(secret),
        scopes=sorted(set(scopes)), created_by=by, expires_at=expires_at,
    )
    issuer_audit_record(issuer_id=issuer.pk, kind=AuditKind.API_TOKEN_CREATED, by=by, subject=token.name,
                        prefix=prefix, scopes=token.scopes)
    return token, secret


@transaction.atomic
def api_token_revoke(*, token: ApiToken, by: User) -> ApiToken:
    capability_check(issuer_id=token.issuer_id, user=by, capability=Capability.MANAGE_MEMBERS)
    if ApiToken.objects.filter(pk=token.pk, revoked_at=None).update(revoked_at=timezone.now()):
        issuer_audit_record(issuer_id=token.issuer_id, kind=AuditKind.API_TOKEN_REVOKED, by=by, subject=token.name,
                            prefix=token.prefix)
    token.refresh_from_db()
    return token


def api_token_for_secret(secret: str) -> ApiToken | None:
    """The usable token with this secret (not revoked, not expired), its last use noted; else None."""
    if not secret.startswith(TOKEN_START):
        return None
    token = (
        ApiToken.objects.usable().select_related("issuer", "created_by")
        .filter(token_hash=secret_token_hash(secret)).first()
    )
    if token is None or not token.created_by.is_active:
        return None
    now = timezone.now()
    if token.last_used_at is None or (now - token.last_used_at).total_seconds() > LAST_USED_RESOLUTION_SECONDS:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
        token.last_used_at = now
    return token
