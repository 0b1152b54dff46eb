"""The offline JSON-LD document loader: vendored contexts only, never the network.

`load_document(url)` has the pyld document-loader signature. Any URL not in `contexts/manifest.json`
(or registered by the caller with `DocumentLoader(extra=...)`) raises UnknownContextError, so a
credential that names a context we do not have fails clearly instead of triggering a fetch.
"""

from __future__ import annotations

import copy
import json
from collections.abc import Mapping
from functools import cache
from pathlib import Path
from typing import Any

from ob3.errors import UnknownContextError

CONTEXTS_DIR = Path(__file__).with_name("contexts")

VC_V2 = "https://www.w3.org/ns/credentials/v2"
VC_V1 = "https://www.w3.org/2018/credentials/v1"
OB_V3P0 = "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json"
OB_EXTENSIONS = "https://purl.imsglobal.org/spec/ob/v3p0/extensions.json"
DID_V1 = "https://www.w3.org/ns/did/v1"
MULTIKEY_V1 = "https://w3id.org/security/multikey/v1"
JWK_V1 = "https://w3id.org/security/jwk/v1"


@cache
def vendored_contexts() -> Mapping[str, Any]:
    """URL -> parsed context document, read once from the vendored files."""
    manifest = json.loads((CONTEXTS_DIR / "manifest.json").read_text("utf-8"))
    return {row["url"]: json.loads((CONTEXTS_DIR / row["file"]).read_text("utf-8")) for row in manifest}


class DocumentLoader:
    """A pyld-compatible loader over the vendored contexts plus any documents the caller adds."""

    def __init__(self, extra: Mapping[str, Any] | None = None):
        self._documents: dict[str, Any] = dict(vendored_contexts())
        for url, document in (extra or {}).items():
            self._documents[url] = document

    def __contains__(self, url: str) -> bool:
        return url in self._documents

    def __call__(self, url: str, options: Any = None) -> dict[str, Any]:
        try:
            document = self._documents[url]
        except KeyError:
            raise UnknownContextError(
                f"unknown JSON-LD context {url!r}: only vendored contexts are used, nothing is fetched"
            ) from None
        # pyld may mutate what it is given; hand out a copy so the cache stays pristine.
        return {"contentType": "application/ld+json", "contextUrl": None, "documentUrl": url,
                "document": copy.deepcopy(document)}


DEFAULT_LOADER = DocumentLoader()
