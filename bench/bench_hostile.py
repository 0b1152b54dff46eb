"""Worst-case CPU time of verifying hostile input, as the public /verify/ page and wallet import do it.

    .venv/bin/python bench/bench_hostile.py [--repeat 3] [--quick]

Each case is the largest input of its shape that ob3's limits still admit (so it reaches the expensive
steps: JSON-LD expansion, the JSON Schema, RDF conversion and canonicalisation), signed so the proof
is checked, plus the same shape one step over the limit (refused before any of that work). The figure
is CPU time of one `ob3.verify.verify` call, the best and the worst of `--repeat` runs; the page adds
only parsing of the upload on top. The target (issue: bounded cost) is under 1 s for every case.
`--quick` runs each case once at a reduced size, to prove the script works (CI).
"""

from __future__ import annotations

import argparse
import copy
import json
import sys
import time
from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.bench_ob3 import machine  # noqa: E402
from ob3.baking import bake_png  # noqa: E402
from ob3.build import build_credential  # noqa: E402
from ob3.keys import LocalSigner  # noqa: E402
from ob3.limits import DEFAULT_LIMITS  # noqa: E402
from ob3.proofs.data_integrity import sign_credential  # noqa: E402
from ob3.proofs.vc_jwt import sign_jwt  # noqa: E402
from ob3.resolve import KeyResolver  # noqa: E402
from ob3.status_list import build_status_list_credential, encode_list, new_status_list  # noqa: E402
from ob3.verify import verify  # noqa: E402
from tests.ob3.factories import ISSUER_ID, STATUS_LIST_URL, realistic_draft  # noqa: E402

NOW = datetime(2026, 11, 21, 12, 0, tzinfo=UTC)
SIGNER = LocalSigner.from_ed25519_seed(bytes(range(32)))
METHOD = f"{ISSUER_ID}#{SIGNER.public_key.to_multikey()}"
RSA = LocalSigner.generate("RSA", rsa_bits=2048)
KID = f"{ISSUER_ID}/keys/rsa"
CONTROLLER = {
    "@context": ["https://www.w3.org/ns/did/v1", "https://w3id.org/security/multikey/v1",
                 "https://w3id.org/security/jwk/v1"],
    "id": ISSUER_ID,
    "verificationMethod": [
        {"id": METHOD, "type": "Multikey", "controller": ISSUER_ID,
         "publicKeyMultibase": SIGNER.public_key.to_multikey()},
        {"id": KID, "type": "JsonWebKey", "controller": ISSUER_ID, "publicKeyJwk": RSA.public_key.to_jwk()},
    ],
    "assertionMethod": [METHOD, KID],
}
LIMITS = DEFAULT_LIMITS


def _status_list() -> dict[str, Any]:
    listing = build_status_list_credential(id=STATUS_LIST_URL, issuer=realistic_draft().issuer, valid_from=NOW,
                                           encoded_list=encode_list(new_status_list()))
    return sign_credential(listing, signer=SIGNER, verification_method=METHOD, created=NOW)


STATUS_LISTS = {STATUS_LIST_URL: _status_list()}


def base() -> dict[str, Any]:
    return build_credential(realistic_draft())


def signed(credential: dict[str, Any]) -> dict[str, Any]:
    """Sign without the signer's own size checks: an attacker's signer has none."""
    from ob3 import rdfc

    saved, rdfc.MAX_QUADS = rdfc.MAX_QUADS, 10**9
    try:
        return sign_credential(credential, signer=SIGNER, verification_method=METHOD, created=NOW)
    finally:
        rdfc.MAX_QUADS = saved


# --- the corpus: (name, build(scale) -> bytes); scale 1.0 = as large as the limits admit ----------
def _items(scale: float, limit: int) -> int:
    return max(1, int(limit * scale))


def _tags(scale: float) -> list[str]:
    return [f"tag {i}" for i in range(_items(scale, LIMITS.max_array_length))]


def wide_literals(scale: float) -> bytes:
    """One array of distinct strings at the array limit (pyld dedupes a property's values pairwise)."""
    credential = base()
    credential["credentialSubject"]["achievement"]["tag"] = _tags(scale)
    return json.dumps(signed(credential)).encode()


def many_wide_arrays(scale: float) -> bytes:
    """Arrays at the array limit on as many nodes as the value limit allows (results, each with a full
    list of alignments): the pairwise deduplication runs once per array."""
    credential = base()
    per = _items(scale, LIMITS.max_array_length)
    values_per_array = per * 4 + 4  # an alignment is an object with a type array and two strings
    count = max(1, min(LIMITS.max_array_length, (LIMITS.max_values - 400) // values_per_array))
    credential["credentialSubject"]["result"] = [
        {"type": ["Result"], "value": f"r{r}",
         "alignment": [{"type": ["Alignment"], "targetName": "n", "targetUrl": f"https://x.example/{r}/{i}"}
                       for i in range(per)]}
        for r in range(count)]
    return json.dumps(signed(credential)).encode()


def typed_objects(scale: float) -> bytes:
    """Typed objects (each re-processes its type-scoped context in pyld), as many as the value limit
    admits (an object, its type and a name are three JSON values), spread over arrays at the array limit."""
    credential = base()
    total = _items(scale, (LIMITS.max_values - 400) // 3)
    per = LIMITS.max_array_length
    homes = [(credential["credentialSubject"], "result", "Result"),
             (credential, "evidence", "Evidence"),
             (credential["credentialSubject"]["achievement"], "alignment", "Alignment"),
             (credential["credentialSubject"]["achievement"], "resultDescription", "ResultDescription")]
    for node, key, kind in homes:
        count = min(per, total)
        node[key] = [{"type": kind, "name": f"{i}"} if kind != "Alignment" else {"type": kind, "targetName": f"{i}"}
                     for i in range(count)]
        total -= count
    return json.dumps(signed(credential)).encode()


def identical_blank_nodes(scale: float) -> bytes:
    """Identical anonymous objects: every blank node shares its first-degree hash (RDFC's hard case)."""
    credential = base()
    count = _items(scale, min(LIMITS.max_array_length, LIMITS.max_values // 3))
    credential["credentialSubject"]["result"] = [{"type": ["Result"], "value": "same"} for _ in range(count)]
    return json.dumps(signed(credential)).encode()


def nested_blank_nodes(scale: float) -> bytes:
    """A chain of anonymous profiles (parentOrg) as deep as the depth limit allows, many times over."""
    credential = base()
    depth = max(2, int((LIMITS.max_depth - 4) * scale) // 2)
    chains = max(1, min(LIMITS.max_array_length, LIMITS.max_values // (depth * 4)) // 4)

    def chain(n: int, mark: int) -> dict[str, Any]:
        node: dict[str, Any] = {"type": ["Profile"], "name": f"o{mark}"}
        for _ in range(n):
            node = {"type": ["Profile"], "name": f"o{mark}", "parentOrg": node}
        return node

    credential["credentialSubject"]["source"] = chain(depth, 0)
    credential["credentialSubject"]["achievement"]["creator"] = chain(depth, 1)
    credential["evidence"] = [{"type": ["Evidence"], "name": "e", "description": json.dumps(chain(2, i))}
                              for i in range(chains)]
    return json.dumps(signed(credential)).encode()


def deep(scale: float) -> bytes:
    """Nesting right at the depth limit (value objects inside arrays inside objects)."""
    credential = base()
    value: Any = "leaf"
    for _ in range(max(1, int((LIMITS.max_depth - 3) * scale))):
        value = [value]
    credential["credentialSubject"]["narrative"] = value
    return json.dumps(credential).encode()


def huge_strings(scale: float) -> bytes:
    """Strings at the string limit, as many as the byte limit allows."""
    credential = base()
    length = _items(scale, LIMITS.max_string_length)
    count = max(1, LIMITS.max_bytes // (length + 16) - 1)
    credential["credentialSubject"]["achievement"]["tag"] = [f"{i}" + "x" * (length - 8) for i in range(count)]
    return json.dumps(signed(credential)).encode()


def many_proofs(scale: float) -> bytes:
    """Every proof a forgery, so each one is canonicalised and checked in turn."""
    credential = signed(base())
    proof = credential["proof"][0]
    count = max(1, int(LIMITS.max_proofs * scale))
    credential["proof"] = [dict(proof, proofValue=proof["proofValue"][:-4] + "zzzz") for _ in range(count)]
    return json.dumps(credential).encode()


def many_status_entries(scale: float) -> bytes:
    """Every entry points at a status list that must be fetched and its own proof checked."""
    credential = base()
    entry = credential["credentialStatus"]
    count = max(1, int(LIMITS.max_status_entries * scale))
    credential["credentialStatus"] = [dict(entry, statusListIndex=str(i)) for i in range(count)]
    return json.dumps(signed(credential)).encode()


def many_contexts(scale: float) -> bytes:
    credential = base()
    count = max(2, int(LIMITS.max_contexts * scale))
    credential["@context"] = credential["@context"] + [f"https://unknown.example/{i}" for i in range(count - 2)]
    return json.dumps(credential).encode()


def baked_png(scale: float) -> bytes:
    """A 5 MB picture carrying the widest credential: unbaking plus the wide_literals work."""
    credential = json.loads(wide_literals(scale))
    padding = b"\x00" * int(4 * 1024 * 1024 * scale)
    import struct
    import zlib

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    image = (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", 1, 1, 8, 6, 0, 0, 0))
             + chunk(b"tEXt", b"Comment\x00" + padding) + chunk(b"IDAT", zlib.compress(b"\x00\x00\x00\x00\x00"))
             + chunk(b"IEND", b""))
    return bake_png(image, credential)


def jwt_at_limits(scale: float) -> bytes:
    credential = base()
    credential["credentialSubject"]["achievement"]["tag"] = _tags(scale)
    return sign_jwt(credential, signer=RSA, kid=KID).encode()


CASES: list[tuple[str, Callable[[float], bytes]]] = [
    ("wide literal array", wide_literals),
    ("many wide arrays", many_wide_arrays),
    ("typed objects", typed_objects),
    ("identical blank nodes", identical_blank_nodes),
    ("nested blank nodes", nested_blank_nodes),
    ("deep nesting", deep),
    ("huge strings", huge_strings),
    ("many forged proofs", many_proofs),
    ("many status entries", many_status_entries),
    ("many contexts", many_contexts),
    ("5 MB baked PNG", baked_png),
    ("VC-JWT at the limits", jwt_at_limits),
]


def over_the_limit(data: bytes) -> Iterator[bytes]:
    """The same input grown past a limit (refused before any expensive step)."""
    try:
        credential = json.loads(data)
    except (UnicodeDecodeError, json.JSONDecodeError):
        return
    grown = copy.deepcopy(credential)
    grown["credentialSubject"]["achievement"]["tag"] = ["x"] * (LIMITS.max_array_length + 1)
    yield json.dumps(grown).encode()


def cpu_seconds(data: bytes) -> tuple[float, str]:
    resolver = KeyResolver({ISSUER_ID: CONTROLLER, KID: {**RSA.public_key.to_jwk(), "kid": KID}})
    start = time.process_time()
    result = verify(data, resolver=resolver, status_fetcher=STATUS_LISTS.__getitem__, now=NOW)
    return time.process_time() - start, result.verdict


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--quick", action="store_true", help="once each, at a tenth of the size (CI)")
    args = parser.parse_args()
    scale, repeat = (0.1, 1) if args.quick else (1.0, args.repeat)
    print(f"machine: {machine()}")
    print(f"limits: {LIMITS}")
    print(f"{'case':28s} {'size':>9s} {'best ms':>9s} {'worst ms':>9s}  verdict      refused over the limit")
    worst = 0.0
    for name, build in CASES:
        data = build(scale)
        timings = [cpu_seconds(data) for _ in range(repeat)]
        seconds = [t for t, _ in timings]
        refused = [cpu_seconds(more) for more in over_the_limit(data)]
        refusal = f"{max(t for t, _ in refused) * 1000:.1f} ms ({refused[0][1]})" if refused else "-"
        print(f"{name:28s} {len(data) / 1024:7.0f}KB {min(seconds) * 1000:9.0f} {max(seconds) * 1000:9.0f}  "
              f"{timings[0][1]:12s} {refusal}")
        worst = max(worst, max(seconds))
    print(f"worst case: {worst * 1000:.0f} ms of CPU per verification (target < 1000 ms)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
