"""Uploaded SVG badge images, made safe to serve and to bake: an allowlist, not a blocklist.

An SVG is a document that browsers run: scripts, event handlers, `<foreignObject>` HTML and links to
other files all come with it. `svg_sanitise` keeps only drawing elements and presentation attributes,
links only inside the document (`#id`) or to embedded raster images (`data:image/png|jpeg`), and
reports what it removed so the person uploading can be told. Parsing goes through defusedxml, so entity
tricks (billion laughs, external entities) are refused before anything else happens.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from xml.etree import ElementTree as ET  # noqa: S405 - only to build and serialise; parsing is defusedxml's

from defusedxml import DefusedXmlException
from defusedxml.ElementTree import fromstring

SVG_NS = "http://www.w3.org/2000/svg"
XLINK_NS = "http://www.w3.org/1999/xlink"
XML_NS = "http://www.w3.org/XML/1998/namespace"
MAX_SVG_BYTES = 512 * 1024
# Drawing programs nest a few dozen groups at most; a badge of more than 20,000 elements is no badge.
MAX_SVG_DEPTH = 64
MAX_SVG_ELEMENTS = 20_000

ET.register_namespace("", SVG_NS)
ET.register_namespace("xlink", XLINK_NS)

ELEMENTS = frozenset({
    "svg", "g", "defs", "title", "desc", "symbol", "use", "switch",
    "path", "rect", "circle", "ellipse", "line", "polyline", "polygon",
    "text", "tspan", "textPath",
    "linearGradient", "radialGradient", "stop", "pattern", "clipPath", "mask", "marker", "image", "style",
    "filter", "feBlend", "feColorMatrix", "feComponentTransfer", "feComposite", "feDropShadow", "feFlood",
    "feFuncA", "feFuncB", "feFuncG", "feFuncR", "feGaussianBlur", "feMerge", "feMergeNode", "feMorphology",
    "feOffset",
})

ATTRIBUTES = frozenset({
    # structure and geometry
    "id", "class", "lang", "version", "width", "height", "x", "y", "x1", "y1", "x2", "y2", "cx", "cy", "r",
    "rx", "ry", "d", "points", "viewBox", "preserveAspectRatio", "transform", "pathLength",
    "role", "aria-label", "aria-hidden", "focusable",
    # text
    "dx", "dy", "rotate", "textLength", "lengthAdjust", "text-anchor", "dominant-baseline", "alignment-baseline",
    "baseline-shift", "font-family", "font-size", "font-weight", "font-style", "font-variant", "font-stretch",
    "letter-spacing", "word-spacing", "text-decoration", "writing-mode", "direction", "startOffset",
    # painting
    "fill", "fill-opacity", "fill-rule", "stroke", "stroke-width", "stroke-opacity", "stroke-linecap",
    "stroke-linejoin", "stroke-miterlimit", "stroke-dasharray", "stroke-dashoffset", "opacity", "color",
    "display", "visibility", "overflow", "clip-path", "clip-rule", "clipPathUnits", "mask", "maskUnits",
    "maskContentUnits", "filter", "style", "paint-order", "vector-effect", "shape-rendering", "image-rendering",
    "marker-start", "marker-mid", "marker-end", "markerWidth", "markerHeight", "markerUnits", "refX", "refY",
    "orient", "mix-blend-mode", "isolation",
    # gradients, patterns, filters
    "offset", "stop-color", "stop-opacity", "gradientUnits", "gradientTransform", "spreadMethod", "fx", "fy",
    "fr", "patternUnits", "patternContentUnits", "patternTransform", "filterUnits", "primitiveUnits",
    "in", "in2", "result", "stdDeviation", "mode", "type", "values", "operator", "k1", "k2", "k3", "k4",
    "flood-color", "flood-opacity", "radius", "tableValues", "slope", "intercept", "amplitude", "exponent",
    "color-interpolation-filters", "edgeMode",
    # links, checked separately
    "href",
})

_SAFE_HREF = re.compile(r"#[\w.:-]+|data:image/(?:png|jpeg);base64,[A-Za-z0-9+/=\s]+", re.ASCII)
# Any url(...) must point inside the document; CSS may not import or reach the network otherwise.
_URL_REFERENCE = re.compile(r"url\(\s*(['\"]?)(.*?)\1\s*\)", re.IGNORECASE | re.DOTALL)
_CSS_DANGER = re.compile(r"@import|expression\s*\(|javascript:|behavior\s*:|-moz-binding", re.IGNORECASE)


class UnsafeSvg(ValueError):
    """The upload is not an SVG we can use at all (not XML, an entity trick, not an <svg>, too big, too deep
    or with too many elements)."""

    def __init__(self, code: str):
        super().__init__(code)
        self.code = code


@dataclass(frozen=True)
class CleanSvg:
    svg: bytes
    removed: tuple[str, ...]  # what was taken out, e.g. ("script", "onload", "href")


def _local(name: str) -> tuple[str, str]:
    """(namespace, local name) of an ElementTree tag or attribute name."""
    if name.startswith("{"):
        namespace, _, local = name[1:].partition("}")
        return namespace, local
    return "", name


def _css_is_safe(text: str) -> bool:
    if _CSS_DANGER.search(text):
        return False
    return all(target.strip().startswith("#") for _, target in _URL_REFERENCE.findall(text))


def _clean_attributes(element: ET.Element, removed: list[str]) -> None:
    for name in list(element.attrib):
        namespace, local = _local(name)
        value = element.attrib[name]
        keep = False
        if local == "href" and namespace in {"", XLINK_NS}:
            keep = bool(_SAFE_HREF.fullmatch(value.strip()))
        elif namespace == XML_NS and local in {"lang", "space"}:
            keep = True
        elif namespace == "" and local in ATTRIBUTES and not local.lower().startswith("on"):
            keep = _css_is_safe(value)
        if not keep:
            removed.append(local)
            del element.attrib[name]


def _structure_check(root: ET.Element, *, max_depth: int, max_elements: int) -> None:
    """Refuse a tree too deep or too large to clean, draw and serialise, without recursing per element."""
    count = 0
    stack = [(root, 1)]
    while stack:
        element, depth = stack.pop()
        count += 1
        if depth > max_depth:
            raise UnsafeSvg("too_deep")
        if count > max_elements:
            raise UnsafeSvg("too_many_elements")
        stack.extend((child, depth + 1) for child in element)


def _clean_tree(root: ET.Element, removed: list[str]) -> None:
    """Clean every element below `root`, one at a time from an explicit stack (no recursion)."""
    stack = [root]
    while stack:
        parent = stack.pop()
        for child in list(parent):
            if not isinstance(child.tag, str):  # comments and processing instructions
                parent.remove(child)
                continue
            namespace, local = _local(child.tag)
            unsafe_style = local == "style" and not _css_is_safe(child.text or "")
            if namespace != SVG_NS or local not in ELEMENTS or unsafe_style:
                removed.append(local)
                parent.remove(child)
                continue
            _clean_attributes(child, removed)
            stack.append(child)


def svg_sanitise(
    data: bytes,
    *,
    max_bytes: int = MAX_SVG_BYTES,
    max_depth: int = MAX_SVG_DEPTH,
    max_elements: int = MAX_SVG_ELEMENTS,
) -> CleanSvg:
    """The SVG with everything outside the allowlist removed. Raises UnsafeSvg if it is no usable SVG.

    Depth and element count are checked before any cleaning: serialising and drawing recurse per level,
    and a badge never needs thousands of nested groups.
    """
    if len(data) > max_bytes:
        raise UnsafeSvg("too_large")
    try:
        root = fromstring(data, forbid_dtd=False, forbid_entities=True, forbid_external=True)
    except (ET.ParseError, DefusedXmlException, ValueError):
        raise UnsafeSvg("not_svg") from None
    if root.tag != f"{{{SVG_NS}}}svg":
        raise UnsafeSvg("not_svg")
    _structure_check(root, max_depth=max_depth, max_elements=max_elements)
    removed: list[str] = []
    _clean_attributes(root, removed)
    _clean_tree(root, removed)
    clean = ET.tostring(root, encoding="utf-8", xml_declaration=True)
    return CleanSvg(svg=clean, removed=tuple(dict.fromkeys(removed)))
