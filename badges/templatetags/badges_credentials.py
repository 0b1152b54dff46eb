"""Template filters for credential lists."""

from __future__ import annotations

from datetime import datetime

from django import template

from badges.credentials.selectors import credential_state
from badges.models import Credential

register = template.Library()


@register.filter(name="credential_state")
def credential_state_filter(credential: Credential, now: datetime) -> str:
    """`{{ credential|credential_state:now }}`: pending, issued, failed, revoked or expired (one rule)."""
    return credential_state(credential, now=now)
