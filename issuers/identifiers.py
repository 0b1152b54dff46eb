"""The public names of an issuer: its https id (the Profile URL) and its did:web alias."""

from __future__ import annotations

from urllib.parse import quote, urlsplit

from django.conf import settings


def issuer_https_id(slug: str) -> str:
    return f"{settings.PUBLIC_BASE_URL}/issuers/{slug}"


def did_web_for(url: str) -> str:
    """did:web for an https(-like) URL: host with the port colon percent-encoded, path segments joined by ':'."""
    parts = urlsplit(url)
    host = quote(parts.netloc, safe="")  # localhost:8000 -> localhost%3A8000
    segments = [quote(segment, safe="") for segment in parts.path.split("/") if segment]
    return ":".join(["did", "web", host, *segments])


def issuer_did_web(slug: str) -> str:
    return did_web_for(issuer_https_id(slug))


def public_url(path: str) -> str:
    """An absolute URL on this site for a path such as reverse() returns."""
    return settings.PUBLIC_BASE_URL + path
