"""RDF Dataset Canonicalization (W3C RDFC-1.0) over a pyld-style dataset.

Why our own: pyld's URDNA2015 serialises literals with its own N-Quads escaping, which differs from
RDFC-1.0's canonical N-Quads for control characters (U+0008 comes out raw instead of ``\\b``).
Because blank-node hashes are computed over serialised quads, the difference changes signatures,
not just whitespace, so it has to be right inside the algorithm, not patched on the output.
Escaping and line order are checked byte for byte against digitalbazaar's rdf-canonize
(tests/ob3/test_interop.py).

Input: ``{"@default": [triple, ...], "<graph iri or _:b>": [...]}`` where each triple is
``{"subject": term, "predicate": term, "object": term}`` and a term is
``{"type": "IRI" | "blank node" | "literal", "value": str, "datatype"?: str, "language"?: str}``
(the shape pyld's ``to_rdf`` returns).
"""

from __future__ import annotations

import hashlib
import itertools
import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field

from ob3.errors import CanonicalizationError
from ob3.limits import MAX_QUADS, LimitExceeded

XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"
RDF_LANGSTRING = "http://www.w3.org/1999/02/22-rdf-syntax-ns#langString"

# A dataset whose blank nodes need more than this many Hash N-Degree Quads calls is "poison"
# (RDFC-1.0 §4.4, security considerations); refuse it rather than spin for minutes.
MAX_N_DEGREE_CALLS = 2000
MAX_PERMUTATION_SIZE = 8

# RDFC-1.0 canonical N-Quads string escaping, as rdf-canonize 5 (the reference we interoperate with) does it:
# ECHAR for BS, TAB, LF, FF, CR, " and \; UCHAR (\\uXXXX, upper-case hex) for the other C0 controls
# and DEL. Everything else, U+FFFE/U+FFFF included, is written raw (rdf-canonize does not escape them).
_ESCAPES = {'"': '\\"', "\\": "\\\\", "\b": "\\b", "\t": "\\t", "\n": "\\n", "\f": "\\f", "\r": "\\r"}
_NEEDS_ESCAPE = re.compile('["\\\\\x00-\x1f\x7f]')

# Line order. RDFC-1.0 says "code point order"; rdf-canonize (JavaScript's default sort) and Java
# implementations sort by UTF-16 code unit, which differs only when a line has an astral character
# (a surrogate pair, 0xD800–0xDFFF) where another has U+E000–U+FFFF. Signatures must verify in
# those stacks, so we sort as they do.
_ASTRAL = re.compile("[\U00010000-\U0010FFFF]")


def _utf16_key(line: str) -> bytes:
    return line.encode("utf-16-be", "surrogatepass")


def sort_nquads(lines: list[str]) -> list[str]:
    """`lines` sorted as rdf-canonize sorts them (UTF-16 code units), in place and returned."""
    if _ASTRAL.search("".join(lines)):
        lines.sort(key=_utf16_key)
    else:
        lines.sort()
    return lines


def _escape_char(match: re.Match[str]) -> str:
    char = match.group(0)
    return _ESCAPES.get(char) or f"\\u{ord(char):04X}"


def escape_literal(value: str) -> str:
    """Escape a literal's lexical form for canonical N-Quads."""
    return _NEEDS_ESCAPE.sub(_escape_char, value)


# Internal quad: (subject, predicate, object, graph) where each element is a tuple
# (kind, value, datatype, language); kind is "I", "B", "L" or "" (default graph).
Term = tuple[str, str, str, str]
Quad = tuple[Term, Term, Term, Term]
_DEFAULT_GRAPH: Term = ("", "", "", "")


def _term(raw: Mapping[str, str]) -> Term:
    kind = raw["type"]
    if kind == "IRI":
        return ("I", raw["value"], "", "")
    if kind == "blank node":
        return ("B", raw["value"], "", "")
    if kind == "literal":
        return ("L", raw["value"], raw.get("datatype") or XSD_STRING, raw.get("language") or "")
    raise CanonicalizationError(f"unknown RDF term type {kind!r}")


def serialize_term(term: Term) -> str:
    """One term in canonical N-Quads form: `<iri>`, `_:label` or a literal with its datatype or language."""
    kind, value, datatype, language = term
    if kind == "I":
        return f"<{value}>"
    if kind == "B":
        return value if value.startswith("_:") else f"_:{value}"
    literal = f'"{escape_literal(value)}"'
    if language:
        return f"{literal}@{language}"
    if datatype != XSD_STRING:
        return f"{literal}^^<{datatype}>"
    return literal


def serialize_quad(quad: Quad) -> str:
    """One canonical N-Quads line, newline included."""
    s, p, o, g = quad
    graph = f" {serialize_term(g)}" if g[0] else ""
    return f"{serialize_term(s)} {serialize_term(p)} {serialize_term(o)}{graph} .\n"


def first_degree_label(node: str, reference: str) -> str:
    """RDFC-1.0 §4.6: in the quads hashed for blank node `reference`, it is `_:a` and any other one `_:z`."""
    return "_:a" if node == reference else "_:z"


def _relabelled(quad: Quad, label: Callable[[str], str]) -> Quad:
    """`quad` with every blank node identifier `b` replaced by `label(b)`."""
    s, p, o, g = (("B", label(term[1]), "", "") if term[0] == "B" else term for term in quad)
    return s, p, o, g


def quads_from_dataset(dataset: Mapping[str, Iterable[Mapping[str, Mapping[str, str]]]]) -> list[Quad]:
    quads: list[Quad] = []
    for graph_name, triples in dataset.items():
        if graph_name == "@default":
            graph = _DEFAULT_GRAPH
        elif graph_name.startswith("_:"):
            graph = ("B", graph_name, "", "")
        else:
            graph = ("I", graph_name, "", "")
        for triple in triples:
            quads.append((_term(triple["subject"]), _term(triple["predicate"]), _term(triple["object"]), graph))
    return quads


def _sha256(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


@dataclass
class _Issuer:
    prefix: str
    issued: dict[str, str] = field(default_factory=dict)  # insertion order = issue order

    def issue(self, existing: str) -> str:
        found = self.issued.get(existing)
        if found is None:
            found = self.issued[existing] = f"{self.prefix}{len(self.issued)}"
        return found

    def copy(self) -> _Issuer:
        return _Issuer(self.prefix, dict(self.issued))


class _Canonicalizer:
    def __init__(self, quads: Sequence[Quad]):
        self.quads = quads
        self.bnode_quads: dict[str, list[Quad]] = {}
        for quad in quads:
            for position in (0, 2, 3):
                term = quad[position]
                if term[0] == "B":
                    bucket = self.bnode_quads.setdefault(term[1], [])
                    if not bucket or bucket[-1] is not quad:
                        bucket.append(quad)
        self.canonical = _Issuer("_:c14n")
        self.first_degree: dict[str, str] = {}
        self.n_degree_calls = 0

    # RDFC-1.0 §4.6 Hash First Degree Quads
    def hash_first_degree(self, reference: str) -> str:
        cached = self.first_degree.get(reference)
        if cached is not None:
            return cached
        lines = [serialize_quad(_relabelled(quad, lambda node: first_degree_label(node, reference)))
                 for quad in self.bnode_quads[reference]]
        sort_nquads(lines)
        result = self.first_degree[reference] = _sha256("".join(lines))
        return result

    # §4.7 Hash Related Blank Node
    def hash_related(self, related: str, quad: Quad, issuer: _Issuer, position: str) -> str:
        if related in self.canonical.issued:
            identifier = self.canonical.issued[related]
        elif related in issuer.issued:
            identifier = issuer.issued[related]
        else:
            identifier = self.hash_first_degree(related)
        data = position
        if position != "g":
            data += f"<{quad[1][1]}>"
        return _sha256(data + identifier)

    # §4.8 Hash N-Degree Quads
    def hash_n_degree(self, identifier: str, issuer: _Issuer) -> tuple[str, _Issuer]:
        self.n_degree_calls += 1
        if self.n_degree_calls > MAX_N_DEGREE_CALLS:
            raise CanonicalizationError("dataset too complex to canonicalise (blank-node poison graph)")
        related_by_hash: dict[str, list[str]] = {}
        for quad in self.bnode_quads[identifier]:
            for index, position in ((0, "s"), (2, "o"), (3, "g")):
                term = quad[index]
                if term[0] == "B" and term[1] != identifier:
                    related_hash = self.hash_related(term[1], quad, issuer, position)
                    related_by_hash.setdefault(related_hash, []).append(term[1])
        data_to_hash = ""
        for related_hash in sorted(related_by_hash):
            nodes = related_by_hash[related_hash]
            if len(nodes) > MAX_PERMUTATION_SIZE:
                raise CanonicalizationError("dataset too complex to canonicalise (too many alike blank nodes)")
            data_to_hash += related_hash
            chosen_path = ""
            chosen_issuer: _Issuer | None = None
            for permutation in itertools.permutations(nodes):
                issuer_copy = issuer.copy()
                path = ""
                recursion: list[str] = []
                skip = False
                for related in permutation:
                    if related in self.canonical.issued:
                        path += self.canonical.issued[related]
                    else:
                        if related not in issuer_copy.issued:
                            recursion.append(related)
                        path += issuer_copy.issue(related)
                    if chosen_path and len(path) >= len(chosen_path) and path > chosen_path:
                        skip = True
                        break
                if skip:
                    continue
                for related in recursion:
                    result_hash, result_issuer = self.hash_n_degree(related, issuer_copy)
                    path += issuer_copy.issue(related)
                    path += f"<{result_hash}>"
                    issuer_copy = result_issuer
                    if chosen_path and len(path) >= len(chosen_path) and path > chosen_path:
                        skip = True
                        break
                if skip:
                    continue
                if not chosen_path or path < chosen_path:
                    chosen_path = path
                    chosen_issuer = issuer_copy
            data_to_hash += chosen_path
            assert chosen_issuer is not None
            issuer = chosen_issuer
        return _sha256(data_to_hash), issuer

    # §4.4 Canonicalization Algorithm, steps 4-5
    def issue_labels(self, by_hash: Mapping[str, list[str]]) -> dict[str, str]:
        """Canonical labels for the blank nodes grouped by first-degree hash (`by_hash`)."""
        shared = []
        for hash_ in sorted(by_hash):
            nodes = by_hash[hash_]
            if len(nodes) == 1:
                self.canonical.issue(nodes[0])
            else:
                shared.append(nodes)
        for nodes in shared:
            results = []
            for node in nodes:
                if node in self.canonical.issued:
                    continue
                temporary = _Issuer("_:b")
                temporary.issue(node)
                results.append(self.hash_n_degree(node, temporary))
            for _, result_issuer in sorted(results, key=lambda r: r[0]):
                for existing in result_issuer.issued:
                    self.canonical.issue(existing)
        return self.canonical.issued

    # §4.4 Canonicalization Algorithm
    def run(self) -> list[str]:
        by_hash: dict[str, list[str]] = {}
        for node in self.bnode_quads:
            by_hash.setdefault(self.hash_first_degree(node), []).append(node)
        self.issue_labels(by_hash)
        labels = self.canonical.issued
        lines = [serialize_quad(_relabelled(quad, labels.__getitem__)) for quad in self.quads]
        sort_nquads(lines)
        # Identical quads (possible in JSON-LD) appear once in a dataset.
        return [line for i, line in enumerate(lines) if i == 0 or line != lines[i - 1]]


def check_quad_count(quads: Sequence[Quad]) -> None:
    """Refuse a dataset too large to canonicalise within a bounded time (LimitExceeded)."""
    if len(quads) > MAX_QUADS:
        raise LimitExceeded("quads", MAX_QUADS, len(quads))


def canonicalize_quads(quads: Sequence[Quad]) -> str:
    """Canonical N-Quads (sorted, blank nodes relabelled _:c14nN) of `quads`."""
    check_quad_count(quads)
    return "".join(_Canonicalizer(quads).run())


def canonicalize_dataset(dataset: Mapping[str, Iterable[Mapping[str, Mapping[str, str]]]]) -> str:
    """Canonical N-Quads of a pyld-style dataset."""
    return canonicalize_quads(quads_from_dataset(dataset))
