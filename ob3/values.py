"""Reading the JSON of credentials the way JSON-LD lets them be written."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any


def as_list(value: Any) -> list[Any]:
    """JSON-LD lets a single value stand for a one-item array: read both as a list (None as empty)."""
    if value is None:
        return []
    return value if isinstance(value, list) else [value]


def issuer_id(document: Mapping[str, Any]) -> str | None:
    """The issuer of a credential, written as its id or as an object with an `id`; None if neither."""
    issuer = document.get("issuer")
    if isinstance(issuer, Mapping):
        issuer = issuer.get("id")
    return issuer if isinstance(issuer, str) and issuer else None
