"""ob3 — a pure Open Badges 3.0 library: build, canonicalise, sign, verify, bake.

No Django, no Celery, no network: keys, DID/controller documents and status lists are passed in.
The names below are the public surface; they load lazily so that `import ob3.keys` stays cheap.
"""

from importlib import import_module
from typing import Any

_PUBLIC = {
    "bake": "ob3.baking", "bake_png": "ob3.baking", "bake_svg": "ob3.baking", "unbake": "ob3.baking",
    "build_credential": "ob3.build", "canonicalize": "ob3.jsonld",
    "LocalSigner": "ob3.keys", "PublicKey": "ob3.keys", "Signer": "ob3.keys",
    "sign_credential": "ob3.proofs.data_integrity", "sign_jwt": "ob3.proofs.vc_jwt",
    "KeyResolver": "ob3.resolve", "VerificationResult": "ob3.verify", "verify": "ob3.verify",
}

__all__ = sorted(_PUBLIC)


def __getattr__(name: str) -> Any:
    if name not in _PUBLIC:
        raise AttributeError(f"module 'ob3' has no attribute {name!r}")
    return getattr(import_module(_PUBLIC[name]), name)
