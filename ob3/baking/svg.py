"""Bake and unbake credentials in SVG images (OB 3.0 §5.3.2).

The credential is one `<openbadges:credential>` element, the first child of the root `<svg>`, with
`xmlns:openbadges="https://purl.imsglobal.org/ob/v3p0"` declared on the root. JSON goes in CDATA; a
compact JWS goes in the `verify` attribute.

Baking edits the document as bytes at positions found by a safe parse, so everything outside the edits
stays byte-identical. Parsing goes through defusedxml: entity declarations and external references are
refused. A DOCTYPE is allowed only without an internal subset (the usual `<!DOCTYPE svg PUBLIC …>` line,
which 1EdTech's own samples carry); its external DTD is never fetched.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any
from xml.etree.ElementTree import ParseError

from defusedxml import DefusedXmlException
from defusedxml.ElementTree import DefusedXMLParser

from ob3.baking.png import credential_text, parse_credential_text
from ob3.errors import BakingError

OB_NAMESPACE = "https://purl.imsglobal.org/ob/v3p0"
SVG_NAMESPACE = "http://www.w3.org/2000/svg"
DEFAULT_MAX_BYTES = 10 * 1024 * 1024

_CREDENTIAL_TAG = f"{{{OB_NAMESPACE}}}credential"
_ROOT_TAGS = {f"{{{SVG_NAMESPACE}}}svg", "svg"}
_QNAME = re.compile(rb"<([^\s/>]+)")
_ENCODING_DECL = re.compile(rb"(?:\xef\xbb\xbf)?<\?xml[^>]*?\bencoding\s*=\s*[\"']([^\"']*)[\"']")


@dataclass
class _Scan:
    """What baking and unbaking need from one pass over the document."""

    root_start: int = -1  # byte offset of the root's '<'
    root_namespaces: dict[str, str] = field(default_factory=dict)  # declared on the root
    credential_spans: list[tuple[int, int]] = field(default_factory=list)  # (start, offset of end event)
    verify: str | None = None  # of the first credential element
    text: list[str] = field(default_factory=list)  # of the first credential element


class _Target:
    """ElementTree parser target that records byte offsets instead of building a tree."""

    def __init__(self) -> None:
        self.scan = _Scan()
        self.expat: Any = None  # set once the parser exists; offsets are read from it during callbacks
        self._depth = 0
        self._pending_namespaces: dict[str, str] = {}
        self._credential_depth: int | None = None
        self._credential_start = 0

    def start_ns(self, prefix: str, uri: str) -> None:
        self._pending_namespaces[prefix] = uri

    def start(self, tag: str, attrib: dict[str, str]) -> None:
        position = self.expat.CurrentByteIndex
        if self._depth == 0:
            if tag not in _ROOT_TAGS:
                raise BakingError(f"not an SVG image: the root element is {tag!r}, not <svg>")
            self.scan.root_start = position
            self.scan.root_namespaces = self._pending_namespaces
        self._pending_namespaces = {}
        self._depth += 1
        if self._credential_depth is None and tag == _CREDENTIAL_TAG:
            self._credential_depth = self._depth
            self._credential_start = position
            if not self.scan.credential_spans:
                self.scan.verify = attrib.get("verify")

    def data(self, text: str) -> None:
        if self._credential_depth is not None and not self.scan.credential_spans:
            self.scan.text.append(text)

    def end(self, tag: str) -> None:
        if self._credential_depth == self._depth:
            self.scan.credential_spans.append((self._credential_start, self.expat.CurrentByteIndex))
            self._credential_depth = None
        self._depth -= 1

    def close(self) -> _Scan:
        return self.scan


class _SafeParser(DefusedXMLParser):
    def __init__(self, target: _Target, encoding: str | None) -> None:
        super().__init__(
            target=target, encoding=encoding, forbid_dtd=False, forbid_entities=True, forbid_external=True
        )
        self.parser.StartDoctypeDeclHandler = self._doctype

    @staticmethod
    def _doctype(name: str, sysid: str | None, pubid: str | None, has_internal_subset: bool) -> None:
        if has_internal_subset:
            raise BakingError(
                "SVG rejected: its DOCTYPE has an internal subset (entity or markup declarations), "
                "which could expand entities or pull in external files"
            )


def _as_bytes(image: object, max_bytes: int) -> tuple[bytes, str | None]:
    """The document as bytes, plus the encoding to force (UTF-8 for str input, else the document's own)."""
    if isinstance(image, str):
        data, encoding = image.encode("utf-8", "surrogatepass"), "utf-8"
    elif isinstance(image, bytes | bytearray | memoryview):
        data, encoding = bytes(image), None
    else:
        raise BakingError(f"SVG data must be bytes or str, not {type(image).__name__}")
    if len(data) > max_bytes:
        raise BakingError(f"SVG is {len(data)} bytes; the limit is {max_bytes}")
    return data, encoding


def _scan(data: bytes, encoding: str | None) -> _Scan:
    target = _Target()
    parser = _SafeParser(target, encoding)
    target.expat = parser.parser
    try:
        parser.feed(data)
        parser.close()
        return target.scan
    except DefusedXmlException as exc:
        raise BakingError(
            f"SVG rejected: it declares entities or references external resources ({type(exc).__name__})"
        ) from None
    except (ParseError, ValueError) as exc:
        raise BakingError(f"not an SVG image: the XML is not well-formed ({exc})") from None


def _start_tag_end(data: bytes, start: int) -> tuple[int, bool]:
    """Offset just past the start tag at `start`, and whether it is an empty-element tag (`/>`).

    The document is already known to be well-formed, so the first '>' outside a quoted attribute value
    closes the tag ('>' may appear inside attribute values).
    """
    quote = 0
    for index in range(start + 1, len(data)):
        byte = data[index]
        if quote:
            if byte == quote:
                quote = 0
        elif byte in b"\"'":
            quote = byte
        elif byte == ord(">"):
            return index + 1, data[index - 1] == ord("/")
    raise BakingError("SVG start tag is not closed")  # unreachable for a well-formed document


def _element_end(data: bytes, start: int, end_event: int) -> int:
    tag_end, empty = _start_tag_end(data, start)
    if empty:
        return tag_end
    return data.index(b">", end_event) + 1  # end tags hold no quotes


def _credential_element(credential: dict[str, Any] | str) -> bytes:
    text = credential_text(credential)
    if isinstance(credential, str):
        return f'<openbadges:credential verify="{text}"></openbadges:credential>'.encode()
    # "]]>" cannot appear inside CDATA: end the section after "]]" and open a new one before ">".
    cdata = text.replace("]]>", "]]]]><![CDATA[>")
    return f"<openbadges:credential><![CDATA[{cdata}]]></openbadges:credential>".encode()


def _require_utf8(data: bytes) -> None:
    if data.startswith((b"\xff\xfe", b"\xfe\xff", b"\x00\x00\xfe\xff")):
        raise BakingError("only UTF-8 SVG documents can be baked; this one is UTF-16 or UTF-32")
    declared = _ENCODING_DECL.match(data)
    if declared and declared.group(1).lower() not in (b"utf-8", b"utf8"):
        raise BakingError(
            f"only UTF-8 SVG documents can be baked; this one declares {declared.group(1).decode('ascii', 'replace')}"
        )


# --- public API ---------------------------------------------------------------------------------------
def bake_svg(
    image: bytes | str, credential: dict[str, Any] | str, *, max_bytes: int = DEFAULT_MAX_BYTES
) -> bytes:
    """Return the UTF-8 SVG `image` with `credential` baked in, replacing any credential already there.

    Adds `xmlns:openbadges` to the root if absent and inserts one `<openbadges:credential>` right after
    the root start tag; every other byte of the document is kept. Raises BakingError for a document that
    is not a safe, well-formed UTF-8 SVG, is too large, or binds `openbadges` to another namespace.
    """
    data, encoding = _as_bytes(image, max_bytes)
    _require_utf8(data)
    element = _credential_element(credential)
    scan = _scan(data, encoding)

    root = scan.root_start
    qname = _QNAME.match(data, root)
    assert qname is not None  # the parser found an element starting here
    tag_end, empty = _start_tag_end(data, root)
    edits: list[tuple[int, int, bytes]] = []  # (start, end, replacement), non-overlapping
    bound = scan.root_namespaces.get("openbadges")
    if bound is None:
        edits.append((qname.end(), qname.end(), f' xmlns:openbadges="{OB_NAMESPACE}"'.encode()))
    elif bound != OB_NAMESPACE:
        raise BakingError(f"SVG binds the prefix 'openbadges' to {bound!r}, not {OB_NAMESPACE!r}")
    if empty:  # <svg … /> becomes <svg …>credential</svg>
        edits.append((tag_end - 2, tag_end, b">" + element + b"</" + qname.group(1) + b">"))
    else:
        edits.append((tag_end, tag_end, element))
    for start, end_event in scan.credential_spans:
        edits.append((start, _element_end(data, start, end_event), b""))

    pieces, cursor = [], 0
    for start, end, replacement in sorted(edits, key=lambda edit: (edit[0], edit[1])):
        pieces += [data[cursor:start], replacement]
        cursor = end
    pieces.append(data[cursor:])
    return b"".join(pieces)


def unbake_svg(image: bytes | str, *, max_bytes: int = DEFAULT_MAX_BYTES) -> dict[str, Any] | str:
    """The credential baked into an SVG: a dict (JSON) or a compact JWS string.

    Takes the first `<openbadges:credential>` element: its `verify` attribute when present and non-empty,
    otherwise its text. Raises BakingError when there is none, or the document is not a safe SVG.
    """
    data, encoding = _as_bytes(image, max_bytes)
    scan = _scan(data, encoding)
    if not scan.credential_spans:
        raise BakingError(f"SVG has no baked credential (no <credential> element in namespace {OB_NAMESPACE})")
    if scan.verify is not None and scan.verify.strip():
        value = parse_credential_text(scan.verify, source="SVG")
        if not isinstance(value, str):
            raise BakingError("SVG: the 'verify' attribute must hold a compact JWS, not JSON")
        return value
    return parse_credential_text("".join(scan.text), source="SVG")
