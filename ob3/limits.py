"""Bounds on what ob3 reads from untrusted input, checked before any expensive work.

Verification costs time in proportion to the JSON-LD graph: expansion, the JSON Schema, conversion to
RDF and canonicalisation each walk it, in Python. A hostile credential of a few hundred kilobytes (one
array of 200,000 strings, say) kept a core busy for half a minute. So input is measured first, with one
cheap walk, and refused with the name of the limit it broke. The defaults are far above any real
credential (a complete micro-credential of ours has a few hundred JSON values and under 300 quads);
`bench/bench_hostile.py` measures the worst case they still admit.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from ob3.errors import Ob3Error

# The canonicaliser's own bound (RDF statements). Checked where quads are counted, in ob3.rdfc.
MAX_QUADS = 5_000


@dataclass(frozen=True)
class Limits:
    """Limits on one credential (the JSON text, after unbaking or JWT decoding)."""

    max_bytes: int = 512 * 1024
    max_depth: int = 32
    max_array_length: int = 500
    max_values: int = 4_000  # JSON values of every kind, containers included
    max_string_length: int = 64 * 1024
    # Each proof is canonicalised and checked, each status entry fetched and its list verified, each
    # context possibly fetched: a few of each is all a credential has a use for.
    max_proofs: int = 4
    max_status_entries: int = 4
    max_contexts: int = 12


DEFAULT_LIMITS = Limits()

_MESSAGES = {
    "bytes": "the credential is {found} bytes long; at most {maximum} are accepted",
    "depth": "the JSON nests more than {maximum} levels deep",
    "array_length": "an array holds {found} items; at most {maximum} are accepted",
    "values": "the credential holds more than {maximum} JSON values",
    "string_length": "a text value is {found} characters long; at most {maximum} are accepted",
    "quads": "the credential describes {found} RDF statements; at most {maximum} are accepted",
    "proofs": "the credential carries {found} proofs; at most {maximum} are checked",
    "status_entries": "the credential names {found} status entries; at most {maximum} are read",
    "contexts": "the credential names {found} JSON-LD contexts; at most {maximum} are accepted",
}


class LimitExceeded(Ob3Error):
    """Input over one of the limits above; `limit` names it, `maximum` is its value."""

    def __init__(self, limit: str, maximum: int, found: int | None = None):
        self.limit = limit
        self.maximum = maximum
        self.found = found
        super().__init__(_MESSAGES[limit].format(maximum=maximum, found=found if found is not None else "?"))


def check_json(value: Any, limits: Limits = DEFAULT_LIMITS) -> None:
    """Raise LimitExceeded if parsed JSON `value` breaks a limit. Iterative: no recursion to exhaust."""
    stack: list[tuple[Any, int]] = [(value, 1)]
    count = 0
    while stack:
        item, depth = stack.pop()
        count += 1
        if count > limits.max_values:
            raise LimitExceeded("values", limits.max_values)
        if isinstance(item, str):
            if len(item) > limits.max_string_length:
                raise LimitExceeded("string_length", limits.max_string_length, len(item))
            continue
        if not isinstance(item, dict | list):
            continue
        if depth > limits.max_depth:
            raise LimitExceeded("depth", limits.max_depth)
        if isinstance(item, list):
            if len(item) > limits.max_array_length:
                raise LimitExceeded("array_length", limits.max_array_length, len(item))
            stack.extend((child, depth + 1) for child in item)
        else:
            for key, child in item.items():
                if len(key) > limits.max_string_length:
                    raise LimitExceeded("string_length", limits.max_string_length, len(key))
                stack.append((child, depth + 1))


def check_credential(credential: Any, limits: Limits = DEFAULT_LIMITS) -> None:
    """check_json, plus the members whose every item costs a canonicalisation or a fetch."""
    check_json(credential, limits)
    if not isinstance(credential, dict):
        return
    for member, maximum, limit in (("proof", limits.max_proofs, "proofs"),
                                   ("credentialStatus", limits.max_status_entries, "status_entries"),
                                   ("@context", limits.max_contexts, "contexts")):
        value = credential.get(member)
        count = len(value) if isinstance(value, list) else int(value is not None)
        if count > maximum:
            raise LimitExceeded(limit, maximum, count)


def check_text(text: str | bytes, limits: Limits = DEFAULT_LIMITS) -> None:
    """Raise LimitExceeded if the JSON text itself is too long to read."""
    size = len(text.encode("utf-8")) if isinstance(text, str) else len(text)
    if size > limits.max_bytes:
        raise LimitExceeded("bytes", limits.max_bytes, size)


def loads(text: str | bytes, limits: Limits = DEFAULT_LIMITS) -> Any:
    """json.loads within the limits; json.JSONDecodeError for malformed JSON, LimitExceeded otherwise."""
    check_text(text, limits)
    try:
        value = json.loads(text)
    except RecursionError:  # the C decoder recurses per level; it stops cleanly at the interpreter's limit
        raise LimitExceeded("depth", limits.max_depth) from None
    check_json(value, limits)
    return value
