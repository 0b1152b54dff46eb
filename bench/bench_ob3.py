"""Throughput of ob3 (general and fast canonicalisation) and of digitalbazaar's JS stack, one core.

    .venv/bin/python bench/bench_ob3.py [--seconds 3] [--cpu 0]

Signed/s  = build_credential(draft) + eddsa-rdfc-2022 proof (two RDFC-1.0 canonicalisations + Ed25519)
            + bake into a PNG.
Verified/s = eddsa-rdfc-2022 proof check (two canonicalisations + Ed25519 verify).
JS        = @digitalbazaar/vc issue / verifyCredential with the eddsa-rdfc-2022 cryptosuite
            (interop/bench.mjs; needs `npm ci` in interop/), pinned to the same core.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import struct
import subprocess
import sys
import time
import zlib
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from ob3.baking import bake_png  # noqa: E402
from ob3.build import build_credential  # noqa: E402
from ob3.fast import fast_canonicalizer  # noqa: E402
from ob3.keys import LocalSigner  # noqa: E402
from ob3.proofs.data_integrity import sign_credential, verify_proof  # noqa: E402
from tests.ob3.factories import realistic_draft  # noqa: E402

CREATED = datetime(2025, 6, 13, 10, 30, tzinfo=UTC)


def png(width: int = 256, height: int = 256) -> bytes:
    """A plain RGBA PNG of badge size."""
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
    rows = b"".join(
        b"\x00" + bytes(v for x in range(width) for v in (x % 256, y % 256, 128, 255)) for y in range(height)
    )
    header = struct.pack(">IIBBBBB", width, height, 8, 6, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(rows)) + chunk(b"IEND", b"")


def rate(seconds: float, work: Callable[[], object]) -> float:
    """Calls per second of `work` over about `seconds` (after a warm-up)."""
    for _ in range(20):
        work()
    count = 0
    start = now = time.perf_counter()
    while now - start < seconds:
        work()
        count += 1
        now = time.perf_counter()
    return count / (now - start)


def machine() -> str:
    cpu = platform.processor() or "unknown CPU"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    return (f"{cpu}, {os.cpu_count()} logical CPUs; {platform.system()} {platform.release()}; "
            f"Python {platform.python_version()}")


def js_figures(credential: dict, seconds: float, cpu: int | None) -> dict | None:
    script = ROOT / "interop" / "bench.mjs"
    if not (ROOT / "interop" / "node_modules").is_dir():
        print("JS stack: skipped (run `npm ci` in interop/)")
        return None
    command = ["node", str(script)]
    if cpu is not None and hasattr(os, "sched_setaffinity"):
        command = ["taskset", "-c", str(cpu), *command]
    job = json.dumps({"credential": credential, "seconds": seconds})
    done = subprocess.run(command, input=job, capture_output=True, text=True, check=True, cwd=ROOT / "interop")
    return json.loads(done.stdout)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seconds", type=float, default=3.0, help="measuring time per figure")
    parser.add_argument("--cpu", type=int, default=0, help="core to pin to (Linux)")
    args = parser.parse_args()
    if hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, {args.cpu})

    signer = LocalSigner.from_ed25519_seed(bytes(range(32)))
    draft = realistic_draft()
    credential = build_credential(draft)
    issuer = credential["issuer"]["id"]
    method = f"{issuer}#{signer.public_key.to_multikey()}"
    image = png()
    signed = sign_credential(credential, signer=signer, verification_method=method, created=CREATED)
    assert signed == sign_credential(credential, signer=signer, verification_method=method, created=CREATED,
                                     canonicalizer=fast_canonicalizer)

    def issue(canonicalizer):
        def work():
            document = sign_credential(build_credential(draft), signer=signer, verification_method=method,
                                       created=CREATED, canonicalizer=canonicalizer)
            return bake_png(image, document)
        return work

    def check(canonicalizer):
        def work():
            result = verify_proof(signed, signed["proof"][0], public_key=signer.public_key,
                                  canonicalizer=canonicalizer)
            assert result.passed
        return work

    quads = fast_canonicalizer(credential).count("\n")
    print(f"machine: {machine()}")
    print(f"credential: realistic_draft(), {len(json.dumps(credential))} bytes of JSON, {quads} canonical quads; "
          f"PNG {len(image)} bytes; one core (cpu {args.cpu}), {args.seconds:g} s per figure")
    figures = {
        "ob3 general signed/s": rate(args.seconds, issue(None)),
        "ob3 fast    signed/s": rate(args.seconds, issue(fast_canonicalizer)),
        "ob3 general verified/s": rate(args.seconds, check(None)),
        "ob3 fast    verified/s": rate(args.seconds, check(fast_canonicalizer)),
    }
    js = js_figures(credential, args.seconds, args.cpu)
    if js:
        figures[f"JS (node {js['node']}) signed/s"] = js["sign_per_s"]
        figures[f"JS (node {js['node']}) verified/s"] = js["verify_per_s"]
    width = max(map(len, figures))
    for name, value in figures.items():
        print(f"{name:<{width}}  {value:9.1f}")
    if js:
        print(f"ratio fast/JS signed:   {figures['ob3 fast    signed/s'] / js['sign_per_s']:.1f}x")
        print(f"ratio fast/JS verified: {figures['ob3 fast    verified/s'] / js['verify_per_s']:.1f}x")
        print(f"ratio general/JS signed: {figures['ob3 general signed/s'] / js['sign_per_s']:.1f}x")


if __name__ == "__main__":
    main()
