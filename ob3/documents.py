"""The offline JSON-LD document loader: the contexts of `contexts/manifest.json` only, never the network.

The published contexts come from the npm packages manifest.json names; `make install` extracts them into
`contexts/npm/` (scripts/install_contexts.mjs). The project's own contexts live in `contexts/`.

`load_document(url)` has the pyld document-loader signature. Any URL not in `contexts/manifest.json`
(or registered by the caller with `DocumentLoader(extra=...)`) raises UnknownContextError, so a
credential that names a context we do not have fails clearly instead of triggering a fetch.

Two ways to reach a context we hold under another address, neither of which lets new meaning in:

* `aliases` — the caller knows the address is ours (e.g. an installation serves our extension
  context at its own URL): the URL gets the known document.
* `fetch` — a URL we do not know is fetched by the caller's callable, and the answer is used only if
  it equals, as parsed JSON, a context we already hold. It pins content, not addresses: another
  installation's copy of our extension context is accepted, any other context is still refused.
"""

from __future__ import annotations

import copy
import hashlib
import json
from collections.abc import Callable, Mapping
from functools import cache
from pathlib import Path
from typing import Any

from ob3.errors import ContextInstallError, Ob3Error, UnknownContextError

CONTEXTS_DIR = Path(__file__).with_name("contexts")

VC_V2 = "https://www.w3.org/ns/credentials/v2"
VC_V1 = "https://www.w3.org/2018/credentials/v1"
OB_V3P0 = "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json"
OB_EXTENSIONS = "https://purl.imsglobal.org/spec/ob/v3p0/extensions.json"
DID_V1 = "https://www.w3.org/ns/did/v1"
MULTIKEY_V1 = "https://w3id.org/security/multikey/v1"
JWK_V1 = "https://w3id.org/security/jwk/v1"

ContextFetch = Callable[[str], Any]


def _fingerprint(document: Any) -> str:
    return json.dumps(document, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def document_digest(document: Any) -> str:
    """SHA-256 of a JSON document's content, whatever its formatting (manifest.json's `document_sha256`)."""
    return hashlib.sha256(_fingerprint(document).encode("utf-8")).hexdigest()


def _read_context(row: Mapping[str, Any]) -> Any:
    path = CONTEXTS_DIR / row["file"]
    try:
        document = json.loads(path.read_text("utf-8"))
    except FileNotFoundError:
        # The published contexts are not in the repository: `make install` extracts them from their npm packages.
        raise ContextInstallError(
            f"the JSON-LD context {row['url']!r} is not installed ({path}): run `make install`"
        ) from None
    # A package that changed a context's content would silently change what signatures mean: refuse it.
    if document_digest(document) != row["document_sha256"]:
        raise ContextInstallError(
            f"the JSON-LD context {row['url']!r} in {path} is not the document manifest.json pins"
        )
    return document


@cache
def vendored_contexts() -> Mapping[str, Any]:
    """URL -> parsed context document, read once and checked against manifest.json's digests."""
    manifest = json.loads((CONTEXTS_DIR / "manifest.json").read_text("utf-8"))
    return {row["url"]: _read_context(row) for row in manifest}


@cache
def _vendored_by_content() -> Mapping[str, str]:
    """Parsed-JSON fingerprint -> the URL we hold that document under."""
    return {_fingerprint(document): url for url, document in vendored_contexts().items()}


def known_context_for(document: Any) -> str | None:
    """The URL of the vendored context whose parsed JSON equals `document`, else None."""
    return _vendored_by_content().get(_fingerprint(document))


class DocumentLoader:
    """A pyld-compatible loader over the vendored contexts plus any documents the caller adds.

    `extra`: more url -> document pairs. `aliases`: url -> a URL this loader already knows.
    `fetch`: how to get a context we do not hold; its answer must equal one we do (see the module doc).
    """

    def __init__(
        self,
        extra: Mapping[str, Any] | None = None,
        *,
        aliases: Mapping[str, str] | None = None,
        fetch: ContextFetch | None = None,
    ):
        self._documents: dict[str, Any] = dict(vendored_contexts())
        for url, document in (extra or {}).items():
            self._documents[url] = document
        for url, known in (aliases or {}).items():
            if known not in self._documents:
                raise UnknownContextError(f"cannot alias {url!r} to {known!r}: that context is not held")
            self._documents[url] = self._documents[known]
        self._fetch = fetch

    def __contains__(self, url: str) -> bool:
        return url in self._documents

    def _fetched(self, url: str) -> Any:
        try:
            document = self._fetch(url) if self._fetch is not None else None
        except Ob3Error as exc:
            raise UnknownContextError(f"unknown JSON-LD context {url!r}: it could not be fetched ({exc})") from None
        if document is None:
            raise UnknownContextError(
                f"unknown JSON-LD context {url!r}: only vendored contexts are used, nothing is fetched"
            )
        if known_context_for(document) is None:
            raise UnknownContextError(
                f"unknown JSON-LD context {url!r}: what it serves is none of the contexts this verifier knows"
            )
        self._documents[url] = document
        return document

    def __call__(self, url: str, options: Any = None) -> dict[str, Any]:
        document = self._documents.get(url)
        if document is None:
            document = self._fetched(url)
        # pyld may mutate what it is given; hand out a copy so the cache stays pristine.
        return {"contentType": "application/ld+json", "contextUrl": None, "documentUrl": url,
                "document": copy.deepcopy(document)}


DEFAULT_LOADER = DocumentLoader()
