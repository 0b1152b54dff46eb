"""A fast path to the canonical N-Quads of the credentials ob3 builds, identical to `ob3.jsonld`.

The general path spends nearly all its time in pyld: expanding the document (context processing,
key sorting, deep copies) and converting the expanded form to RDF. Our own credentials use a small,
fixed vocabulary, so this module turns JSON straight into quads:

* contexts are still processed by pyld, once per process: each (active context, local context)
  pair is cached, including type- and property-scoped contexts, `@protected` checks and
  `previousContext` (type-scoped contexts that do not propagate), mirroring pyld's expansion;
* term -> IRI lookups are cached per active context;
* values are converted with the JSON-LD -> RDF rules pyld applies (booleans, integers, doubles,
  datatype coercion, `@id` / `@vocab` coercion);
* canonicalisation is `ob3.rdfc`'s RDFC-1.0 with every term serialised once; the common case
  (every blank node has a unique first-degree hash) needs no Hash N-Degree Quads at all, and
  the rest reuses `ob3.rdfc`'s implementation of it.

Anything outside that subset — an unknown term, `@vocab` fallbacks, nested `@context`, nested
lists, language maps, graph containers, value objects, blank-node ids, relative IRIs, non-finite numbers —
raises `_Unsupported` internally and the document takes the general path, which also enforces safe
mode and produces the errors. So `fast_canonicalize(doc) == ob3.jsonld.canonicalize(doc)` for every
input, in value or in exception.
"""

from __future__ import annotations

import hashlib
import json
import math
import re
from collections.abc import Callable
from typing import Any

from pyld import jsonld as pyld_jsonld  # type: ignore[import-untyped]  # pyld ships no type information

from ob3.documents import DEFAULT_LOADER, DocumentLoader
from ob3.jsonld import ISSUER_DEPENDENT
from ob3.jsonld import canonicalize as general_canonicalize
from ob3.rdfc import (
    XSD_STRING,
    Quad,
    Term,
    _Canonicalizer,
    canonicalize_quads,
    check_quad_count,
    first_degree_label,
    serialize_term,
    sort_nquads,
)
from ob3.values import as_list

RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
XSD_BOOLEAN = "http://www.w3.org/2001/XMLSchema#boolean"
XSD_DOUBLE = "http://www.w3.org/2001/XMLSchema#double"
XSD_INTEGER = "http://www.w3.org/2001/XMLSchema#integer"

# An IRI we can emit verbatim: absolute (pyld's test) and free of characters N-Quads would escape.
_SAFE_IRI = re.compile(r"[A-Za-z][A-Za-z0-9+.\-]*:[^\x00-\x20<>\"{}|^`\\]*")
_RDF_TYPE: Term = ("I", RDF_TYPE, "", "")
_DEFAULT_GRAPH: Term = ("", "", "", "")
_RDF_FIRST: Term = ("I", "http://www.w3.org/1999/02/22-rdf-syntax-ns#first", "", "")
_RDF_REST: Term = ("I", "http://www.w3.org/1999/02/22-rdf-syntax-ns#rest", "", "")
_RDF_NIL: Term = ("I", "http://www.w3.org/1999/02/22-rdf-syntax-ns#nil", "", "")
_SUPPORTED_CONTAINERS: tuple[object, ...] = (None, [], ["@set"], "@set")
_LIST_CONTAINERS: tuple[object, ...] = (["@list"], "@list")
_MAX_CACHE = 50_000
_MISSING = object()


class _Unsupported(Exception):
    """The document leaves the subset this module handles; use the general path."""


def _canonical_double(value: float) -> str:
    return re.sub(r"(\d)0*E\+?(-)?0*(\d)", r"\1E\2\3", f"{value:1.15E}")


class _Compiler:
    """JSON -> quads for one document loader, with its context and term caches."""

    def __init__(self, loader: DocumentLoader):
        self._processor = pyld_jsonld.JsonLdProcessor()
        self._options = {
            "documentLoader": loader, "base": None, "isFrame": False, "keepFreeFloatingNodes": False,
            "processingMode": "json-ld-1.1",
            "contextResolver": pyld_jsonld.ContextResolver({}, loader),
        }
        self._initial = self._processor._get_initial_context(self._options)
        self._contexts: dict[tuple[Any, ...], dict[str, Any]] = {}
        self._keep: list[dict[str, Any]] = []  # cached contexts stay alive, so their id()s stay unique
        self._vocab: dict[tuple[int, str], str | None] = {}
        # Per (id(active context), term): compiled property, type scoping, value coercion.
        self._properties: dict[tuple[int, str], tuple[Term, bool, dict[str, Any]]] = {}
        self._types: dict[tuple[int, tuple[str, ...]], tuple[dict[str, Any], list[Term]]] = {}
        self._coercions: dict[tuple[int, str], Any] = {}

    def cached_entries(self) -> int:
        return (len(self._contexts) + len(self._vocab) + len(self._properties) + len(self._types)
                + len(self._coercions))

    # --- contexts ------------------------------------------------------------------------------
    def _process(self, ctx: dict[str, Any], local: Any, *, scoped: bool = False, **flags: bool) -> dict[str, Any]:
        # A scoped context is owned by a term definition of a cached context, so its id() is stable;
        # a document's own @context is a fresh object each time and is keyed by its JSON.
        local_key = ("scoped", id(local)) if scoped else json.dumps(local, sort_keys=True)
        key = (id(ctx), local_key, tuple(sorted(flags.items())))
        found = self._contexts.get(key)
        if found is None:
            if len(self._contexts) > _MAX_CACHE:
                raise _Unsupported("context cache full")
            found = self._processor._process_context(ctx, local, self._options, **flags)
            self._contexts[key] = found
            self._keep.append(found)
        return found

    def _expand_vocab(self, ctx: dict[str, Any], value: str) -> str | None:
        key = (id(ctx), value)
        try:
            return self._vocab[key]
        except KeyError:
            pass
        result: str | None = self._processor._expand_iri(ctx, value, vocab=True)
        if len(self._vocab) < _MAX_CACHE:
            self._vocab[key] = result
        return result

    @staticmethod
    def _definition(ctx: dict[str, Any], term: str) -> dict[str, Any]:
        return ctx["mappings"].get(term) or {}

    # --- IRIs ----------------------------------------------------------------------------------
    def _iri(self, ctx: dict[str, Any], value: Any, *, vocab: bool) -> Term:
        if not isinstance(value, str):
            raise _Unsupported("IRI is not a string")
        if vocab:
            iri = self._expand_vocab(ctx, value)
        else:
            iri = self._processor._expand_iri(ctx, value)
        if not isinstance(iri, str) or not _SAFE_IRI.fullmatch(iri) or iri.startswith(ISSUER_DEPENDENT):
            raise _Unsupported(f"IRI {value!r}")
        return ("I", iri, "", "")

    # --- nodes ---------------------------------------------------------------------------------
    def document(self, document: dict[str, Any]) -> list[Quad]:
        quads: list[Quad] = []
        self._blank = 0
        if "@context" not in document:
            raise _Unsupported("no @context")
        ctx = self._process(self._initial, document["@context"])
        self._node(ctx, document, quads)
        return quads

    def _node(self, ctx: dict[str, Any], element: dict[str, Any], quads: list[Quad]) -> Term:
        """Emit the quads of node object `element`; `ctx` is its context before type scoping."""
        type_keys = [key for key in element if key != "@context" and self._expand_vocab(ctx, key) == "@type"]
        if len(type_keys) > 1:
            raise _Unsupported("two keys for @type")
        type_terms: list[Term] = []
        if type_keys:
            ctx, type_terms = self._typed(ctx, element[type_keys[0]])
        subject: Term | None = None
        properties = []
        for key, value in element.items():
            if key == "@context" or (type_keys and key == type_keys[0]):
                continue
            if self._expand_vocab(ctx, key) == "@id":
                if subject is not None or not isinstance(value, str) or value.startswith("_:"):
                    raise _Unsupported("@id")
                subject = self._iri(ctx, value, vocab=False)
            else:
                properties.append((key, value))
        if subject is None:
            self._blank += 1
            subject = ("B", f"_:f{self._blank}", "", "")
        for type_term in type_terms:
            quads.append((subject, _RDF_TYPE, type_term, _DEFAULT_GRAPH))
        for key, value in properties:
            self._property(ctx, subject, key, value, quads)
        return subject

    def _typed(self, ctx: dict[str, Any], value: Any) -> tuple[dict[str, Any], list[Term]]:
        """The node's context after its type-scoped contexts, and its rdf:type objects."""
        types = as_list(value)
        if not types or not all(isinstance(t, str) for t in types):
            raise _Unsupported("@type value")
        key = (id(ctx), tuple(types))
        found = self._types.get(key)
        if found is None:
            scoped_ctx = ctx
            for type_ in sorted(types):
                scoped = self._definition(ctx, type_).get("@context")
                if scoped is not None and scoped is not False:
                    scoped_ctx = self._process(scoped_ctx, scoped, scoped=True, propagate=False)
            found = (scoped_ctx, [self._iri(ctx, type_, vocab=True) for type_ in types])
            if len(self._types) < _MAX_CACHE:
                self._types[key] = found
        return found

    def _property(self, ctx: dict[str, Any], subject: Term, key: str, value: Any, quads: list[Quad]) -> None:
        found = self._properties.get((id(ctx), key))
        if found is None:
            found = self._compile_property(ctx, key)
            if len(self._properties) < _MAX_CACHE:
                self._properties[(id(ctx), key)] = found
        predicate, is_list, term_ctx = found
        items = value if isinstance(value, list) else (value,)
        objects = [self._object(term_ctx, key, item, quads) for item in items]
        if is_list:
            objects = [self._rdf_list(objects, quads)]
        for obj in objects:
            quads.append((subject, predicate, obj, _DEFAULT_GRAPH))

    def _compile_property(self, ctx: dict[str, Any], key: str) -> tuple[Term, bool, dict[str, Any]]:
        expanded = self._expand_vocab(ctx, key)
        if not isinstance(expanded, str) or expanded.startswith("@") or not _SAFE_IRI.fullmatch(expanded) \
                or expanded.startswith(ISSUER_DEPENDENT):
            raise _Unsupported(f"property {key!r}")
        definition = self._definition(ctx, key)
        container = definition.get("@container")
        is_list = container in _LIST_CONTAINERS
        if definition.get("reverse") or not (is_list or container in _SUPPORTED_CONTAINERS) \
                or "@language" in definition or "@direction" in definition or definition.get("@type") == "@json":
            raise _Unsupported(f"term definition of {key!r}")
        term_ctx = ctx
        scoped = definition.get("@context")
        if scoped is not None:
            term_ctx = self._process(ctx, scoped, scoped=True, override_protected=True)
        return ("I", expanded, "", ""), is_list, term_ctx

    def _object(self, ctx: dict[str, Any], key: str, item: Any, quads: list[Quad]) -> Term:
        if isinstance(item, dict):
            return self._nested(ctx, key, item, quads)
        if isinstance(item, list) or item is None:
            raise _Unsupported("nested array or null")
        return self._scalar(ctx, key, item)

    def _rdf_list(self, items: list[Term], quads: list[Quad]) -> Term:
        # pyld `_list_to_rdf`: a chain of blank nodes with rdf:first / rdf:rest, ending in rdf:nil.
        if not items:
            return _RDF_NIL
        nodes = []
        for _ in items:
            self._blank += 1
            nodes.append(("B", f"_:f{self._blank}", "", ""))
        for index, item in enumerate(items):
            rest = nodes[index + 1] if index + 1 < len(nodes) else _RDF_NIL
            quads.append((nodes[index], _RDF_FIRST, item, _DEFAULT_GRAPH))
            quads.append((nodes[index], _RDF_REST, rest, _DEFAULT_GRAPH))
        return nodes[0]

    def _nested(self, ctx: dict[str, Any], key: str, element: dict[str, Any], quads: list[Quad]) -> Term:
        # pyld `_expand` on a node object reached through `key`, in `ctx` (the term's context).
        if "@context" in element:
            raise _Unsupported("nested @context")
        property_scoped = self._definition(ctx, key).get("@context")
        type_scoped = ctx if ctx.get("previousContext") else None
        must_revert = True
        if type_scoped is not None and len(element) <= 2:
            for name in sorted(element):
                expanded = self._expand_vocab(type_scoped, name)
                if expanded == "@value":
                    raise _Unsupported("value object")
                if expanded == "@id" and len(element) == 1:
                    must_revert = False
                    break
        if must_revert:
            ctx = ctx.get("previousContext", ctx)
        if property_scoped is not None:
            ctx = self._process(ctx, property_scoped, scoped=True, override_protected=True)
        # Keywords other than @id/@type (@value, @list, @graph, ...) are refused by _compile_property.
        return self._node(ctx, element, quads)

    def _scalar(self, ctx: dict[str, Any], key: str, value: Any) -> Term:
        # pyld `_expand_value` followed by `_object_to_rdf`.
        coercion = self._coercions.get((id(ctx), key), _MISSING)
        if coercion is _MISSING:
            definition = self._definition(ctx, key)
            if "@language" in definition or "@direction" in definition or ctx.get("@language") is not None \
                    or ctx.get("@direction") is not None:
                raise _Unsupported("language-tagged string")
            coercion = definition.get("@type")
            if len(self._coercions) < _MAX_CACHE:
                self._coercions[(id(ctx), key)] = coercion
        if isinstance(value, str):
            if coercion == "@id":
                if value.startswith("_:"):
                    raise _Unsupported("blank node reference")
                return self._iri(ctx, value, vocab=False)
            if coercion == "@vocab":
                if value.startswith("_:"):
                    raise _Unsupported("blank node reference")
                return self._iri(ctx, value, vocab=True)
            if coercion in (None, "@none"):
                return ("L", value, XSD_STRING, "")
            if coercion == XSD_DOUBLE or not isinstance(coercion, str) or coercion.startswith("@"):
                raise _Unsupported("string with a special datatype")
            return ("L", value, coercion, "")
        if coercion is not None and (not isinstance(coercion, str) or coercion.startswith("@")):
            raise _Unsupported("non-string with @id/@vocab/@json coercion")
        if isinstance(value, bool):
            return ("L", "true" if value else "false", coercion or XSD_BOOLEAN, "")
        if isinstance(value, float) and not math.isfinite(value):
            raise _Unsupported("non-finite number")
        if isinstance(value, float) and not value.is_integer():
            return ("L", _canonical_double(value), coercion or XSD_DOUBLE, "")
        if isinstance(value, (int, float)):
            if coercion == XSD_DOUBLE or abs(value) >= 1e21:
                return ("L", _canonical_double(float(value)), coercion or XSD_DOUBLE, "")
            return ("L", str(int(value)), coercion or XSD_INTEGER, "")
        raise _Unsupported(f"value of type {type(value).__name__}")


# --- canonicalisation: the RDFC-1.0 simple path with terms serialised once ------------------------

def _canonicalize(quads: list[Quad]) -> str:
    """RDFC-1.0 of a default-graph dataset, as `ob3.rdfc.canonicalize_quads` computes it, with each
    term serialised once. Blank nodes sharing a first-degree hash (identical lists or objects)
    are labelled by `ob3.rdfc`'s Hash N-Degree Quads."""
    check_quad_count(quads)
    if any(g[0] for _, _, _, g in quads):
        return canonicalize_quads(quads)
    rows = []
    by_node: dict[str, list[int]] = {}
    for index, (s, p, o, _) in enumerate(quads):
        rows.append((serialize_term(s), f"<{p[1]}>", serialize_term(o)))
        if s[0] == "B":
            by_node.setdefault(s[1], []).append(index)
        if o[0] == "B" and o[1] != s[1]:
            by_node.setdefault(o[1], []).append(index)
    first_degree: dict[str, str] = {}
    by_hash: dict[str, list[str]] = {}
    for node, indices in by_node.items():
        lines = []
        for index in indices:
            subject, predicate, obj = rows[index]
            subject = first_degree_label(subject, node) if subject[0] == "_" else subject
            obj = first_degree_label(obj, node) if obj[0] == "_" else obj
            lines.append(f"{subject} {predicate} {obj} .\n")
        digest = first_degree[node] = hashlib.sha256("".join(sort_nquads(lines)).encode("utf-8")).hexdigest()
        by_hash.setdefault(digest, []).append(node)
    labels = _labels(quads, first_degree, by_hash)
    lines = [f"{labels.get(s, s)} {p} {labels.get(o, o)} .\n" for s, p, o in rows]
    lines = sort_nquads(lines)
    return "".join(line for i, line in enumerate(lines) if i == 0 or line != lines[i - 1])


def _labels(quads: list[Quad], first_degree: dict[str, str], by_hash: dict[str, list[str]]) -> dict[str, str]:
    # RDFC-1.0 §4.4 steps 4-5 (`ob3.rdfc`), reusing the first-degree hashes. When every hash is unique
    # (the common case) the labels follow from the sorted hashes alone.
    if all(len(nodes) == 1 for nodes in by_hash.values()):
        return {nodes[0]: f"_:c14n{n}" for n, (_, nodes) in enumerate(sorted(by_hash.items()))}
    canonicalizer = _Canonicalizer(quads)
    canonicalizer.first_degree.update(first_degree)
    return canonicalizer.issue_labels(by_hash)


_compilers: dict[int, tuple[DocumentLoader, _Compiler]] = {}
# A compiler lives as long as its loader (the process, for the platform's), and its caches grow with every
# context it has not seen: a handful for the platform's own documents, but one for each uploaded document
# with an inline @context of its own (1,000 such hostile uploads kept 260 MB). Past this many cached
# entries it starts afresh, all caches at once (the term caches are keyed by the contexts' id()).
MAX_CACHED_ENTRIES = 20_000


def _compiler(loader: DocumentLoader) -> _Compiler:
    entry = _compilers.get(id(loader))
    if entry is None or entry[0] is not loader or entry[1].cached_entries() > MAX_CACHED_ENTRIES:
        entry = _compilers[id(loader)] = (loader, _Compiler(loader))
    return entry[1]


def fast_canonicalize(document: dict[str, Any], *, loader: DocumentLoader = DEFAULT_LOADER) -> str:
    """RDFC-1.0 canonical N-Quads of `document`, exactly as `ob3.jsonld.canonicalize` returns them.

    Documents outside the fast subset (and every unsafe document) go through the general path,
    which raises SafeModeError / CanonicalizationError / UnknownContextError as usual.
    """
    if isinstance(document, dict):
        try:
            quads = _compiler(loader).document(document)
        except Exception:  # noqa: BLE001 - anything unexpected: let the general path decide
            quads = None
        if quads is not None:
            return _canonicalize(quads)
    return general_canonicalize(document, loader=loader)


def make_fast_canonicalizer(loader: DocumentLoader = DEFAULT_LOADER) -> Callable[[dict[str, Any]], str]:
    """A `canonicalizer=` for `sign_credential` / `verify_proof` over `loader`."""
    return lambda document: fast_canonicalize(document, loader=loader)


fast_canonicalizer = make_fast_canonicalizer()
"""Ready-made `canonicalizer=` over the vendored contexts: `sign_credential(..., canonicalizer=fast_canonicalizer)`."""
