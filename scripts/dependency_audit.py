"""`make audit`, second half: the installed packages against the PyPA advisory database, with pip-audit.

Fails when any installed package has a known vulnerability that is not listed in IGNORED below with a reason.
pip-audit asks PyPI's JSON API for each package's advisories; where that cannot be reached (a mirror without
it, no network), every package comes back "not found" and nothing was checked. That is said in capitals, and
the run fails only with --require (or AUDIT_REQUIRE_ADVISORIES=1), so an offline CI run stays usable while
a release build can insist.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess  # nosec B404 -- runs pip-audit, a fixed command
import sys

# Advisories accepted for now, each with the reason (an advisory id: GHSA-…, PYSEC-… or CVE-…).
IGNORED: dict[str, str] = {}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--require", action="store_true", default=os.environ.get("AUDIT_REQUIRE_ADVISORIES") == "1",
                        help="fail when the advisory database cannot be reached")
    args = parser.parse_args()
    command = [sys.executable, "-m", "pip_audit", "--skip-editable", "--progress-spinner", "off", "--format", "json"]
    for advisory in IGNORED:
        command += ["--ignore-vuln", advisory]
    run = subprocess.run(command, capture_output=True, text=True, check=False)  # noqa: S603 -- a fixed command  # nosec B603
    try:
        report = json.loads(run.stdout)
    except json.JSONDecodeError:
        print(run.stderr or run.stdout, file=sys.stderr)
        print("pip-audit gave no report: the dependencies were NOT audited.", file=sys.stderr)
        return 1 if args.require else 0
    dependencies = report["dependencies"]
    audited = [dependency for dependency in dependencies if "skip_reason" not in dependency]
    vulnerable = [dependency for dependency in audited if dependency.get("vulns")]
    for dependency in vulnerable:
        for vuln in dependency["vulns"]:
            fixed = ", ".join(vuln.get("fix_versions") or []) or "no fixed release"
            print(f"{dependency['name']} {dependency['version']}: {vuln['id']} (fixed in {fixed})")
    for advisory, reason in IGNORED.items():
        print(f"ignored {advisory}: {reason}")
    if not audited:
        print(
            f"THE ADVISORY DATABASE COULD NOT BE REACHED: none of {len(dependencies)} packages was audited "
            "(pip-audit: \"not found on PyPI\"). Run `make audit` where pypi.org's JSON API answers.",
            file=sys.stderr,
        )
        return 1 if args.require else 0
    print(f"pip-audit: {len(audited)} packages audited, {len(dependencies) - len(audited)} skipped, "
          f"{len(vulnerable)} with known vulnerabilities.")
    return 1 if vulnerable else 0


if __name__ == "__main__":
    sys.exit(main())
