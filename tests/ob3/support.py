"""Paths and helpers shared by the pure ob3 tests (no Django).

Published test data (1EdTech's and W3C's test vectors, the 1EdTech validator's samples, the spec's
examples, the official contexts and JSON Schemas) is not copied into this repository: no package on
PyPI or npm carries it. The tests read it from `../shared/ob3/` beside the repository (its
README.md names the source of every file), through `shared()` / `shared_params()`, and are skipped,
each with the missing path in the reason, where that folder is absent.
"""

import json
import re
from collections.abc import Iterator
from datetime import UTC, datetime
from functools import cache
from pathlib import Path
from typing import Any

import pytest

from ob3.documents import DocumentLoader

SHARED_OB3 = Path(__file__).resolve().parents[2].parent / "shared" / "ob3"
# Folders of ../shared/ob3, for `shared(...)`.
SPEC_VECTOR = "test-vectors/1edtech-spec"
VALIDATOR = "test-vectors/1edtech-validator/ob30"
W3C_VECTOR = "test-vectors/w3c-vc-di-eddsa"
SPEC_EXAMPLES = "examples/spec"
CONTEXTS = "contexts"
SCHEMAS = "schemas"

EXAMPLES_V2 = "https://www.w3.org/ns/credentials/examples/v2"
SPEC_SEED = bytes.fromhex("6241a409e6707bb640a0140a8a32bc3d193c33a661747284d6adfa4ed4180be4")
SPEC_MULTIKEY = "z6MkjZRZv3aez3r18pB1RBFJR1kwUVJ5jHt92JmQwXbd5hwi"
NOW = datetime(2026, 11, 21, 12, 0, 0, tzinfo=UTC)


def _absent(relative: str) -> str:
    return (f"../shared/ob3/{relative} is not here ({SHARED_OB3.parent} is absent or incomplete); the "
            "published OB 3.0 test data is read from there, never copied into the repository")


def shared(*parts: str) -> Path:
    """The file or folder `../shared/ob3/<parts>`; skips the calling test, saying which, when it is absent."""
    path = SHARED_OB3.joinpath(*parts)
    if not path.exists():
        pytest.skip(_absent("/".join(parts)))
    return path


def shared_params(folder: str, *patterns: str) -> list[Any]:
    """`pytest.param(path, id=...)` for each file of `../shared/ob3/<folder>` matching one of `patterns`
    (globs; `**` recurses), sorted; one skipped param with the reason when the folder is absent."""
    root = SHARED_OB3 / folder
    if not root.is_dir():
        return [pytest.param(None, id=folder, marks=pytest.mark.skip(reason=_absent(folder)))]
    paths = sorted({path for pattern in patterns for path in root.glob(pattern) if path.is_file()})
    return [pytest.param(path, id=str(path.relative_to(root))) for path in paths]


def json_paths(value: Any, path: tuple[Any, ...] = ()) -> Iterator[tuple[tuple[Any, ...], Any]]:
    """(path, value) for `value` and every value inside it, depth first; a path holds keys and indexes."""
    yield path, value
    if isinstance(value, dict):
        for key, item in value.items():
            yield from json_paths(item, (*path, key))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from json_paths(item, (*path, index))


def load_json(path: Path) -> Any:
    return json.loads(path.read_text("utf-8"))


@cache
def w3c_loader() -> DocumentLoader:
    """The vendored contexts plus the VC examples context the W3C vector uses (a test-only context)."""
    return DocumentLoader(extra={EXAMPLES_V2: load_json(shared(CONTEXTS, "credentials-examples-v2.jsonld"))})


def spec_signed_credential() -> dict[str, Any]:
    """The signed credential of the 1EdTech OB 3.0 eddsa-rdfc-2022 test vector (from its HTML page)."""
    html = shared(SPEC_VECTOR, "linked-data-proof-ob.html").read_text("utf-8")
    match = re.search(r'title="Signed credential">(.*?)</pre>', html, re.S)
    assert match, "signed credential not found in the 1EdTech vector page"
    credential: dict[str, Any] = json.loads(match.group(1))
    return credential
