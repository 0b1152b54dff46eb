"""A minimal wallet for the tests: an Ed25519 key, its did:key, and OpenID4VCI key proofs signed with it."""

from __future__ import annotations

import json
import time

from ob3.keys import LocalSigner
from ob3.multibase import b64url_encode
from ob3.proofs.key_proof import PROOF_TYPE


class TestWallet:
    __test__ = False  # not a test class

    def __init__(self, signer: LocalSigner | None = None):
        self.signer = signer or LocalSigner.generate()

    @property
    def did(self) -> str:
        return f"did:key:{self.signer.public_key.to_multikey()}"

    def proof(self, *, nonce: str, audience: str = "http://testserver", iat: int | None = None,
              header: dict | None = None) -> str:
        head = {"typ": PROOF_TYPE, "alg": "EdDSA", "kid": f"{self.did}#{self.did.removeprefix('did:key:')}",
                **(header or {})}
        payload = {"aud": audience, "iat": int(time.time()) if iat is None else iat, "nonce": nonce}
        encode = lambda value: b64url_encode(json.dumps(value).encode())  # noqa: E731
        signing_input = f"{encode(head)}.{encode(payload)}"
        return f"{signing_input}.{b64url_encode(self.signer.sign(signing_input.encode()))}"
