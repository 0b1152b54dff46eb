"""Runs interop/published.mjs: outside verifiers checking what a live platform serves.

Node gets the items (credentials as a user holds them, or URLs of served documents) and the mapping from
the platform's public origin to the live test server; it fetches everything else itself, over a network
that reaches nothing but that server.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path
from typing import Any

INTEROP_DIR = Path(__file__).resolve().parents[2] / "interop"
TIMEOUT_SECONDS = 300


def unavailable() -> str | None:
    """Why the verifiers cannot run here, or None when they can."""
    for tool in ("node", "npm"):
        if shutil.which(tool) is None:
            return f"{tool} is not installed (make interop needs Node.js >= 18 and npm)"
    dependencies = json.loads((INTEROP_DIR / "package.json").read_text("utf-8"))["dependencies"]
    missing = [name for name in dependencies if not (INTEROP_DIR / "node_modules" / name / "package.json").is_file()]
    if missing:
        return f"interop/node_modules lacks {', '.join(missing)}: run `make interop` (npm ci in interop/)"
    return None


def must_run() -> bool:
    """CI must never skip these tests silently."""
    return bool(os.environ.get("CI"))


def verify(items: list[dict[str, Any]], *, origins: dict[str, str]) -> list[dict[str, Any]]:
    """One answer {verifier, verified, revoked, errors, fetched, ...} per item, in order."""
    process = subprocess.run(
        ["node", "published.mjs"],
        cwd=INTEROP_DIR,
        input=json.dumps({"origins": origins, "items": items}),
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=TIMEOUT_SECONDS,
        check=False,
    )
    answers = [json.loads(line) for line in process.stdout.splitlines() if line.strip()]
    if process.returncode != 0 or len(answers) != len(items):
        raise RuntimeError(
            f"interop/published.mjs exited {process.returncode} after {len(answers)} of {len(items)} answers:\n"
            f"{process.stderr[-4000:]}"
        )
    return answers
