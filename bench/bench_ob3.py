"""Throughput of ob3 (general and fast canonicalisation) against digitalbazaar's JS stack, in CPU time.

    .venv/bin/python bench/bench_ob3.py [--seconds 3] [--window 0.5] [--cpu 0]

Proof     = the eddsa-rdfc-2022 proof on a built credential (two RDFC-1.0 canonicalisations + Ed25519): the
            same work as the JS stack's sign, so the like-for-like signing ratio.
Signed    = build_credential(draft) + eddsa-rdfc-2022 proof (two RDFC-1.0 canonicalisations + Ed25519)
            + bake into a PNG.
Verified  = eddsa-rdfc-2022 proof check (two canonicalisations + Ed25519 verify).
JS        = @digitalbazaar/vc issue / verifyCredential with the eddsa-rdfc-2022 cryptosuite
            (interop/bench.mjs; needs `npm ci` in interop/), pinned to the same core.

Python and Node take turns in short windows (`--window` seconds) within one run, so that whatever else runs
on the machine slows both alike, and each window's rate is counted per second of the process's own CPU time
(time.process_time() here, process.cpuUsage() in Node), which other processes do not inflate. The ratio of
each window pair and their median are printed; `--seconds` is the measuring time per figure in all.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import struct
import subprocess
import sys
import time
import zlib
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

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


def rate(seconds: float, work: Callable[[], object]) -> dict[str, float]:
    """Calls of `work` over about `seconds` of wall time, with the process CPU time they took."""
    count = 0
    cpu = time.process_time()
    start = now = time.perf_counter()
    while now - start < seconds:
        work()
        count += 1
        now = time.perf_counter()
    return {"count": count, "cpu_s": time.process_time() - cpu, "wall_s": now - start}


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


class JsStack:
    """interop/bench.mjs as a long-lived Node process that works in windows on request."""

    def __init__(self, credential: dict, cpu: int | None) -> None:
        command = ["node", str(ROOT / "interop" / "bench.mjs")]
        if cpu is not None and hasattr(os, "sched_setaffinity"):
            command = ["taskset", "-c", str(cpu), *command]
        self.process = subprocess.Popen(command, stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True,
                                        cwd=ROOT / "interop")
        self.node = self._ask({"credential": credential})["node"]

    def _ask(self, message: dict[str, Any]) -> dict[str, Any]:
        assert self.process.stdin is not None and self.process.stdout is not None
        self.process.stdin.write(json.dumps(message) + "\n")
        self.process.stdin.flush()
        line = self.process.stdout.readline()
        if not line:
            raise RuntimeError(f"interop/bench.mjs stopped (exit {self.process.wait()})")
        return json.loads(line)

    def window(self, op: str, seconds: float) -> dict[str, float]:
        return self._ask({"op": op, "seconds": seconds})

    def close(self) -> None:
        assert self.process.stdin is not None
        self.process.stdin.close()
        self.process.wait(timeout=30)


def per_cpu_second(window: dict[str, float]) -> float:
    return window["count"] / window["cpu_s"] if window["cpu_s"] > 0 else 0.0


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seconds", type=float, default=3.0, help="measuring time per figure, in all windows")
    parser.add_argument("--window", type=float, default=0.5, help="length of one window")
    parser.add_argument("--cpu", type=int, default=0, help="core to pin to (Linux)")
    args = parser.parse_args()
    if hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, {args.cpu})
    rounds = max(1, round(args.seconds / args.window))
    window = args.seconds / rounds

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

    def prove(canonicalizer):
        # The same work as the JS stack's sign: the proof on an already built credential, nothing else.
        def work():
            return sign_credential(credential, signer=signer, verification_method=method, created=CREATED,
                                   canonicalizer=canonicalizer)
        return work

    def check(canonicalizer):
        def work():
            result = verify_proof(signed, signed["proof"][0], public_key=signer.public_key,
                                  canonicalizer=canonicalizer)
            assert result.passed
        return work

    python = {
        "fast sign": issue(fast_canonicalizer), "fast proof": prove(fast_canonicalizer),
        "fast verify": check(fast_canonicalizer),
        "general sign": issue(None), "general verify": check(None),
    }
    for work in python.values():  # warm-up: caches, and the fast path's compiled contexts
        for _ in range(5):
            work()

    quads = fast_canonicalizer(credential).count("\n")
    print(f"machine: {machine()}")
    print(f"credential: realistic_draft(), {len(json.dumps(credential))} bytes of JSON, {quads} canonical quads; "
          f"PNG {len(image)} bytes; one core (cpu {args.cpu})")
    js = JsStack(credential, args.cpu) if (ROOT / "interop" / "node_modules").is_dir() else None
    if js is None:
        print("JS stack: skipped (run `npm ci` in interop/)")
    else:
        print(f"JS: node {js.node}; Python and Node alternate in {rounds} rounds of {window:.2f} s windows; "
              "rates per second of each process's own CPU time")

    windows: dict[str, list[dict[str, float]]] = {name: [] for name in [*python, "js sign", "js verify"]}
    header = f"{'round':>5}  {'ob3 fast signed':>15}  {'JS signed':>9}  {'ratio':>6}  " \
             f"{'ob3 fast verified':>17}  {'JS verified':>11}  {'ratio':>6}"
    if js:
        print("per CPU-second:")
        print(header)
    for number in range(rounds):
        # Python and Node take turns, so noise from other work on the machine falls on both.
        windows["fast sign"].append(rate(window, python["fast sign"]))
        if js:
            windows["js sign"].append(js.window("sign", window))
        windows["fast proof"].append(rate(window, python["fast proof"]))
        windows["fast verify"].append(rate(window, python["fast verify"]))
        if js:
            windows["js verify"].append(js.window("verify", window))
        windows["general sign"].append(rate(window, python["general sign"]))
        windows["general verify"].append(rate(window, python["general verify"]))
        if js:
            fs, js_s = per_cpu_second(windows["fast sign"][-1]), per_cpu_second(windows["js sign"][-1])
            fv, js_v = per_cpu_second(windows["fast verify"][-1]), per_cpu_second(windows["js verify"][-1])
            print(f"{number + 1:>5}  {fs:>15.1f}  {js_s:>9.1f}  {fs / js_s:>5.1f}x  "
                  f"{fv:>17.1f}  {js_v:>11.1f}  {fv / js_v:>5.1f}x")
    if js:
        js.close()

    def total(name: str) -> float:
        count = sum(w["count"] for w in windows[name])
        return count / sum(w["cpu_s"] for w in windows[name])

    def wall(name: str) -> float:
        return sum(w["count"] for w in windows[name]) / sum(w["wall_s"] for w in windows[name])

    print("all windows together, per CPU-second (per wall second in brackets; the wall rate depends on the load):")
    for name in windows:
        if windows[name]:
            label = f"JS (node {js.node}) {name[3:]}" if name.startswith("js") and js else f"ob3 {name}"
            print(f"  {label:<28} {total(name):9.1f}  ({wall(name):.1f})")
    if js:
        # "proof" is like for like with JS's sign (the proof on a built credential); "signed" adds building the
        # credential and baking the PNG, which the JS figure does not include.
        pairs = {"proof": ("fast proof", "js sign"), "signed": ("fast sign", "js sign"),
                 "verified": ("fast verify", "js verify")}
        for word, (ours, theirs) in pairs.items():
            ratios = [per_cpu_second(p) / per_cpu_second(j)
                      for p, j in zip(windows[ours], windows[theirs], strict=True)]
            median = statistics.median(ratios)
            print(f"ratio fast/JS {word + ':':<9} {median:5.1f}x median of {len(ratios)} windows "
                  f"(range {min(ratios):.1f}-{max(ratios):.1f}x; all windows together "
                  f"{total(ours) / total(theirs):.1f}x){'' if median >= 10 else '  below the 10x target'}")
        print(f"ratio general/JS signed: {total('general sign') / total('js sign'):.1f}x")


if __name__ == "__main__":
    main()
