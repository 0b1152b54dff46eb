"""Where the verdict of one of our credentials is kept between visits to its page (verification.checking
computes it; this module only stores and forgets it, so revoking, in this layer, can forget it too).

An entry holds the fingerprint of everything the verdict depends on, the moment it was computed and the
result. A reader uses it only when the fingerprint still matches and it is younger than
`settings.PUBLIC_CACHE_SECONDS`; anything else (a missing entry, an unreadable cache, a different
fingerprint) means computing the verdict again. The cache can make a page faster, never more trusting.
"""

from __future__ import annotations

import logging
from typing import Any

from django.core.cache import cache

logger = logging.getLogger(__name__)

PREFIX = "verification:verdict:v1:"


def verdict_cache_key(credential_id: int) -> str:
    return f"{PREFIX}{credential_id}"


def verdict_cache_get(credential_id: int) -> Any:
    """The stored entry, or None, also when the cache cannot be read (then the verdict is computed)."""
    try:
        return cache.get(verdict_cache_key(credential_id))
    except Exception:  # noqa: BLE001 -- any failure of the cache means computing, never trusting
        logger.warning("verdict cache unreadable", extra={"credential_id": credential_id})
        return None


def verdict_cache_put(credential_id: int, entry: Any, *, seconds: int) -> None:
    if seconds <= 0:
        return
    try:
        cache.set(verdict_cache_key(credential_id), entry, timeout=seconds)
    except Exception:  # noqa: BLE001 -- not keeping it only costs the next visitor the work
        logger.warning("verdict cache not written", extra={"credential_id": credential_id})


def verdict_cache_forget(credential_id: int) -> None:
    """Drop the credential's stored verdict (on revocation). A reader would not trust it anyway, since
    its fingerprint names the status list version; forgetting frees the entry at once."""
    try:
        cache.delete(verdict_cache_key(credential_id))
    except Exception:  # noqa: BLE001
        logger.warning("verdict cache entry not dropped", extra={"credential_id": credential_id})
