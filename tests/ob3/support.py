"""Paths and helpers shared by the pure ob3 tests (no Django)."""

import json
import re
from datetime import UTC, datetime
from pathlib import Path

VECTORS = Path(__file__).with_name("vectors")
VALIDATOR = VECTORS / "1edtech-validator" / "ob30"
SPEC_SEED = bytes.fromhex("6241a409e6707bb640a0140a8a32bc3d193c33a661747284d6adfa4ed4180be4")
SPEC_MULTIKEY = "z6MkjZRZv3aez3r18pB1RBFJR1kwUVJ5jHt92JmQwXbd5hwi"
NOW = datetime(2026, 11, 21, 12, 0, 0, tzinfo=UTC)


def load_json(path: Path):
    return json.loads(path.read_text("utf-8"))


def spec_signed_credential() -> dict:
    """The signed credential of the 1EdTech OB 3.0 eddsa-rdfc-2022 test vector (from its HTML page)."""
    html = (VECTORS / "1edtech-spec" / "linked-data-proof-ob.html").read_text("utf-8")
    match = re.search(r'title="Signed credential">(.*?)</pre>', html, re.S)
    assert match, "signed credential not found in the 1EdTech vector page"
    return json.loads(match.group(1))
