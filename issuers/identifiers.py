"""The public names of an issuer: its https id (the Profile URL) and its did:web alias."""

from __future__ import annotations

from urllib.parse import quote, urlsplit

from kernel.public_urls import public_url


def issuer_https_id(slug: str) -> str:
    return public_url(f"/issuers/{slug}")


def did_web_for(url: str) -> str:
    """did:web for an https(-like) URL: host with the port colon percent-encoded, path segments joined by ':'."""
    parts = urlsplit(url)
    host = quote(parts.netloc, safe="")  # localhost:8000 -> localhost%3A8000
    segments = [quote(segment, safe="") for segment in parts.path.split("/") if segment]
    return ":".join(["did", "web", host, *segments])


def issuer_did_web(slug: str) -> str:
    return did_web_for(issuer_https_id(slug))
