"""The offline JSON-LD document loader: vendored contexts only, never the network.

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
import json
from collections.abc import Callable, Mapping
from functools import cache
from pathlib import Path
from typing import Any

from ob3.errors import Ob3Error, UnknownContextError

CONTEXTS_DIR = Path(__file__).with_name("contexts")

VC_V2 = "https://www.w3.org/ns/credentials/v2"
VC_V1 = "https://www.w3.org/2018/credentials/v1"
OB_V3P0 = "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json"
OB_EXTENSIONS = "https://purl.imsglobal.org/spec/ob/v3p0/extensions.json"
DID_V1 = "https://www.w3.org/ns/did/v1"
MULTIKEY_V1 = "https://w3id.org/security/multikey/v1"
JWK_V1 = "https://w3id.org/security/jwk/v1"

ContextFetch = Callable[[str], Any]


@cache
def vendored_contexts() -> Mapping[str, Any]:
    """URL -> parsed context document, read once from the vendored files."""
    manifest = json.loads((CONTEXTS_DIR / "manifest.json").read_text("utf-8"))
    return {row["url"]: json.loads((CONTEXTS_DIR / row["file"]).read_text("utf-8")) for row in manifest}


def _fingerprint(document: Any) -> str:
    return json.dumps(document, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


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
