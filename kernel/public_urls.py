"""Addresses of this site as the public reaches it (PUBLIC_BASE_URL), not as a request came in."""

from __future__ import annotations

from django.conf import settings


def public_url(path: str) -> str:
    """An absolute URL on this site for a path such as reverse() returns."""
    return settings.PUBLIC_BASE_URL + path
