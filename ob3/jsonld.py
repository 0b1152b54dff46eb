"""JSON-LD processing with the offline loader: expansion, safe mode, and canonical N-Quads.

Safe mode. A JSON-LD processor silently drops a property whose term no context defines, and the
VC 2.0 context's `@vocab` quietly maps unknown terms to `…/issuer-dependent#…`. Either way the
signature would not cover what a person reads. The 1EdTech validator and digitalbazaar's stack run
in "safe mode" and reject such documents, so we refuse to sign them and report them on verify.
pyld has no safe mode; `safe_mode_problems` reimplements the checks that matter for credentials.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

from pyld import jsonld as pyld_jsonld  # type: ignore[import-untyped]  # pyld ships no type information

from ob3.documents import DEFAULT_LOADER, DocumentLoader
from ob3.errors import CanonicalizationError, Ob3Error, SafeModeError
from ob3.rdfc import canonicalize_dataset

ISSUER_DEPENDENT = "https://www.w3.org/ns/credentials/issuer-dependent#"
SEC_PROOF = "https://w3id.org/security#proof"
_MAX_PROBLEMS = 20


def _root_cause(exc: BaseException) -> Ob3Error | None:
    """pyld wraps loader errors several levels deep; find ours (e.g. UnknownContextError)."""
    seen = set()
    current: BaseException | None = exc
    while current is not None and id(current) not in seen:
        seen.add(id(current))
        if isinstance(current, Ob3Error):
            return current
        details = getattr(current, "details", None)
        nested = details.get("cause") if isinstance(details, dict) else None
        current = nested if isinstance(nested, BaseException) else (current.__cause__ or current.__context__)
    return None


def _describe(exc: BaseException) -> str:
    message = exc.args[0] if exc.args else type(exc).__name__
    details = getattr(exc, "details", None)
    code = getattr(exc, "code", None) or (details or {}).get("code") if isinstance(details, dict) else None
    return f"{message} ({code})" if code else str(message)


def expand(document: dict[str, Any], *, loader: DocumentLoader = DEFAULT_LOADER) -> tuple[list[Any], list[str]]:
    """Expanded form of `document` plus the terms expansion dropped (empty in a safe document)."""
    if not isinstance(document, dict):
        raise CanonicalizationError("a JSON-LD document must be a JSON object")
    dropped: list[str] = []
    processor = pyld_jsonld.JsonLdProcessor(on_property_dropped=lambda prop: dropped.append(str(prop)))
    try:
        expanded = processor.expand(document, {"documentLoader": loader, "base": None})
    except Exception as exc:  # pyld raises JsonLdError and, on malformed input, plain TypeErrors
        cause = _root_cause(exc)
        if cause is not None:
            raise cause from None
        raise CanonicalizationError(f"not valid JSON-LD: {_describe(exc)}") from None
    return expanded, dropped


def safe_mode_problems(expanded: list[Any], dropped: list[str]) -> list[str]:
    """Human-readable reasons why the document is not safe to sign or trust; [] when safe."""
    problems = [f"property {name!r} is not defined by any @context and would be dropped" for name in dropped]
    for problem in _walk(expanded):
        problems.append(problem)
        if len(problems) >= _MAX_PROBLEMS:
            break
    return problems[:_MAX_PROBLEMS]


def _is_absolute(iri: str) -> bool:
    head, sep, _ = iri.partition(":")
    return bool(sep) and bool(head) and (head == "_" or (head[0].isalpha() and head.replace("+", "").replace(
        "-", "").replace(".", "").isalnum()))


def _walk(node: Any) -> Iterator[str]:
    if isinstance(node, list):
        for item in node:
            yield from _walk(item)
        return
    if not isinstance(node, dict) or "@value" in node:
        return
    identifier = node.get("@id")
    if isinstance(identifier, str) and not _is_absolute(identifier):
        yield f"id {identifier!r} is a relative IRI; ids must be absolute (https:, urn:, did:, …)"
    for type_ in node.get("@type", []) if isinstance(node.get("@type"), list) else []:
        if type_.startswith(ISSUER_DEPENDENT):
            yield f"type {type_[len(ISSUER_DEPENDENT):]!r} is not defined by any @context"
        elif not _is_absolute(type_):
            yield f"type {type_!r} is not defined by any @context"
    for key, value in node.items():
        if key.startswith(ISSUER_DEPENDENT):
            yield f"property {key[len(ISSUER_DEPENDENT):]!r} is not defined by any @context"
        if not key.startswith("@") or key in ("@graph", "@list", "@set", "@included"):
            yield from _walk(value)


def to_dataset(expanded: list[Any], *, loader: DocumentLoader = DEFAULT_LOADER) -> dict[str, list[Any]]:
    """RDF dataset (pyld's dict form) of an already expanded document."""
    try:
        dataset: dict[str, list[Any]] = pyld_jsonld.to_rdf(expanded, {"documentLoader": loader, "base": None})
    except Exception as exc:
        raise CanonicalizationError(f"cannot convert to RDF: {_describe(exc)}") from None
    return dataset


def canonicalize_expanded(expanded: list[Any], *, loader: DocumentLoader = DEFAULT_LOADER) -> str:
    """RDFC-1.0 canonical N-Quads of an already expanded (and already checked) document."""
    return canonicalize_dataset(to_dataset(expanded, loader=loader))


def canonicalize(document: dict[str, Any], *, loader: DocumentLoader = DEFAULT_LOADER, safe: bool = True) -> str:
    """RDFC-1.0 canonical N-Quads of a JSON-LD document.

    With `safe` (the default), raises SafeModeError when expansion would drop or guess at data.
    """
    expanded, dropped = expand(document, loader=loader)
    if safe:
        problems = safe_mode_problems(expanded, dropped)
        if problems:
            raise SafeModeError("; ".join(problems))
    return canonicalize_expanded(expanded, loader=loader)


def _fingerprint(document: Any) -> str:
    return json.dumps(document, sort_keys=True, ensure_ascii=False, separators=(",", ":"))


def _without_proof(expanded: list[Any]) -> list[Any] | None:
    """The expansion of a credential without its `proof`, from the expansion with it (each key of a
    node expands on its own, so dropping the expanded property equals expanding without the key)."""
    if len(expanded) != 1 or not isinstance(expanded[0], dict):
        return None
    return [{key: value for key, value in expanded[0].items() if key != SEC_PROOF}]


class ReusingCanonicalizer:
    """A canonicalizer for one verification: every distinct document is canonicalised once (a proof set,
    or several status entries pointing at one list, costs one canonicalisation), and the credential
    without its proofs reuses the expansion already made for the safe-mode check."""

    def __init__(self, *, loader: DocumentLoader = DEFAULT_LOADER, base: Any = None):
        self._loader = loader
        self._base = base
        self._done: dict[str, str] = {}
        self._expanded: dict[str, list[Any]] = {}

    def reuse(self, document: dict[str, Any], expanded: list[Any]) -> None:
        """`expanded` is the safe expansion of `document` (with its proof); reuse it for the unsecured form."""
        unsecured = _without_proof(expanded)
        if unsecured is not None:
            self._expanded[_fingerprint({k: v for k, v in document.items() if k != "proof"})] = unsecured

    def __call__(self, document: dict[str, Any]) -> str:
        key = _fingerprint(document)
        if key not in self._done:
            if self._base is not None:
                self._done[key] = self._base(document)
            elif key in self._expanded:
                self._done[key] = canonicalize_expanded(self._expanded.pop(key), loader=self._loader)
            else:
                self._done[key] = canonicalize(document, loader=self._loader)
        return self._done[key]
