"""The platform's fetcher for other sites' public documents: safefetch with Django's cache and settings."""

from __future__ import annotations

from django.conf import settings
from django.core.cache import cache

from safefetch import Fetcher


def default_fetcher() -> Fetcher:
    """The fetcher the verifier uses. Loopback is allowed only when the test settings ask for it
    (settings refuse that flag outside development runs)."""
    return Fetcher(allow_loopback=settings.VERIFY_FETCH_ALLOW_LOOPBACK_FOR_TESTS, cache=cache)


def webhook_fetcher() -> Fetcher:
    """The fetcher webhook deliveries are POSTed through: the same vetting and pinning, no cache, and only
    the first kilobyte of a receiver's answer kept (it is logged, never read)."""
    return Fetcher(allow_loopback=settings.VERIFY_FETCH_ALLOW_LOOPBACK_FOR_TESTS, max_bytes=1024)
