"""Where every context in ob3/contexts comes from, checked against that source.

A context either comes from an npm package (`package` in manifest.json: name, exact version, path inside
the package), and then `make install` extracts it from that package into ob3/contexts/npm/ (the repository
holds no copy), or this project wrote it (`ours`). Either way, where a published original exists, it is the
same JSON document as that original in ../shared/ob3. ob3/contexts/PROVENANCE.md says the same in prose.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest

from ob3.documents import CONTEXTS_DIR
from tests.ob3.support import load_json, shared

INTEROP_DIR = Path(__file__).resolve().parents[2] / "interop"
NODE_MODULES = CONTEXTS_DIR / "node_modules"
MANIFEST: list[dict[str, Any]] = load_json(CONTEXTS_DIR / "manifest.json")
PACKAGE_ROWS = [row for row in MANIFEST if "package" in row]
OURS_ROWS = [row for row in MANIFEST if "ours" in row]
EXACT_VERSION = re.compile(r"\d+\.\d+\.\d+(-[0-9A-Za-z.-]+)?")


def _sources() -> list[dict[str, str]]:
    found = [row["package"] for row in PACKAGE_ROWS]
    found += [row["ours"]["base"] for row in OURS_ROWS if "base" in row["ours"]]
    return found


def _unavailable() -> str | None:
    if shutil.which("node") is None:
        return "node is not installed (make install needs Node.js >= 18)"
    missing = sorted({s["name"] for s in _sources() if not (NODE_MODULES / s["name"] / "package.json").is_file()})
    if missing:
        return f"ob3/contexts/node_modules lacks {', '.join(missing)}: run `make install`"
    return None


def _row_id(row: dict[str, Any]) -> str:
    return row["url"]


def package_document(source: dict[str, str]) -> Any:
    """The document at `path` inside the installed npm package (a JSON file, or a module exporting it)."""
    path = NODE_MODULES / source["name"] / source["path"]
    if path.suffix == ".js":
        done = subprocess.run(["node", "-e", "process.stdout.write(JSON.stringify(require(process.argv[1])))",
                               str(path)], capture_output=True, text=True, encoding="utf-8", check=True)
        return json.loads(done.stdout)
    return load_json(path)


@pytest.fixture(scope="module")
def packages() -> None:
    reason = _unavailable()
    if reason is not None:
        if os.environ.get("CI"):
            pytest.fail(f"CI must check the contexts against their packages: {reason}")
        pytest.skip(reason)


# --- the manifest itself -----------------------------------------------------------------------------

def test_every_context_names_a_package_or_is_our_own():
    for row in MANIFEST:
        assert ("package" in row) != ("ours" in row), row["url"]
        for source in [row.get("package"), row.get("ours", {}).get("base")]:
            if source is not None:
                assert source["registry"] == "npm" and source["name"] and source["path"], row["url"]
                assert EXACT_VERSION.fullmatch(source["version"]), (row["url"], source["version"])


def test_the_repository_holds_only_our_own_contexts():
    tracked = subprocess.run(["git", "ls-files", "."], cwd=CONTEXTS_DIR, capture_output=True, text=True, check=True)
    if not tracked.stdout:
        pytest.skip("not a git checkout")
    ours = {row["file"] for row in OURS_ROWS}
    assert set(tracked.stdout.split()) == ours | {"manifest.json", "PROVENANCE.md", "package.json", "package-lock.json"}


def test_packaged_contexts_are_installed_under_npm_and_nothing_else_is():
    assert all(row["file"].startswith("npm/") for row in PACKAGE_ROWS)
    assert not any(row["file"].startswith("npm/") for row in OURS_ROWS)
    assert {path.name for path in (CONTEXTS_DIR / "npm").iterdir()} == {
        row["file"].removeprefix("npm/") for row in PACKAGE_ROWS}


def test_contexts_only_the_tests_need_are_not_held():
    assert "https://www.w3.org/ns/credentials/examples/v2" not in {row["url"] for row in MANIFEST}


# --- against the npm packages (ob3/contexts/package.json pins them, interop/package.json the same) ----------

@pytest.mark.parametrize("row", PACKAGE_ROWS, ids=_row_id)
def test_context_is_the_packages_file(row, packages):
    source = row["package"]
    for package_json in (CONTEXTS_DIR / "package.json", INTEROP_DIR / "package.json"):
        pinned = load_json(package_json)["dependencies"]
        assert pinned.get(source["name"]) == source["version"], f"{package_json} must pin {source['name']} exactly"
    assert load_json(NODE_MODULES / source["name"] / "package.json")["version"] == source["version"]
    assert load_json(CONTEXTS_DIR / row["file"]) == package_document(source)


@pytest.mark.parametrize("row", [row for row in PACKAGE_ROWS if "official" in row], ids=_row_id)
def test_packaged_context_means_what_the_published_one_means(row):
    assert load_json(CONTEXTS_DIR / row["file"]) == load_json(shared(row["official"]))


@pytest.mark.parametrize("row", [row for row in OURS_ROWS if "base" in row["ours"]], ids=_row_id)
def test_our_context_is_its_package_base_plus_exactly_the_added_terms(row, packages):
    ours = row["ours"]
    pinned = load_json(CONTEXTS_DIR / "package.json")["dependencies"]
    assert pinned.get(ours["base"]["name"]) == ours["base"]["version"]
    base = package_document(ours["base"])
    document = load_json(CONTEXTS_DIR / row["file"])
    added = sorted(set(document["@context"]) - set(base["@context"]))
    assert added == ours["added_terms"]
    assert {**document, "@context": {k: v for k, v in document["@context"].items() if k not in added}} == base


def test_the_ob_context_adds_jti_and_endorsement_jwt_as_the_spec_defines_them():
    context = load_json(CONTEXTS_DIR / "ob-v3p0-context-3.0.3.json")["@context"]
    assert context["jti"] == {"@id": "https://www.iana.org/assignments/jwt#jti", "@type": "@id"}
    assert context["endorsementJwt"] == {
        "@id": "https://purl.imsglobal.org/spec/vc/ob/vocab.html#endorsementJwt", "@container": "@set"}


# --- what we wrote, against the published originals in ../shared --------------------------------------

@pytest.mark.parametrize("row", [row for row in OURS_ROWS if "official" in row["ours"]], ids=_row_id)
def test_our_context_means_what_the_published_one_means(row):
    official = load_json(shared(row["ours"]["official"]))
    ours_bytes = (CONTEXTS_DIR / row["file"]).read_bytes()
    assert json.loads(ours_bytes) == official
    assert ours_bytes != shared(row["ours"]["official"]).read_bytes()  # our text, not a copy
