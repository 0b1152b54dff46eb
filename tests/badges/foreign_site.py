"""Another issuer's site, in memory: its controller document, status list and signed credentials, served to
the platform's verifier by a stand-in for the safe fetcher (no sockets; tests/badges/test_verification_foreign.py
does the same over real HTTPS). What the stand-in does not hold "could not be reached", as a dead site would.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from ob3.build import build_credential
from ob3.documents import DocumentLoader
from ob3.eu import MIKROMERIT_CONTEXT, with_eu_extension
from ob3.keys import LocalSigner
from ob3.model import Profile, StatusEntry
from ob3.proofs.data_integrity import sign_credential
from ob3.proofs.vc_jwt import sign_jwt
from ob3.status_list import build_status_list_credential, encode_list, new_status_list, set_bit
from safefetch import FetchError
from tests.ob3.factories import ISSUER_ID, STATUS_LIST_URL, eu_elements, realistic_draft

SIGNED_AT = datetime(2025, 6, 13, 10, 30, tzinfo=UTC)
CHECKED_AT = "2026-03-02T12:00:00Z"  # freeze_time for every check: realistic_draft is valid 2025-06-13 to 2030
INDEX = 94_567  # realistic_draft's status list index
METHOD = f"{ISSUER_ID}#key-1"
NAME = "Grundläggande dataanalys med Python"  # realistic_draft's achievement
ISSUER_NAME = "Högskolan i Exempelstad"


class FakeFetcher:
    """Stands in for safefetch.Fetcher: answers from `routes`, records every URL asked for."""

    def __init__(self, routes: dict[str, Any] | None = None):
        self.routes = dict(routes or {})
        self.asked: list[str] = []

    def fetch_json(self, url: str) -> Any:
        self.asked.append(url)
        if url not in self.routes:
            raise FetchError(f"{url} could not be reached (ConnectionRefusedError)")
        return json.loads(json.dumps(self.routes[url]))


@dataclass
class ForeignIssuer:
    """Högskolan i Exempelstad (tests.ob3.factories) on its own site, with one Ed25519 key."""

    signer: LocalSigner = field(default_factory=lambda: LocalSigner.from_ed25519_seed(bytes(range(32))))

    @property
    def profile(self) -> Profile:
        return realistic_draft().issuer

    def controller_document(self) -> dict[str, Any]:
        return {
            "@context": ["https://www.w3.org/ns/did/v1", "https://w3id.org/security/multikey/v1"],
            "id": ISSUER_ID,
            "verificationMethod": [{"id": METHOD, "type": "Multikey", "controller": ISSUER_ID,
                                    "publicKeyMultibase": self.signer.public_key.to_multikey()}],
            "assertionMethod": [METHOD],
        }

    def status_list(self, *, revoked: bool = False, signer: LocalSigner | None = None) -> dict[str, Any]:
        bits = new_status_list()
        if revoked:
            set_bit(bits, INDEX)
        listing = build_status_list_credential(id=STATUS_LIST_URL, issuer=self.profile, valid_from=SIGNED_AT,
                                               encoded_list=encode_list(bits))
        return sign_credential(listing, signer=signer or self.signer, verification_method=METHOD, created=SIGNED_AT)

    def site(self, **changes: Any) -> FakeFetcher:
        """Its documents as a fetcher; `changes` replace (or, given None, remove) documents by URL."""
        routes = {ISSUER_ID: self.controller_document(), STATUS_LIST_URL: self.status_list()}
        for url, document in changes.items():
            if document is None:
                routes.pop(url, None)
            else:
                routes[url] = document
        return FakeFetcher(routes)

    def credential(self, *, method: str = METHOD, context_url: str | None = None,
                   loader: DocumentLoader | None = None) -> dict[str, Any]:
        """realistic_draft signed by this issuer; with `context_url`, carrying the Mikromerit extension under
        that address (signed with `loader`, which must know it)."""
        draft = realistic_draft(status=StatusEntry(status_list_credential=STATUS_LIST_URL, status_list_index=INDEX))
        if context_url is not None:
            draft = with_eu_extension(draft, eu_elements(), context_url=context_url)
        document = build_credential(draft)
        options = {"loader": loader} if loader is not None else {}
        return sign_credential(document, signer=self.signer, verification_method=method, created=SIGNED_AT,
                               **options)

    def fragment_key_credential(self) -> dict[str, Any]:
        """Signed with `<issuer id>#z6Mk…`: a key read from the address itself, which no document confirms
        unless the issuer's own controller document lists it."""
        return self.credential(method=f"{ISSUER_ID}#{self.signer.public_key.to_multikey()}")

    def jwt_with_header_key(self) -> str:
        """A VC-JWT carrying its own public key in the header (`jwk`): anyone can make one in any name."""
        return sign_jwt(build_credential(realistic_draft()), signer=self.signer, embed_jwk=True)


def extension_loader(url: str) -> DocumentLoader:
    """A loader that knows the Mikromerit extension context under another installation's `url`."""
    return DocumentLoader(aliases={url: MIKROMERIT_CONTEXT})
