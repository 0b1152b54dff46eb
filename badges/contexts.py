"""The JSON-LD contexts as this installation names them, and the loader that signs and verifies with them.

Credentials name the Mikromerit extension context at `settings.EXTENSION_CONTEXT_URL` (by default this
site's /ns/v1). ob3 holds that context under its own address (`ob3.eu.MIKROMERIT_CONTEXT`), so the
platform's loader aliases our addresses to it: nothing is fetched, and what the address means cannot
change under a signature. `ob3.eu.MIKROMERIT_CONTEXT` stays in the vendored manifest, so credentials
issued when that was the only address keep verifying.

Every sign_credential / verify / fast canonicaliser call of the platform passes `platform_loader()` or
`platform_canonicalizer()`.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import lru_cache
from typing import Any

from django.conf import settings
from django.urls import reverse

from kernel.public_urls import public_url
from ob3.documents import DocumentLoader
from ob3.eu import MIKROMERIT_CONTEXT
from ob3.fast import make_fast_canonicalizer

Canonicalizer = Callable[[dict[str, Any]], str]


def extension_context_url() -> str:
    """The address credentials and public achievement documents give for the extension context."""
    return settings.EXTENSION_CONTEXT_URL


def _own_context_url() -> str:
    # Even when EXTENSION_CONTEXT_URL names another address, this site serves the context at /ns/v1 and
    # a credential issued before the operator set it names this one.
    return public_url(reverse("achievements_public:context"))


# Keyed by the settings they depend on, so a changed setting (override_settings in tests) gets a new
# loader; a loader lives as long as the process, which keeps the fast canonicaliser's caches warm.
@lru_cache(maxsize=8)
def _loader(extension_url: str, own_url: str) -> DocumentLoader:
    return DocumentLoader(aliases={extension_url: MIKROMERIT_CONTEXT, own_url: MIKROMERIT_CONTEXT})


@lru_cache(maxsize=8)
def _canonicalizer(extension_url: str, own_url: str) -> Canonicalizer:
    return make_fast_canonicalizer(_loader(extension_url, own_url))


def platform_loader() -> DocumentLoader:
    """ob3's offline loader, plus our addresses of the extension context."""
    return _loader(extension_context_url(), _own_context_url())


def platform_canonicalizer() -> Canonicalizer:
    """ob3's fast canonicaliser over `platform_loader()`: proven equal to the general path, which it
    falls back to (with its safe-mode checks) for anything it does not recognise."""
    return _canonicalizer(extension_context_url(), _own_context_url())
