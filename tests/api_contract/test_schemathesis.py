"""Schemathesis over every operation the live server's /api/v1/schema/ lists, whoever added it.

For each operation it sends valid and invalid requests (the coverage phase's boundary and wrong-type
cases, then a few generated ones), authenticated with an all-scope token of the issuer at work, with the
issuer's slug in every path, and checks each answer: never a 5xx, a status the operation documents, a
documented content type, a body that matches the documented schema. The run is bounded and
deterministic (derandomised generation, a fixed seed, no example database, one worker), so it finds the
same things on every run.

Schemathesis runs as its own command (its pytest integration does not run under pytest 9), against the
live server this process serves; its report names every failing request with a curl line to replay it.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

SCHEMATHESIS = Path(sys.executable).with_name("schemathesis")
MAX_EXAMPLES = 8  # per operation and phase: the whole run stays well under two minutes
CHECKS = (
    "not_a_server_error",  # no 5xx, whatever is sent
    "status_code_conformance",  # the status is documented for the operation
    "content_type_conformance",  # so is the content type
    "response_schema_conformance",  # and the body matches the documented schema
    "response_headers_conformance",  # documented headers are sent, in their documented form
    "ignored_auth",  # without the token the answer is 401, never the data
)
TIMEOUT_SECONDS = 600


def contract_config(*, token: str, issuer_slug: str) -> str:
    """schemathesis.toml for the run."""
    checks = "\n".join(f"{name}.enabled = true" for name in CHECKS)
    return f"""\
seed = 20250101
suppress-health-check = ["all"]
workers = 1
headers = {{ Authorization = "Bearer {token}" }}

[parameters]
# Every path names the issuer: fuzzing the slug would only ever reach 404.
issuer_slug = "{issuer_slug}"

[generation]
mode = "all"
max-examples = {MAX_EXAMPLES}
deterministic = true
database = "none"

[phases]
examples.enabled = true
coverage.enabled = true
fuzzing.enabled = true
stateful.enabled = false

[checks]
enabled = false
{checks}
"""


@pytest.fixture
def unthrottled(monkeypatch):
    """The generated requests would reach the per-token limit (API_RATE_LIMIT) within the run; the limit
    itself is checked in test_limits.py."""
    from api.throttling import ApiClientThrottle

    monkeypatch.setattr(ApiClientThrottle, "THROTTLE_RATES", {ApiClientThrottle.scope: "1000000/min"})


def schemathesis_run(schema_url: str, config: str, workdir: Path) -> tuple[subprocess.CompletedProcess, dict]:
    (workdir / "schemathesis.toml").write_text(config, "utf-8")
    report = workdir / "report.json"
    process = subprocess.run(
        [
            str(SCHEMATHESIS), "--config-file", str(workdir / "schemathesis.toml"), "run", schema_url,
            "--report", "json", "--report-json-path", str(report), "--output-truncate", "false",
        ],
        cwd=workdir, capture_output=True, text=True, timeout=TIMEOUT_SECONDS, check=False,
        env={"PATH": "/usr/bin:/bin", "NO_COLOR": "1", "HOME": str(workdir)},
    )
    return process, json.loads(report.read_text("utf-8")) if report.exists() else {}


def documented_operations(schema: dict[str, Any]) -> set[str]:
    methods = {"get", "put", "post", "patch", "delete"}
    return {
        f"{method.upper()} {path}"
        for path, operations in schema["paths"].items() for method in operations if method in methods
    }


def test_every_operation_keeps_its_contract(platform, unthrottled, tmp_path):
    import requests

    schema_url = f"{platform.url}/api/v1/schema/?format=json"
    operations = documented_operations(requests.get(schema_url, timeout=30).json())
    assert len(operations) >= 3, f"the schema lists too few operations: {sorted(operations)}"
    config = contract_config(token=platform.token, issuer_slug=platform.issuer_slug)
    process, report = schemathesis_run(schema_url, config, tmp_path)
    assert process.returncode == 0, f"schemathesis found failures:\n{process.stdout[-30000:]}\n{process.stderr}"
    # Every operation the schema lists was tested, in both generation modes: none skipped or errored.
    assert report["operations"] == {
        "total": len(operations), "selected": len(operations), "tested": len(operations), "errored": 0,
        "skipped": 0, "skip_reasons": [],
    }, process.stdout[-5000:]
    assert set(report["valid_rates"]) == operations
